package io.stipple.engine.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.Tensor;

/**
 * What {@link TrainingRun} drives: something that makes one update per {@link TrainingBatch}, counts
 * its updates, and saves and restores everything training changed, so a resumed run continues
 * exactly where the checkpoint left off. {@link DiffusionTrainer} (Stipple's own models) and
 * {@code sd.train.SdLoraTrainer} (LoRA on a Stable Diffusion U-Net) are two.
 */
public interface StepTrainer {

    /** Starts from the seeded initial state at step 0. */
    void initialize();

    /** Starts from pretrained weights by name; for trainers whose frozen weights come from elsewhere, unsupported. */
    default void initializeFrom(Map<String, ? extends Tensor> weights) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not start from a weight map");
    }

    /** Restores a checkpoint written by {@link #save}. */
    void restore(Path checkpoint);

    void save(Path checkpoint) throws IOException;

    /** Updates made so far (the 0-based index of the next). */
    long step();

    /** One update on {@code batch}, with the randomness of the current step. */
    StepResult train(TrainingBatch batch);
}
