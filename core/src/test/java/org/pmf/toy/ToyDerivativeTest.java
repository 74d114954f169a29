package org.pmf.toy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.nn.Buffers;
import org.pmf.nn.DerivativeCheck;
import org.pmf.nn.Initializer;
import org.pmf.nn.Linear;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;
import org.pmf.nn.Relu;
import org.pmf.nn.TestArrays;
import org.pmf.objective.AdaptiveLoss;
import org.pmf.objective.CompoundVelocity;
import org.pmf.objective.TimeSampler;

/**
 * Tangent and gradient rules of the toy's pieces against central finite differences in float64:
 * Linear + ReLU, the whole MLP, the u function's JVP (x- and u-prediction, with the clip), and the
 * v-loss gradient with respect to every parameter tensor.
 */
class ToyDerivativeTest {

    private static final int D = 5;

    @Test
    void linearThenReluMatchesFiniteDifferences() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        Linear linear = new Linear(b, "l", 6, 9, Initializer.normal(0, 0.5), true);
        ParamSet params = b.build(1);
        TestArrays.randomize(params, 2);
        record Trace(INDArray x, INDArray pre, INDArray mask, INDArray y) {
        }
        DerivativeCheck.check("linear+relu", new DerivativeCheck.Module<Trace>() {
            public Trace forward(INDArray x) {
                Buffers buf = new Buffers();
                INDArray pre = linear.forward(x, buf);
                return new Trace(x, pre, Relu.mask(pre, buf), Relu.forward(pre, buf));
            }

            public INDArray output(Trace t) {
                return t.y();
            }

            public INDArray tangent(Trace t, INDArray xDot) {
                return Relu.tangent(t.mask(), linear.tangent(xDot), new Buffers());
            }

            public INDArray backward(Trace t, INDArray dy) {
                return linear.backward(t.x(), Relu.backward(t.mask(), dy, new Buffers()));
            }
        }, params, TestArrays.normal(new Random(3), 1, 7, 6), new Random(4), 4);
    }

    @Test
    void wholeMlpMatchesFiniteDifferencesInZTAndH() {
        ParamSet.Builder b = new ParamSet.Builder(DataType.DOUBLE);
        ToyMlp net = new ToyMlp(b, D, 16, 4, 1.7, false, HiddenInit.HE_NORMAL);
        ParamSet params = b.build(5);
        TestArrays.randomize(params, 6);
        DerivativeCheck.check("toy MLP", new DerivativeCheck.Module<ToyMlp.Trace>() {
            public ToyMlp.Trace forward(INDArray x) {
                return net.forward(z(x), column(x, D), column(x, D + 1), new Buffers());
            }

            public INDArray output(ToyMlp.Trace t) {
                return t.output();
            }

            public INDArray tangent(ToyMlp.Trace t, INDArray xDot) {
                return net.tangent(t, z(xDot), column(xDot, D), column(xDot, D + 1), new Buffers());
            }

            public INDArray backward(ToyMlp.Trace t, INDArray dy) {
                return net.backward(t, dy, new Buffers());
            }
        }, params, TestArrays.normal(new Random(7), 1, 6, D + 2), new Random(8), 3);
    }

    @Test
    void averageVelocityJvpMatchesFiniteDifferencesForBothKindsAndTangents() {
        for (ToyTrainer.Tangent tangent : ToyTrainer.Tangent.values()) {
            for (PredictionKind kind : PredictionKind.values()) {
                jvpMatchesFiniteDifferences(kind, tangent);
            }
        }
    }

    private static void jvpMatchesFiniteDifferences(PredictionKind kind, ToyTrainer.Tangent tangent) {
        ToyTrainer trainer = trainer(kind, tangent);
        ToyTrainer.Batch batch = batch(trainer);
        double[] t = batch.t();
        double[] h = batch.h();
        ToyTrainer.Evaluation ev = trainer.lossAndGradient(batch);
        // the direction dz/dt: the model's velocity at r = t, or the conditional velocity e - x
        INDArray v = tangent == ToyTrainer.Tangent.MODEL
            ? trainer.averageVelocity(batch.z(), t, new double[t.length])
            : batch.e().sub(batch.x());
        double eps = 1e-6;
        INDArray plus = trainer.averageVelocity(batch.z().add(v.mul(eps)), shift(t, eps), shift(h, eps));
        INDArray minus = trainer.averageVelocity(batch.z().sub(v.mul(eps)), shift(t, -eps), shift(h, -eps));
        double err = TestArrays.relativeError(plus.sub(minus).divi(2 * eps), ev.dudt());
        assertTrue(err <= 1e-6, kind.label() + ", tangent " + tangent + ": du/dt vs central differences: relative error " + err);
    }

    @Test
    void vLossGradientMatchesFiniteDifferencesForEveryParameter() {
        for (PredictionKind kind : PredictionKind.values()) {
            ToyTrainer trainer = trainer(kind, ToyTrainer.Tangent.MODEL);
            ToyTrainer.Batch batch = batch(trainer);
            ToyTrainer.Evaluation ev = trainer.lossAndGradient(batch);
            ParamSet params = trainer.params();
            Random rng = new Random(9);
            double gradScale = params.grads().amaxNumber().doubleValue();
            for (Param p : params.params()) {
                INDArray grad = p.grad().reshape(p.length());
                for (int k = 0; k < 3; k++) {
                    long i = DerivativeCheck.coordinate(grad, rng);
                    double g = grad.getDouble(i);
                    double fd = DerivativeCheck.coordinateDerivative(() -> frozenLoss(trainer, batch, ev), p.value().reshape(p.length()), i);
                    double err = Math.abs(fd - g) / Math.max(Math.max(Math.abs(fd), Math.abs(g)), 1e-6 * gradScale);
                    assertTrue(err <= 1e-6, kind.label() + " gradient of " + p.name() + "[" + i + "]: " + g + " vs " + fd);
                }
            }
        }
    }

    /** The loss as a function of the parameters with sg(du/dt) and the adaptive weights held fixed. */
    private static double frozenLoss(ToyTrainer trainer, ToyTrainer.Batch batch, ToyTrainer.Evaluation ev) {
        INDArray u = trainer.averageVelocity(batch.z(), batch.t(), batch.h());
        double[] errors = new AdaptiveLoss(AdaptiveLoss.Options.PAPER)
            .evaluate(CompoundVelocity.of(u, ev.dudt(), batch.t(), batch.r()), batch.target()).errors();
        double sum = 0;
        for (int i = 0; i < errors.length; i++) {
            sum += errors[i] * ev.weights()[i];
        }
        return sum / errors.length;
    }

    /** A trainer with balanced time inputs (gain sqrt(D / 2) != 1) and randomised weights. */
    private static ToyTrainer trainer(PredictionKind kind, ToyTrainer.Tangent tangent) {
        ToyTrainer.Settings settings = new ToyTrainer.Settings(16, 4, true, true, tangent, TimeSampler.Options.PAPER,
            AdaptiveLoss.Options.PAPER, 1e-3, 0.99, 6, HiddenInit.HE_NORMAL);
        ToyTrainer trainer = new ToyTrainer(kind, Lift.random(D, new SplittableRandom(10)), settings, DataType.DOUBLE, 11);
        TestArrays.randomize(trainer.params(), 12);
        return trainer;
    }

    /** A batch whose times include the clip region t < 0.05 and an r = t example. */
    private static ToyTrainer.Batch batch(ToyTrainer trainer) {
        ToyTrainer.Batch drawn = trainer.drawBatch(new SplittableRandom(13));
        double[] t = {0.9, 0.5, 0.03, 0.7, 0.2, 0.99};
        double[] r = {0.1, 0.5, 0.01, 0.0, 0.19, 0.3};
        return new ToyTrainer.Batch(drawn.x(), drawn.e(), t, r, drawn.z(), drawn.target());
    }

    private static double[] shift(double[] a, double s) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += s;
        }
        return out;
    }

    private static INDArray z(INDArray x) {
        return x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, D)).dup('c');
    }

    private static double[] column(INDArray x, int c) {
        return x.getColumn(c).dup().toDoubleVector();
    }
}
