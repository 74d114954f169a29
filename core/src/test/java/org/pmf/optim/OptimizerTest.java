package org.pmf.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pmf.parallel.Workers;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.nn.Initializer;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;

/**
 * Each update against a plain-Java double implementation of the optax formulas (the oracle shares
 * no code with {@link Optimizer}: arrays, loops and Math only).
 */
class OptimizerTest {

    static final double TOL = 1e-12;

    static ParamSet model() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        b.add("wide", new long[] {3, 5}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("bias", new long[] {5}, Param.Role.OTHER, Initializer.normal(0, 1));
        b.add("tall", new long[] {6, 2}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("scale", new long[] {1}, Param.Role.OTHER, Initializer.constant(1));
        return b.build(11);
    }

    /** Repeated matrix shapes (wide, tall, square) with AdamW parameters between them, two of them adjacent. */
    static ParamSet groupedModel() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        b.add("a.wide", new long[] {4, 7}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("a.bias", new long[] {7}, Param.Role.OTHER, Initializer.normal(0, 1));
        b.add("a.scale", new long[] {7}, Param.Role.OTHER, Initializer.constant(1));
        b.add("a.tall", new long[] {7, 4}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("b.wide", new long[] {4, 7}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("b.square", new long[] {5, 5}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("b.tall", new long[] {7, 4}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("b.table", new long[] {3, 4}, Param.Role.OTHER, Initializer.normal(0, 1));
        b.add("c.wide", new long[] {4, 7}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("c.square", new long[] {5, 5}, Param.Role.MATRIX, Initializer.normal(0, 1));
        b.add("c.gate", new long[] {1}, Param.Role.OTHER, Initializer.constant(0.5));
        return b.build(13);
    }

    static void randomGrads(ParamSet ps, SplittableRandom rng) {
        double[] g = new double[(int) ps.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextGaussian();
        }
        ps.grads().assign(Nd4j.createFromArray(g));
    }

    @Test
    void muonAndAdamwStepsMatchHandComputation() {
        for (boolean nesterov : new boolean[] {true, false}) {
            OptimizerConfig cfg = new OptimizerConfig(OptimizerConfig.Kind.MUON_ADAMW, 1e-2, 0, 1e-8, 0.95, nesterov, 5,
                    OptimizerConfig.NsCoefficients.MUON_DEFAULT, 0.9, 0.95, nesterov, 0.1);
            Optimizer opt = stepsMatchTheReference(cfg, model(), 3, 1);
            assertEquals(3, opt.state().count());
        }
    }

    /**
     * Runs {@code steps} updates with random gradients on the optimizer and on the plain-Java
     * reference, comparing parameters and both moments after each; returns the optimizer.
     */
    static Optimizer stepsMatchTheReference(OptimizerConfig cfg, ParamSet ps, int steps, long seed) {
        return stepsMatchTheReference(cfg, ps, steps, seed, Workers.CALLER_ONLY);
    }

    static Optimizer stepsMatchTheReference(OptimizerConfig cfg, ParamSet ps, int steps, long seed, Workers workers) {
        Reference ref = new Reference(cfg, ps);
        Optimizer opt = new Optimizer(cfg, ps, workers);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int step = 1; step <= steps; step++) {
            randomGrads(ps, rng);
            ref.step(ps.grads().toDoubleVector());
            opt.step();
            String when = cfg.kind() + " nesterov=" + cfg.muonNesterov() + " after step " + step;
            assertClose(ref.values, ps.values().toDoubleVector(), "values " + when);
            assertClose(ref.m, opt.state().firstMoment().toDoubleVector(), "first moment " + when);
            assertClose(ref.v, opt.state().secondMoment().toDoubleVector(), "second moment " + when);
        }
        return opt;
    }

    /**
     * Matrices of repeated shapes (orthogonalised as one batch) with AdamW parameters between them,
     * some adjacent (updated as one segment): the preallocated update must equal the per-parameter
     * reference step after step, including the state it carries.
     */
    @Test
    void batchedPreallocatedUpdateEqualsThePerParameterReferenceOverSeveralSteps() {
        for (boolean nesterov : new boolean[] {true, false}) {
            OptimizerConfig cfg = new OptimizerConfig(OptimizerConfig.Kind.MUON_ADAMW, 3e-2, 0, 1e-8, 0.95, nesterov, 5,
                    OptimizerConfig.NsCoefficients.MUON_DEFAULT, 0.9, 0.95, nesterov, 0.05);
            stepsMatchTheReference(cfg, groupedModel(), 4, nesterov ? 2 : 3);
        }
    }

    /** Shape groups and AdamW segments updated side by side on three threads: the same update, step after step. */
    @Test
    void updatesSharedOutAmongWorkerThreadsEqualThePerParameterReference() {
        OptimizerConfig cfg = new OptimizerConfig(OptimizerConfig.Kind.MUON_ADAMW, 3e-2, 0, 1e-8, 0.95, true, 5,
                OptimizerConfig.NsCoefficients.MUON_DEFAULT, 0.9, 0.95, true, 0.05);
        try (Workers workers = Workers.of(3)) {
            stepsMatchTheReference(cfg, groupedModel(), 4, 7, workers);
        }
    }

    @Test
    void adamForAllEqualsTextbookAdam() {
        OptimizerConfig cfg = new OptimizerConfig(OptimizerConfig.Kind.ADAM, 1e-3, 0, 1e-8, 0.95, true, 5,
                OptimizerConfig.NsCoefficients.MUON_DEFAULT, 0.9, 0.999, false, 0.0);
        ParamSet ps = model();
        double[] theta = ps.values().toDoubleVector();
        double[] m = new double[theta.length];
        double[] v = new double[theta.length];
        Optimizer opt = new Optimizer(cfg, ps);
        SplittableRandom rng = new SplittableRandom(2);
        for (int t = 1; t <= 5; t++) {
            randomGrads(ps, rng);
            double[] g = ps.grads().toDoubleVector();
            // Kingma and Ba (2015), Algorithm 1.
            for (int i = 0; i < theta.length; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(0.9, t));
                double vHat = v[i] / (1 - Math.pow(0.999, t));
                theta[i] -= 1e-3 * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            opt.step();
            assertClose(theta, ps.values().toDoubleVector(), "Adam step " + t);
        }
    }

    @Test
    void warmupRisesLinearlyFromZeroToThePeak() {
        OptimizerConfig cfg = new OptimizerConfig(OptimizerConfig.Kind.MUON_ADAMW, 1e-3, 4, 1e-8, 0.95, true, 5,
                OptimizerConfig.NsCoefficients.MUON_DEFAULT, 0.9, 0.95, true, 0.0);
        assertEquals(0.0, cfg.learningRateAt(0));
        assertEquals(0.5e-3, cfg.learningRateAt(2), 1e-18);
        assertEquals(1e-3, cfg.learningRateAt(4));
        assertEquals(1e-3, cfg.learningRateAt(1000));
        assertEquals(1e-3, OptimizerConfig.paperDefaults().learningRateAt(0));
    }

    @Test
    void stateExportImportRoundTripContinuesIdentically() {
        OptimizerConfig cfg = OptimizerConfig.paperDefaults();
        ParamSet a = model();
        Optimizer optA = new Optimizer(cfg, a);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 2; i++) {
            randomGrads(a, rng);
            optA.step();
        }
        Map<String, INDArray> saved = optA.state().toTensors();
        INDArray savedValues = a.values().dup();

        ParamSet b = model();
        b.values().assign(savedValues);
        Optimizer optB = new Optimizer(cfg, b);
        optB.state().load(saved);
        assertEquals(2, optB.state().count());
        assertEquals(optA.state().firstMoment(), optB.state().firstMoment());
        assertEquals(optA.state().secondMoment(), optB.state().secondMoment());

        randomGrads(a, rng);
        b.grads().assign(a.grads());
        optA.step();
        optB.step();
        assertEquals(a.values(), b.values(), "restored optimizer continues bit for bit");
    }

    @Test
    void secondMomentStaysZeroOnMuonEntriesAndMomentsLiveInTheFlatVectors() {
        ParamSet ps = model();
        Optimizer opt = new Optimizer(OptimizerConfig.paperDefaults(), ps);
        randomGrads(ps, new SplittableRandom(4));
        opt.step();
        double[] nu = opt.state().secondMoment().toDoubleVector();
        double[] mu = opt.state().firstMoment().toDoubleVector();
        double[] g = ps.grads().toDoubleVector();
        long offset = 0;
        for (Param p : ps.params()) {
            for (long i = offset; i < offset + p.length(); i++) {
                double expectedNu = p.role() == Param.Role.MATRIX ? 0 : 0.05 * g[(int) i] * g[(int) i];
                double beta = p.role() == Param.Role.MATRIX ? 0.95 : 0.9;
                assertEquals(expectedNu, nu[(int) i], 1e-15, p.name());
                assertEquals((1 - beta) * g[(int) i], mu[(int) i], 1e-15, p.name());
            }
            offset += p.length();
        }
    }

    @Test
    void importRejectsStateOfAnotherModelNamingTheTensor() {
        Optimizer opt = new Optimizer(OptimizerConfig.paperDefaults(), model());
        Map<String, INDArray> wrong = opt.state().toTensors();
        wrong.put(OptimizerState.SECOND_MOMENT, Nd4j.zeros(DataType.DOUBLE, 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.state().load(wrong));
        assertEquals(true, e.getMessage().contains(OptimizerState.SECOND_MOMENT), e.getMessage());
    }

    static void assertClose(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], TOL * Math.max(1, Math.abs(want[i])), what + ", element " + i);
        }
    }

    /** optax's muon(...) written out on double arrays. */
    static final class Reference {
        final OptimizerConfig cfg;
        final double[] values;
        final double[] m;
        final double[] v;
        final long[][] shapes;
        final boolean[] isMatrix;
        long t;

        Reference(OptimizerConfig cfg, ParamSet ps) {
            this.cfg = cfg;
            this.values = ps.values().toDoubleVector();
            this.m = new double[values.length];
            this.v = new double[values.length];
            this.shapes = ps.params().stream().map(Param::shape).toArray(long[][]::new);
            this.isMatrix = new boolean[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                isMatrix[i] = ps.params().get(i).role() == Param.Role.MATRIX;
            }
        }

        void step(double[] g) {
            t++;
            double lr = cfg.learningRate();
            int off = 0;
            for (int p = 0; p < shapes.length; p++) {
                int n = 1;
                for (long d : shapes[p]) {
                    n *= (int) d;
                }
                if (isMatrix[p]) {
                    double b = cfg.muonBeta();
                    double[] hat = new double[n];
                    for (int i = 0; i < n; i++) {
                        m[off + i] = b * m[off + i] + (1 - b) * g[off + i];
                        hat[i] = cfg.muonNesterov()
                                ? b * m[off + i] / (1 - Math.pow(b, t + 1)) + (1 - b) * g[off + i] / (1 - Math.pow(b, t))
                                : m[off + i] / (1 - Math.pow(b, t));
                    }
                    int rows = (int) shapes[p][0];
                    int cols = (int) shapes[p][1];
                    double[][] o = newtonSchulz(toMatrix(hat, rows, cols));
                    double scale = Math.sqrt(Math.max(1.0, (double) cols / rows));
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            values[off + r * cols + c] -= lr * scale * o[r][c];
                        }
                    }
                } else {
                    double b1 = cfg.adamBeta1();
                    double b2 = cfg.adamBeta2();
                    for (int i = off; i < off + n; i++) {
                        m[i] = b1 * m[i] + (1 - b1) * g[i];
                        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                        double mHat = cfg.adamNesterov()
                                ? b1 * m[i] / (1 - Math.pow(b1, t + 1)) + (1 - b1) * g[i] / (1 - Math.pow(b1, t))
                                : m[i] / (1 - Math.pow(b1, t));
                        double vHat = v[i] / (1 - Math.pow(b2, t));
                        values[i] -= lr * (mHat / (Math.sqrt(vHat) + cfg.eps()) + cfg.adamWeightDecay() * values[i]);
                    }
                }
                off += n;
            }
        }

        double[][] newtonSchulz(double[][] g) {
            boolean tall = g.length > g[0].length;
            double[][] x = tall ? transpose(g) : g;
            double frob = 0;
            for (double[] row : x) {
                for (double e : row) {
                    frob += e * e;
                }
            }
            double norm = Math.sqrt(frob) + cfg.eps();
            x = scale(x, 1 / norm);
            OptimizerConfig.NsCoefficients k = cfg.nsCoefficients();
            for (int s = 0; s < cfg.nsSteps(); s++) {
                double[][] a = mul(x, transpose(x));
                double[][] poly = add(scale(a, k.b()), scale(mul(a, a), k.c()));
                x = add(scale(x, k.a()), mul(poly, x));
            }
            return tall ? transpose(x) : x;
        }

        static double[][] toMatrix(double[] flat, int rows, int cols) {
            double[][] r = new double[rows][cols];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(flat, i * cols, r[i], 0, cols);
            }
            return r;
        }

        static double[][] transpose(double[][] a) {
            double[][] r = new double[a[0].length][a.length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[0].length; j++) {
                    r[j][i] = a[i][j];
                }
            }
            return r;
        }

        static double[][] mul(double[][] a, double[][] b) {
            double[][] r = new double[a.length][b[0].length];
            for (int i = 0; i < a.length; i++) {
                for (int k = 0; k < b.length; k++) {
                    for (int j = 0; j < b[0].length; j++) {
                        r[i][j] += a[i][k] * b[k][j];
                    }
                }
            }
            return r;
        }

        static double[][] add(double[][] a, double[][] b) {
            double[][] r = new double[a.length][a[0].length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[0].length; j++) {
                    r[i][j] = a[i][j] + b[i][j];
                }
            }
            return r;
        }

        static double[][] scale(double[][] a, double s) {
            double[][] r = new double[a.length][a[0].length];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < a[0].length; j++) {
                    r[i][j] = a[i][j] * s;
                }
            }
            return r;
        }
    }
}
