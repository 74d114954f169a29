package org.pmf.dataprep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.pmf.dataprep.PatchLayout;
import org.pmf.dataprep.image.AdmCenterCrop;
import org.pmf.dataprep.image.ImageDecoder;
import org.pmf.dataprep.image.RgbImage;

/**
 * Per-stage time of the preprocessing on one thread (decode from bytes in memory, ADM center crop
 * of decoded images, patchify), to see where PreprocessBenchmark's time goes. Best of ROUNDS per
 * stage after a warm-up pass. Args: dir image-size patch-size rounds.
 */
public final class StageProfile {

    private StageProfile() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        int patch = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".JPEG")).sorted().toList()) {
                files.add(Files.readAllBytes(p));
            }
        }
        int n = files.size();
        List<RgbImage> decoded = new ArrayList<>();
        List<RgbImage> cropped = new ArrayList<>();
        double decode = Double.MAX_VALUE;
        double crop = Double.MAX_VALUE;
        double patchify = Double.MAX_VALUE;
        for (int r = 0; r <= rounds; r++) {
            decoded.clear();
            cropped.clear();
            long t0 = System.nanoTime();
            for (byte[] f : files) {
                decoded.add(ImageDecoder.decode(f));
            }
            long t1 = System.nanoTime();
            for (RgbImage img : decoded) {
                cropped.add(AdmCenterCrop.apply(img, size));
            }
            long t2 = System.nanoTime();
            long sink = 0;
            for (RgbImage img : cropped) {
                sink += PatchLayout.patchify(img, patch)[0];
            }
            long t3 = System.nanoTime();
            if (r > 0) { // round 0 warms up the JIT
                decode = Math.min(decode, (t1 - t0) / 1e6 / n);
                crop = Math.min(crop, (t2 - t1) / 1e6 / n);
                patchify = Math.min(patchify, (t3 - t2) / 1e6 / n + (sink == 42 ? 1e-9 : 0));
            }
        }
        System.out.printf("java stages, ms/image (best of %d, %d images): decode %.2f, center crop %.2f, patchify %.3f%n",
                rounds, n, decode, crop, patchify);
    }
}
