package io.stipple.engine.schedulers;

import static io.stipple.engine.schedulers.DiffusersFixtures.absMean;
import static io.stipple.engine.schedulers.DiffusersFixtures.absSum;
import static io.stipple.engine.schedulers.DiffusersFixtures.create;
import static io.stipple.engine.schedulers.DiffusersFixtures.fullLoop;
import static io.stipple.engine.schedulers.DiffusersFixtures.fullLoopWithNoise;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Full sampling loops on diffusers' deterministic dummy model and sample, asserting the numbers
 * diffusers' own scheduler tests assert (tests/schedulers/test_scheduler_*.py at diffusers commit
 * 58eb52c), with the same tolerances (1e-2 on the sum of |x|, 1e-3 on the mean). Loops whose
 * result depends on torch's random generator are not ported; docs/sampling.md lists them.
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

    @Test
    void ddimFullLoopWithNoise() {
        assertSumMean(fullLoopWithNoise(create("DDIMScheduler", DDIM_BASE), 10, 8), 354.5418, 0.4616);
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

    // test_scheduler_pndm.py (full_loop: PRK steps then PLMS steps, 10 inference steps)

    private static final Map<String, Object> PNDM_BASE = Map.of(
            "num_train_timesteps", 1000, "beta_start", 0.0001, "beta_end", 0.02, "beta_schedule", "linear");

    private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> extra) {
        var m = new java.util.HashMap<>(base);
        m.putAll(extra);
        return m;
    }

    @Test
    void pndmFullLoopNoNoise() {
        assertSumMean(fullLoop("PNDMScheduler", PNDM_BASE, 10), 198.1318, 0.2580);
    }

    @Test
    void pndmFullLoopWithVPrediction() {
        assertSumMean(fullLoop("PNDMScheduler", with(PNDM_BASE, Map.of("prediction_type", "v_prediction")), 10),
                67.3986, 0.0878);
    }

    @Test
    void pndmFullLoopWithSetAlphaToOne() {
        assertSumMean(fullLoop("PNDMScheduler",
                with(PNDM_BASE, Map.of("set_alpha_to_one", true, "beta_start", 0.01)), 10), 230.0399, 0.2995);
    }

    @Test
    void pndmFullLoopWithNoSetAlphaToOne() {
        assertSumMean(fullLoop("PNDMScheduler",
                with(PNDM_BASE, Map.of("set_alpha_to_one", false, "beta_start", 0.01)), 10), 186.9482, 0.2434);
    }

    // test_scheduler_euler.py (num_train_timesteps 1100, 10 steps)

    private static final Map<String, Object> K_BASE = Map.of(
            "num_train_timesteps", 1100, "beta_start", 0.0001, "beta_end", 0.02, "beta_schedule", "linear");

    @Test
    void eulerFullLoopNoNoise() {
        assertSumMean(fullLoop("EulerDiscreteScheduler", K_BASE, 10), 10.0807, 0.0131);
    }

    @Test
    void eulerFullLoopWithVPrediction() {
        assertSumMean(fullLoop("EulerDiscreteScheduler", with(K_BASE, Map.of("prediction_type", "v_prediction")), 10),
                0.0002, 2.2676e-06);
    }

    @Test
    void eulerFullLoopKarrasSigmas() {
        assertSumMean(fullLoop("EulerDiscreteScheduler", with(K_BASE, Map.of("use_karras_sigmas", true)), 10),
                124.52299499511719, 0.16213932633399963);
    }

    @Test
    void eulerFullLoopWithNoise() {
        assertSumMean(fullLoopWithNoise(create("EulerDiscreteScheduler", K_BASE), 10, 8), 57062.9297, 74.3007);
    }

    // test_scheduler_heun.py (num_train_timesteps 1100, 10 steps)

    @Test
    void heunFullLoopNoNoise() {
        assertSumMean(fullLoop("HeunDiscreteScheduler", K_BASE, 10), 0.1233, 0.0002);
    }

    @Test
    void heunFullLoopWithVPrediction() {
        assertSumMean(fullLoop("HeunDiscreteScheduler", with(K_BASE, Map.of("prediction_type", "v_prediction")), 10),
                4.6934e-07, 6.1112e-10);
    }

    @Test
    void heunFullLoopKarrasSigmas() {
        float[] sample = fullLoop("HeunDiscreteScheduler", with(K_BASE, Map.of("use_karras_sigmas", true)), 10);
        assertEquals(0.00015, absSum(sample), 1e-2, "result_sum");
        assertEquals(1.9869554535034695e-07, absMean(sample), 1e-2, "result_mean");
    }

    @Test
    void heunFullLoopWithNoise() {
        assertSumMean(fullLoopWithNoise(create("HeunDiscreteScheduler", K_BASE), 10, 8), 75074.8906, 97.7538);
    }

    // test_scheduler_dpm_multi.py (10 steps; diffusers asserts only the mean for most loops)

    private static final Map<String, Object> DPM_BASE = Map.ofEntries(
            Map.entry("num_train_timesteps", 1000), Map.entry("beta_start", 0.0001), Map.entry("beta_end", 0.02),
            Map.entry("beta_schedule", "linear"), Map.entry("solver_order", 2),
            Map.entry("prediction_type", "epsilon"), Map.entry("thresholding", false),
            Map.entry("sample_max_value", 1.0), Map.entry("algorithm_type", "dpmsolver++"),
            Map.entry("solver_type", "midpoint"), Map.entry("lower_order_final", false),
            Map.entry("euler_at_final", false), Map.entry("final_sigmas_type", "sigma_min"));

    private static double dpmMean(Map<String, Object> extra) {
        return absMean(fullLoop("DPMSolverMultistepScheduler", with(DPM_BASE, extra), 10));
    }

    @Test
    void dpmSolverFullLoopNoNoise() {
        assertEquals(0.3301, dpmMean(Map.of()), 1e-3);
    }

    @Test
    void dpmSolverFullLoopNoNoiseThresholding() {
        assertEquals(1.1364, dpmMean(Map.of("thresholding", true, "dynamic_thresholding_ratio", 0.87,
                "sample_max_value", 0.5)), 1e-3);
    }

    @Test
    void dpmSolverFullLoopWithVPrediction() {
        assertEquals(0.2251, dpmMean(Map.of("prediction_type", "v_prediction")), 1e-3);
    }

    @Test
    void dpmSolverFullLoopWithKarrasAndVPrediction() {
        assertEquals(0.2096, dpmMean(Map.of("prediction_type", "v_prediction", "use_karras_sigmas", true)), 1e-3);
    }

    @Test
    void dpmSolverFullLoopWithNoise() {
        assertSumMean(fullLoopWithNoise(create("DPMSolverMultistepScheduler", DPM_BASE), 10, 5), 318.4111, 0.4146);
    }

    // test_scheduler_lms.py (num_train_timesteps 1100, 10 steps)

    @Test
    void lmsFullLoopNoNoise() {
        assertSumMean(fullLoop("LMSDiscreteScheduler", K_BASE, 10), 1006.388, 1.31);
    }

    @Test
    void lmsFullLoopWithVPrediction() {
        assertSumMean(fullLoop("LMSDiscreteScheduler", with(K_BASE, Map.of("prediction_type", "v_prediction")), 10),
                0.0017, 2.2676e-06);
    }

    @Test
    void lmsFullLoopKarrasSigmas() {
        float[] sample = fullLoop("LMSDiscreteScheduler", with(K_BASE, Map.of("use_karras_sigmas", true)), 10);
        assertEquals(3812.9927, absSum(sample), 2e-2, "result_sum");
        assertEquals(4.9648, absMean(sample), 1e-3, "result_mean");
    }

    @Test
    void lmsFullLoopWithNoise() {
        assertSumMean(fullLoopWithNoise(create("LMSDiscreteScheduler", K_BASE), 10, 8), 27663.6895, 36.0204);
    }

    // test_scheduler_unipc.py (10 steps, bh2, order 2, final sigma_min)

    private static final Map<String, Object> UNIPC_BASE = Map.of("num_train_timesteps", 1000, "beta_start", 0.0001,
            "beta_end", 0.02, "beta_schedule", "linear", "solver_order", 2, "solver_type", "bh2",
            "final_sigmas_type", "sigma_min");

    private static double unipcMean(Map<String, Object> extra) {
        return absMean(fullLoop("UniPCMultistepScheduler", with(UNIPC_BASE, extra), 10));
    }

    @Test
    void uniPcFullLoopNoNoise() {
        assertEquals(0.2464, unipcMean(Map.of()), 1e-3);
    }

    @Test
    void uniPcFullLoopWithKarras() {
        assertEquals(0.2925, unipcMean(Map.of("use_karras_sigmas", true)), 1e-3);
    }

    @Test
    void uniPcFullLoopWithVPrediction() {
        assertEquals(0.1014, unipcMean(Map.of("prediction_type", "v_prediction")), 1e-3);
    }

    @Test
    void uniPcFullLoopWithKarrasAndVPrediction() {
        assertEquals(0.1966, unipcMean(Map.of("prediction_type", "v_prediction", "use_karras_sigmas", true)), 1e-3);
    }

    @Test
    void uniPcFullLoopWithNoise() {
        assertSumMean(fullLoopWithNoise(create("UniPCMultistepScheduler", UNIPC_BASE), 10, 8), 315.5757, 0.4109);
    }

    // test_scheduler_unipc.py, UniPCMultistepScheduler1DTest: samples of shape (4, 3, 8)

    private static final int ONE_D = 4 * 3 * 8;

    private static double unipc1dMean(Map<String, Object> extra) {
        return absMean(DiffusersFixtures.fullLoop(create("UniPCMultistepScheduler", with(UNIPC_BASE, extra)), 10, ONE_D));
    }

    @Test
    void uniPc1dFullLoops() {
        assertEquals(0.2441, unipc1dMean(Map.of()), 1e-3, "no noise");
        assertEquals(0.2898, unipc1dMean(Map.of("use_karras_sigmas", true)), 1e-3, "karras");
        assertEquals(0.1014, unipc1dMean(Map.of("prediction_type", "v_prediction")), 1e-3, "v_prediction");
        assertEquals(0.1944, unipc1dMean(Map.of("prediction_type", "v_prediction", "use_karras_sigmas", true)), 1e-3,
                "karras and v_prediction");
    }

    @Test
    void uniPc1dFullLoopWithNoise() {
        assertSumMean(DiffusersFixtures.fullLoopWithNoise(create("UniPCMultistepScheduler", UNIPC_BASE), 10, 8, ONE_D),
                39.0870, 0.4072);
    }
}
