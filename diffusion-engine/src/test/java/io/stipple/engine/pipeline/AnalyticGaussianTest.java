package io.stipple.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.pipeline.GaussianConvergence.Sampler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every sampler reproduces N(mu, s^2) with the exact denoiser, and its error falls with the step
 * count at the rate its order promises. Thresholds come from the measured table in
 * docs/sampling.md with a margin; the rates are asymptotic-ish, so the ratio bounds are loose.
 */
class AnalyticGaussianTest {

    private static final Map<String, Sampler> SAMPLERS = GaussianConvergence.samplers().stream()
            .collect(Collectors.toMap(Sampler::name, Function.identity()));
    private static final int SAMPLES = 8_192;

    private static double error(String name, int steps) {
        return GaussianConvergence.error(SAMPLERS.get(name), steps, SAMPLES);
    }

    @Test
    void deterministicSamplersConvergeToTheExactOdeSolution() {
        for (Sampler s : SAMPLERS.values()) {
            if (s.stochastic()) {
                continue;
            }
            double e10 = error(s.name(), 10);
            double e20 = error(s.name(), 20);
            double e50 = error(s.name(), 50);
            double e1000 = error(s.name(), 1000);
            assertTrue(e20 < e10 && e50 < e20, s.name() + ": error must fall with steps: " + e10 + ", " + e20 + ", " + e50);
            assertTrue(e1000 < 4e-3, s.name() + ": at 1000 steps error " + e1000);
        }
    }

    @Test
    void stochasticSamplersReproduceMeanAndStd() {
        for (Sampler s : SAMPLERS.values()) {
            if (!s.stochastic()) {
                continue;
            }
            double e1000 = error(s.name(), 1000);
            // Monte Carlo error of |mean - mu| + |std - s| with 8192 samples is about 0.006.
            assertTrue(e1000 < 0.02, s.name() + ": |mean-mu|+|std-s| = " + e1000 + " at 1000 steps");
            assertTrue(error(s.name(), 50) < error(s.name(), 10), s.name() + ": error must fall with steps");
        }
    }

    @Test
    void firstOrderSamplersHalveTheirErrorWhenStepsDouble() {
        for (String name : new String[] {"DDIM eta=0", "Euler", "DPM-Solver++ order 1"}) {
            double ratio = error(name, 20) / error(name, 50);
            assertTrue(ratio > 1.8 && ratio < 3.5, name + ": error ratio 20 -> 50 steps is " + ratio + ", first order is 2.5");
        }
    }

    @Test
    void higherOrderSamplersConvergeFaster() {
        // 20 -> 50 steps is 2.5x: a second-order method gains 6.25x, first order only 2.5x.
        for (String name : new String[] {"DPM-Solver++ order 2", "Heun", "PNDM (PRK+PLMS)", "PNDM skip_prk_steps"}) {
            double ratio = error(name, 20) / error(name, 50);
            assertTrue(ratio > 4, name + ": error ratio 20 -> 50 steps is only " + ratio);
        }
        // With Karras sigmas (smooth in log-SNR) third order beats second order clearly at 25 steps.
        assertTrue(error("DPM-Solver++ 3 Karras", 25) * 5 < error("DPM-Solver++ 2 Karras", 25));
    }

    @Test
    void solverVariantsAndPredictionTypesConvergeToo() {
        Map<String, Map<String, Object>> variants = Map.of(
                "DPMSolverMultistepScheduler/heun", Map.of("solver_type", "heun", "timestep_spacing", "trailing"),
                "DPMSolverMultistepScheduler/eps-2", Map.of("algorithm_type", "dpmsolver", "final_sigmas_type", "sigma_min",
                        "timestep_spacing", "trailing"),
                "DPMSolverMultistepScheduler/eps-3", Map.of("algorithm_type", "dpmsolver", "solver_order", 3,
                        "final_sigmas_type", "sigma_min", "timestep_spacing", "trailing"),
                "DPMSolverMultistepScheduler/v", Map.of("prediction_type", "v_prediction", "timestep_spacing", "trailing"),
                "UniPCMultistepScheduler/bh1", Map.of("solver_type", "bh1", "timestep_spacing", "trailing"),
                "UniPCMultistepScheduler/eps", Map.of("predict_x0", false, "final_sigmas_type", "sigma_min",
                        "timestep_spacing", "trailing"),
                "EulerDiscreteScheduler/v", Map.of("prediction_type", "v_prediction"),
                "HeunDiscreteScheduler/sample", Map.of("prediction_type", "sample"),
                "DDIMScheduler/sample", Map.of("prediction_type", "sample", "clip_sample", false,
                        "timestep_spacing", "trailing"),
                "LMSDiscreteScheduler/karras", Map.of("use_karras_sigmas", true));
        variants.forEach((key, config) -> {
            String className = key.substring(0, key.indexOf('/'));
            Sampler s = new Sampler(key, false,
                    () -> SchedulerConfigs.create(SchedulerConfigs.defaults(className, config)));
            double e10 = GaussianConvergence.error(s, 10, 0);
            double e20 = GaussianConvergence.error(s, 20, 0);
            double e50 = GaussianConvergence.error(s, 50, 0);
            assertTrue(e20 < e10 && e50 < e20 && e50 < 0.06, key + ": " + e10 + ", " + e20 + ", " + e50);
        });
    }
}
