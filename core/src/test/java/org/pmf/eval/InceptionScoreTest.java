package org.pmf.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.perceptual.Fixture;

class InceptionScoreTest {

    @Test
    void tenSplitScoreMatchesNumpyWithin1e6Relative() {
        Fixture f = Fixture.load("inception_score.npz");
        InceptionScore.Result r = InceptionScore.of(f.get("logits"), 10);
        double mean = f.get("is_mean_f64").getDouble(0);
        double std = f.get("is_std_f64").getDouble(0);
        assertEquals(mean, r.mean(), 1e-6 * mean);
        assertEquals(std, r.std(), 1e-6 * std);
    }

    @Test
    void streamingInChunksEqualsOneBatch() {
        Fixture f = Fixture.load("inception_score.npz");
        INDArray logits = f.get("logits");
        InceptionScore s = new InceptionScore(logits.size(0), 10, 1008);
        s.add(logits.get(NDArrayIndex.interval(0, 7), NDArrayIndex.all()));
        s.add(logits.get(NDArrayIndex.interval(7, 30), NDArrayIndex.all()));
        InceptionScore.Result whole = InceptionScore.of(logits, 10);
        assertEquals(whole.mean(), s.result().mean(), 1e-12 * whole.mean());
        assertEquals(whole.std(), s.result().std(), 1e-12 * whole.mean());
    }

    @Test
    void identicalConfidentPredictionsScoreOne() {
        INDArray logits = Nd4j.zeros(20, 1008);
        logits.getColumn(5).assign(30.0);
        assertEquals(1.0, InceptionScore.of(logits, 10).mean(), 1e-9);
    }

    @Test
    void refusesAResultBeforeAllSamplesArrived() {
        InceptionScore s = new InceptionScore(20, 10, 1008);
        s.add(Nd4j.zeros(5, 1008));
        assertThrows(IllegalStateException.class, s::result);
    }
}
