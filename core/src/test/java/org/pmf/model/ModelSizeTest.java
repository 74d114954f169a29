package org.pmf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Sizes from shapes: equal to the allocated networks', and within the paper's rounding of Tables 6 and 7. */
class ModelSizeTest {

    @Test
    void countEqualsTheAllocatedParameterSetsAndTheOfficialFixture() {
        for (String preset : new String[] {"tiny", "small"}) {
            PmfNetConfig c = PmfNetConfig.preset(preset);
            for (boolean v : new boolean[] {false, true}) {
                assertEquals(PmfNet.create(c, DataType.FLOAT, v, 0).params().size(), ModelSize.parameters(c, v), preset + " v-head " + v);
            }
        }
        // The official fixture's README: total_parameters 406560 for the tiny model with its v-head.
        assertEquals(406_560, ModelSize.parameters(PmfNetConfig.preset("tiny"), true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"B/16, 118, 33", "L/16, 410, 117", "H/16, 956, 271", "B/32, 120, 34", "L/32, 413, 117", "H/32, 959, 272"})
    void paperSizesMatchTheirParameterCountAndGflops(String preset, double paperMillions, double paperGflops) {
        PmfNetConfig c = PmfNetConfig.preset(preset);
        double millions = ModelSize.parameters(c, false) / 1e6;
        double gmacs = ModelSize.inferenceMacs(c) / 1e9;
        assertTrue(Math.abs(millions / paperMillions - 1) <= 0.005, preset + ": " + millions + "M parameters vs " + paperMillions + "M");
        assertTrue(Math.abs(gmacs / paperGflops - 1) <= 0.03, preset + ": " + gmacs + " GMACs vs " + paperGflops + " Gflops");
        assertTrue(ModelSize.parameters(c, true) > ModelSize.parameters(c, false) + 8 * ModelSize.blockParameters(c) - 1);
    }
}
