package org.pmf.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.nn.Buffers;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.nn.Rope2d;
import org.pmf.nn.TestArrays;

/**
 * A second, independent gradient oracle: the same transformer block written as a SameDiff graph
 * (float64, reverse mode by SameDiff's own differentiation) gives the same output and the same
 * gradients for every parameter and for the input as our hand-written backward.
 */
class SameDiffBlockOracleTest {

    @Test
    void blockOutputAndAllGradientsMatchSameDiff() {
        PmfNetConfig c = NetworkDerivativeTest.SMALL;
        int b = 2;
        int t = c.tokens();
        int d = c.hidden();
        int h = c.heads();
        int hd = c.headDim();
        Rope2d rope = new Rope2d(PmfNet.PREFIX_TOKENS, c.grid(), h, hd, PmfNet.ROPE_THETA, DataType.DOUBLE);
        ParamSet.Builder pb = new ParamSet.Builder(DataType.DOUBLE);
        TransformerBlock block = new TransformerBlock(pb, "blk", c, rope);
        ParamSet ps = pb.build(0);
        TestArrays.randomize(ps, 21);
        Random rng = new Random(22);
        INDArray x = TestArrays.normal(rng, 1, (long) b * t, d);
        INDArray r = TestArrays.normal(rng, 1, (long) b * t, d);

        TransformerBlock.Trace tr = block.forward(x, new Buffers());
        ps.zeroGrads();
        INDArray dx = block.backward(tr, r, new Buffers());

        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> w = new HashMap<>();
        for (Param p : ps.params()) {
            w.put(p.name(), sd.var(p.name().replace('.', '_'), p.value().dup()));
        }
        SDVariable in = sd.var("x", x.dup());
        // RoPE tables as constants: rotate(v) = v * cos + swap(v) * signedSin on rows of T*D values.
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 1, (long) t * d);
        SDVariable cos = sd.constant("cos", rope.rotate(ones, new Buffers()).add(rope.rotateBack(ones, new Buffers())).divi(2));
        SDVariable sin = sd.constant("sin", rope.rotate(ones, new Buffers()).sub(rope.rotateBack(ones, new Buffers())).divi(2));
        // sin holds signedSin * swap(1) = signedSin; swapping pairs is a product with [[0,1],[1,0]].
        SDVariable swap = sd.constant("swap", Nd4j.createFromArray(new double[][] {{0, 1}, {1, 0}}));

        SDVariable h1 = rms(sd, in, w.get("blk.norm1.weight"));
        SDVariable q = ropeAndHeads(sd, qkNorm(sd, h1.mmul(w.get("blk.attn.q_proj.weight")), w.get("blk.attn.q_norm.weight"), b, t, h, hd),
            cos, sin, swap, b, t, h, hd);
        SDVariable k = ropeAndHeads(sd, qkNorm(sd, h1.mmul(w.get("blk.attn.k_proj.weight")), w.get("blk.attn.k_norm.weight"), b, t, h, hd),
            cos, sin, swap, b, t, h, hd);
        SDVariable v = h1.mmul(w.get("blk.attn.v_proj.weight")).reshape(b, t, h, hd).permute(0, 2, 1, 3);
        SDVariable logits = sd.mmul(q, k, false, true, false).mul(sd.constant(Nd4j.scalar(1.0 / Math.sqrt(hd))));
        SDVariable probs = sd.nn().softmax(logits, 3);
        SDVariable merged = sd.mmul(probs, v).permute(0, 2, 1, 3).reshape((long) b * t, d);
        SDVariable x1 = in.add(merged.mmul(w.get("blk.attn.out_proj.weight")).mul(w.get("blk.attn_scale")));
        SDVariable h2 = rms(sd, x1, w.get("blk.norm2.weight"));
        SDVariable gate = h2.mmul(w.get("blk.mlp.w1.weight"));
        SDVariable hidden = gate.mul(sd.nn().sigmoid(gate)).mul(h2.mmul(w.get("blk.mlp.w3.weight")));
        SDVariable x2 = x1.add(hidden.mmul(w.get("blk.mlp.w2.weight")).mul(w.get("blk.mlp_scale")));
        SDVariable loss = x2.mul(sd.constant("r", r)).sum();
        sd.setLossVariables(loss);

        INDArray out = x2.eval();
        double outErr = TestArrays.relativeError(out, tr.output);
        assertTrue(outErr < 1e-12, "block output vs SameDiff: " + outErr);

        List<String> names = new ArrayList<>();
        names.add("x");
        ps.params().forEach(p -> names.add(p.name().replace('.', '_')));
        Map<String, INDArray> grads = sd.calculateGradients(null, names);
        double inErr = TestArrays.relativeError(grads.get("x"), dx);
        assertTrue(inErr < 1e-10, "dL/dx vs SameDiff: " + inErr);
        for (Param p : ps.params()) {
            double err = TestArrays.relativeError(grads.get(p.name().replace('.', '_')), p.grad());
            assertTrue(err < 1e-10, p.name() + " gradient vs SameDiff: relative error " + err);
        }
    }

    private static SDVariable rms(SameDiff sd, SDVariable x, SDVariable weight) {
        SDVariable meanSquare = sd.math().square(x).mean(true, 1);
        return x.mul(sd.math().rsqrt(meanSquare.add(sd.constant(Nd4j.scalar(PmfNet.NORM_EPS))))).mul(weight);
    }

    /** [B*T, D] to per-head RMS-normalised [B*T*H, hd]. */
    private static SDVariable qkNorm(SameDiff sd, SDVariable x, SDVariable weight, int b, int t, int h, int hd) {
        return rms(sd, x.reshape((long) b * t * h, hd), weight);
    }

    /** Rotates [B*T*H, hd] rows (token, head, channel order) and lays them out [B, H, T, hd]. */
    private static SDVariable ropeAndHeads(SameDiff sd, SDVariable x, SDVariable cos, SDVariable sin, SDVariable swap,
                                           int b, int t, int h, int hd) {
        SDVariable rows = x.reshape(b, (long) t * h * hd);
        SDVariable swapped = x.reshape((long) b * t * h * hd / 2, 2).mmul(swap).reshape(b, (long) t * h * hd);
        SDVariable rotated = rows.mul(cos).add(swapped.mul(sin));
        return rotated.reshape(b, t, h, hd).permute(0, 2, 1, 3);
    }
}
