package org.pmf.dataprep.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our decode + ADM center crop against PIL's, on the fixtures made by
 * src/test/python/make_pil_parity_fixtures.py with Debian's python3-pil.
 */
class PilParityTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PilParityTest.class.getResourceAsStream("/pil-parity/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource pil-parity/" + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void preprocessedPixelsEqualPilOnAtLeast999PerMilleAndNeverDifferByMoreThanOne() throws Exception {
        String[] cases = new String(resource("cases.txt"), StandardCharsets.US_ASCII).trim().split("\n");
        assertTrue(cases.length >= 20, "at least 20 fixture cases");
        long values = 0;
        long equal = 0;
        List<String> worse = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        for (String c : cases) {
            String[] parts = c.trim().split(" ");
            String file = parts[0];
            int size = Integer.parseInt(parts[1]);
            byte[] expected = resource(file + "." + size + ".rgb");
            RgbImage ours = AdmCenterCrop.apply(ImageDecoder.decode(resource(file)), size);
            assertEquals(size, ours.width(), file);
            assertEquals(size, ours.height(), file);
            int maxDiff = 0;
            int same = 0;
            for (int i = 0; i < expected.length; i++) {
                int d = Math.abs((expected[i] & 0xff) - (ours.rgb()[i] & 0xff));
                maxDiff = Math.max(maxDiff, d);
                same += d == 0 ? 1 : 0;
            }
            values += expected.length;
            equal += same;
            summary.append(String.format("%-36s %3d: %5d/%5d equal, max diff %d%n", file, size, same, expected.length, maxDiff));
            if (maxDiff > 1) {
                worse.add(file + " at " + size + " (max diff " + maxDiff + ")");
            }
        }
        System.out.print(summary);
        double fraction = (double) equal / values;
        System.out.printf("overall: %d of %d values equal (%.5f)%n", equal, values, fraction);
        assertTrue(worse.isEmpty(), "differ by more than 1 from PIL: " + worse);
        assertTrue(fraction >= 0.999, "only " + fraction + " of values equal PIL's");
    }

    /**
     * PIL's convert("RGB") ignores an embedded ICC profile; ImageIO would colour-convert from it
     * (Adobe RGB fixtures were up to 131 levels off, embedded sRGB 1 level) or reject an invalid
     * one. The tolerance above would let the sRGB case slip through, so these must be exact.
     */
    @Test
    void embeddedIccProfilesAreIgnoredExactlyAsPilDoes() throws Exception {
        int checked = 0;
        for (String c : new String(resource("cases.txt"), StandardCharsets.US_ASCII).trim().split("\n")) {
            String[] parts = c.trim().split(" ");
            if (!parts[0].startsWith("icc_")) {
                continue;
            }
            int size = Integer.parseInt(parts[1]);
            RgbImage ours = AdmCenterCrop.apply(ImageDecoder.decode(resource(parts[0])), size);
            assertArrayEquals(resource(parts[0] + "." + size + ".rgb"), ours.rgb(), parts[0]);
            checked++;
        }
        assertTrue(checked >= 7, "ICC fixture cases: " + checked);
    }

    @Test
    void iccProfileSegmentsAreCutOutAndNothingElse() throws Exception {
        byte[] split = resource("icc_adobe_rgb_2_markers.JPEG");
        JpegMarkers markers = JpegMarkers.scan(split);
        assertEquals(4, markers.iccSegments().length, "two APP2 ICC_PROFILE segments");
        byte[] cut = markers.withoutIccProfile(split);
        int removed = markers.iccSegments()[1] - markers.iccSegments()[0] + markers.iccSegments()[3] - markers.iccSegments()[2];
        assertEquals(split.length - removed, cut.length);
        assertEquals(0, JpegMarkers.scan(cut).iccSegments().length);
        assertEquals(-1, new String(cut, StandardCharsets.ISO_8859_1).indexOf("ICC_PROFILE"));
        assertArrayEquals(Arrays.copyOfRange(split, markers.iccSegments()[3], split.length),
                Arrays.copyOfRange(cut, cut.length - (split.length - markers.iccSegments()[3]), cut.length), "scan data kept");
        byte[] plain = resource("rgb_444.JPEG");
        assertSame(plain, JpegMarkers.scan(plain).withoutIccProfile(plain), "no copy without a profile");
    }
}
