package org.pmf.dataprep;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code <dir>/<wnid>/<files>}: class index = position of the folder name in sorted order, as
 * torchvision's ImageFolder assigns it. Every regular file is an input (a non-image becomes a bad
 * input, reported, rather than silently ignored); names starting with '.' are skipped.
 */
public final class ClassFolderInput {

    private ClassFolderInput() {
    }

    public static InputListing list(FileSystem fs, Path dir) throws IOException {
        FileStatus[] entries;
        try {
            entries = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            throw new IOException("input directory " + dir + " does not exist", e);
        }
        List<FileStatus> classDirs = new ArrayList<>();
        for (FileStatus s : entries) {
            if (s.isDirectory() && !s.getPath().getName().startsWith(".")) {
                classDirs.add(s);
            }
        }
        classDirs.sort(Comparator.comparing(s -> s.getPath().getName()));
        if (classDirs.isEmpty()) {
            throw new IOException("input directory " + dir + " has no class folders (<wnid>/)");
        }
        List<String> classes = new ArrayList<>();
        List<ImageRef> images = new ArrayList<>();
        for (int label = 0; label < classDirs.size(); label++) {
            Path classDir = classDirs.get(label).getPath();
            classes.add(classDir.getName());
            FileStatus[] files = fs.listStatus(classDir);
            Arrays.sort(files, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus f : files) {
                if (f.isFile() && !f.getPath().getName().startsWith(".")) {
                    images.add(ImageRef.file(f.getPath().toString(), label));
                }
            }
        }
        return new InputListing(classes, images);
    }
}
