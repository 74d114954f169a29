package org.pmf.spark.train;

import java.util.Map;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One copy of the model and its optimizer, living in an executor JVM. A round loads the averaged
 * state into it, runs K local steps, and reads the state back for averaging.
 *
 * <p>The state is a set of named arrays (parameters and every optimizer buffer) that are averaged
 * element-wise across replicas, as DL4J's ParameterAveragingTrainingMaster averages parameters
 * and updater state.
 *
 * @param <B> the batch type the step consumes
 */
public interface Replica<B> {

    /** Copies the given arrays into the replica's own buffers; names and shapes must match {@link #state()}. */
    void load(Map<String, INDArray> state);

    /** Live views of every averaged array, in a fixed order. */
    Map<String, INDArray> state();

    /**
     * One local optimisation step.
     *
     * @param step  the global step counter of this step (learning-rate schedules depend on it)
     * @param batch the batch
     * @param rng   the only source of randomness of the step ((r, t), noise, dropout), seeded by
     *              {@link org.pmf.train.StepSeeds} so that a retried task recomputes the same step
     * @return the step's metrics; a non-finite loss is reported in them, never thrown
     */
    Map<String, Double> step(long step, B batch, RandomGenerator rng);
}
