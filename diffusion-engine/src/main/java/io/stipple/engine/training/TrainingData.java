package io.stipple.engine.training;

/**
 * The examples of each training step. Must be a pure function of {@code step}, so that a run
 * resumed from a checkpoint sees exactly the batches an uninterrupted run would have seen.
 */
@FunctionalInterface
public interface TrainingData {

    TrainingBatch batch(long step);
}
