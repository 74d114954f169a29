package org.pmf.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Several exponential moving averages of the flat parameter vector, each with an EDM-style
 * half-life in thousands of images and a ramp-up, as the official {@code ema_util.edm_schedule}:
 * after {@code step} updates of {@code batchSize} images,
 * {@code hl = min(halfLife * 1000, step * batchSize * rampUp)} images and
 * {@code beta = 0.5^(batchSize / max(hl, 1e-8))}, then {@code ema <- beta ema + (1 - beta) params}.
 * The official code hard-codes its batch 1024; here the batch is the global batch of the run.
 *
 * <p>{@code step} is the number of updates applied including the one just made (1 after the first
 * update). The ramp-up makes early averages short (beta is 0 at step 0, so the average starts as a
 * copy of the parameters) and lets them lengthen as training proceeds.
 */
public final class Ema {

    private final EmaConfig config;
    private final long batchSize;
    private final List<INDArray> averages = new ArrayList<>();
    /** (1 - beta) params, reused: allocating a parameter-sized array every update costs more than the update. */
    private final INDArray scratch;

    /** Every average starts as a copy of {@code params}. */
    public Ema(EmaConfig config, long batchSize, INDArray params) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("EMA batch size must be >= 1, got " + batchSize);
        }
        this.config = config;
        this.batchSize = batchSize;
        for (int i = 0; i < config.halfLivesKimg().size(); i++) {
            averages.add(params.dup());
        }
        this.scratch = params.ulike();
    }

    public EmaConfig config() {
        return config;
    }

    /** The decay of the average with half-life {@code halfLifeKimg} for the update numbered {@code step}. */
    public double beta(double halfLifeKimg, long step) {
        double halfLifeImages = Math.min(halfLifeKimg * 1000.0, (double) step * batchSize * config.rampUp());
        return Math.pow(0.5, batchSize / Math.max(halfLifeImages, 1e-8));
    }

    /** Folds the current parameters into every average; {@code step} counts updates so far, this one included. */
    public void update(long step, INDArray params) {
        for (int i = 0; i < averages.size(); i++) {
            double beta = beta(config.halfLivesKimg().get(i), step);
            averages.get(i).muli(beta).addi(scratch.assign(params).muli(1 - beta));
        }
    }

    /** The live average for one configured half-life. */
    public INDArray average(double halfLifeKimg) {
        int i = config.halfLivesKimg().indexOf(halfLifeKimg);
        if (i < 0) {
            throw new IllegalArgumentException("no EMA with half-life " + halfLifeKimg + " kimg; configured: " + config.halfLivesKimg());
        }
        return averages.get(i);
    }

    public List<INDArray> averages() {
        return Collections.unmodifiableList(averages);
    }

    /** The tensor name of one average in checkpoints, e.g. {@code ema.1000} (a whole number of kimg prints without ".0"). */
    public static String tensorName(double halfLifeKimg) {
        return halfLifeKimg == Math.rint(halfLifeKimg) ? "ema." + (long) halfLifeKimg : "ema." + halfLifeKimg;
    }

    /** Copies of every average, named by {@link #tensorName}. */
    public Map<String, INDArray> toTensors() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int i = 0; i < averages.size(); i++) {
            m.put(tensorName(config.halfLivesKimg().get(i)), averages.get(i).dup());
        }
        return m;
    }

    /** Replaces every average from {@link #toTensors()} output; checks all before writing any. */
    public void load(Map<String, INDArray> tensors) {
        for (int i = 0; i < averages.size(); i++) {
            String name = tensorName(config.halfLivesKimg().get(i));
            INDArray t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("EMA tensor " + name + " is missing; found " + tensors.keySet());
            }
            if (t.length() != averages.get(i).length()) {
                throw new IllegalArgumentException("EMA tensor " + name + " has " + t.length() + " values, expected "
                        + averages.get(i).length());
            }
        }
        for (int i = 0; i < averages.size(); i++) {
            INDArray a = averages.get(i);
            a.assign(tensors.get(tensorName(config.halfLivesKimg().get(i))).reshape(a.shape()));
        }
    }
}
