package org.pmf.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SampleEvaluatorTest {

    private static FashionMnist.Images reference;
    private static SampleEvaluator evaluator;

    @BeforeAll
    static void evaluatorOnSyntheticReference() {
        // An untrained classifier is still a fixed feature map: enough to pin how the metrics combine.
        reference = SyntheticImages.of(300, 11);
        evaluator = new SampleEvaluator(FmnistClassifier.initialised(12), reference.networkInput(0, 300), 3);
    }

    @Test
    void theReferenceImagesThemselvesScoreZeroDistanceAndFullPrecisionRecall() {
        SampleEvaluator.Metrics m = evaluator.evaluate(reference.networkInput(0, 300), reference.labels());
        assertEquals(300, m.count());
        assertEquals(0.0, m.fd(), 1e-6);
        assertEquals(1.0, m.precision());
        assertEquals(1.0, m.recall());
    }

    @Test
    void noiseIsFartherThanFreshImagesOfTheSameKind() {
        SampleEvaluator.Metrics fresh = evaluator.evaluate(SyntheticImages.of(300, 13).networkInput(0, 300), null);
        Nd4j.getRandom().setSeed(14);
        INDArray noise = Nd4j.rand(DataType.FLOAT, 300, 3, 32, 32).muli(2.0).subi(1.0);
        SampleEvaluator.Metrics far = evaluator.evaluate(noise, null);
        assertTrue(Double.isNaN(fresh.classAccuracy()));
        assertTrue(far.fd() > 10 * fresh.fd(), fresh + " vs " + far);
        assertTrue(far.precision() < fresh.precision(), fresh + " vs " + far);
    }

    @Test
    void uint8SamplesAreReadAsTheCentreOfTheirBin() {
        INDArray images = Nd4j.zeros(DataType.UINT8, 1, 3, 32, 32);
        images.putScalar(new long[] {0, 0, 0, 0}, 0);
        images.putScalar(new long[] {0, 0, 0, 1}, 128);
        images.putScalar(new long[] {0, 0, 0, 2}, 255);
        INDArray x = SampleEvaluator.networkInput(images);
        assertEquals(-1.0, x.getDouble(0, 0, 0, 0), 1e-7);
        assertEquals(128 / 127.5 - 1, x.getDouble(0, 0, 0, 1), 1e-7);
        assertEquals(1.0, x.getDouble(0, 0, 0, 2), 1e-7);
    }

    @Test
    void uint8AndFloatCopiesOfTheSameImagesScoreAlike() {
        FashionMnist.Images fresh = SyntheticImages.of(60, 15);
        INDArray floats = fresh.networkInput(0, 60);
        // the float images hold exact v / 127.5 - 1 values; rounding undoes float error before the cast
        INDArray bytes = org.nd4j.linalg.ops.transforms.Transforms.round(floats.add(1.0).muli(127.5)).castTo(DataType.UINT8);
        SampleEvaluator.Metrics a = evaluator.evaluate(floats, fresh.labels());
        SampleEvaluator.Metrics b = evaluator.evaluate(bytes, fresh.labels());
        assertEquals(a.fd(), b.fd(), 1e-6 * a.fd());
        assertEquals(a.classAccuracy(), b.classAccuracy());
        assertEquals(a.precision(), b.precision());
    }

    @Test
    void imagesOutsideTheirRangeOrShapeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(Nd4j.ones(DataType.FLOAT, 5, 3, 32, 32).muli(1.5), null));
        assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(Nd4j.zeros(DataType.FLOAT, 5, 1, 32, 32), null));
        assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(Nd4j.zeros(DataType.FLOAT, 5, 3, 32, 32), new int[] {1, 2}));
    }
}
