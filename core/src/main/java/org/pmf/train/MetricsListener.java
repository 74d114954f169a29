package org.pmf.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pmf.io.Json;

/**
 * Appends one JSON object per applied update to a JSON-lines file on any Hadoop file system:
 * {@code {"step":..,"images_seen":..,"elapsed_s":..,"learning_rate":..,"<metric>":..}}; skipped
 * steps get a line with {@code "skipped":true}. Each line is flushed (hflush) as it is written, so
 * the file can be followed while training runs where the file system allows (file://, hdfs://);
 * on s3a:// the object appears when training ends. A resumed run opens a new file (the caller
 * names it, e.g. with the starting step), since object stores cannot append.
 */
public final class MetricsListener implements TrainListener {

    private final FileSystem fs;
    private final Path file;
    private OutputStream out;

    public MetricsListener(FileSystem fs, Path file) {
        this.fs = fs;
        this.file = file;
    }

    @Override
    public void onStart(TrainingContext ctx) {
        try {
            out = fs.create(file, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create metrics file " + file, e);
        }
    }

    @Override
    public void onStep(TrainingContext ctx, Map<String, Double> metrics) {
        write(ctx, metrics, false);
    }

    @Override
    public void onSkippedStep(TrainingContext ctx, Map<String, Double> metrics) {
        write(ctx, metrics, true);
    }

    @Override
    public void onEnd(TrainingContext ctx) {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close metrics file " + file, e);
        } finally {
            out = null;
        }
    }

    private void write(TrainingContext ctx, Map<String, Double> metrics, boolean skipped) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "{\"step\":%d,\"images_seen\":%d,\"elapsed_s\":%.3f,\"learning_rate\":%s",
                ctx.step(), ctx.imagesSeen(), ctx.elapsedSeconds(), number(ctx.optimizer().nextLearningRate())));
        if (skipped) {
            b.append(",\"skipped\":true");
        }
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            b.append(',').append(Json.quote(m.getKey())).append(':').append(number(m.getValue()));
        }
        b.append("}\n");
        try {
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            if (out instanceof org.apache.hadoop.fs.Syncable s) {
                s.hflush();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics file " + file + " at step " + ctx.step(), e);
        }
    }

    /** JSON has no NaN or infinity: those become strings. */
    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : Json.quote(Double.toString(v));
    }
}
