package org.pmf.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ArrayStreamsTest {

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    private static Map<String, INDArray> awkwardArrays() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("params", Nd4j.rand(DataType.FLOAT, 3, 5));
        m.put("double", Nd4j.rand(DataType.DOUBLE, 7));
        m.put("count", Nd4j.scalar(DataType.LONG, 42L));
        m.put("f-order", Nd4j.rand(DataType.FLOAT, 'f', 4, 3));
        m.put("view", Nd4j.rand(DataType.FLOAT, 6, 6).get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 5)));
        m.put("empty", Nd4j.create(DataType.FLOAT, 0));
        return m;
    }

    private static void assertSameArrays(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "names in order");
        expected.forEach((k, v) -> {
            INDArray a = actual.get(k);
            assertEquals(v.dataType(), a.dataType(), k);
            assertArrayEquals(v.shape(), a.shape(), k);
            assertEquals(v, a, k);
        });
    }

    @Test
    void everyDataTypeShapeLayoutAndViewComesBackIdentical() throws Exception {
        Map<String, INDArray> arrays = awkwardArrays();
        TrainerState state = roundTrip(new TrainerState(arrays, 3, 12, 96));
        assertEquals(3, state.round());
        assertEquals(12, state.step());
        assertEquals(96, state.examples());
        assertSameArrays(arrays, state.arrays());
    }

    @Test
    void arraysLargerThanOneChunkTravelInPiecesOnBothSides() throws Exception {
        Map<String, INDArray> arrays = Map.of("big", Nd4j.rand(DataType.FLOAT, ArrayStreams.DEFAULT_CHUNK + 1234));
        // the writer cuts 1000-element chunks, the reader its own DEFAULT_CHUNK ones
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            ArrayStreams.write(out, arrays, 1000);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertSameArrays(arrays, ArrayStreams.read(in));
        }
        assertSameArrays(arrays, roundTrip(new TrainerState(arrays, 0, 0, 0)).arrays());
    }

    @Test
    void aTaskResultKeepsItsArraysAndCountersThroughSerialisation() throws Exception {
        Map<String, INDArray> arrays = awkwardArrays();
        arrays.remove("count");
        arrays.remove("empty");
        TaskResult r = new TaskResult(arrays, Map.of("loss", 1.5), 4, 32, 100, 7, List.of("partition 1, step 3: loss = NaN"));
        TaskResult back = roundTrip(r);
        assertEquals(1, back.tasks());
        assertEquals(32, back.examples());
        assertEquals(100, back.computeNanos());
        assertEquals(7, back.ioNanos());
        assertEquals(List.of("partition 1, step 3: loss = NaN"), back.nonFinite());
        assertEquals(Map.of("loss", 1.5 / 4), back.meanMetrics());
        assertSameArrays(arrays, back.averagedState());
    }
}
