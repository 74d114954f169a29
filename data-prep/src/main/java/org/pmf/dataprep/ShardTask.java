package org.pmf.dataprep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.dataprep.image.AdmCenterCrop;
import org.pmf.dataprep.image.BadImageException;
import org.pmf.dataprep.image.ImageDecoder;
import org.pmf.io.shard.ShardHeader;
import org.pmf.io.shard.ShardInfo;
import org.pmf.io.shard.ShardWriter;

/**
 * Executor side: decodes, preprocesses and patchifies one shard's images and streams them to the
 * destination. The shard's bad-input list is written before the shard's trailer, so a finished
 * shard always has its list beside it.
 */
final class ShardTask implements Serializable {

    /** What one task produced. */
    record Result(ShardInfo shard, List<BadInput> badInputs) implements Serializable {
    }

    /** A bad input when the job is set to fail on them. */
    static final class BadInputFailure extends RuntimeException {
        BadInputFailure(BadInput bad) {
            super("bad input " + bad.name() + ": " + bad.reason() + " (pmf.data-prep.on-bad-input = fail)");
        }
    }

    interface Progress extends Serializable {
        void imageDone();
    }

    private final DataPrepConfig config;
    private final ShardHeader header;
    private final HadoopConf hadoop;

    ShardTask(DataPrepConfig config, ShardHeader header, HadoopConf hadoop) {
        this.config = config;
        this.header = header;
        this.hadoop = hadoop;
    }

    Result run(ShardPlan.Shard shard, Progress progress) throws IOException {
        Path outDir = new Path(config.output());
        FileSystem outFs = outDir.getFileSystem(hadoop.get());
        List<BadInput> bad = new ArrayList<>();
        // Written under its final name: an object store shows it only once closed, and elsewhere a
        // partial file has no trailer, which readers and the resume check reject.
        try (ShardWriter writer = new ShardWriter(outFs.create(new Path(outDir, shard.fileName()), true), shard.fileName(), header)) {
            for (ImageRef ref : shard.images()) {
                byte[] patches;
                try {
                    patches = preprocess(ref);
                } catch (BadImageException e) {
                    BadInput b = new BadInput(ref.name(), e.getMessage());
                    if (config.onBadInput() == DataPrepConfig.OnBadInput.FAIL) {
                        throw new BadInputFailure(b);
                    }
                    bad.add(b);
                    progress.imageDone();
                    continue;
                }
                writer.write(patches, ref.label());
                progress.imageDone();
            }
            writeBadList(outFs, new Path(outDir, shard.badInputsFileName()), bad);
            return new Result(writer.finish(), bad);
        }
    }

    /** The example bytes for one image, or why it cannot be used. */
    byte[] preprocess(ImageRef ref) throws BadImageException {
        byte[] data = read(ref);
        return PatchLayout.patchify(AdmCenterCrop.apply(ImageDecoder.decode(data), config.imageSize()), config.patchSize());
    }

    private byte[] read(ImageRef ref) throws BadImageException {
        Path p = new Path(ref.path());
        try {
            FileSystem fs = p.getFileSystem(hadoop.get());
            if (ref.wholeFile()) {
                try (InputStream in = fs.open(p)) {
                    return in.readAllBytes();
                }
            }
            byte[] b = new byte[Math.toIntExact(ref.length())];
            try (FSDataInputStream in = fs.open(p)) {
                in.readFully(ref.offset(), b);
            }
            return b;
        } catch (IOException | RuntimeException | FSError e) {
            // Hadoop's local file system reports a failing disk read as FSError, an Error.
            throw new BadImageException("unreadable: " + e, e);
        }
    }

    private static void writeBadList(FileSystem fs, Path path, List<BadInput> bad) throws IOException {
        try (OutputStream out = fs.create(path, true)) {
            for (BadInput b : bad) {
                out.write(b.tsvLine().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
