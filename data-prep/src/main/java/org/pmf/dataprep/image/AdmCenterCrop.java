package org.pmf.dataprep.image;

/**
 * ADM's {@code center_crop_arr} (guided-diffusion), the preprocessing the paper's FID numbers
 * assume: halve with PIL's BOX filter while the short side is at least twice the target, resize
 * with BICUBIC so the short side equals the target, crop the centre. Smaller images are upscaled.
 */
public final class AdmCenterCrop {

    private AdmCenterCrop() {
    }

    public static RgbImage apply(RgbImage image, int size) {
        while (Math.min(image.width(), image.height()) >= 2 * size) {
            image = PilResampler.resize(image, image.width() / 2, image.height() / 2, PilResampler.Filter.BOX);
        }
        double scale = (double) size / Math.min(image.width(), image.height());
        // Python's round() rounds halves to even, as Math.rint does.
        int width = (int) Math.rint(image.width() * scale);
        int height = (int) Math.rint(image.height() * scale);
        // Only the kept centre is computed; the values are those of resizing everything, then cropping.
        return PilResampler.resizeAndCrop(image, width, height, PilResampler.Filter.BICUBIC,
                (width - size) / 2, (height - size) / 2, size, size);
    }
}
