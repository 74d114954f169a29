package org.pmf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PixelRangeTest {

    private static INDArray allBytes() {
        int[] v = new int[256];
        for (int i = 0; i < 256; i++) {
            v[i] = i;
        }
        return Nd4j.createFromArray(v).castTo(DataType.UBYTE);
    }

    @Test
    void mapsZeroAnd255ToMinusOneAndOne() {
        INDArray m = PixelRange.toModel(allBytes(), DataType.FLOAT);
        assertEquals(DataType.FLOAT, m.dataType());
        assertEquals(-1f, m.getFloat(0));
        assertEquals(1f, m.getFloat(255));
        assertEquals(128 / 127.5 - 1, m.getFloat(128), 1e-7);
    }

    @Test
    void everyUint8ValueSurvivesTheRoundTripInFloatAndDouble() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray back = PixelRange.toUint8(PixelRange.toModel(allBytes(), t));
            assertEquals(DataType.UBYTE, back.dataType());
            assertArrayEquals(allBytes().data().asInt(), back.data().asInt(), t.toString());
        }
    }

    @Test
    void toUint8TruncatesAndClipsLikeTheOfficialSampler() {
        // uint8(clip(127.5 x + 128, 0, 255)): -1 -> 0.5 -> 0, 0 -> 128, 1 -> 255.5 -> 255,
        // 0.5 -> 191.75 -> 191, -0.999 -> 0.6275 -> 0, out-of-range values clip.
        INDArray x = Nd4j.createFromArray(-1f, 0f, 1f, 0.5f, -0.999f, -3f, 7f, 0.004f);
        assertArrayEquals(new int[] {0, 128, 255, 191, 0, 0, 255, 128}, PixelRange.toUint8(x).data().asInt());
    }

    @Test
    void inputsAreNeverModified() {
        INDArray floats = Nd4j.createFromArray(0f, 255f);
        PixelRange.toModel(floats, DataType.FLOAT);
        assertArrayEquals(new float[] {0f, 255f}, floats.toFloatVector());
        INDArray values = Nd4j.createFromArray(-1f, 1f);
        PixelRange.toUint8(values);
        assertArrayEquals(new float[] {-1f, 1f}, values.toFloatVector());
    }

    @Test
    void nonFiniteValuesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> PixelRange.toUint8(Nd4j.createFromArray(0f, Float.NaN)));
        assertThrows(IllegalArgumentException.class,
                () -> PixelRange.toUint8(Nd4j.createFromArray(Double.POSITIVE_INFINITY)));
    }
}
