package org.pmf.perceptual;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ResamplerTest {

    private static void assertMatches(String which, Resampler.Kernel kernel) {
        Fixture f = Fixture.load("resize.npz");
        INDArray in = f.get(which + "_in");
        INDArray expected = f.get(which + "_out");
        INDArray out = Resampler.resize(in, (int) expected.size(2), (int) expected.size(3), kernel);
        double err = Fixture.relativeError(out, expected);
        assertTrue(err < 1e-5, which + ": relative error " + err);
    }

    @Test
    void shrinkingMatchesPytorchAntialiasedBicubic() {
        assertMatches("down", Resampler.Kernel.BICUBIC_ANTIALIAS);
    }

    @Test
    void enlargingMatchesPytorchAntialiasedBicubic() {
        assertMatches("up", Resampler.Kernel.BICUBIC_ANTIALIAS);
    }

    @Test
    void bilinearMatchesPytorchWithoutAntialias() {
        assertMatches("bilinear", Resampler.Kernel.BILINEAR);
    }

    @Test
    void cropThenResizeEqualsResizingTheCroppedImage() {
        INDArray img = Nd4j.rand(DataType.DOUBLE, 2, 3, 20, 17);
        INDArray rows = Resampler.cropAxis(20, 3, 11, 9, Resampler.Kernel.BICUBIC_ANTIALIAS, DataType.DOUBLE);
        INDArray cols = Resampler.cropAxis(17, 5, 12, 9, Resampler.Kernel.BICUBIC_ANTIALIAS, DataType.DOUBLE);
        INDArray viaMatrices = Resampler.apply(img, rows, cols);
        INDArray cropped = img.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 14), org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 17));
        INDArray direct = Resampler.resize(cropped.dup(), 9, 9, Resampler.Kernel.BICUBIC_ANTIALIAS);
        assertTrue(Fixture.relativeError(viaMatrices, direct) < 1e-12);
    }
}
