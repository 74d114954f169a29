package org.pmf.io.shard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code count} consecutive examples of a shard: {@code pixels} is [count, L, P] uint8 in C order,
 * {@code labels} the class indices.
 */
public record ShardBatch(ShardHeader header, int count, byte[] pixels, int[] labels) {

    /** The patches as a UINT8 array of shape [count, L, P]. */
    public INDArray patchesUint8() {
        ByteBuffer direct = ByteBuffer.allocateDirect(pixels.length).order(ByteOrder.nativeOrder());
        direct.put(pixels).rewind();
        return Nd4j.create(Nd4j.createBuffer(direct, DataType.UINT8, pixels.length),
                new long[] {count, header.patches(), header.patchDim()});
    }

    /** The labels as an INT32 vector of length count. */
    public INDArray labelsInt32() {
        return Nd4j.createFromArray(labels.clone());
    }

    /** Example {@code i}'s L*P bytes. */
    public byte[] example(int i) {
        int size = header.exampleBytes();
        return Arrays.copyOfRange(pixels, i * size, (i + 1) * size);
    }
}
