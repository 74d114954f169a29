package org.pmf.dataprep.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageDecoderBadInputTest {

    private static byte[] fixtureJpeg() throws Exception {
        try (InputStream in = ImageDecoderBadInputTest.class.getResourceAsStream("/pil-parity/rgb_landscape_q90.JPEG")) {
            return in.readAllBytes();
        }
    }

    private static String reason(byte[] data) {
        return assertThrows(BadImageException.class, () -> ImageDecoder.decode(data)).getMessage();
    }

    @Test
    void zeroByteFileIsRejectedAsEmpty() {
        assertTrue(reason(new byte[0]).contains("empty"));
    }

    @Test
    void textFileIsRejectedAsNotAnImage() {
        assertTrue(reason("hello, not a picture".getBytes(StandardCharsets.US_ASCII)).contains("not an image"));
    }

    @Test
    void truncatedJpegIsRejectedLikePilDoes() throws Exception {
        byte[] jpeg = fixtureJpeg();
        String why = reason(Arrays.copyOf(jpeg, jpeg.length / 2));
        assertTrue(why.contains("truncated") || why.contains("corrupt"), why);
    }

    @Test
    void jpegWithGarbageAfterTheHeaderIsRejected() throws Exception {
        byte[] jpeg = fixtureJpeg();
        for (int i = 400; i < jpeg.length - 2; i++) {
            jpeg[i] = (byte) (i * 31);
        }
        reason(jpeg);
    }

    @Test
    void aThreadDecodesGoodImagesIdenticallyBeforeAndAfterBadOnes() throws Exception {
        // Readers are reused per thread; a failed read must not leave state behind.
        byte[] jpeg = fixtureJpeg();
        byte[] first = ImageDecoder.decode(jpeg).rgb();
        byte[] garbage = jpeg.clone();
        for (int i = 400; i < garbage.length - 2; i++) {
            garbage[i] = (byte) (i * 31);
        }
        reason(Arrays.copyOf(jpeg, jpeg.length / 2));
        assertArrayEquals(first, ImageDecoder.decode(jpeg).rgb());
        reason(garbage);
        assertArrayEquals(first, ImageDecoder.decode(jpeg).rgb());
        assertArrayEquals(first, ImageDecoder.decode(jpeg).rgb());
    }
}
