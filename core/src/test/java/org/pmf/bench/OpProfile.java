package org.pmf.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pmf.nn.Rope2d;

public final class OpProfile {
    interface Op { void run(); }
    static void time(String name, Op op) {
        for (int i = 0; i < 3; i++) op.run();
        int n = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) op.run();
        System.out.printf("%-40s %9.3f ms%n", name, (System.nanoTime() - t0) / 1e6 / n);
    }
    public static void main(String[] a) {
        int B = 32, T = 84, D = 192, H = 3, hd = 64, F = 512;
        INDArray x = Nd4j.rand(DataType.FLOAT, B * T, D);
        INDArray w = Nd4j.rand(DataType.FLOAT, D, D);
        INDArray wf = Nd4j.rand(DataType.FLOAT, D, F);
        time("mmul", () -> x.mmul(w));
        time("createUninit + gemm", () -> { INDArray o = Nd4j.createUninitialized(DataType.FLOAT, B*T, D); Nd4j.gemm(x, w, o, false, false, 1.0, 0.0); });
        INDArray out = Nd4j.create(DataType.FLOAT, B*T, D);
        time("gemm into prealloc", () -> Nd4j.gemm(x, w, out, false, false, 1.0, 0.0));
        time("createUninit only", () -> Nd4j.createUninitialized(DataType.FLOAT, B*T, D));
        time("create (zeroed) only", () -> Nd4j.create(DataType.FLOAT, B*T, D));
        time("x.mul(x)", () -> x.mul(x));
        time("out.assign(x).muli(x)", () -> out.assign(x).muli(x));
        time("out.muli(1.0001)", () -> out.muli(1.0001));
        time("Nd4j.exec mul into out", () -> Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp(x, x, out)));
        INDArray row = Nd4j.rand(DataType.FLOAT, D);
        time("out.addiRowVector", () -> out.addiRowVector(row));
        time("x.dup", () -> x.dup());
    }
}
