package org.pmf.dataprep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code ILSVRC2012_img_train.tar}: a tar of per-class tars ({@code <wnid>.tar}), read in place.
 * The driver indexes the outer tar; Spark tasks index the class tars in parallel (about a
 * thousand header reads each). Images are then byte ranges of the archive; classes and members
 * are sorted as the unpacked folders would be, so the shards equal the folder input's.
 */
public final class TrainArchiveInput {

    private TrainArchiveInput() {
    }

    public static InputListing list(JavaSparkContext sc, Path archive) throws IOException {
        FileSystem fs = archive.getFileSystem(sc.hadoopConfiguration());
        List<TarIndex.Member> classTars = new ArrayList<>();
        try (FSDataInputStream in = fs.open(archive)) {
            for (TarIndex.Member m : TarIndex.members(in, 0, -1, archive.toString())) {
                if (m.name().endsWith(".tar")) {
                    classTars.add(m);
                }
            }
        }
        if (classTars.isEmpty()) {
            throw new IOException("archive " + archive + " holds no per-class <wnid>.tar members");
        }
        classTars.sort(Comparator.comparing(m -> wnid(m.name())));
        HadoopConf hadoop = new HadoopConf(sc.hadoopConfiguration());
        String path = archive.toString();
        List<List<TarIndex.Member>> perClass = sc.parallelize(classTars, Math.max(1, Math.min(classTars.size(), sc.defaultParallelism() * 4)))
                .map(t -> {
                    Path p = new Path(path);
                    try (FSDataInputStream in = p.getFileSystem(hadoop.get()).open(p)) {
                        return TarIndex.members(in, t.offset(), t.size(), path + "!" + t.name());
                    }
                })
                .collect();
        List<String> classes = new ArrayList<>();
        List<ImageRef> images = new ArrayList<>();
        for (int label = 0; label < classTars.size(); label++) {
            String classTar = classTars.get(label).name();
            classes.add(wnid(classTar));
            List<TarIndex.Member> members = new ArrayList<>(perClass.get(label));
            members.sort(Comparator.comparing(m -> baseName(m.name())));
            for (TarIndex.Member m : members) {
                images.add(new ImageRef(path, m.offset(), m.size(), label, path + "!" + classTar + "!" + m.name()));
            }
        }
        return new InputListing(classes, images);
    }

    private static String wnid(String tarName) {
        String base = baseName(tarName);
        return base.substring(0, base.length() - ".tar".length());
    }

    private static String baseName(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
