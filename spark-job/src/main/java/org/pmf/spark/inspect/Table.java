package org.pmf.spark.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of text under a header, shown two ways: aligned columns for a terminal (the inspect
 * command) and Zeppelin's {@code %table} display (tab-separated), which the notebook turns into
 * sortable tables and line charts.
 */
public record Table(List<String> header, List<List<String>> rows) {

    public Table {
        header = List.copyOf(header);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("row " + r + " has " + r.size() + " cells, the header " + header.size());
            }
            copy.add(List.copyOf(r));
        }
        rows = List.copyOf(copy);
    }

    /** Zeppelin's table display: print it as a paragraph's output. */
    public String toZeppelin() {
        StringBuilder b = new StringBuilder("%table ");
        b.append(String.join("\t", header.stream().map(Table::cell).toList())).append('\n');
        for (List<String> r : rows) {
            b.append(String.join("\t", r.stream().map(Table::cell).toList())).append('\n');
        }
        return b.toString();
    }

    /** Columns padded to their widest cell. */
    public String toText() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        appendLine(b, header, width);
        for (List<String> r : rows) {
            appendLine(b, r, width);
        }
        return b.toString();
    }

    private static void appendLine(StringBuilder b, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            line.append(c == 0 ? "" : "  ").append(String.format("%-" + width[c] + "s", cells.get(c)));
        }
        b.append(line.toString().stripTrailing()).append('\n');
    }

    /** Tabs and newlines would break Zeppelin's format: they become spaces. */
    private static String cell(String s) {
        return s.replace('\t', ' ').replace('\n', ' ');
    }
}
