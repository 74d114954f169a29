package org.pmf.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instructions of a Dockerfile that the manifests rely on: its ARG defaults and the files its
 * COPY instructions put into the image (image path to build-context source, ARGs substituted).
 */
record Dockerfile(Path file, List<String> from, Map<String, String> args, Map<String, String> copies) {

    static Dockerfile read(Path file) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            if (!current.isEmpty()) {
                instructions.add(current.toString());
            }
            current.setLength(0);
        }
        List<String> from = new ArrayList<>();
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, String> copies = new LinkedHashMap<>();
        for (String ins : instructions) {
            String[] w = ins.split("\\s+");
            switch (w[0].toUpperCase()) {
                case "ARG" -> {
                    int eq = w[1].indexOf('=');
                    if (eq > 0) {
                        args.put(w[1].substring(0, eq), w[1].substring(eq + 1));
                    }
                }
                case "FROM" -> from.add(substitute(w[1], args));
                case "COPY" -> {
                    if (!w[1].startsWith("--from")) {
                        copies.put(substitute(w[w.length - 1], args), substitute(w[1], args));
                    }
                }
                default -> {
                }
            }
        }
        return new Dockerfile(file, from, args, copies);
    }

    private static String substitute(String s, Map<String, String> args) {
        for (Map.Entry<String, String> a : args.entrySet()) {
            s = s.replace("${" + a.getKey() + "}", a.getValue()).replace("$" + a.getKey(), a.getValue());
        }
        return s;
    }
}
