package org.pmf.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The mapping between stored uint8 pixels and the model's values in [-1, 1]: {@code x/127.5 - 1}
 * on the way in, and on the way out exactly what the official sampler does,
 * {@code uint8(clip(127.5 x + 128, 0, 255))} (truncation; the +128 rather than +127.5 makes the
 * truncation round to nearest, so every uint8 value survives the round trip).
 */
public final class PixelRange {

    private PixelRange() {
    }

    /** uint8 (or any integer) pixels to values in [-1, 1] of the given floating type. */
    public static INDArray toModel(INDArray pixels, DataType type) {
        if (!type.isFPType()) {
            throw new IllegalArgumentException("model values need a floating type, got " + type);
        }
        // castTo returns the same array when the type already matches: div, not divi, keeps the input intact.
        return pixels.castTo(type).div(127.5).subi(1.0);
    }

    /** Model values to uint8 pixels; a NaN or infinite value is an error (the official sampler asserts the same). */
    public static INDArray toUint8(INDArray values) {
        INDArray scaled = values.castTo(values.dataType().isFPType() ? values.dataType() : DataType.FLOAT)
                .mul(127.5).addi(128.0);
        if (scaled.isInfinite().any() || scaled.isNaN().any()) {
            throw new IllegalArgumentException("image values contain NaN or infinity; cannot convert to pixels");
        }
        return Transforms.floor(Transforms.min(Transforms.max(scaled, 0.0, false), 255.0, false), false)
                .castTo(DataType.UBYTE);
    }
}
