package org.pmf.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the network's heads output, and the conversion of that output to a velocity with its
 * tangent and backward rules: the paper's x- versus u-prediction ablation (pmf-method.md sections
 * 1.2 and 5). The loss is the same v-loss either way; only the parametrisation differs.
 */
public enum Prediction {

    /** pMF: each head outputs a denoised image x_hat, and u = (z - x_hat) / clip(t, 0.05, 1) ({@link XPrediction}). */
    X {
        @Override
        public INDArray velocity(INDArray z, INDArray output, double[] t) {
            return XPrediction.averageVelocity(z, output, t);
        }

        @Override
        public INDArray velocityTangent(INDArray zDot, INDArray outputDot, INDArray velocity, double[] t) {
            return XPrediction.averageVelocityTangent(zDot, outputDot, velocity, t);
        }

        @Override
        public INDArray outputGradient(INDArray dVelocity, double[] t) {
            return XPrediction.denoisedGradient(dVelocity, t);
        }
    },

    /**
     * MeanFlow / iMF: each head outputs the velocity itself (u, and v from the auxiliary head), so
     * the conversion is the identity, u does not depend on z or t except through the network, and
     * the one-step image is z_1 - u.
     */
    U {
        @Override
        public INDArray velocity(INDArray z, INDArray output, double[] t) {
            PerExample.checkSameShape(z, output);
            return output.dup('c');
        }

        @Override
        public INDArray velocityTangent(INDArray zDot, INDArray outputDot, INDArray velocity, double[] t) {
            PerExample.checkSameShape(zDot, outputDot);
            return outputDot.dup('c');
        }

        @Override
        public INDArray outputGradient(INDArray dVelocity, double[] t) {
            return dVelocity.dup('c');
        }
    };

    /** The velocity (u or v) given the network input z, the head's output and t; a new array. */
    public abstract INDArray velocity(INDArray z, INDArray output, double[] t);

    /**
     * The velocity's tangent along (z', output', t' = 1) at the given velocity: du/dt of the
     * MeanFlow JVP from the tangents of the network's input and output; a new array.
     */
    public abstract INDArray velocityTangent(INDArray zDot, INDArray outputDot, INDArray velocity, double[] t);

    /** dL/d(output) from dL/d(velocity): the backward rule of {@link #velocity}; a new array. */
    public abstract INDArray outputGradient(INDArray dVelocity, double[] t);
}
