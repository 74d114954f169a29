package org.pmf.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pmf.config.ConfigLoader;
import org.pmf.config.ConfigSection;

class ToyCellsTest {

    /** A tiny table: two dims, a narrow MLP and a few steps, so both runs take seconds. */
    private static ToyOptions tiny() {
        ToyOptions o = ToyOptions.fromConfig(ConfigSection.of(ConfigLoader.load(null, Map.of()), "pmf.toy"));
        return o.withDims(List.of(2, 8)).withSteps(20).withEvalSamples(200).withTrain(o.train().withHidden(16).withBatch(16));
    }

    @Test
    void cellsGiveTheSameResultsInTableOrderWhetherTrainedOneOrTwoAtATime() {
        List<ToyExperiment.Result> one = ToyCells.run(tiny(), 1, System.out, r -> { });
        List<ToyExperiment.Result> two = ToyCells.run(tiny(), 2, System.out, r -> { });
        assertEquals(4, two.size());
        for (int i = 0; i < one.size(); i++) {
            ToyExperiment.Result a = one.get(i);
            ToyExperiment.Result b = two.get(i);
            assertEquals(i < 2 ? 2 : 8, b.dim(), "table order: dims as listed");
            assertEquals(i % 2 == 0 ? PredictionKind.X_PREDICTION : PredictionKind.U_PREDICTION, b.kind(), "table order: x-pred, then u-pred");
            assertEquals(a.dim(), b.dim());
            assertEquals(a.kind(), b.kind());
            assertArrayEquals(a.samples(), b.samples(), "D = " + a.dim() + " " + a.kind().label());
            assertEquals(a.chamfer(), b.chamfer());
        }
    }
}
