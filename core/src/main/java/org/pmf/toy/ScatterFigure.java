package org.pmf.toy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The toy's figure in the layout of the paper's Figure 2: one row per D, one column per panel
 * (fresh data first, then each prediction kind), each panel a scatter plot of 2-D points on the
 * same fixed axes.
 */
public final class ScatterFigure {

    private static final int PANEL = 220;
    private static final int MARGIN = 24;
    private static final int LABEL_WIDTH = 70;
    private static final double EXTENT = 2.6;

    /** One row: its label and the point sets of its panels, row-major [n, 2] each. */
    public record Row(String label, List<double[]> panels) {
    }

    private ScatterFigure() {
    }

    public static void write(Path file, List<String> columnTitles, List<Row> rows) throws IOException {
        int cols = columnTitles.size();
        int width = LABEL_WIDTH + cols * (PANEL + MARGIN);
        int height = MARGIN + rows.size() * (PANEL + MARGIN);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(Color.BLACK);
        for (int c = 0; c < cols; c++) {
            g.drawString(columnTitles.get(c), LABEL_WIDTH + c * (PANEL + MARGIN) + PANEL / 2 - 20, MARGIN - 8);
        }
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int top = MARGIN + r * (PANEL + MARGIN);
            g.setColor(Color.BLACK);
            g.drawString(row.label(), 6, top + PANEL / 2);
            for (int c = 0; c < row.panels().size(); c++) {
                drawPanel(g, LABEL_WIDTH + c * (PANEL + MARGIN), top, row.panels().get(c));
            }
        }
        g.dispose();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static void drawPanel(Graphics2D g, int left, int top, double[] points) {
        g.setColor(new Color(245, 245, 245));
        g.fillRect(left, top, PANEL, PANEL);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, PANEL, PANEL);
        g.setColor(new Color(30, 80, 200, 90));
        for (int i = 0; i + 1 < points.length; i += 2) {
            double px = left + (points[i] + EXTENT) / (2 * EXTENT) * PANEL;
            double py = top + (EXTENT - points[i + 1]) / (2 * EXTENT) * PANEL;
            if (px >= left && px < left + PANEL && py >= top && py < top + PANEL) {
                g.fillRect((int) px - 1, (int) py - 1, 2, 2);
            }
        }
    }
}
