package org.pmf.perceptual;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link PerceptualDistance} computed by a SameDiff graph with inputs "pred" and "target" and a
 * per-example output "distance"; the loss whose gradient is taken is the sum of distances.
 * "pred" is a variable, not a placeholder, because SameDiff only differentiates towards variables;
 * its array is replaced on every call. Not thread-safe: one instance per training thread.
 */
final class DistanceGraph implements PerceptualDistance {

    private static final String PRED = "pred";
    private static final String TARGET = "target";
    private static final String DISTANCE = "distance";

    /** Builds the per-example distance [B] from the two image placeholders. */
    interface Builder {
        SDVariable build(FrozenGraph g, SDVariable pred, SDVariable target);
    }

    private final String name;
    private final SameDiff sd;
    private final org.nd4j.linalg.api.buffer.DataType type;
    private boolean differentiated;

    DistanceGraph(String name, NamedWeights weights, org.nd4j.linalg.api.buffer.DataType type, Builder builder) {
        this.name = name;
        this.type = type;
        FrozenGraph g = new FrozenGraph(weights, type);
        SDVariable pred = g.sd.var(PRED, type, 1, 3, 1, 1);
        SDVariable target = g.sd.placeHolder(TARGET, type, -1, 3, -1, -1);
        SDVariable d = builder.build(g, pred, target).rename(DISTANCE);
        g.sd.setLossVariables(g.sd.sum("total", d));
        weights.requireAllUsed();
        this.sd = g.sd;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public INDArray distance(INDArray pred, INDArray target) {
        check(pred, target);
        sd.associateArrayWithVariable(pred, PRED);
        return sd.output(Map.of(TARGET, target), DISTANCE).get(DISTANCE);
    }

    @Override
    public DistanceGradient distanceAndGradient(INDArray pred, INDArray target) {
        check(pred, target);
        if (!differentiated) {
            GradientGraphs.differentiate(sd);
            differentiated = true;
        }
        sd.associateArrayWithVariable(pred, PRED);
        OutAndGrad r = sd.calculateGradientsAndOutputs(Map.of(TARGET, target), List.of(DISTANCE), List.of(PRED));
        return new DistanceGradient(r.getOutputs().get(DISTANCE), r.getGradients().get(PRED));
    }

    private void check(INDArray pred, INDArray target) {
        if (pred.dataType() != type || target.dataType() != type) {
            throw new IllegalArgumentException(name + ": images must be " + type + ", got " + pred.dataType() + " and " + target.dataType());
        }
        if (pred.rank() != 4 || pred.size(1) != 3 || !java.util.Arrays.equals(pred.shape(), target.shape())) {
            throw new IllegalArgumentException(name + ": images must be NCHW [B, 3, H, W] of equal shapes, got "
                + java.util.Arrays.toString(pred.shape()) + " and " + java.util.Arrays.toString(target.shape()));
        }
    }
}
