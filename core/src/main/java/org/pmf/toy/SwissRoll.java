package org.pmf.toy;

import java.util.random.RandomGenerator;

/**
 * The 2-D Swiss roll of the toy: angle theta = 1.5 pi (1 + 2 u), u ~ U(0,1), point
 * (theta cos theta, theta sin theta) / 7 (about unit standard deviation per coordinate) plus
 * isotropic Gaussian noise of standard deviation {@link #NOISE}.
 */
public final class SwissRoll {

    public static final double SCALE = 1.0 / 7.0;
    public static final double NOISE = 0.03;

    private SwissRoll() {
    }

    /** n points as a row-major [n, 2] array. */
    public static double[] sample(int n, RandomGenerator rng) {
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double theta = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
            xy[2 * i] = theta * Math.cos(theta) * SCALE + NOISE * rng.nextGaussian();
            xy[2 * i + 1] = theta * Math.sin(theta) * SCALE + NOISE * rng.nextGaussian();
        }
        return xy;
    }
}
