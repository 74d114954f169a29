package org.pmf.dataprep.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes a file's bytes to RGB the way {@code PIL.Image.open(f).convert("RGB")} does: the format
 * is found from the content, not the name (ImageNet has a PNG called .JPEG); grey is replicated;
 * CMYK JPEGs (Adobe, stored inverted as Photoshop writes them, or YCCK) are converted with PIL's
 * integer formula; PNG alpha is dropped and palettes are looked up; EXIF orientation and embedded
 * ICC profiles are ignored.
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    public static RgbImage decode(byte[] data) throws BadImageException {
        if (data.length == 0) {
            throw new BadImageException("empty file (0 bytes)");
        }
        try {
            if (isJpeg(data)) {
                return decodeJpeg(data);
            }
            if (isPng(data)) {
                return decodePng(data);
            }
        } catch (IOException | RuntimeException e) {
            throw new BadImageException("corrupt or truncated image: " + e, e);
        }
        throw new BadImageException("not an image: content is neither JPEG nor PNG");
    }

    private static boolean isJpeg(byte[] d) {
        return d.length >= 3 && (d[0] & 0xff) == 0xff && (d[1] & 0xff) == 0xd8 && (d[2] & 0xff) == 0xff;
    }

    private static boolean isPng(byte[] d) {
        return d.length >= 8 && (d[0] & 0xff) == 0x89 && d[1] == 'P' && d[2] == 'N' && d[3] == 'G';
    }

    private static final ThreadLocalReader JPEG = new ThreadLocalReader("jpeg");
    private static final ThreadLocalReader PNG = new ThreadLocalReader("png");

    private static RgbImage decodeJpeg(byte[] data) throws IOException, BadImageException {
        JpegMarkers markers = JpegMarkers.scan(data);
        int components = markers.components();
        if (components != 1 && components != 3 && components != 4) {
            throw new BadImageException("unsupported JPEG with " + components + " components");
        }
        // PIL's convert("RGB") ignores an embedded ICC profile (it only lands in img.info), but
        // ImageIO's JPEG reader colour-converts colour JPEGs from the profile to the destination's
        // sRGB (Adobe RGB files came out up to 131 levels off; even an embedded sRGB profile moved
        // values by 1) and reports an unparsable profile as a warning, which we would reject as a
        // truncated file. So the reader never sees the profile: its APP2 segments are cut out.
        // Grey and CMYK (read as a raw raster) were not converted, but are cut the same way.
        data = markers.withoutIccProfile(data);
        ImageReader reader = JPEG.get();
        boolean ok = false;
        try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
            reader.setInput(in, true, false);
            JpegWarnings warnings = new JpegWarnings();
            reader.addIIOReadWarningListener(warnings);
            RgbImage image;
            if (components == 4) {
                image = CmykToRgb.convert(reader.readRaster(0, null), markers.adobeTransform());
            } else if (components == 3) {
                image = fromBufferedImage(reader.read(0, packedRgbDestination(reader)));
            } else {
                image = fromBufferedImage(reader.read(0));
            }
            warnings.throwIfTruncated();
            ok = true;
            return image;
        } finally {
            finish(JPEG, reader, ok);
        }
    }

    /**
     * Decode colour JPEGs straight into packed R, G, B rows. The reader's default destination is
     * TYPE_3BYTE_BGR, so each scanline libjpeg hands over (R, G, B) was swizzled into BGR by a slow
     * per-pixel raster copy and then swizzled back by us. Still an sRGB colour model, so the reader
     * applies exactly the colour handling it applies to its default destination (none: the ICC
     * profile, the only thing it would convert from, has been cut out of the bytes).
     */
    private static ImageReadParam packedRgbDestination(ImageReader reader) throws IOException {
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(rgb, rgb.length), w, h, 3 * w, 3,
                new int[] {0, 1, 2}, null);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setDestination(new BufferedImage(SRGB, raster, false, null));
        return param;
    }

    private static final ColorModel SRGB = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
            Transparency.OPAQUE, DataBuffer.TYPE_BYTE);

    private static RgbImage decodePng(byte[] data) throws IOException, BadImageException {
        ImageReader reader = PNG.get();
        boolean ok = false;
        try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
            reader.setInput(in, true, false);
            RgbImage image = fromBufferedImage(reader.read(0));
            ok = true;
            return image;
        } finally {
            finish(PNG, reader, ok);
        }
    }

    private static void finish(ThreadLocalReader readers, ImageReader reader, boolean ok) {
        if (ok) {
            readers.release(reader);
        } else {
            readers.discard(reader);
        }
    }

    /** Reads samples from the raster, never through the colour model, so no ICC conversion sneaks in. */
    static RgbImage fromBufferedImage(BufferedImage img) throws BadImageException {
        Raster raster = img.getRaster();
        int w = img.getWidth();
        int h = img.getHeight();
        if (img.getColorModel() instanceof IndexColorModel palette) {
            byte[] out = new byte[w * h * 3];
            int[] idx = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < idx.length; i++) {
                out[3 * i] = (byte) palette.getRed(idx[i]);
                out[3 * i + 1] = (byte) palette.getGreen(idx[i]);
                out[3 * i + 2] = (byte) palette.getBlue(idx[i]);
            }
            return new RgbImage(w, h, out);
        }
        if (raster.getSampleModel().getSampleSize(0) != 8 || !(raster.getDataBuffer() instanceof DataBufferByte)) {
            throw new BadImageException("unsupported sample depth " + raster.getSampleModel().getSampleSize(0) + " bits");
        }
        int bands = raster.getNumBands();
        if (bands == 1 || bands == 2) {
            byte[] out = new byte[w * h * 3];
            int[] grey = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < grey.length; i++) {
                out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = (byte) grey[i];
            }
            return new RgbImage(w, h, out);
        }
        if (raster.getSampleModel() instanceof ComponentSampleModel sm && raster.getParent() == null
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            byte[] src = ((DataBufferByte) raster.getDataBuffer()).getData();
            int[] offsets = sm.getBandOffsets();
            int pixelStride = sm.getPixelStride();
            int scanStride = sm.getScanlineStride();
            if (pixelStride == 3 && scanStride == 3 * w && src.length == 3 * w * h && raster.getDataBuffer().getOffset() == 0
                    && offsets[0] == 0 && offsets[1] == 1 && offsets[2] == 2) {
                // The JPEG reader's destination for YCbCr/RGB files is already packed R, G, B rows: no copy.
                return new RgbImage(w, h, src);
            }
            byte[] out = new byte[w * h * 3];
            int o = 0;
            for (int y = 0; y < h; y++) {
                int p = y * scanStride;
                for (int x = 0; x < w; x++, p += pixelStride) {
                    out[o++] = src[p + offsets[0]];
                    out[o++] = src[p + offsets[1]];
                    out[o++] = src[p + offsets[2]];
                }
            }
            return new RgbImage(w, h, out);
        }
        byte[] out = new byte[w * h * 3];
        int[] px = raster.getPixels(0, 0, w, h, (int[]) null);
        for (int i = 0, o = 0; o < out.length; i += bands) {
            out[o++] = (byte) px[i];
            out[o++] = (byte) px[i + 1];
            out[o++] = (byte) px[i + 2];
        }
        return new RgbImage(w, h, out);
    }
}
