package org.pmf.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlatValInputTest {

    @TempDir
    java.nio.file.Path tmp;

    private Path path(java.nio.file.Path p) {
        return new Path(p.toUri());
    }

    @Test
    void labelsComeFromGroundTruthIdsMappedToSortedWnids() throws IOException {
        java.nio.file.Path val = Files.createDirectories(tmp.resolve("val"));
        for (int i = 1; i <= 4; i++) {
            Files.write(val.resolve(String.format("ILSVRC2012_val_%08d.JPEG", i)), new byte[] {1});
        }
        Files.write(val.resolve("README.txt"), new byte[] {1});
        // ILSVRC2012_IDs 1..3 in devkit order are not sorted by wnid.
        Files.writeString(tmp.resolve("synsets.txt"), "n03 third\nn01 first\nn02 second\n");
        Files.writeString(tmp.resolve("gt.txt"), "1\n2\n3\n2\n");
        InputListing l = FlatValInput.list(FileSystem.getLocal(new Configuration()), path(val), path(tmp.resolve("gt.txt")), path(tmp.resolve("synsets.txt")));
        assertEquals(List.of("n01", "n02", "n03"), l.classes());
        assertEquals(4, l.images().size());
        assertEquals(List.of(2, 0, 1, 0), l.images().stream().map(ImageRef::label).toList());
        assertTrue(l.images().get(0).path().endsWith("ILSVRC2012_val_00000001.JPEG"));
    }

    @Test
    void imageWithoutAGroundTruthLineIsAnErrorNamingBoth() throws IOException {
        java.nio.file.Path val = Files.createDirectories(tmp.resolve("val"));
        Files.write(val.resolve("ILSVRC2012_val_00000009.JPEG"), new byte[] {1});
        Files.writeString(tmp.resolve("synsets.txt"), "n01\n");
        Files.writeString(tmp.resolve("gt.txt"), "1\n");
        IOException e = assertThrows(IOException.class, () -> FlatValInput.list(FileSystem.getLocal(new Configuration()), path(val),
                path(tmp.resolve("gt.txt")), path(tmp.resolve("synsets.txt"))));
        assertTrue(e.getMessage().contains("ILSVRC2012_val_00000009.JPEG") && e.getMessage().contains("gt.txt"), e.getMessage());
    }
}
