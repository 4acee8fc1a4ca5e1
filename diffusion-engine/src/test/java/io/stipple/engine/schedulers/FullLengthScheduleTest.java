package io.stipple.engine.schedulers;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.GaussianOracle;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.pipeline.GaussianConvergence;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Step counts at the top of the range (as many steps as training timesteps, and one fewer): every
 * scheduler with every timestep spacing runs its whole loop, and the multistep solvers with the
 * default leading spacing still sample the data distribution (their whole-step leading grid has no
 * room for 1000 points in 1000 timesteps).
 */
class FullLengthScheduleTest {

    private static final int TRAIN = 1000;

    @Test
    void everySchedulerRunsEveryStepAtTheTopOfTheRangeWithEverySpacing() {
        for (String name : SchedulerConfigs.supportedClasses()) {
            for (String spacing : new String[] {"leading", "linspace", "trailing"}) {
                for (int steps : new int[] {TRAIN - 1, TRAIN}) {
                    Scheduler scheduler;
                    try {
                        scheduler = SchedulerConfigs.create(SchedulerConfigs.defaults(name,
                                Map.of("timestep_spacing", spacing)));
                        scheduler.setTimesteps(steps);
                    } catch (IllegalArgumentException e) {
                        assertTrue(e.getMessage().contains("unsupported timestep_spacing"), name + ": " + e.getMessage());
                        continue; // e.g. DDIM inversion has no linspace spacing, as in diffusers
                    }
                    GaussianOracle model = new GaussianOracle(0.5, 0.3, scheduler.config().predictionType(),
                            scheduler::noiseLevel);
                    float[] x = {scheduler.initNoiseSigma()};
                    String what = name + " " + spacing + " " + steps + " steps";
                    float[] sample = x;
                    for (float t : assertDoesNotThrow(scheduler::timesteps, what)) {
                        float[] input = scheduler.scaleModelInput(sample, t);
                        float[] out = model.predict(Tensor.of(input, 1, 1, 1, 1), new float[] {t}, Conditioning.none(1));
                        float[] current = sample;
                        sample = assertDoesNotThrow(() -> scheduler.step(out, t, current, PhiloxNoise.of(1)).prevSample(),
                                what + " at t=" + t);
                    }
                    assertTrue(Float.isFinite(sample[0]), what + " ends at " + sample[0]);
                }
            }
        }
    }

    @Test
    void multistepSolversWithLeadingSpacingSampleTheDataAtAThousandSteps() {
        for (String name : new String[] {"DPMSolverMultistepScheduler", "UniPCMultistepScheduler"}) {
            GaussianConvergence.Sampler sampler = new GaussianConvergence.Sampler(name + " leading", false,
                    () -> SchedulerConfigs.create(SchedulerConfigs.defaults(name, Map.of("timestep_spacing", "leading"))));
            double error = GaussianConvergence.error(sampler, TRAIN, 0);
            assertTrue(error < 1e-2, name + " with leading spacing at " + TRAIN + " steps: error " + error);
        }
    }
}
