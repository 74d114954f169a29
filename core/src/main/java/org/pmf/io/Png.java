package org.pmf.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * PNG encoding with the JDK's own encoder: the same pixels always give the same bytes (no
 * timestamps or other varying chunks), so exported images and grids are reproducible.
 */
public final class Png {

    private Png() {
    }

    /** Writes the image as PNG; the stream is flushed, not closed. */
    public static void write(BufferedImage image, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("this Java runtime has no PNG writer");
        }
        ImageWriter writer = writers.next();
        // An explicit in-memory cache: ImageIO.write would otherwise spill to temporary files.
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(image);
        } finally {
            writer.dispose();
        }
        out.flush();
    }

    /** One uint8 HWC RGB image {@code [H, W, 3]} as an 8-bit RGB picture. */
    public static BufferedImage rgbImage(INDArray hwc) {
        long[] s = hwc.shape();
        if (s.length != 3 || s[2] != 3 || hwc.dataType() != DataType.UBYTE) {
            throw new IllegalArgumentException("an RGB image must be uint8 [H, W, 3], got " + hwc.dataType() + " "
                    + Arrays.toString(s));
        }
        byte[] rgb = new byte[(int) hwc.length()];
        hwc.dup('c').data().asNio().get(0, rgb);
        return rgbImage(rgb, 0, (int) s[0], (int) s[1]);
    }

    /**
     * An 8-bit RGB picture from {@code h*w*3} bytes of HWC RGB data starting at {@code offset}
     * (one image of a batch without going through ND4J per image, which costs milliseconds).
     */
    public static BufferedImage rgbImage(byte[] rgb, int offset, int h, int w) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < h * w * 3; i += 3) {
            bgr[i] = rgb[offset + i + 2];
            bgr[i + 1] = rgb[offset + i + 1];
            bgr[i + 2] = rgb[offset + i];
        }
        return image;
    }
}
