package org.pmf.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.io.Checkpoint;
import org.pmf.io.ParamTensors;
import org.pmf.nn.ParamSet;
import org.pmf.optim.Ema;
import org.pmf.optim.Optimizer;

/**
 * Converts between live training objects and a {@link Checkpoint}: weights and each EMA by
 * parameter name, the optimizer's flat state, the run counters and the redacted configuration.
 * Used by the {@link CheckpointListener} and by whatever resumes a run (local or Spark driver).
 */
public final class TrainingSnapshot {

    private TrainingSnapshot() {
    }

    /** A checkpoint of the current state; tensors are views, so save it before training continues. */
    public static Checkpoint capture(TrainingContext ctx, Ema ema, String redactedConfig) {
        ParamSet ps = ctx.params();
        Map<String, Map<String, INDArray>> emas = new LinkedHashMap<>();
        if (ema != null) {
            for (double h : ema.config().halfLivesKimg()) {
                emas.put(emaLabel(h), ParamTensors.views(ps, ema.average(h)));
            }
        }
        return new Checkpoint(ParamTensors.views(ps, ps.values()), ctx.optimizer().state().toTensors(), emas,
                ctx.runState(), redactedConfig);
    }

    /**
     * Puts a checkpoint back into the live objects: parameters, optimizer state, EMAs (if given)
     * and the context's counters. Every tensor is checked before the parameters are written.
     */
    public static void restore(Checkpoint c, TrainingContext ctx, Ema ema) {
        ParamSet ps = ctx.params();
        Map<String, INDArray> targets = ParamTensors.views(ps, ps.values());
        assignByName(c.weights(), targets, "weights");
        ctx.optimizer().state().load(c.optimizer());
        if (ema != null) {
            for (double h : ema.config().halfLivesKimg()) {
                Map<String, INDArray> saved = c.emas().get(emaLabel(h));
                if (saved == null) {
                    throw new IllegalArgumentException("checkpoint at step " + c.step() + " has no EMA with half-life "
                            + h + " kimg; it has " + c.emas().keySet());
                }
                assignByName(saved, ParamTensors.views(ps, ema.average(h)), "EMA " + emaLabel(h));
            }
        }
        ctx.restore(c.state());
    }

    /** The checkpoint label of an EMA half-life, e.g. "500". */
    public static String emaLabel(double halfLifeKimg) {
        return Ema.tensorName(halfLifeKimg).substring("ema.".length());
    }

    private static void assignByName(Map<String, INDArray> saved, Map<String, INDArray> targets, String what) {
        for (Map.Entry<String, INDArray> t : targets.entrySet()) {
            INDArray s = saved.get(t.getKey());
            if (s == null) {
                throw new IllegalArgumentException("checkpoint " + what + " has no tensor " + t.getKey());
            }
            if (!java.util.Arrays.equals(s.shape(), t.getValue().shape())) {
                throw new IllegalArgumentException("checkpoint " + what + " tensor " + t.getKey() + " has shape "
                        + java.util.Arrays.toString(s.shape()) + ", the model expects " + java.util.Arrays.toString(t.getValue().shape()));
            }
        }
        if (saved.size() != targets.size()) {
            throw new IllegalArgumentException("checkpoint " + what + " has " + saved.size() + " tensors, the model has " + targets.size());
        }
        targets.forEach((name, target) -> target.assign(saved.get(name)));
    }
}
