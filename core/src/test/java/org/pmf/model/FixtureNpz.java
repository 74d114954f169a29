package org.pmf.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the official fixtures' .npz files (little-endian, C-order .npy v1.0 entries of f4, f8 or
 * i8) for the parity tests, until the project's own npz reader lands in org.pmf.io.
 */
final class FixtureNpz {

    /**
     * The fixtures sit in the team's shared folder beside the repository ({@code ../shared} of the
     * checkout, as in CI); {@code -Dpmf.fixtures=DIR} points elsewhere.
     */
    static final Path DIR = locate();

    private static Path locate() {
        String explicit = System.getProperty("pmf.fixtures");
        if (explicit != null) {
            return Path.of(explicit);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/fixtures/pmf-official-torch");
            if (java.nio.file.Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("official fixtures not found: no shared/fixtures/pmf-official-torch in "
            + Path.of("").toAbsolutePath() + " or its parents; set -Dpmf.fixtures=DIR");
    }

    private FixtureNpz() {
    }

    /** Every float array of the file as {@code dataType}; int64 arrays stay LONG. */
    static Map<String, INDArray> read(String file, DataType dataType) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(DIR.resolve(file).toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName().replaceFirst("\\.npy$", ""), parse(in.readAllBytes(), dataType, file + ":" + e.getName()));
                }
            }
        }
        return out;
    }

    private static INDArray parse(byte[] bytes, DataType dataType, String where) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes[0] != (byte) 0x93 || bytes[1] != 'N' || bytes[6] != 1) {
            throw new IllegalArgumentException(where + ": not an .npy version 1 entry");
        }
        int headerLen = buf.getShort(8) & 0xffff;
        String header = new String(bytes, 10, headerLen, StandardCharsets.US_ASCII);
        Matcher d = Pattern.compile("'descr':\\s*'([<>|]\\w+)'").matcher(header);
        Matcher s = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
            throw new IllegalArgumentException(where + ": unsupported header " + header);
        }
        String[] dims = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        long n = 1;
        for (long x : shape) {
            n *= x;
        }
        buf.position(10 + headerLen);
        switch (d.group(1)) {
            case "<f4": {
                double[] v = new double[(int) n];
                for (int i = 0; i < n; i++) {
                    v[i] = buf.getFloat();
                }
                return Nd4j.create(v, shape, dataType);
            }
            case "<f8": {
                double[] v = new double[(int) n];
                for (int i = 0; i < n; i++) {
                    v[i] = buf.getDouble();
                }
                return Nd4j.create(v, shape, dataType);
            }
            case "<i8": {
                long[] v = new long[(int) n];
                for (int i = 0; i < n; i++) {
                    v[i] = buf.getLong();
                }
                return Nd4j.createFromArray(v).reshape(shape);
            }
            default:
                throw new IllegalArgumentException(where + ": unsupported dtype " + d.group(1));
        }
    }
}
