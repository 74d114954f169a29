package org.pmf.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pmf.io.Png;
import org.pmf.sample.BitmapFont;

/**
 * A PNG of metric curves against the training step on a log-10 y axis (losses span decades), one
 * colour per metric with its last value in the legend. Text is drawn with the built-in bitmap font,
 * so the image needs no system fonts and is the same bytes on every machine.
 */
public final class LossCurvePlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 400;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;
    private static final int[] COLOURS = {0x1F77B4, 0xD62728, 0x2CA02C, 0xFF7F0E, 0x9467BD, 0x8C564B, 0x17BECF};
    private static final int INK = 0x202020;

    private LossCurvePlot() {
    }

    /**
     * Plots metrics of {@code history} (those with at least one positive value) under a title.
     *
     * @param labelled metric name -> legend label, in legend order (the bitmap font has no lower case,
     *                 so names differing only in case, like mse_V and mse_v, need distinct labels)
     */
    public static BufferedImage render(MetricsHistory history, Map<String, String> labelled, String title) {
        List<String> metrics = new ArrayList<>(labelled.keySet());
        List<String> shown = new ArrayList<>();
        long minStep = Long.MAX_VALUE;
        long maxStep = Long.MIN_VALUE;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (String m : metrics) {
            boolean any = false;
            MetricsHistory.Series s = history.series(m);
            for (int i = 0; i < s.steps().length; i++) {
                double v = s.values()[i];
                if (v > 0 && Double.isFinite(v)) {
                    any = true;
                    minStep = Math.min(minStep, s.steps()[i]);
                    maxStep = Math.max(maxStep, s.steps()[i]);
                    minY = Math.min(minY, Math.log10(v));
                    maxY = Math.max(maxY, Math.log10(v));
                }
            }
            if (any) {
                shown.add(m);
            }
        }
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        BitmapFont.draw(img, title, LEFT, 8, INK, 1);
        if (shown.isEmpty()) {
            BitmapFont.draw(img, "no metrics yet", LEFT, HEIGHT / 2, INK, 2);
            g.dispose();
            return img;
        }
        double lo = Math.floor(minY);
        double hi = Math.max(Math.ceil(maxY), lo + 1);
        long stepSpan = Math.max(1, maxStep - minStep);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setColor(new Color(0xE0E0E0));
        for (double d = lo; d <= hi; d++) {
            int y = TOP + (int) Math.round((hi - d) / (hi - lo) * plotH);
            g.drawLine(LEFT, y, LEFT + plotW, y);
            String label = "1E" + (int) d;
            BitmapFont.draw(img, label, LEFT - 6 - BitmapFont.width(label, 1), y - 3, INK, 1);
        }
        g.setColor(new Color(INK));
        g.drawRect(LEFT, TOP, plotW, plotH);
        BitmapFont.draw(img, "step " + minStep, LEFT, TOP + plotH + 6, INK, 1);
        String last = "step " + maxStep;
        BitmapFont.draw(img, last, LEFT + plotW - BitmapFont.width(last, 1), TOP + plotH + 6, INK, 1);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(1.5f));
        int legendX = LEFT;
        for (int i = 0; i < shown.size(); i++) {
            int rgb = COLOURS[i % COLOURS.length];
            g.setColor(new Color(rgb));
            MetricsHistory.Series s = history.series(shown.get(i));
            int px = -1;
            int py = -1;
            double lastValue = Double.NaN;
            for (int k = 0; k < s.steps().length; k++) {
                double v = s.values()[k];
                if (!(v > 0) || !Double.isFinite(v)) {
                    continue;
                }
                lastValue = v;
                int x = LEFT + (int) Math.round((double) (s.steps()[k] - minStep) / stepSpan * plotW);
                int y = TOP + (int) Math.round((hi - Math.log10(v)) / (hi - lo) * plotH);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                } else {
                    g.fillRect(x - 1, y - 1, 3, 3);
                }
                px = x;
                py = y;
            }
            String legend = labelled.get(shown.get(i)) + " " + String.format(Locale.ROOT, "%.4g", lastValue);
            g.fillRect(legendX, HEIGHT - 14, 10, 7);
            BitmapFont.draw(img, legend, legendX + 14, HEIGHT - 14, INK, 1);
            legendX += 14 + BitmapFont.width(legend, 1) + 18;
        }
        g.dispose();
        return img;
    }

    public static void writePng(MetricsHistory history, Map<String, String> labelled, String title, OutputStream out)
            throws IOException {
        Png.write(render(history, labelled, title), out);
    }
}
