package org.pmf.train;

import java.util.Map;

/**
 * One training step's computation on a batch: forward and backward passes that add the loss
 * gradient into the model's {@link org.pmf.nn.ParamSet} gradients (zeroed by the caller before),
 * returning named scalars to log (losses, unweighted errors). It does not update parameters: the
 * {@link LocalTrainer} (or a Spark task) applies the optimizer, so the same step serves both.
 *
 * @param <B> the batch type
 */
@FunctionalInterface
public interface TrainingStep<B> {

    /**
     * @return metrics by name; a non-finite value marks the step as failed and its update is skipped
     */
    Map<String, Double> step(B batch);
}
