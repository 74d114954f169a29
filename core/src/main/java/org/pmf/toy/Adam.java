package org.pmf.toy;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.pmf.nn.ParamSet;

/**
 * Adam (Kingma and Ba) on a whole {@link ParamSet} at once, for the toy only: the image model's
 * optimizers (Muon, AdamW) live elsewhere. The paper does not give the toy's optimizer.
 */
final class Adam {

    private final ParamSet params;
    private final double learningRate;
    private final double beta1 = 0.9;
    private final double beta2 = 0.999;
    private final double eps = 1e-8;
    private final INDArray m;
    private final INDArray v;
    private final INDArray scratch;
    private int step;

    Adam(ParamSet params, double learningRate) {
        this.params = params;
        this.learningRate = learningRate;
        this.m = Nd4j.zeros(params.dataType(), params.size());
        this.v = Nd4j.zeros(params.dataType(), params.size());
        this.scratch = Nd4j.zeros(params.dataType(), params.size());
    }

    /** One update from the accumulated gradients, at learning rate lr * scale. */
    void step(double scale) {
        step++;
        INDArray g = params.grads();
        m.muli(beta1).addi(g.mul(1 - beta1));
        scratch.assign(g).muli(g).muli(1 - beta2);
        v.muli(beta2).addi(scratch);
        double bias1 = 1 - Math.pow(beta1, step);
        double bias2 = 1 - Math.pow(beta2, step);
        // p -= lr * (m / bias1) / (sqrt(v / bias2) + eps)
        Transforms.sqrt(scratch.assign(v).divi(bias2), false).addi(eps);
        params.values().subi(m.div(scratch).muli(learningRate * scale / bias1));
    }
}
