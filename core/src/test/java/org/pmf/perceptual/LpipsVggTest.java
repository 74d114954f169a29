package org.pmf.perceptual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LpipsVggTest {

    private static final Set<String> NOT_WEIGHTS = Set.of("input0", "input1", "distance", "width_divisor");

    @Test
    void matchesTorchvisionVggWithLpipsHeadsWithin1e4Relative() {
        Fixture f = Fixture.load("lpips.npz");
        PerceptualDistance lpips = LpipsVgg.load(f.weightsWithout(NOT_WEIGHTS), f.get("width_divisor").getInt(0), DataType.FLOAT);
        INDArray d = lpips.distance(f.get("input0"), f.get("input1"));
        assertArrayEquals(new long[] {2}, d.shape());
        double err = Fixture.relativeError(d, f.get("distance"));
        assertTrue(err < 1e-4, "relative error " + err + ": " + d + " vs " + f.get("distance"));
    }

    @Test
    void gradientHasTheImageShapeAndDistanceMatchesForwardOnly() {
        Fixture f = Fixture.load("lpips.npz");
        PerceptualDistance lpips = LpipsVgg.load(f.weightsWithout(NOT_WEIGHTS), 16, DataType.FLOAT);
        PerceptualDistance.DistanceGradient r = lpips.distanceAndGradient(f.get("input0"), f.get("input1"));
        assertArrayEquals(f.get("input0").shape(), r.gradient().shape());
        assertTrue(Fixture.relativeError(r.distance(), f.get("distance")) < 1e-4);
        assertTrue(r.gradient().amaxNumber().doubleValue() > 0);
    }

    @Test
    void networksBuiltFromOneWeightsFileShareTheirConstantsAndRunSideBySide() throws Exception {
        Fixture f = Fixture.load("lpips.npz");
        NamedWeights w = f.weightsWithout(NOT_WEIGHTS);
        int divisor = f.get("width_divisor").getInt(0);
        PerceptualDistance first = LpipsVgg.load(w, divisor, DataType.FLOAT);
        PerceptualDistance second = LpipsVgg.load(w, divisor, DataType.FLOAT);
        FrozenGraph g1 = new FrozenGraph(w, DataType.FLOAT);
        FrozenGraph g2 = new FrozenGraph(w, DataType.FLOAT);
        long[] shape = w.require("vgg.features.0.weight", 64 / divisor, 3, 3, 3).shape();
        assertSame(g1.weight("vgg.features.0.weight", shape).getArr(), g2.weight("vgg.features.0.weight", shape).getArr(),
            "one copy of each constant, whatever the number of graphs");

        try (org.pmf.parallel.Workers two = org.pmf.parallel.Workers.of(2)) {
            // single-threaded operations from here on, so the runs below add in one order
            PerceptualDistance.DistanceGradient alone = first.distanceAndGradient(f.get("input0"), f.get("input1"));
            java.util.List<PerceptualDistance.DistanceGradient> side = two.run(java.util.List.of(
                () -> first.distanceAndGradient(f.get("input0"), f.get("input1")),
                () -> second.distanceAndGradient(f.get("input0"), f.get("input1"))));
            for (PerceptualDistance.DistanceGradient r : side) {
                assertEquals(alone.distance(), r.distance());
                assertEquals(alone.gradient(), r.gradient());
            }
        }
    }

    @Test
    void refusesAFileWithAWronglyShapedTensorNamingIt() {
        Fixture f = Fixture.load("lpips.npz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LpipsVgg.load(f.weightsWithout(NOT_WEIGHTS), 8, DataType.FLOAT));
        assertTrue(e.getMessage().contains("vgg.features.0.weight"), e.getMessage());
    }

    @Test
    void refusesAFileWithTensorsTheNetworkDoesNotUse() {
        Fixture f = Fixture.load("lpips.npz");
        Map<String, INDArray> tensors = new LinkedHashMap<>(f.weightMap(NOT_WEIGHTS));
        tensors.put("classifier.0.weight", f.get("distance"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LpipsVgg.load(NamedWeights.of("extra.npz", tensors), 16, DataType.FLOAT));
        assertTrue(e.getMessage().contains("classifier.0.weight"), e.getMessage());
    }
}
