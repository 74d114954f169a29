package org.pmf.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.model.Heads;
import org.pmf.model.PmfInputs;
import org.pmf.model.PmfNet;
import org.pmf.model.PmfNetConfig;
import org.pmf.nn.TestArrays;
import org.pmf.objective.Prediction;

class SamplerTest {

    private static final PmfNetConfig NET = new PmfNetConfig(16, 4, 32, 2, 1, 1, 24, 40, 5);

    @Test
    void generationIsDeterministicForASeedAndDependsOnIt() {
        PmfNet net = PmfNet.create(NET, DataType.FLOAT, false, 1);
        TestArrays.randomize(net.params(), 2);
        Sampler s = new Sampler(3.0, 0.1, 0.7, 1.0, 1);
        INDArray a = s.generate(net, new int[] {0, 1, 2}, new SplittableRandom(4));
        INDArray b = s.generate(net, new int[] {0, 1, 2}, new SplittableRandom(4));
        INDArray c = s.generate(net, new int[] {0, 1, 2}, new SplittableRandom(5));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void oneStepIsTheUHeadOutputAtTOneAndHOne() {
        PmfNet net = PmfNet.create(NET, DataType.DOUBLE, false, 1);
        TestArrays.randomize(net.params(), 2);
        int[] labels = {4, 0};
        INDArray image = new Sampler(2.0, 0.2, 0.6, 1.5, 1).generate(net, labels, new SplittableRandom(8));

        SplittableRandom rng = new SplittableRandom(8);
        double[] noise = new double[2 * 16 * 48];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 1.5 * rng.nextGaussian();
        }
        INDArray z = org.nd4j.linalg.factory.Nd4j.create(noise, new long[] {2, 16, 48}, DataType.DOUBLE);
        INDArray expected = net.forward(new PmfInputs(z, labels, new double[] {2, 2}, new double[] {0.2, 0.2},
            new double[] {0.6, 0.6}, new double[] {1, 1}), Heads.U).xHatU();
        assertEquals(expected, image);
    }

    @Test
    void oneStepOfAUPredictionNetworkIsTheNoiseMinusTheHeadOutput() {
        PmfNet net = PmfNet.create(NET, DataType.DOUBLE, false, 1);
        TestArrays.randomize(net.params(), 2);
        int[] labels = {3};
        INDArray image = new Sampler(1.5, 0, 1, 1.0, 1, Prediction.U).generate(net, labels, new SplittableRandom(6));

        SplittableRandom rng = new SplittableRandom(6);
        double[] noise = new double[16 * 48];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = rng.nextGaussian();
        }
        INDArray z = org.nd4j.linalg.factory.Nd4j.create(noise, new long[] {1, 16, 48}, DataType.DOUBLE);
        INDArray u = net.forward(new PmfInputs(z, labels, new double[] {1.5}, new double[] {0}, new double[] {1},
            new double[] {1}), Heads.U).xHatU();
        assertEquals(z.sub(u), image);
    }

    @Test
    void twoStepsTakeAnEulerStepOfTheAverageVelocity() {
        PmfNet net = PmfNet.create(NET, DataType.DOUBLE, false, 1);
        TestArrays.randomize(net.params(), 2);
        int[] labels = {1};
        INDArray image = new Sampler(1.0, 0, 1, 1.0, 2).generate(net, labels, new SplittableRandom(3));

        SplittableRandom rng = new SplittableRandom(3);
        double[] noise = new double[16 * 48];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = rng.nextGaussian();
        }
        INDArray z = org.nd4j.linalg.factory.Nd4j.create(noise, new long[] {1, 16, 48}, DataType.DOUBLE);
        for (double[] tn : new double[][] {{1.0, 0.5}, {0.5, 0.0}}) {
            INDArray x = net.forward(new PmfInputs(z, labels, new double[] {1}, new double[] {0}, new double[] {1},
                new double[] {tn[0] - tn[1]}), Heads.U).xHatU();
            INDArray u = z.sub(x).divi(Math.max(tn[0], 0.05));
            z = z.sub(u.mul(tn[0] - tn[1]));
        }
        assertEquals(z, image);
    }
}
