package org.pmf.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.data.PatchLayout;

class ImageGridTest {

    private static INDArray randomImages(int n, int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, size, size, 3).muli(256).castTo(DataType.UBYTE);
    }

    private static byte[] png(ImageGrid grid) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        grid.writePng(out);
        return out.toByteArray();
    }

    private static int pixel(INDArray images, int n, int y, int x) {
        return images.getInt(n, y, x, 0) << 16 | images.getInt(n, y, x, 1) << 8 | images.getInt(n, y, x, 2);
    }

    @Test
    void placesEachImageRowMajorWithPaddingAndScaling() {
        INDArray images = randomImages(5, 4, 1);
        BufferedImage g = ImageGrid.ofImages(images).columns(3).padding(1).scale(2).render();
        // 3 columns of 8-pixel cells with 2-pixel gaps; 2 rows.
        assertEquals(2 + 3 * (8 + 2), g.getWidth());
        assertEquals(2 + 2 * (8 + 2), g.getHeight());
        for (int k = 0; k < 5; k++) {
            int x0 = 2 + (k % 3) * 10;
            int y0 = 2 + (k / 3) * 10;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    assertEquals(pixel(images, k, y / 2, x / 2), g.getRGB(x0 + x, y0 + y) & 0xFFFFFF);
                }
            }
        }
        assertEquals(0x202020, g.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x202020, g.getRGB(2 + 2 * 10 + 4, 2 + 10 + 4) & 0xFFFFFF, "empty sixth cell");
    }

    @Test
    void pngDecodesToTheRenderedPixelsAndIsByteIdenticalAcrossWrites() throws IOException {
        INDArray images = randomImages(6, 8, 2);
        ImageGrid grid = ImageGrid.ofImages(images).columns(3).rowLabels(List.of("omega=1.0", "class 7"));
        byte[] first = png(grid);
        assertArrayEquals(first, png(ImageGrid.ofImages(images.dup()).columns(3)
                .rowLabels(List.of("omega=1.0", "class 7"))));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(first));
        BufferedImage rendered = grid.render();
        assertEquals(rendered.getWidth(), decoded.getWidth());
        for (int y = 0; y < rendered.getHeight(); y++) {
            for (int x = 0; x < rendered.getWidth(); x++) {
                assertEquals(rendered.getRGB(x, y), decoded.getRGB(x, y));
            }
        }
    }

    @Test
    void rowLabelsAreDrawnInALeftMargin() {
        INDArray images = randomImages(4, 32, 3);
        BufferedImage plain = ImageGrid.ofImages(images).columns(2).render();
        BufferedImage labelled = ImageGrid.ofImages(images).columns(2).rowLabels(List.of("Ankle boot", "T-shirt/top"))
                .render();
        int margin = labelled.getWidth() - plain.getWidth();
        assertTrue(margin >= BitmapFont.width("T-shirt/top", 1), "margin " + margin);
        assertTrue(hasColor(labelled, 0, margin, 0xE0E0E0));
        assertFalse(hasColor(plain, 0, 2, 0xE0E0E0));
        assertEquals(plain.getRGB(5, 5), labelled.getRGB(margin + 5, 5), "images shift right by the margin");
    }

    @Test
    void patchesGiveTheSameGridAsTheirImages() throws IOException {
        PatchLayout layout = PatchLayout.rgb(8, 4);
        INDArray images = randomImages(3, 8, 4);
        assertArrayEquals(png(ImageGrid.ofImages(images).columns(2)),
                png(ImageGrid.ofPatches(layout.patchify(images), layout).columns(2)));
    }

    @Test
    void rejectsWrongInputs() {
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.ofImages(Nd4j.zeros(DataType.FLOAT, 1, 4, 4, 3)));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.ofImages(Nd4j.zeros(DataType.UBYTE, 1, 3, 4, 4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.ofImages(randomImages(4, 4, 5)).columns(2).rowLabels(List.of("only one")));
        assertTrue(e.getMessage().contains("1 row labels for 2 rows"), e.getMessage());
    }

    @Test
    void fontDrawsKnownGlyphsAndQuestionMarkForOthers() {
        BufferedImage a = new BufferedImage(5, 7, BufferedImage.TYPE_INT_RGB);
        BitmapFont.draw(a, "l", 0, 0, 0xFFFFFF, 1);
        BufferedImage upper = new BufferedImage(5, 7, BufferedImage.TYPE_INT_RGB);
        BitmapFont.draw(upper, "L", 0, 0, 0xFFFFFF, 1);
        // L: left column and bottom row inked, nothing else.
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 5; x++) {
                boolean ink = x == 0 || y == 6;
                assertEquals(ink ? 0xFFFFFF : 0, upper.getRGB(x, y) & 0xFFFFFF, "(" + x + "," + y + ")");
                assertEquals(upper.getRGB(x, y), a.getRGB(x, y), "lower case drawn as upper case");
            }
        }
        BufferedImage q = new BufferedImage(5, 7, BufferedImage.TYPE_INT_RGB);
        BitmapFont.draw(q, "?", 0, 0, 0xFFFFFF, 1);
        BufferedImage unknown = new BufferedImage(5, 7, BufferedImage.TYPE_INT_RGB);
        BitmapFont.draw(unknown, "\u00e9", 0, 0, 0xFFFFFF, 1);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(q.getRGB(x, y), unknown.getRGB(x, y));
            }
        }
        assertEquals(6 * 3 - 1, BitmapFont.width("abc", 1));
    }

    private static boolean hasColor(BufferedImage img, int x0, int x1, int rgb) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}
