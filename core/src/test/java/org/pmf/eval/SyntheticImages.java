package org.pmf.eval;

import java.util.Random;

/**
 * Fashion-MNIST-shaped images whose class is easy to learn: class c draws a bright horizontal bar at
 * rows 2c + 4 .. 2c + 6 over uniform noise. Lets the classifier and evaluator tests run without the dataset.
 */
final class SyntheticImages {

    private SyntheticImages() {
    }

    static FashionMnist.Images of(int count, long seed) {
        Random random = new Random(seed);
        int side = FashionMnist.SOURCE_SIDE;
        byte[] pixels = new byte[count * side * side];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % FashionMnist.CLASSES;
            for (int p = 0; p < side * side; p++) {
                int y = p / side;
                boolean bar = y >= 2 * labels[i] + 4 && y < 2 * labels[i] + 7;
                pixels[i * side * side + p] = (byte) (bar ? 200 + random.nextInt(56) : random.nextInt(80));
            }
        }
        return new FashionMnist.Images(pixels, labels);
    }
}
