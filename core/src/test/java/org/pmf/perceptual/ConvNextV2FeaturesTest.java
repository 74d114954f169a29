package org.pmf.perceptual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvNextV2FeaturesTest {

    private static final Set<String> NOT_WEIGHTS = Set.of("input", "features", "dims", "depths");

    private static ConvNextV2Features.Shape shape(Fixture f) {
        return new ConvNextV2Features.Shape(f.get("dims").toLongVector(), f.get("depths").toIntVector());
    }

    @Test
    void featuresMatchTheReferenceConvNextV2StackWithin1e4Relative() {
        Fixture f = Fixture.load("convnext.npz");
        FrozenGraph g = new FrozenGraph(f.weightsWithout(NOT_WEIGHTS), DataType.FLOAT);
        SDVariable x = g.sd.placeHolder("x", DataType.FLOAT, -1, 3, -1, -1);
        SDVariable features = ConvNextV2Features.features(g, x, shape(f)).rename("features");
        INDArray out = g.sd.output(java.util.Map.of("x", f.get("input")), "features").get("features");
        assertArrayEquals(f.get("features").shape(), out.shape());
        double err = Fixture.relativeError(out, f.get("features"));
        assertTrue(err < 1e-4, "relative error " + err);
    }

    @Test
    void distanceIsTheSquaredFeatureDifferenceAndZeroForEqualImages() {
        Fixture f = Fixture.load("convnext.npz");
        PerceptualDistance cnx = ConvNextV2Features.load(f.weightsWithout(NOT_WEIGHTS), shape(f), DataType.FLOAT);
        INDArray x = f.get("input");
        INDArray swapped = Nd4j.concat(0, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)),
            x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)));
        INDArray feats = f.get("features");
        INDArray diff = feats.getRow(0).sub(feats.getRow(1));
        double expected = diff.mul(diff).sumNumber().doubleValue();
        INDArray d = cnx.distance(x, swapped);
        assertTrue(Math.abs(d.getDouble(0) - expected) < 1e-4 * expected, d + " vs " + expected);
        assertTrue(Math.abs(d.getDouble(1) - expected) < 1e-4 * expected, d + " vs " + expected);
        assertTrue(cnx.distance(x, x.dup()).amaxNumber().doubleValue() < 1e-6 * expected);
    }
}
