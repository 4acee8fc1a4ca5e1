package io.stipple.engine.schedulers;

import static io.stipple.engine.schedulers.DiffusersFixtures.absMean;
import static io.stipple.engine.schedulers.DiffusersFixtures.absSum;
import static io.stipple.engine.schedulers.DiffusersFixtures.fullLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Full sampling loops on diffusers' deterministic dummy model and sample, asserting the numbers
 * diffusers' own scheduler tests assert (tests/schedulers/test_scheduler_*.py at diffusers commit
 * 58eb52c), with the same tolerances (1e-2 on the sum of |x|, 1e-3 on the mean). Loops whose
 * result depends on torch's random generator are not ported; docs/schedulers.md lists them.
 */
class DiffusersAgreementTest {

    /** diffusers' get_scheduler_config() for DDIM-type tests. */
    private static final Map<String, Object> DDIM_BASE = Map.of(
            "num_train_timesteps", 1000, "beta_start", 0.0001, "beta_end", 0.02,
            "beta_schedule", "linear", "clip_sample", true);

    private static Map<String, Object> ddim(Map<String, Object> extra) {
        var m = new java.util.HashMap<>(DDIM_BASE);
        m.putAll(extra);
        return m;
    }

    private static void assertSumMean(float[] sample, double sum, double mean) {
        assertEquals(sum, absSum(sample), 1e-2, "result_sum");
        assertEquals(mean, absMean(sample), 1e-3, "result_mean");
    }

    // test_scheduler_ddim.py

    @Test
    void ddimFullLoopNoNoise() {
        assertSumMean(fullLoop("DDIMScheduler", DDIM_BASE, 10), 172.0067, 0.223967);
    }

    @Test
    void ddimFullLoopWithVPrediction() {
        assertSumMean(fullLoop("DDIMScheduler", ddim(Map.of("prediction_type", "v_prediction")), 10), 52.5302, 0.0684);
    }

    @Test
    void ddimFullLoopWithSetAlphaToOne() {
        assertSumMean(fullLoop("DDIMScheduler", ddim(Map.of("set_alpha_to_one", true, "beta_start", 0.01)), 10),
                149.8295, 0.1951);
    }

    @Test
    void ddimFullLoopWithNoSetAlphaToOne() {
        assertSumMean(fullLoop("DDIMScheduler", ddim(Map.of("set_alpha_to_one", false, "beta_start", 0.01)), 10),
                149.0784, 0.1941);
    }

    // test_scheduler_ddim_inverse.py

    @Test
    void ddimInverseFullLoopNoNoise() {
        assertSumMean(fullLoop("DDIMInverseScheduler", DDIM_BASE, 10), 671.6816, 0.8746);
    }

    @Test
    void ddimInverseFullLoopWithVPrediction() {
        assertSumMean(fullLoop("DDIMInverseScheduler", ddim(Map.of("prediction_type", "v_prediction")), 10),
                1394.2185, 1.8154);
    }

    @Test
    void ddimInverseFullLoopWithSetAlphaToOne() {
        assertSumMean(fullLoop("DDIMInverseScheduler",
                ddim(Map.of("set_alpha_to_one", true, "beta_start", 0.01)), 10), 539.9622, 0.7031);
    }

    @Test
    void ddimInverseFullLoopWithNoSetAlphaToOne() {
        assertSumMean(fullLoop("DDIMInverseScheduler",
                ddim(Map.of("set_alpha_to_one", false, "beta_start", 0.01)), 10), 542.6722, 0.7066);
    }
}
