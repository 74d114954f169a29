package org.pmf.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.nn.Attention;
import org.pmf.nn.Buffers;
import org.pmf.nn.Elementwise;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.ParamSet;
import org.pmf.nn.RmsNorm;
import org.pmf.nn.Rope2d;
import org.pmf.nn.SwiGlu;

/**
 * Where one transformer block of the small preset at batch 32 (fp32) spends its time: each
 * module's forward and tangent, and the single ND4J operations they are made of, each the best of
 * 10 runs after warm-up. Run with bench/block-profile.sh.
 */
public final class BlockProfile {

    private static final int B = 32;
    private static final int T = 84;
    private static final int D = 192;
    private static final int H = 3;
    private static final int HD = 64;
    private static final int F = 512;

    private interface Op {
        void run();
    }

    public static void main(String[] args) {
        DataType f = DataType.FLOAT;
        INDArray x = Nd4j.rand(f, B * T, D);
        Buffers buf = new Buffers();
        ParamSet.Builder pb = new ParamSet.Builder(f);
        Rope2d rope = new Rope2d(20, 8, H, HD, 10000, f);
        RmsNorm norm = new RmsNorm(pb, "n", D, 1e-6);
        Attention attn = new Attention(pb, "a", D, H, T, rope, Initializer.normal(0, 0.05), 1e-6);
        SwiGlu mlp = new SwiGlu(pb, "m", D, F, Initializer.normal(0, 0.05), Initializer.normal(0, 0.05));
        Linear lin = new Linear(pb, "l", D, D, Initializer.normal(0, 0.05), false);
        pb.build(1);
        System.out.printf("one block of the small preset, batch %d, %d tokens, width %d; OMP_NUM_THREADS=%s%n",
            B, T, D, System.getenv("OMP_NUM_THREADS"));

        System.out.println("modules:");
        time("rmsnorm forward", () -> { buf.rewind(); norm.forward(x, buf); });
        RmsNorm.Trace nt = norm.forward(x, new Buffers());
        time("rmsnorm tangent", () -> { buf.rewind(); norm.tangent(nt, x, buf); });
        time("attention forward", () -> { buf.rewind(); attn.forward(x, buf); });
        Attention.Trace at = attn.forward(x, new Buffers());
        time("attention tangent", () -> { buf.rewind(); attn.tangent(at, x, buf); });
        time("swiglu forward", () -> { buf.rewind(); mlp.forward(x, buf); });
        SwiGlu.Trace mt = mlp.forward(x, new Buffers());
        time("swiglu tangent", () -> { buf.rewind(); mlp.tangent(mt, x, buf); });

        System.out.println("matrix products:");
        time("linear 192->192 (gemm into buffer)", () -> { buf.rewind(); lin.forward(x, buf); });
        INDArray w512 = Nd4j.rand(f, D, F);
        INDArray h512 = Nd4j.create(f, B * T, F);
        INDArray o = Nd4j.create(f, B * T, D);
        time("gemm [2688,192]x[192,512]", () -> Nd4j.gemm(x, w512, h512, false, false, 1.0, 0.0));
        time("gemm [2688,512]x[512,192]", () -> Nd4j.gemm(h512, w512, o, false, true, 1.0, 0.0));
        INDArray heads = Nd4j.rand(f, B * H, T, HD);
        INDArray logits = Nd4j.create(f, B * H, T, T);
        time("batched q k^T [96 x 84x64x84]", () -> Nd4j.matmul(heads, heads, logits, false, true, false));
        time("x.mmul(w) (allocating)", () -> x.mmul(lin.weight().value()));

        System.out.println("element-wise and layout operations on [2688, 192] unless noted:");
        INDArray col = Nd4j.rand(f, B * T);
        INDArray row = Nd4j.rand(f, D);
        time("x.mul(x) (allocating)", () -> x.mul(x));
        time("x.dup()", () -> x.dup());
        time("mul into buffer", () -> Elementwise.mul(x, x, o));
        time("in-place addi", () -> o.addi(x));
        time("in-place muliRowVector", () -> o.muliRowVector(row));
        time("in-place muliColumnVector", () -> o.muliColumnVector(col.reshape(B * T, 1)));
        time("norm2 over rows", () -> x.norm2(1));
        time("rope rotate [32, 84*192]", () -> { buf.rewind(); rope.rotate(x.reshape(B, (long) T * D), buf); });
        time("to heads (permuted assign)", () -> heads.reshape('c', B, H, T, HD).assign(x.reshape('c', B, T, H, HD).permute(0, 2, 1, 3)));
        INDArray probs = Nd4j.create(f, B * H, T, T);
        time("softmax [8064, 84]", () -> Nd4j.exec(new SoftMax(logits.reshape(B * H * T, T), probs.reshape(B * H * T, T), 1)));
        INDArray big = Nd4j.rand(f, B * T, F);
        INDArray bigOut = Nd4j.create(f, B * T, F);
        time("sigmoid [2688, 512]", () -> Elementwise.sigmoid(big, bigOut));
        time("mul [2688, 512]", () -> Elementwise.mul(big, big, bigOut));
        time("allocate [2688, 192] uninitialised", () -> Nd4j.createUninitialized(f, B * T, D));
        time("allocate [2688, 192] zeroed", () -> Nd4j.create(f, B * T, D));
    }

    private static void time(String name, Op op) {
        for (int i = 0; i < 3; i++) {
            op.run();
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            op.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("  %-40s %8.3f ms%n", name, best / 1e6);
    }
}
