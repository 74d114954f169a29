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
        double decode = Double.MAX_VALUE;
        double crop = Double.MAX_VALUE;
        double patchify = Double.MAX_VALUE;
        long sink = 0;
        for (int r = 0; r <= rounds; r++) {
            // One image at a time through all stages, as a task does: holding every decoded image
            // at once would charge the crop stage for garbage-collecting them.
            long[] t = new long[3];
            for (byte[] f : files) {
                long t0 = System.nanoTime();
                RgbImage img = ImageDecoder.decode(f);
                long t1 = System.nanoTime();
                RgbImage cropped = AdmCenterCrop.apply(img, size);
                long t2 = System.nanoTime();
                sink += PatchLayout.patchify(cropped, patch)[0];
                long t3 = System.nanoTime();
                t[0] += t1 - t0;
                t[1] += t2 - t1;
                t[2] += t3 - t2;
            }
            if (r > 0) { // round 0 warms up the JIT
                decode = Math.min(decode, t[0] / 1e6 / n);
                crop = Math.min(crop, t[1] / 1e6 / n);
                patchify = Math.min(patchify, t[2] / 1e6 / n);
            }
        }
        if (sink == 42) {
            System.out.println();
        }
        System.out.printf("java stages, ms/image (best of %d, %d images): decode %.2f, center crop %.2f, patchify %.3f%n",
                rounds, n, decode, crop, patchify);
    }
}
