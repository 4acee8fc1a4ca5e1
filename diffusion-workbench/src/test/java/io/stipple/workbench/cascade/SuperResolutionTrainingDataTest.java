package io.stipple.workbench.cascade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.export.TinyModels;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.training.TrainingBatch;
import io.stipple.engine.unet.ModelInputs;
import org.junit.jupiter.api.Test;

class SuperResolutionTrainingDataTest {

    private static final NoiseSchedule SCHEDULE = NoiseSchedule.of(TinyModels.scheduler());

    @Test
    void theTargetIsTheResidualTimesTheScaleAndTheConditioningDoesNotDependOnIt() {
        TrainingBatch plain = new SuperResolutionTrainingData(8, 16, 8, 3, 100, 1f, SCHEDULE, 11).batch(5);
        TrainingBatch scaled = new SuperResolutionTrainingData(8, 16, 8, 3, 100, 8f, SCHEDULE, 11).batch(5);
        assertArrayEquals(plain.extraInputs().get(ModelInputs.LOW_RES), scaled.extraInputs().get(ModelInputs.LOW_RES));
        assertArrayEquals(plain.extraInputs().get(ModelInputs.AUG_LEVEL), scaled.extraInputs().get(ModelInputs.AUG_LEVEL));
        double energy = 0;
        for (int i = 0; i < plain.images().length; i++) {
            assertEquals(8 * plain.images()[i], scaled.images()[i], 1e-5);
            energy += Math.abs(plain.images()[i]);
        }
        assertTrue(energy > 0, "the crops hold some edge, so the residual is not all zero");
        for (float level : plain.extraInputs().get(ModelInputs.AUG_LEVEL)) {
            assertTrue(level >= 0 && level <= 100, "level " + level);
        }
        assertThrows(IllegalArgumentException.class, () -> new SuperResolutionTrainingData(8, 16, 8, 3, 100, 0f, SCHEDULE, 11));
    }
}
