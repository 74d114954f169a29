package org.pmf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.parallel.Workers;
import org.pmf.nn.Buffers;
import org.pmf.nn.DerivativeCheck;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.nn.Rope2d;
import org.pmf.nn.TestArrays;

/**
 * The network's tangent and backward passes, and those of its model-level parts, equal central
 * finite differences in float64.
 */
class NetworkDerivativeTest {

    /** A small network: 16x16 images, patch 4 (16 patches), width 32, 2 heads, 1+1+1 blocks. */
    static final PmfNetConfig SMALL = new PmfNetConfig(16, 4, 32, 2, 1, 1, 24, 40, 5);

    private final Random rng = new Random(7);
    private static Workers oneThread;

    /**
     * These checks run hundreds of forwards on tiny arrays, where a second OpenMP thread only adds
     * barrier waits (badly so on a loaded host); one thread keeps the class fast. Restored after.
     */
    @BeforeAll
    static void oneNativeThread() {
        oneThread = Workers.withSingleThreadedOps(1);
    }

    @AfterAll
    static void restoreNativeThreads() {
        oneThread.close();
    }

    static PmfInputs inputs(INDArray z, double[] h) {
        return new PmfInputs(z, new int[] {3, 5}, new double[] {1.0, 3.5}, new double[] {0.1, 0.3},
            new double[] {0.9, 0.6}, h);
    }

    @Test
    void freshNetworkPredictsZeroWithBothHeads() {
        PmfNet net = PmfNet.create(SMALL, DataType.DOUBLE, true, 3);
        INDArray z = TestArrays.normal(rng, 1, 2, 16, 48);
        PmfNet.Pass pass = net.forward(inputs(z, new double[] {0.3, 0.0}), Heads.BOTH);
        assertEquals(0.0, pass.xHatU().amaxNumber().doubleValue());
        assertEquals(0.0, pass.xHatV().amaxNumber().doubleValue());
        // ...but the weights that feed the heads are not all zero.
        assertTrue(net.params().values().amaxNumber().doubleValue() > 0.1);
    }

    @Test
    void uHeadTangentAlongZAndHMatchesFiniteDifferences() {
        PmfNet net = PmfNet.create(SMALL, DataType.DOUBLE, true, 3);
        TestArrays.randomize(net.params(), 4);
        INDArray z = TestArrays.normal(rng, 1, 2, 16, 48);
        double[] h = {0.4, 0.05};
        PmfNet.Pass pass = net.forward(inputs(z, h), Heads.BOTH);
        INDArray zDot = TestArrays.normal(rng, 1, 2, 16, 48);
        double[][] hDots = {{1, 1}, {0, 0}};
        INDArray[] zDots = {zDot, zDot.mul(0)};
        String[] what = {"along (zDot, dh = 1)", "along dh = 1 only"};
        double e = DerivativeCheck.EPS;
        for (int c = 0; c < 2; c++) {
            double[] hd = c == 0 ? hDots[0] : new double[] {1, 1};
            INDArray zd = zDots[c];
            INDArray tangent = net.tangentU(pass, zd, hd);
            INDArray plus = net.forward(inputs(z.add(zd.mul(e)), shift(h, hd, e)), Heads.U).xHatU();
            INDArray minus = net.forward(inputs(z.sub(zd.mul(e)), shift(h, hd, -e)), Heads.U).xHatU();
            INDArray fd = plus.sub(minus).divi(2 * e);
            double err = TestArrays.relativeError(fd, tangent);
            assertTrue(err <= DerivativeCheck.TOLERANCE, "u-head tangent " + what[c] + ": relative error " + err);
            assertTrue(fd.amaxNumber().doubleValue() > 1e-3, "the tangent " + what[c] + " is not trivially zero");
        }
    }

    @Test
    void gradientsOfEveryParameterAndOfZMatchFiniteDifferences() {
        PmfNet net = PmfNet.create(SMALL, DataType.DOUBLE, true, 3);
        ParamSet ps = net.params();
        TestArrays.randomize(ps, 5);
        INDArray z = TestArrays.normal(rng, 1, 2, 16, 48);
        PmfInputs in = inputs(z, new double[] {0.4, 0.0});
        INDArray ru = TestArrays.normal(rng, 1, 2, 16, 48);
        INDArray rv = TestArrays.normal(rng, 1, 2, 16, 48);
        java.util.function.DoubleSupplier loss = () -> {
            PmfNet.Pass p = net.forward(in, Heads.BOTH);
            return p.xHatU().mul(ru).sumNumber().doubleValue() + p.xHatV().mul(rv).sumNumber().doubleValue();
        };
        ps.zeroGrads();
        INDArray dz = net.backward(net.forward(in, Heads.BOTH), ru, rv);
        double scale = ps.grads().amaxNumber().doubleValue();
        int checked = 0;
        for (Param p : ps.params()) {
            INDArray value = p.value().reshape(p.length());
            INDArray grad = p.grad().reshape(p.length());
            long i = DerivativeCheck.coordinate(grad, rng);
            double g = grad.getDouble(i);
            double fd = DerivativeCheck.coordinateDerivative(loss, value, i);
            double err = Math.abs(fd - g) / Math.max(Math.max(Math.abs(fd), Math.abs(g)), 1e-6 * scale);
            assertTrue(err <= DerivativeCheck.TOLERANCE, p.name() + "[" + i + "]: backward " + g + ", central differences "
                + fd + " (relative error " + err + ")");
            checked++;
        }
        assertTrue(checked >= 50, "checked " + checked + " coordinates");
        INDArray zFlat = z.reshape(z.length());
        for (int k = 0; k < 5; k++) {
            long i = (long) (rng.nextDouble() * z.length());
            double fd = DerivativeCheck.coordinateDerivative(loss, zFlat, i);
            double g = dz.reshape(dz.length()).getDouble(i);
            assertTrue(Math.abs(fd - g) <= DerivativeCheck.TOLERANCE * Math.max(Math.abs(fd), 1e-3),
                "dL/dz[" + i + "]: " + g + " vs " + fd);
        }
    }

    @Test
    void backwardOfOneHeadLeavesTheOtherHeadsParametersUntouched() {
        PmfNet net = PmfNet.create(SMALL, DataType.DOUBLE, true, 3);
        TestArrays.randomize(net.params(), 6);
        INDArray z = TestArrays.normal(rng, 1, 2, 16, 48);
        PmfNet.Pass pass = net.forward(inputs(z, new double[] {0.2, 0.1}), Heads.BOTH);
        net.params().zeroGrads();
        net.backward(pass, TestArrays.normal(rng, 1, 2, 16, 48), null);
        for (Param p : net.params().params()) {
            double g = p.grad().amaxNumber().doubleValue();
            if (p.name().startsWith("v_")) {
                assertEquals(0.0, g, p.name());
            } else {
                assertTrue(g > 0, p.name() + " receives a gradient from the u-head loss");
            }
        }
    }

    @Test
    void recycledPassGivesTheSameOutputsTangentAndGradientsAsAFreshOne() {
        PmfNet net = PmfNet.create(SMALL, DataType.DOUBLE, true, 3);
        TestArrays.randomize(net.params(), 10);
        INDArray z = TestArrays.normal(rng, 1, 2, 16, 48);
        INDArray other = TestArrays.normal(rng, 1, 2, 16, 48);
        INDArray zDot = TestArrays.normal(rng, 1, 2, 16, 48);
        INDArray r = TestArrays.normal(rng, 1, 2, 16, 48);
        PmfInputs in = inputs(z, new double[] {0.3, 0.7});

        PmfNet.Pass fresh = net.forward(in, Heads.BOTH);
        INDArray xu = fresh.xHatU().dup();
        INDArray xv = fresh.xHatV().dup();
        INDArray tan = net.tangentU(fresh, zDot, PmfNet.ones(2)).dup();
        net.params().zeroGrads();
        INDArray dz = net.backward(fresh, r, r).dup();
        INDArray grads = net.params().grads().dup();

        PmfNet.Pass between = net.forward(inputs(other, new double[] {0.1, 0.2}), Heads.BOTH, fresh);
        net.tangentU(between, other, PmfNet.ones(2));
        net.backward(between, other, other);
        PmfNet.Pass again = net.forward(in, Heads.BOTH, between);
        assertEquals(xu, again.xHatU());
        assertEquals(xv, again.xHatV());
        assertEquals(tan, net.tangentU(again, zDot, PmfNet.ones(2)));
        net.params().zeroGrads();
        assertEquals(dz, net.backward(again, r, r));
        assertEquals(grads, net.params().grads());
    }

    @Test
    void scalarEmbedderTangentAndGradientsMatchFiniteDifferences() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        ScalarEmbedder emb = new ScalarEmbedder(b, "h_embedder", 8);
        ParamSet ps = b.build(0);
        TestArrays.randomize(ps, 8);
        // x carries the scalars as a [B, 1] column, so the generic check can perturb them.
        DerivativeCheck.check("ScalarEmbedder", new DerivativeCheck.Module<ScalarEmbedder.Trace>() {
            public ScalarEmbedder.Trace forward(INDArray x) { return emb.forward(x.toDoubleVector(), DataType.DOUBLE); }
            public INDArray output(ScalarEmbedder.Trace t) { return t.output; }
            public INDArray tangent(ScalarEmbedder.Trace t, INDArray v) { return emb.tangent(t, v.toDoubleVector()); }
            public INDArray backward(ScalarEmbedder.Trace t, INDArray dy) {
                emb.backward(t, dy);
                // dL/ds by the tangent's adjoint: sum over outputs of dy * d(out)/ds.
                INDArray ones = org.nd4j.linalg.factory.Nd4j.ones(DataType.DOUBLE, t.output.size(0), 1);
                INDArray perScalar = org.nd4j.linalg.factory.Nd4j.create(DataType.DOUBLE, t.output.size(0), 1);
                for (int i = 0; i < t.output.size(0); i++) {
                    double[] unit = new double[(int) t.output.size(0)];
                    unit[i] = 1;
                    perScalar.putScalar(i, 0, emb.tangent(t, unit).getRow(i).mul(dy.getRow(i)).sumNumber().doubleValue());
                }
                return perScalar.muli(ones);
            }
        }, ps, TestArrays.normal(rng, 0.5, 3, 1), rng, 4);
    }

    @Test
    void transformerBlockTangentAndGradientsMatchFiniteDifferences() {
        PmfNetConfig c = SMALL;
        Rope2d rope = new Rope2d(PmfNet.PREFIX_TOKENS, c.grid(), c.heads(), c.headDim(), PmfNet.ROPE_THETA, DataType.DOUBLE);
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        TransformerBlock block = new TransformerBlock(b, "blk", c, rope);
        ParamSet ps = b.build(0);
        TestArrays.randomize(ps, 9);
        DerivativeCheck.check("TransformerBlock", new DerivativeCheck.Module<TransformerBlock.Trace>() {
            public TransformerBlock.Trace forward(INDArray x) { return block.forward(x, new Buffers()); }
            public INDArray output(TransformerBlock.Trace t) { return t.output; }
            public INDArray tangent(TransformerBlock.Trace t, INDArray v) { return block.tangent(t, v, new Buffers()); }
            public INDArray backward(TransformerBlock.Trace t, INDArray dy) { return block.backward(t, dy, new Buffers()); }
        }, ps, TestArrays.normal(rng, 1, 2L * c.tokens(), c.hidden()), rng, 3);
    }

    private static double[] shift(double[] h, double[] hDot, double e) {
        double[] out = h.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += e * hDot[i];
        }
        return out;
    }
}
