package org.pmf.dataprep;

import java.io.Serializable;

/** An input that was skipped, and why (one line of bad-inputs.tsv). */
public record BadInput(String name, String reason) implements Serializable {

    /** The kind counted in the job's last line: the reason up to its first colon. */
    public String kind() {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }

    String tsvLine() {
        return name.replace('\t', ' ') + "\t" + reason.replace('\t', ' ').replace('\n', ' ') + "\n";
    }

    static BadInput fromTsvLine(String line) {
        int tab = line.indexOf('\t');
        return new BadInput(line.substring(0, tab), line.substring(tab + 1));
    }
}
