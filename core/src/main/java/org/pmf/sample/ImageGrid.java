package org.pmf.sample;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.data.PatchLayout;
import org.pmf.io.Png;

/**
 * Lays out uint8 RGB images in a grid and writes it as a PNG, optionally with a text label to the
 * left of each row (e.g. the class of the row, or the guidance scale). Images are placed in
 * row-major order, {@code columns} per row. The PNG goes to any {@link OutputStream} (a local file
 * or a Hadoop FileSystem stream), and the same images give the same bytes on every machine.
 *
 * <pre>
 *   ImageGrid.ofPatches(samples, layout).columns(8).rowLabels(names).scale(2).writePng(out);
 * </pre>
 */
public final class ImageGrid {

    private static final int BACKGROUND = 0x202020;
    private static final int LABEL_COLOR = 0xE0E0E0;

    private final INDArray images;
    private int columns;
    private int padding = 2;
    private int scale = 1;
    private List<String> rowLabels = List.of();

    private ImageGrid(INDArray images) {
        long[] s = images.shape();
        if (s.length != 4 || s[3] != 3 || s[1] != s[2] || images.dataType() != DataType.UBYTE || s[0] == 0) {
            throw new IllegalArgumentException("a grid needs uint8 RGB images [N>0, S, S, 3], got "
                    + images.dataType() + " " + Arrays.toString(s));
        }
        this.images = images;
        this.columns = (int) Math.ceil(Math.sqrt(s[0]));
    }

    /** From uint8 HWC images {@code [N, S, S, 3]}. */
    public static ImageGrid ofImages(INDArray images) {
        return new ImageGrid(images);
    }

    /** From uint8 patches {@code [N, L, p*p*3]} in the project's patch layout. */
    public static ImageGrid ofPatches(INDArray patches, PatchLayout layout) {
        return new ImageGrid(layout.unpatchify(patches));
    }

    /** Images per row (default: a near-square grid). */
    public ImageGrid columns(int columns) {
        if (columns <= 0) {
            throw new IllegalArgumentException("columns must be positive, got " + columns);
        }
        this.columns = columns;
        return this;
    }

    /** Pixels between images and around the grid, before scaling (default 2). */
    public ImageGrid padding(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        this.padding = padding;
        return this;
    }

    /** Integer upscaling of every image by pixel replication, for small images (default 1). */
    public ImageGrid scale(int scale) {
        if (scale <= 0 || scale > 64) {
            throw new IllegalArgumentException("scale must be in 1..64, got " + scale);
        }
        this.scale = scale;
        return this;
    }

    /** One label per row, drawn left of the row; must be set after {@link #columns}. */
    public ImageGrid rowLabels(List<String> labels) {
        if (!labels.isEmpty() && labels.size() != rows()) {
            throw new IllegalArgumentException(labels.size() + " row labels for " + rows() + " rows ("
                    + images.size(0) + " images, " + columns + " per row)");
        }
        this.rowLabels = new ArrayList<>(labels);
        return this;
    }

    public int rows() {
        return (int) ((images.size(0) + columns - 1) / columns);
    }

    /** The grid as a picture. */
    public BufferedImage render() {
        int n = (int) images.size(0);
        int size = (int) images.size(1);
        int cell = size * scale;
        int gap = padding * scale;
        // Labels grow with the tiles, from 7 pixels high beside 32-pixel tiles up to 4x that.
        int labelScale = Math.min(4, Math.max(1, cell / 32));
        int labelWidth = 0;
        for (String l : rowLabels) {
            labelWidth = Math.max(labelWidth, BitmapFont.width(l, labelScale));
        }
        int left = labelWidth == 0 ? gap : labelWidth + 2 * Math.max(gap, 2 * labelScale);
        int width = left + columns * cell + columns * gap;
        int height = gap + rows() * (cell + gap);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out.setRGB(x, y, BACKGROUND);
            }
        }
        int[] rgb = images.dup('c').castTo(DataType.INT).data().asInt();
        for (int k = 0; k < n; k++) {
            int x0 = left + (k % columns) * (cell + gap);
            int y0 = gap + (k / columns) * (cell + gap);
            for (int y = 0; y < cell; y++) {
                for (int x = 0; x < cell; x++) {
                    int o = ((k * size + y / scale) * size + x / scale) * 3;
                    out.setRGB(x0 + x, y0 + y, rgb[o] << 16 | rgb[o + 1] << 8 | rgb[o + 2]);
                }
            }
        }
        int labelLeft = Math.max(gap, 2 * labelScale);
        for (int r = 0; r < rowLabels.size(); r++) {
            int y0 = gap + r * (cell + gap) + (cell - BitmapFont.GLYPH_HEIGHT * labelScale) / 2;
            BitmapFont.draw(out, rowLabels.get(r), labelLeft, y0, LABEL_COLOR, labelScale);
        }
        return out;
    }

    /** Writes the grid as a PNG; the stream is flushed, not closed. */
    public void writePng(OutputStream out) throws IOException {
        Png.write(render(), out);
    }
}
