package org.pmf.dataprep.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
}
