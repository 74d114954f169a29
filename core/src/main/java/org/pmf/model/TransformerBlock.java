package org.pmf.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.nn.Attention;
import org.pmf.nn.Buffers;
import org.pmf.nn.Elementwise;
import org.pmf.nn.Initializer;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.nn.RmsNorm;
import org.pmf.nn.Rope2d;
import org.pmf.nn.SwiGlu;

/**
 * Pre-norm block with per-channel residual gates and no adaLN:
 * x1 = x + g_a * Attention(RMSNorm(x)); x2 = x1 + g_m * SwiGLU(RMSNorm(x1)). Gates start at zero,
 * so a fresh block is the identity. Rows are [B*T, D].
 */
final class TransformerBlock {

    /** Primal values one call keeps for its tangent and backward. */
    static final class Trace {
        final INDArray output;
        final RmsNorm.Trace norm1;
        final Attention.Trace attn;
        final INDArray afterAttn;
        final RmsNorm.Trace norm2;
        final SwiGlu.Trace mlp;

        Trace(INDArray output, RmsNorm.Trace norm1, Attention.Trace attn, INDArray afterAttn, RmsNorm.Trace norm2,
              SwiGlu.Trace mlp) {
            this.output = output;
            this.norm1 = norm1;
            this.attn = attn;
            this.afterAttn = afterAttn;
            this.norm2 = norm2;
            this.mlp = mlp;
        }
    }

    private final Param attnScale;
    private final Param mlpScale;
    private final RmsNorm norm1;
    private final Attention attn;
    private final RmsNorm norm2;
    private final SwiGlu mlp;

    TransformerBlock(ParamSet.Builder params, String name, PmfNetConfig c, Rope2d rope) {
        // Block linears: N(0, sigma^2) with sigma = 0.32 / sqrt(fan_in) (official "scaled_variance", constant 0.32).
        Initializer dimIn = Initializer.normal(0, PmfNet.BLOCK_INIT / Math.sqrt(c.hidden()));
        Initializer mlpIn = Initializer.normal(0, PmfNet.BLOCK_INIT / Math.sqrt(c.swigluHidden()));
        this.attnScale = params.add(name + ".attn_scale", new long[] {c.hidden()}, Param.Role.OTHER, Initializer.zeros());
        this.mlpScale = params.add(name + ".mlp_scale", new long[] {c.hidden()}, Param.Role.OTHER, Initializer.zeros());
        this.norm1 = new RmsNorm(params, name + ".norm1", c.hidden(), PmfNet.NORM_EPS);
        this.attn = new Attention(params, name + ".attn", c.hidden(), c.heads(), c.tokens(), rope, dimIn, PmfNet.NORM_EPS);
        this.norm2 = new RmsNorm(params, name + ".norm2", c.hidden(), PmfNet.NORM_EPS);
        this.mlp = new SwiGlu(params, name + ".mlp", c.hidden(), c.swigluHidden(), dimIn, mlpIn);
    }

    Trace forward(INDArray x, Buffers buf) {
        RmsNorm.Trace n1 = norm1.forward(x, buf);
        Attention.Trace a = attn.forward(n1.output, buf);
        INDArray x1 = Elementwise.mulRow(a.output, attnScale.value(), buf.like(x)).addi(x);
        RmsNorm.Trace n2 = norm2.forward(x1, buf);
        SwiGlu.Trace m = mlp.forward(n2.output, buf);
        INDArray x2 = Elementwise.mulRow(m.output, mlpScale.value(), buf.like(x)).addi(x1);
        return new Trace(x2, n1, a, x1, n2, m);
    }

    /** The tangent; xDot is left unchanged. */
    INDArray tangent(Trace tr, INDArray xDot, Buffers buf) {
        INDArray x1Dot = attn.tangent(tr.attn, norm1.tangent(tr.norm1, xDot, buf), buf).muliRowVector(attnScale.value()).addi(xDot);
        return mlp.tangent(tr.mlp, norm2.tangent(tr.norm2, x1Dot, buf), buf).muliRowVector(mlpScale.value()).addi(x1Dot);
    }

    /** Adds the block's parameter gradients and returns dL/dx; dx2 is left unchanged. */
    INDArray backward(Trace tr, INDArray dx2, Buffers buf) {
        INDArray scratch = Elementwise.mul(dx2, tr.mlp.output, buf.like(dx2));
        mlpScale.grad().addi(scratch.sum(0));
        INDArray dx1 = norm2.backward(tr.norm2, mlp.backward(tr.mlp, Elementwise.mulRow(dx2, mlpScale.value(), scratch), buf), buf)
            .addi(dx2);
        Elementwise.mul(dx1, tr.attn.output, scratch);
        attnScale.grad().addi(scratch.sum(0));
        return norm1.backward(tr.norm1, attn.backward(tr.attn, Elementwise.mulRow(dx1, attnScale.value(), scratch), buf), buf)
            .addi(dx1);
    }
}
