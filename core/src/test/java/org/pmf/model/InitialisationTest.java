package org.pmf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.nn.Param;

/** A fresh network follows pmf-method.md 3.2.6, and its optimizer roles follow the official Muon/AdamW split. */
class InitialisationTest {

    private final PmfNet net = PmfNet.create(PmfNetConfig.preset("small"), DataType.DOUBLE, true, 5);

    @Test
    void eachParameterKindHasItsOfficialInitialisation() {
        int d = 192;
        for (Param p : net.params().params()) {
            String n = p.name();
            INDArray v = p.value();
            if (n.endsWith("_scale") || n.contains("final_layer.linear") || n.endsWith(".bias")) {
                assertEquals(0.0, v.amaxNumber().doubleValue(), n + " starts at zero");
            } else if (n.contains("norm")) {
                assertEquals(1.0, v.minNumber().doubleValue(), n);
                assertEquals(1.0, v.maxNumber().doubleValue(), n);
            } else if (n.startsWith("shared_blocks") || n.startsWith("u_heads") || n.startsWith("v_heads")) {
                assertStd(n, v, 0.32 / Math.sqrt(p.shape()[0]));
            } else if (n.contains("_embedder.mlp")) {
                assertStd(n, v, 1 / Math.sqrt(p.shape()[0]));
            } else if (n.endsWith("_tokens") || n.startsWith("y_embedder")) {
                assertStd(n, v, 1 / Math.sqrt(d));
            } else if (n.equals("pos_embed")) {
                assertStd(n, v, 0.02);
            } else if (n.equals("x_embedder.proj1.weight")) {
                // Xavier uniform for a 4x4 convolution 3 -> 128: bound sqrt(6 / (48 + 128 * 16)).
                double bound = Math.sqrt(6.0 / (48 + 128 * 16));
                assertTrue(v.amaxNumber().doubleValue() <= bound && v.amaxNumber().doubleValue() > 0.9 * bound, n);
            } else if (n.equals("x_embedder.proj2.weight")) {
                double bound = Math.sqrt(6.0 / (128 + d));
                assertTrue(v.amaxNumber().doubleValue() <= bound && v.amaxNumber().doubleValue() > 0.9 * bound, n);
            } else {
                throw new AssertionError("parameter kind not covered by this test: " + n);
            }
        }
    }

    @Test
    void denseKernelsAreMuonMatricesAndEverythingElseIsAdamW() {
        for (Param p : net.params().params()) {
            String n = p.name();
            boolean dense = n.endsWith(".weight") && p.shape().length == 2 && !n.startsWith("x_embedder")
                && !n.startsWith("y_embedder");
            assertEquals(dense ? Param.Role.MATRIX : Param.Role.OTHER, p.role(), n);
        }
    }

    private static void assertStd(String name, INDArray v, double expected) {
        double std = v.stdNumber().doubleValue();
        assertTrue(Math.abs(std / expected - 1) < 0.1, name + ": std " + std + ", expected " + expected);
        assertTrue(Math.abs(v.meanNumber().doubleValue()) < 0.1 * expected + 1e-12, name + " has mean near 0");
    }
}
