package org.pmf.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The formats through real Hadoop FileSystem streams (the local file:// implementation, with checksums). */
class HadoopStreamsTest {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void safetensorsAndNpzRoundTripThroughHadoopStreams() throws IOException {
        FileSystem fs = FileSystem.get(tmp.toUri(), new Configuration());
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("w", Nd4j.randn(DataType.FLOAT, 4, 3));
        tensors.put("labels", Nd4j.createFromArray(3L, 1L));

        Path st = new Path(tmp.toUri().toString(), "run/step-00000001/weights.safetensors");
        try (OutputStream out = fs.create(st)) {
            Safetensors.write(out, tensors, Map.of("step", "1"), st.toString());
        }
        try (InputStream in = fs.open(st)) {
            Safetensors.Contents back = Safetensors.read(in, st.toString());
            assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
            assertArrayEquals(tensors.get("w").data().asFloat(), back.tensors().get("w").data().asFloat());
            assertEquals("1", back.metadata().get("step"));
        }

        Path npz = new Path(tmp.toUri().toString(), "fixtures/a.npz");
        try (OutputStream out = fs.create(npz)) {
            Npz.write(out, tensors, true, npz.toString());
        }
        try (InputStream in = fs.open(npz)) {
            assertArrayEquals(new long[] {3, 1}, Npz.read(in, npz.toString()).longs("labels"));
        }
        // What Hadoop wrote is a plain file the java.nio reader accepts too.
        assertEquals(tensors.get("w"), Npz.read(java.nio.file.Path.of(npz.toUri())).get("w"));
        assertTrue(Files.exists(java.nio.file.Path.of(st.toUri())));
    }
}
