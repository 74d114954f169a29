package org.pmf.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pmf.perceptual.Fixture;

class FidInceptionTest {

    private static final Set<String> NOT_WEIGHTS = Set.of("input", "pool", "logits", "width_divisor");

    @Test
    void poolFeaturesAndLogitsMatchPytorchFidInceptionWithin1e4Relative() {
        Fixture f = Fixture.load("inception.npz");
        FidInception net = FidInception.load(f.weightsWithout(NOT_WEIGHTS), f.get("width_divisor").getInt(0));
        FidInception.Outputs out = net.run(f.get("input"));
        assertArrayEquals(f.get("pool").shape(), out.pool().shape());
        assertArrayEquals(f.get("logits").shape(), out.logits().shape());
        double poolErr = Fixture.relativeError(out.pool(), f.get("pool"));
        double logitErr = Fixture.relativeError(out.logits(), f.get("logits"));
        assertTrue(poolErr < 1e-4, "pool relative error " + poolErr);
        assertTrue(logitErr < 1e-4, "logits relative error " + logitErr);
    }
}
