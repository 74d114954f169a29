package org.pmf.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each building block's forward against a reference written out with plain loops on small arrays. */
class ComponentForwardTest {

    @Test
    void rmsNormDividesByTheRootMeanSquareAndScales() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        RmsNorm norm = new RmsNorm(b, "n", 4, 1e-6);
        b.build(0);
        norm.weight().value().assign(Nd4j.createFromArray(1.0, 2.0, 0.5, -1.0));
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2, 3, 4}, {-0.5, 0.25, 0, 2}});
        INDArray y = norm.forward(x, new Buffers()).output;
        double[] w = {1, 2, 0.5, -1};
        for (int r = 0; r < 2; r++) {
            double ms = 0;
            for (int c = 0; c < 4; c++) {
                ms += x.getDouble(r, c) * x.getDouble(r, c) / 4;
            }
            for (int c = 0; c < 4; c++) {
                assertEquals(x.getDouble(r, c) / Math.sqrt(ms + 1e-6) * w[c], y.getDouble(r, c), 1e-14);
            }
        }
    }

    @Test
    void ropeRotatesEachPairByRowThenColumnAnglesAndLeavesThePrefixAlone() {
        // 1 prefix token, 2x2 grid, 1 head of 8 channels: pairs 0,1 follow the row with frequencies
        // 1 and 10000^(-1/2) = 0.01, pairs 2,3 follow the column with the same frequencies.
        Rope2d rope = new Rope2d(1, 2, 1, 8, 10000, DataType.DOUBLE);
        Random rng = new Random(1);
        INDArray x = TestArrays.normal(rng, 1, 1, 5 * 8);
        INDArray y = rope.rotate(x, new Buffers());
        double[] freq = {1, 0.01};
        for (int tok = 0; tok < 5; tok++) {
            for (int m = 0; m < 4; m++) {
                double angle = 0;
                if (tok > 0) {
                    int row = (tok - 1) / 2;
                    int col = (tok - 1) % 2;
                    angle = (m < 2 ? row : col) * freq[m % 2];
                }
                double e = x.getDouble(0, tok * 8 + 2 * m);
                double o = x.getDouble(0, tok * 8 + 2 * m + 1);
                assertEquals(e * Math.cos(angle) - o * Math.sin(angle), y.getDouble(0, tok * 8 + 2 * m), 1e-14);
                assertEquals(e * Math.sin(angle) + o * Math.cos(angle), y.getDouble(0, tok * 8 + 2 * m + 1), 1e-14);
            }
        }
        assertTrue(TestArrays.relativeError(x, rope.rotateBack(y, new Buffers())) < 1e-15, "rotateBack inverts rotate");
    }

    @Test
    void swiGluIsW2OfSiluW1TimesW3() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        SwiGlu mlp = new SwiGlu(b, "m", 3, 5, Initializer.normal(0, 0.7), Initializer.normal(0, 0.7));
        b.build(3);
        INDArray x = TestArrays.normal(new Random(2), 1, 2, 3);
        INDArray y = mlp.forward(x, new Buffers()).output;
        INDArray w1 = mlp.w1().weight().value();
        INDArray w3 = mlp.w3().weight().value();
        INDArray w2 = mlp.w2().weight().value();
        for (int r = 0; r < 2; r++) {
            double[] hidden = new double[5];
            for (int j = 0; j < 5; j++) {
                double a = 0;
                double u = 0;
                for (int i = 0; i < 3; i++) {
                    a += x.getDouble(r, i) * w1.getDouble(i, j);
                    u += x.getDouble(r, i) * w3.getDouble(i, j);
                }
                hidden[j] = a / (1 + Math.exp(-a)) * u;
            }
            for (int o = 0; o < 3; o++) {
                double s = 0;
                for (int j = 0; j < 5; j++) {
                    s += hidden[j] * w2.getDouble(j, o);
                }
                assertEquals(s, y.getDouble(r, o), 1e-13);
            }
        }
    }

    @Test
    void attentionMatchesALoopReferenceWithQkNormRopeAndSoftmax() {
        int dim = 8;
        int heads = 2;
        int hd = 4;
        int prefix = 1;
        int tokens = 5;
        int batch = 2;
        Rope2d rope = new Rope2d(prefix, 2, heads, hd, 10000, DataType.DOUBLE);
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        Attention attn = new Attention(b, "a", dim, heads, tokens, rope, Initializer.normal(0, 0.5), 1e-6);
        ParamSet ps = b.build(4);
        TestArrays.randomize(ps, 5);
        INDArray x = TestArrays.normal(new Random(6), 1, batch * tokens, dim);
        INDArray y = attn.forward(x, new Buffers()).output;

        double[][] wq = ps.get("a.q_proj.weight").value().toDoubleMatrix();
        double[][] wk = ps.get("a.k_proj.weight").value().toDoubleMatrix();
        double[][] wv = ps.get("a.v_proj.weight").value().toDoubleMatrix();
        double[][] wo = ps.get("a.out_proj.weight").value().toDoubleMatrix();
        double[] gq = ps.get("a.q_norm.weight").value().toDoubleVector();
        double[] gk = ps.get("a.k_norm.weight").value().toDoubleVector();
        for (int n = 0; n < batch; n++) {
            double[][] xs = new double[tokens][];
            for (int t = 0; t < tokens; t++) {
                xs[t] = x.getRow(n * tokens + t).toDoubleVector();
            }
            double[][] merged = new double[tokens][dim];
            for (int h = 0; h < heads; h++) {
                double[][] q = new double[tokens][];
                double[][] k = new double[tokens][];
                double[][] v = new double[tokens][];
                for (int t = 0; t < tokens; t++) {
                    q[t] = ropeRef(normRef(headOf(matvec(xs[t], wq), h, hd), gq), t, prefix);
                    k[t] = ropeRef(normRef(headOf(matvec(xs[t], wk), h, hd), gk), t, prefix);
                    v[t] = headOf(matvec(xs[t], wv), h, hd);
                }
                for (int t = 0; t < tokens; t++) {
                    double[] logits = new double[tokens];
                    double max = -Double.MAX_VALUE;
                    for (int s = 0; s < tokens; s++) {
                        for (int c = 0; c < hd; c++) {
                            logits[s] += q[t][c] * k[s][c] / Math.sqrt(hd);
                        }
                        max = Math.max(max, logits[s]);
                    }
                    double z = 0;
                    for (int s = 0; s < tokens; s++) {
                        logits[s] = Math.exp(logits[s] - max);
                        z += logits[s];
                    }
                    for (int s = 0; s < tokens; s++) {
                        for (int c = 0; c < hd; c++) {
                            merged[t][h * hd + c] += logits[s] / z * v[s][c];
                        }
                    }
                }
            }
            for (int t = 0; t < tokens; t++) {
                double[] out = matvec(merged[t], wo);
                for (int c = 0; c < dim; c++) {
                    assertEquals(out[c], y.getDouble(n * tokens + t, c), 1e-13);
                }
            }
        }
    }

    private static double[] matvec(double[] x, double[][] w) {
        double[] y = new double[w[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                y[j] += x[i] * w[i][j];
            }
        }
        return y;
    }

    private static double[] headOf(double[] x, int h, int hd) {
        return java.util.Arrays.copyOfRange(x, h * hd, (h + 1) * hd);
    }

    private static double[] normRef(double[] x, double[] g) {
        double ms = 0;
        for (double v : x) {
            ms += v * v / x.length;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / Math.sqrt(ms + 1e-6) * g[i];
        }
        return y;
    }

    /** head dim 4 on a 2x2 grid: pair 0 turns by the row index, pair 1 by the column index. */
    private static double[] ropeRef(double[] x, int token, int prefix) {
        if (token < prefix) {
            return x;
        }
        int patch = token - prefix;
        double[] angle = {patch / 2, patch % 2};
        double[] y = new double[4];
        for (int m = 0; m < 2; m++) {
            y[2 * m] = x[2 * m] * Math.cos(angle[m]) - x[2 * m + 1] * Math.sin(angle[m]);
            y[2 * m + 1] = x[2 * m] * Math.sin(angle[m]) + x[2 * m + 1] * Math.cos(angle[m]);
        }
        return y;
    }
}
