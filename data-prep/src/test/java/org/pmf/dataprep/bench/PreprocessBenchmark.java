package org.pmf.dataprep.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.pmf.dataprep.PatchLayout;
import org.pmf.dataprep.image.AdmCenterCrop;
import org.pmf.dataprep.image.ImageDecoder;

/**
 * Preprocessing throughput as a data-prep task does it (read file, decode, ADM center crop,
 * patchify) on every file of a directory with T threads. Run by bench/data-prep.sh next to the
 * same work in python3-pil. Args: dir threads image-size patch-size rounds.
 */
public final class PreprocessBenchmark {

    private PreprocessBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int patch = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".JPEG")).sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            runOnce(pool, threads, files, size, patch); // JIT warm-up
            double best = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                runOnce(pool, threads, files, size, patch);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            double rate = files.size() / best;
            System.out.printf("java  threads=%d images=%d size=%d: %.1f images/s, %.1f images/s per core (best of %d)%n",
                    threads, files.size(), size, rate, rate / threads, rounds);
        } finally {
            pool.shutdown();
        }
    }

    private static void runOnce(ExecutorService pool, int threads, List<Path> files, int size, int patch) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Future<?>[] workers = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                    byte[] data = Files.readAllBytes(files.get(i));
                    PatchLayout.patchify(AdmCenterCrop.apply(ImageDecoder.decode(data), size), patch);
                }
                return null;
            });
        }
        for (Future<?> w : workers) {
            w.get();
        }
    }
}
