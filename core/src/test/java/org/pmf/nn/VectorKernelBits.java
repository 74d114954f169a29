package org.pmf.nn;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Runs every vector kernel on fixed inputs and folds the output bits into one number; run as a main
 * class it prints that number. {@link VectorKernelsTest} compares an interpreted JVM's number with
 * a warmed-up one's: the kernels' results must not depend on how far the JIT has got.
 */
public final class VectorKernelBits {

    private VectorKernelBits() {
    }

    public static void main(String[] args) {
        System.out.println(hash());
    }

    static long hash() {
        int rows = 24;
        int cols = 20;
        int n = rows * cols;
        SplittableRandom rng = new SplittableRandom(11);
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble(-1, 1) * 40);
            b[i] = (float) rng.nextDouble(-1, 1);
        }
        float[] w = new float[cols];
        float[] cos = new float[n];
        float[] sin = new float[n];
        for (int i = 0; i < cols; i++) {
            w[i] = 0.5f + i / 10f;
        }
        for (int i = 0; i < n; i++) {
            cos[i] = (float) Math.cos(i * 0.1);
            sin[i] = (float) Math.sin(i * 0.1);
        }
        float[][] out = new float[9][n];
        float[] rstd = new float[rows];
        float[] grad = new float[cols];
        VectorKernels.swiGluGate(wrap(a), wrap(b), wrap(out[0]), wrap(out[1]), wrap(out[2]), n);
        VectorKernels.softmaxRows(wrap(a), wrap(out[3]), rows, cols);
        VectorKernels.softmaxPullback(wrap(out[3]), wrap(b), wrap(out[4]), rows, cols, 0.125f);
        VectorKernels.rotatePairs(wrap(a), cos, sin, 1f, wrap(out[5]), 1, n);
        VectorKernels.rmsNormForward(wrap(a), wrap(w), wrap(out[6]), wrap(out[7]), wrap(rstd), rows, cols, 1e-6);
        VectorKernels.rmsNormBackward(wrap(out[6]), wrap(b), wrap(rstd), wrap(w), wrap(out[8]), wrap(grad), rows, cols);
        long h = 17;
        for (float[] o : out) {
            for (float v : o) {
                h = 31 * h + Float.floatToRawIntBits(v);
            }
        }
        for (float v : grad) {
            h = 31 * h + Float.floatToRawIntBits(v);
        }
        return h;
    }

    private static FloatBuffer wrap(float[] values) {
        return FloatBuffer.wrap(values);
    }
}
