package org.pmf.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.nn.Attention;
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

    Trace forward(INDArray x) {
        RmsNorm.Trace n1 = norm1.forward(x);
        Attention.Trace a = attn.forward(n1.output);
        INDArray x1 = a.output.mulRowVector(attnScale.value()).addi(x);
        RmsNorm.Trace n2 = norm2.forward(x1);
        SwiGlu.Trace m = mlp.forward(n2.output);
        INDArray x2 = m.output.mulRowVector(mlpScale.value()).addi(x1);
        return new Trace(x2, n1, a, x1, n2, m);
    }

    INDArray tangent(Trace tr, INDArray xDot) {
        INDArray x1Dot = attn.tangent(tr.attn, norm1.tangent(tr.norm1, xDot)).muliRowVector(attnScale.value()).addi(xDot);
        return mlp.tangent(tr.mlp, norm2.tangent(tr.norm2, x1Dot)).muliRowVector(mlpScale.value()).addi(x1Dot);
    }

    INDArray backward(Trace tr, INDArray dx2) {
        mlpScale.grad().addi(dx2.mul(tr.mlp.output).sum(0));
        INDArray dx1 = norm2.backward(tr.norm2, mlp.backward(tr.mlp, dx2.mulRowVector(mlpScale.value()))).addi(dx2);
        attnScale.grad().addi(dx1.mul(tr.attn.output).sum(0));
        return norm1.backward(tr.norm1, attn.backward(tr.attn, dx1.mulRowVector(attnScale.value()))).addi(dx1);
    }
}
