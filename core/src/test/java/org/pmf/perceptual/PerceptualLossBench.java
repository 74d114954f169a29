package org.pmf.perceptual;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.data.PatchLayout;

/**
 * Training-step cost of the perceptual terms (forward of prediction and target, backward to the
 * prediction, crop/resize both ways), full-size LPIPS-VGG16 and ConvNeXt-V2-Base with random weights.
 * Run with bench/perceptual.sh, which makes the weight files first. Prints one line per case.
 *
 * <p>Arguments: weights folder, then cases "batch:imageSide:patch:resolution" (e.g. 1:256:16:224).
 */
public final class PerceptualLossBench {

    private static final int REPEATS = 2;

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        long t0 = System.nanoTime();
        PerceptualDistance lpips = LpipsVgg.load(NamedWeights.fromFile(dir.resolve("lpips_vgg16.npz")), 1, DataType.FLOAT);
        PerceptualDistance cnx = ConvNextV2Features.load(NamedWeights.fromFile(dir.resolve("convnextv2_base.npz")),
            ConvNextV2Features.Shape.BASE, DataType.FLOAT);
        System.out.printf("BENCH load both networks (read npz, build graphs): %.1f s%n", (System.nanoTime() - t0) / 1e9);
        for (int i = 1; i < args.length; i++) {
            int[] c = Arrays.stream(args[i].split(":")).mapToInt(Integer::parseInt).toArray();
            run(List.of(new WeightedDistanceLoss.Term(lpips, 0.4)), "lpips", c);
            run(List.of(new WeightedDistanceLoss.Term(cnx, 0.1)), "convnext", c);
            run(List.of(new WeightedDistanceLoss.Term(lpips, 0.4), new WeightedDistanceLoss.Term(cnx, 0.1)), "lpips+convnext", c);
        }
    }

    private static void run(List<WeightedDistanceLoss.Term> terms, String name, int[] c) {
        int batch = c[0];
        int side = c[1];
        int patch = c[2];
        int resolution = c[3];
        PatchLayout layout = PatchLayout.rgb(side, patch);
        WeightedDistanceLoss loss = new WeightedDistanceLoss(terms, layout, 0.8, resolution,
            new RandomResizedCrop(0.08, 1.0, 3.0 / 4, 4.0 / 3), 0.01, DataType.FLOAT);
        INDArray pred = layout.patchify(Nd4j.rand(DataType.FLOAT, batch, side, side, 3).muli(2).subi(1));
        INDArray target = layout.patchify(Nd4j.rand(DataType.FLOAT, batch, side, side, 3).muli(2).subi(1));
        double[] t = new double[batch];
        Arrays.fill(t, 0.5);
        long first = System.nanoTime();
        loss.evaluate(pred, target, t, new SplittableRandom(1));
        double firstS = (System.nanoTime() - first) / 1e9;
        List<Double> step = new ArrayList<>();
        List<Double> fwd = new ArrayList<>();
        for (int r = 0; r < REPEATS; r++) {
            long s = System.nanoTime();
            loss.evaluate(pred, target, t, new SplittableRandom(r));
            step.add((System.nanoTime() - s) / 1e9);
            s = System.nanoTime();
            loss.forward(pred, target, t, new SplittableRandom(r));
            fwd.add((System.nanoTime() - s) / 1e9);
        }
        System.out.printf("BENCH %-15s batch %d, %dx%d images (patch %d), crops resized to %d: "
                + "first step %.2f s, step (forward + backward) median %.2f s, forward only median %.2f s%n",
            name, batch, side, side, patch, resolution, firstS, median(step), median(fwd));
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }
}
