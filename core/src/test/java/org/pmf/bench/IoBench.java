package org.pmf.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.data.FashionMnist;
import org.pmf.data.PatchLayout;
import org.pmf.io.Npz;
import org.pmf.io.Safetensors;

/**
 * Throughput of the file formats and the patch layout: safetensors and npz save/load of a
 * checkpoint-sized set of float32 tensors on local disk, patchify/unpatchify of an ImageNet-256
 * batch, and reading plus converting Fashion-MNIST. Run with bench/io.sh; argument: [megabytes].
 * Prints medians of 5; the host is shared, so compare within one run.
 */
public final class IoBench {

    private static final int REPEATS = 5;

    public static void main(String[] args) throws IOException {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        Map<String, INDArray> tensors = checkpointLike(megabytes);
        Path dir = Files.createTempDirectory("pmf-iobench");
        try {
            Path st = dir.resolve("w.safetensors");
            Path npz = dir.resolve("w.npz");
            report("safetensors write", megabytes, () -> {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(st), 1 << 20)) {
                    Safetensors.write(out, tensors, Map.of("step", "1"), st.toString());
                }
            });
            report("safetensors read", megabytes, () -> {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(st), 1 << 20)) {
                    Safetensors.read(in, st.toString());
                }
            });
            Map<String, INDArray> views = flatViews(tensors);
            report("safetensors loadInto views of one flat vector", megabytes, () -> {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(st), 1 << 20)) {
                    Safetensors.loadInto(views, in, st.toString());
                }
            });
            report("npz (stored) write", megabytes, () -> Npz.write(npz, tensors, false));
            report("npz (stored) read", megabytes, () -> Npz.read(npz));
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }

        PatchLayout layout = PatchLayout.rgb(256, 16);
        INDArray images = Nd4j.rand(DataType.FLOAT, 32, 256, 256, 3).muli(255).castTo(DataType.UBYTE);
        int imageMb = (int) (images.length() >> 20);
        INDArray[] patches = new INDArray[1];
        report("patchify uint8 32x256x256x3, p=16", imageMb, () -> patches[0] = layout.patchify(images));
        report("unpatchify uint8 32x256x256x3, p=16", imageMb, () -> layout.unpatchify(patches[0]));

        report("Fashion-MNIST train: read", 47, () -> FashionMnist.read(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN));
        FashionMnist train = FashionMnist.read(FashionMnist.DEFAULT_DIR, FashionMnist.Split.TRAIN);
        report("Fashion-MNIST train: to 32x32 RGB patches (p=4)", 184, () -> train.patches(4));
    }

    /** Mixed tensor sizes like a model's: many small vectors and a few large matrices. */
    private static Map<String, INDArray> checkpointLike(int megabytes) {
        Map<String, INDArray> t = new LinkedHashMap<>();
        long floats = (long) megabytes << 18;
        int k = 0;
        while (floats > 0) {
            long rows = Math.min(1024, Math.max(1, floats / 1024));
            t.put("blocks." + k + ".mlp.weight", Nd4j.rand(DataType.FLOAT, rows, 1024));
            t.put("blocks." + k + ".norm.weight", Nd4j.rand(DataType.FLOAT, 1024));
            floats -= rows * 1024 + 1024;
            k++;
        }
        return t;
    }

    /** Same-shaped views into one flat vector, as a model's parameter set holds them. */
    private static Map<String, INDArray> flatViews(Map<String, INDArray> tensors) {
        long total = 0;
        for (INDArray t : tensors.values()) {
            total += t.length();
        }
        INDArray flat = Nd4j.create(DataType.FLOAT, total);
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, INDArray> t : tensors.entrySet()) {
            long n = t.getValue().length();
            views.put(t.getKey(), flat.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', t.getValue().shape()));
            offset += n;
        }
        return views;
    }

    private interface Step {
        void run() throws IOException;
    }

    private static void report(String what, int megabytes, Step step) throws IOException {
        step.run();
        double[] seconds = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long t0 = System.nanoTime();
            step.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        double median = seconds[REPEATS / 2];
        System.out.printf("%-50s %8.1f ms  %8.0f MB/s%n", what, median * 1e3, megabytes / median);
    }
}
