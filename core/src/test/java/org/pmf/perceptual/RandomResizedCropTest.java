package org.pmf.perceptual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomResizedCropTest {

    @Test
    void windowsFitTheImageAndFollowTheAreaAndAspectRanges() {
        RandomResizedCrop crop = new RandomResizedCrop(0.08, 1.0, 3.0 / 4, 4.0 / 3);
        SplittableRandom rng = new SplittableRandom(11);
        double minFraction = 1;
        double maxFraction = 0;
        for (int n = 0; n < 2000; n++) {
            RandomResizedCrop.Window w = crop.sample(256, 256, rng);
            assertTrue(w.top() >= 0 && w.left() >= 0 && w.top() + w.height() <= 256 && w.left() + w.width() <= 256, w.toString());
            double fraction = (double) w.height() * w.width() / (256.0 * 256.0);
            double aspect = (double) w.width() / w.height();
            // rounding to whole pixels moves area and aspect slightly outside the drawn ranges
            assertTrue(fraction > 0.075 && fraction <= 1.0, w.toString());
            assertTrue(aspect > 0.74 && aspect < 1.35, w.toString());
            minFraction = Math.min(minFraction, fraction);
            maxFraction = Math.max(maxFraction, fraction);
        }
        assertTrue(minFraction < 0.1 && maxFraction > 0.9, minFraction + " .. " + maxFraction);
    }

    @Test
    void sameSeedGivesTheSameWindow() {
        RandomResizedCrop crop = new RandomResizedCrop(0.08, 1.0, 3.0 / 4, 4.0 / 3);
        assertEquals(crop.sample(64, 64, new SplittableRandom(5)), crop.sample(64, 64, new SplittableRandom(5)));
    }
}
