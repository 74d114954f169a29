package org.pmf.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.pmf.nn.*;

/** Times the building blocks of one transformer block of the small preset at batch 32 (fp32), to show where a forward spends its time. */
public final class OpProfile {
    interface Op { void run(); }
    static void time(String name, Op op) {
        for (int i = 0; i < 3; i++) op.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            op.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("%-44s %9.3f ms (best of 10)%n", name, best / 1e6);
    }
    public static void main(String[] a) {
        int B = 32, T = 84, D = 192, H = 3, hd = 64, F = 512;
        DataType f = DataType.FLOAT;
        INDArray x = Nd4j.rand(f, B * T, D);
        Buffers buf = new Buffers();
        ParamSet.Builder pb = new ParamSet.Builder(f);
        Rope2d rope = new Rope2d(20, 8, H, hd, 10000, f);
        RmsNorm norm = new RmsNorm(pb, "n", D, 1e-6);
        Attention attn = new Attention(pb, "a", D, H, T, rope, Initializer.normal(0, 0.05), 1e-6);
        SwiGlu mlp = new SwiGlu(pb, "m", D, F, Initializer.normal(0, 0.05), Initializer.normal(0, 0.05));
        Linear lin = new Linear(pb, "l", D, D, Initializer.normal(0, 0.05), false);
        RmsNorm normH = new RmsNorm(pb, "nh", hd, 1e-6);
        pb.build(1);
        Buffers sb = new Buffers();
        long[] acc = new long[12];
        String[] names = {"q proj", "q norm", "k proj+norm", "rope q", "rope k", "heads q", "heads k", "v proj+heads", "logits", "softmax", "PV+merge", "out proj"};
        Linear qp = new Linear(new ParamSet.Builder(f), "x", D, D, Initializer.zeros(), false);
        for (int rep = 0; rep < 13; rep++) {
            sb.rewind();
            long[] t = new long[13];
            t[0] = System.nanoTime();
            INDArray q = lin.forward(x, sb).reshape('c', B * T * H, hd); t[1] = System.nanoTime();
            RmsNorm.Trace qn = normH.forward(q, sb); t[2] = System.nanoTime();
            RmsNorm.Trace kn = normH.forward(lin.forward(x, sb).reshape('c', B * T * H, hd), sb); t[3] = System.nanoTime();
            INDArray qr = rope.rotate(qn.output.reshape('c', B, rope.rowLength()), sb); t[4] = System.nanoTime();
            INDArray kr = rope.rotate(kn.output.reshape('c', B, rope.rowLength()), sb); t[5] = System.nanoTime();
            INDArray qh = sb.get(f, B * H, T, hd); qh.reshape('c', B, H, T, hd).assign(qr.reshape('c', B, T, H, hd).permute(0, 2, 1, 3)); t[6] = System.nanoTime();
            INDArray kh = sb.get(f, B * H, T, hd); kh.reshape('c', B, H, T, hd).assign(kr.reshape('c', B, T, H, hd).permute(0, 2, 1, 3)); t[7] = System.nanoTime();
            INDArray vv = lin.forward(x, sb); INDArray vh = sb.get(f, B * H, T, hd); vh.reshape('c', B, H, T, hd).assign(vv.reshape('c', B, T, H, hd).permute(0, 2, 1, 3)); t[8] = System.nanoTime();
            INDArray lg = sb.get(f, B * H, T, T); Nd4j.matmul(qh, kh, lg, false, true, false); lg.muli(0.125); t[9] = System.nanoTime();
            INDArray pr = sb.get(f, B * H, T, T); Nd4j.exec(new SoftMax(lg.reshape('c', B * H * T, T), pr.reshape('c', B * H * T, T), 1)); t[10] = System.nanoTime();
            INDArray ov = sb.get(f, B * H, T, hd); Nd4j.matmul(pr, vh, ov, false, false, false);
            INDArray mg = sb.get(f, B * T, D); mg.reshape('c', B, T, H, hd).assign(ov.reshape('c', B, H, T, hd).permute(0, 2, 1, 3)); t[11] = System.nanoTime();
            lin.forward(mg, sb); t[12] = System.nanoTime();
            if (rep >= 3) for (int k = 0; k < 12; k++) acc[k] += t[k + 1] - t[k];
        }
        for (int k = 0; k < 12; k++) System.out.printf("  attention step %-14s %8.3f ms%n", names[k], acc[k] / 10 / 1e6);
        INDArray o = Nd4j.create(f, B * T, D);
        INDArray col = Nd4j.rand(f, B * T);
        INDArray row = Nd4j.rand(f, D);
        time("norm2(1)", () -> x.norm2(1));
        time("mul(x,x).sum(1)", () -> Elementwise.mul(x, x, o).sum(1));
        time("gemv x*x . ones", () -> Nd4j.gemm(Elementwise.mul(x, x, o), Nd4j.ones(f, D, 1), false, false));
        time("mulColumn", () -> Elementwise.mulColumn(x, col, o));
        time("muliColumnVector", () -> o.muliColumnVector(col.reshape(B * T, 1)));
        time("mulRow", () -> Elementwise.mulRow(x, row, o));
        time("muliRowVector", () -> o.muliRowVector(row));
        time("addi", () -> o.addi(x));
        time("sum(0)", () -> x.sum(0));
        time("mean(1)", () -> x.mean(1));
        INDArray xs = x.reshape(B * T * H, hd);
        INDArray os = o.reshape(B * T * H, hd);
        INDArray cols = Nd4j.rand(f, B * T * H);
        time("mulColumn [8064,64]", () -> Elementwise.mulColumn(xs, cols, os));
        time("norm2(1) [8064,64]", () -> xs.norm2(1));
        time("linear 192x192 (gemm into buffer)", () -> { buf.rewind(); lin.forward(x, buf); });
        time("rmsnorm forward", () -> { buf.rewind(); norm.forward(x, buf); });
        RmsNorm.Trace nt = norm.forward(x, new Buffers());
        time("rmsnorm tangent", () -> { buf.rewind(); norm.tangent(nt, x, buf); });
        INDArray xr = x.reshape(B, T * D);
        time("rope rotate", () -> { buf.rewind(); rope.rotate(xr, buf); });
        INDArray heads = Nd4j.create(f, B * H, T, hd);
        time("to heads (permuted assign)", () -> heads.reshape('c', B, H, T, hd).assign(x.reshape('c', B, T, H, hd).permute(0, 2, 1, 3)));
        INDArray s = Nd4j.create(f, B * H, T, T);
        time("bmm q k^T", () -> Nd4j.matmul(heads, heads, s, false, true, false));
        INDArray so = Nd4j.create(f, B * H, T, T);
        time("softmax", () -> Nd4j.exec(new SoftMax(s.reshape(B*H*T, T), so.reshape(B*H*T, T), 1)));
        time("attention forward", () -> { buf.rewind(); attn.forward(x, buf); });
        Attention.Trace at = attn.forward(x, new Buffers());
        time("attention tangent", () -> { buf.rewind(); attn.tangent(at, x, buf); });
        INDArray w512 = Nd4j.rand(f, D, F);
        INDArray h512 = Nd4j.create(f, B * T, F);
        time("gemm [2688,192]x[192,512]", () -> Nd4j.gemm(x, w512, h512, false, false, 1.0, 0.0));
        time("gemm [2688,512]x[512,192]", () -> Nd4j.gemm(h512, w512, o, false, true, 1.0, 0.0));
        time("gemm grad x^T dy [192,2688]x[2688,512]", () -> Nd4j.gemm(x, h512, w512, true, false, 1.0, 1.0));
        time("swiglu forward", () -> { buf.rewind(); mlp.forward(x, buf); });
        SwiGlu.Trace mt = mlp.forward(x, new Buffers());
        time("swiglu tangent", () -> { buf.rewind(); mlp.tangent(mt, x, buf); });
        INDArray big = Nd4j.rand(f, B * T, F);
        INDArray bigOut = Nd4j.create(f, B * T, F);
        time("sigmoid [2688,512]", () -> Elementwise.sigmoid(big, bigOut));
        time("mul [2688,512]", () -> Elementwise.mul(big, big, bigOut));
        time("slope chain [2688,512]", () -> bigOut.assign(big).rsubi(1.0).muli(big).addi(1.0).muli(big));
    }
}
