package org.pmf.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.dataprep.image.RgbImage;

/** data-prep's byte-level patch cutting agrees with core's project-wide {@link org.pmf.data.PatchLayout}. */
class PatchLayoutAgreementTest {

    @Test
    void bytePatchifyEqualsCorePatchLayoutOnUint8Images() {
        int size = 32;
        int patch = 8;
        byte[] rgb = new byte[size * size * 3];
        new Random(3).nextBytes(rgb);
        byte[] ours = PatchLayout.patchify(new RgbImage(size, size, rgb), patch);

        ByteBuffer direct = ByteBuffer.allocateDirect(rgb.length).order(ByteOrder.nativeOrder());
        direct.put(rgb).rewind();
        INDArray image = Nd4j.create(Nd4j.createBuffer(direct, DataType.UINT8, rgb.length), new long[] {1, size, size, 3});
        INDArray core = org.pmf.data.PatchLayout.rgb(size, patch).patchify(image);

        assertEquals(16, core.size(1));
        assertEquals(192, core.size(2));
        for (int l = 0; l < 16; l++) {
            for (int v = 0; v < 192; v++) {
                assertEquals(ours[l * 192 + v] & 0xff, core.getInt(0, l, v), "patch " + l + " value " + v);
            }
        }
    }
}
