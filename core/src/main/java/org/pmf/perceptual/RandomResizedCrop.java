package org.pmf.perceptual;

import java.util.random.RandomGenerator;

/**
 * The crop window of a random-resized crop, drawn as torchvision's {@code RandomResizedCrop} does:
 * area fraction uniform in [minArea, maxArea], aspect ratio log-uniform in [minAspect, maxAspect],
 * up to 10 tries for a window that fits, else the central crop clamped to the aspect range. The same
 * window is applied to a prediction and its target (pmf-method.md section 1.6).
 */
public record RandomResizedCrop(double minArea, double maxArea, double minAspect, double maxAspect) implements java.io.Serializable {

    /** A window: rows [top, top + height), columns [left, left + width). */
    public record Window(int top, int left, int height, int width) {
    }

    public RandomResizedCrop {
        if (!(minArea > 0 && minArea <= maxArea && maxArea <= 1)) {
            throw new IllegalArgumentException("crop area range must satisfy 0 < min <= max <= 1, got [" + minArea + ", " + maxArea + "]");
        }
        if (!(minAspect > 0 && minAspect <= maxAspect)) {
            throw new IllegalArgumentException("crop aspect range must satisfy 0 < min <= max, got [" + minAspect + ", " + maxAspect + "]");
        }
    }

    public Window sample(int height, int width, RandomGenerator rng) {
        double area = (double) height * width;
        double logMin = Math.log(minAspect);
        double logMax = Math.log(maxAspect);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minArea + (maxArea - minArea) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.round(Math.sqrt(target * aspect));
            int h = (int) Math.round(Math.sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int top = rng.nextInt(height - h + 1);
                int left = rng.nextInt(width - w + 1);
                return new Window(top, left, h, w);
            }
        }
        double ratio = (double) width / height;
        int w = width;
        int h = height;
        if (ratio < minAspect) {
            h = (int) Math.round(w / minAspect);
        } else if (ratio > maxAspect) {
            w = (int) Math.round(h * maxAspect);
        }
        return new Window((height - h) / 2, (width - w) / 2, h, w);
    }
}
