package org.pmf.dataprep.image;

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
}
