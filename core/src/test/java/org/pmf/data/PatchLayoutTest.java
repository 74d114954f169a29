package org.pmf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.io.Npz;
import org.pmf.io.NpzArchive;

class PatchLayoutTest {

    @Test
    void patchifyPlacesEveryPixelWhereTheLayoutDefinitionSays() {
        PatchLayout layout = new PatchLayout(12, 4, 3);
        int n = 2;
        int s = 12;
        int c = 3;
        INDArray images = Nd4j.rand(DataType.DOUBLE, n, s, s, c);
        INDArray patches = layout.patchify(images);
        assertArrayEquals(new long[] {n, 9, 48}, patches.shape());
        int g = 3;
        int p = 4;
        for (int k = 0; k < n; k++) {
            for (int gh = 0; gh < g; gh++) {
                for (int gw = 0; gw < g; gw++) {
                    for (int i = 0; i < p; i++) {
                        for (int j = 0; j < p; j++) {
                            for (int ch = 0; ch < c; ch++) {
                                assertEquals(images.getDouble(k, gh * p + i, gw * p + j, ch),
                                        patches.getDouble(k, gh * g + gw, (i * p + j) * c + ch));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void unpatchifyInvertsPatchifyForUint8AndFloat() {
        PatchLayout layout = PatchLayout.rgb(32, 8);
        INDArray u8 = Nd4j.rand(DataType.FLOAT, 3, 32, 32, 3).muli(255).castTo(DataType.UBYTE);
        INDArray p = layout.patchify(u8);
        assertEquals(DataType.UBYTE, p.dataType());
        assertArrayEquals(new long[] {3, 16, 192}, p.shape());
        assertEquals(u8, layout.unpatchify(p));
        INDArray f = Nd4j.randn(DataType.FLOAT, 2, 16, 192);
        assertEquals(f, layout.patchify(layout.unpatchify(f)));
    }

    @Test
    void matchesTheOfficialNetworksOutputPatchOrder() throws IOException {
        // The official model's final layer emits per-token vectors (i, j, c); x_hat_u is the same
        // numbers arranged as NCHW images by the official unpatchify.
        Path f = Path.of(System.getProperty("pmf.fixtures", "/work/shared/fixtures/pmf-official-torch"),
                "outputs64.npz");
        assertTrue(Files.isRegularFile(f), "missing golden fixture " + f);
        NpzArchive out = Npz.read(f);
        INDArray tokens = out.get("u_tokens");
        INDArray nhwc = out.get("x_hat_u").permute(0, 2, 3, 1);
        PatchLayout layout = PatchLayout.rgb(32, 4);
        assertEquals(nhwc.dup('c'), layout.unpatchify(tokens));
        assertEquals(tokens, layout.patchify(nhwc));
    }

    @Test
    void rejectsWrongShapesAndIndivisibleSizes() {
        PatchLayout layout = PatchLayout.rgb(32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layout.patchify(Nd4j.zeros(DataType.FLOAT, 1, 3, 32, 32)));
        assertTrue(e.getMessage().contains("[N, 32, 32, 3]") && e.getMessage().contains("[1, 3, 32, 32]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> layout.unpatchify(Nd4j.zeros(DataType.FLOAT, 1, 64, 47)));
        assertThrows(IllegalArgumentException.class, () -> PatchLayout.rgb(32, 5));
        assertEquals(64, layout.numPatches());
        assertEquals(48, layout.patchDim());
        assertEquals(8, layout.gridSize());
    }
}
