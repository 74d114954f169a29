package org.pmf.dataprep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * ImageNet validation as distributed: a flat directory of {@code ILSVRC2012_val_NNNNNNNN.JPEG}, the
 * devkit's {@code ILSVRC2012_validation_ground_truth.txt} (line n = ILSVRC2012_ID of image n) and a
 * synset list (line k = the wnid of ILSVRC2012_ID k, first token; the devkit's meta.mat order).
 * Labels use the same sorted-wnid class index as the training folders.
 */
public final class FlatValInput {

    private static final Pattern VAL_NAME = Pattern.compile("ILSVRC2012_val_(\\d{8})\\.JPEG");

    private FlatValInput() {
    }

    public static InputListing list(FileSystem fs, Path dir, Path groundTruth, Path synsets) throws IOException {
        List<String> ids = lines(fs, synsets);
        List<String> wnidOfId = new ArrayList<>();
        for (String line : ids) {
            wnidOfId.add(line.trim().split("\\s+")[0]);
        }
        List<String> classes = new ArrayList<>(new TreeSet<>(wnidOfId));
        List<String> truth = lines(fs, groundTruth);
        FileStatus[] files = fs.listStatus(dir);
        Arrays.sort(files, Comparator.comparing(s -> s.getPath().getName()));
        List<ImageRef> images = new ArrayList<>();
        for (FileStatus f : files) {
            Matcher m = VAL_NAME.matcher(f.getPath().getName());
            if (!f.isFile() || !m.matches()) {
                continue;
            }
            int n = Integer.parseInt(m.group(1));
            if (n < 1 || n > truth.size()) {
                throw new IOException(f.getPath() + ": image number " + n + " has no line in " + groundTruth + " (" + truth.size() + " lines)");
            }
            int id;
            try {
                id = Integer.parseInt(truth.get(n - 1).trim());
            } catch (NumberFormatException e) {
                throw new IOException(groundTruth + " line " + n + ": \"" + truth.get(n - 1) + "\" is not an ILSVRC2012_ID", e);
            }
            if (id < 1 || id > wnidOfId.size()) {
                throw new IOException(groundTruth + " line " + n + ": ILSVRC2012_ID " + id + " is not in " + synsets + " (" + wnidOfId.size() + " synsets)");
            }
            images.add(ImageRef.file(f.getPath().toString(), classes.indexOf(wnidOfId.get(id - 1))));
        }
        if (images.isEmpty()) {
            throw new IOException("input directory " + dir + " has no ILSVRC2012_val_NNNNNNNN.JPEG files");
        }
        return new InputListing(classes, images);
    }

    private static List<String> lines(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
            return out;
        } catch (java.io.FileNotFoundException e) {
            throw new IOException("missing file " + p, e);
        }
    }
}
