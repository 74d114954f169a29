package org.pmf.perceptual;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Differentiates a SameDiff graph once, before its first gradient. ND4J M2.1 prints "Added differentiated op ..."
 * to System.out for every op while doing so (platform-notes.md, trap 6): thousands of lines for
 * ConvNeXt-V2-Base. Those lines are dropped; every other line written meanwhile passes through.
 */
final class GradientGraphs {

    private static final String NOISE = "Added differentiated op";

    private GradientGraphs() {
    }

    static synchronized void differentiate(SameDiff sd) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
            }
        }, true) {
            @Override
            public void println(String line) {
                if (line == null || !line.startsWith(NOISE)) {
                    original.println(line);
                }
            }
        });
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(original);
        }
    }
}
