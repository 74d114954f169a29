package org.pmf.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.io.NpzArchive;

class PrecisionRecallTest {

    @Test
    void identicalSetsHavePrecisionAndRecallOne() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 200, 10);
        PrecisionRecall.Result r = PrecisionRecall.of(x, x.dup(), 3);
        assertEquals(1.0, r.precision());
        assertEquals(1.0, r.recall());
    }

    @Test
    void farApartSetsHavePrecisionAndRecallZero() {
        Nd4j.getRandom().setSeed(4);
        INDArray real = Nd4j.randn(DataType.DOUBLE, 150, 6);
        INDArray generated = Nd4j.randn(DataType.DOUBLE, 120, 6).addi(100.0);
        PrecisionRecall.Result r = PrecisionRecall.of(real, generated, 3);
        assertEquals(0.0, r.precision());
        assertEquals(0.0, r.recall());
    }

    @Test
    void aSubsetOfTheRealSetHasFullPrecisionButPartialRecall() {
        // Generated = the real points of one half-space only: every generated point is a real point
        // (precision 1), and real points far on the other side are outside every generated ball.
        Nd4j.getRandom().setSeed(5);
        INDArray real = Nd4j.randn(DataType.DOUBLE, 300, 4);
        int kept = 0;
        INDArray generated = Nd4j.create(DataType.DOUBLE, 300, 4);
        for (int i = 0; i < 300; i++) {
            if (real.getDouble(i, 0) > 0) {
                generated.putRow(kept++, real.getRow(i));
            }
        }
        INDArray subset = generated.get(NDArrayIndex.interval(0, kept), NDArrayIndex.all());
        PrecisionRecall.Result r = PrecisionRecall.of(real, subset, 3);
        assertEquals(1.0, r.precision());
        assertTrue(r.recall() < 0.8 && r.recall() > 0.3, "recall " + r.recall());
    }

    @Test
    void overlappingCloudsMatchTheBruteForceNumpyReference() {
        NpzArchive f = EvalFixture.load("precision_recall.npz");
        PrecisionRecall.Result r = PrecisionRecall.of(f.get("real"), f.get("generated"), 3);
        assertEquals(f.get("precision").getDouble(0), r.precision(), 1e-12);
        assertEquals(f.get("recall").getDouble(0), r.recall(), 1e-12);
    }

    @Test
    void blocksLargerThanOneBlockGiveTheSameAnswerAsTheFirstRowsAlone() {
        // 1,100 rows cross the 512-row block boundary twice; each query row is scored independently.
        Nd4j.getRandom().setSeed(6);
        INDArray real = Nd4j.randn(DataType.DOUBLE, 1100, 5);
        INDArray generated = Nd4j.randn(DataType.DOUBLE, 1100, 5).muli(1.3);
        FeatureManifold m = FeatureManifold.of(real, 3);
        boolean[] all = m.covers(generated);
        boolean[] head = m.covers(generated.get(NDArrayIndex.interval(1000, 1100), NDArrayIndex.all()));
        for (int i = 0; i < 100; i++) {
            assertEquals(all[1000 + i], head[i], "row " + (1000 + i));
        }
    }

    @Test
    void tooFewPointsForKAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.of(Nd4j.zeros(DataType.DOUBLE, 3, 2), Nd4j.zeros(DataType.DOUBLE, 10, 2), 3));
    }
}
