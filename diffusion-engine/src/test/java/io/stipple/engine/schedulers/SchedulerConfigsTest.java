package io.stipple.engine.schedulers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading scheduler_config.json files as diffusers writes them (test resources copied from SD checkpoints). */
class SchedulerConfigsTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = SchedulerConfigsTest.class.getResourceAsStream("/scheduler-configs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void stableDiffusionPndmConfigLoadsAndGivesTheKnownTimesteps() throws IOException {
        Scheduler s = SchedulerConfigs.create(resource("sd15_pndm.json"));
        assertInstanceOf(PNDMScheduler.class, s);
        SchedulerConfig c = s.config();
        assertEquals(BetaSchedule.SCALED_LINEAR, c.betaSchedule());
        assertTrue(c.skipPrkSteps());
        assertFalse(c.setAlphaToOne());
        assertEquals(1, c.stepsOffset());
        s.setTimesteps(50);
        float[] ts = s.timesteps();
        assertEquals(51, ts.length);
        assertArrayEquals(new float[] {981, 961, 961, 941, 921}, java.util.Arrays.copyOf(ts, 5));
        assertEquals(1, ts[50]);
    }

    @Test
    void vPredictionDdimConfig() throws IOException {
        Scheduler s = SchedulerConfigs.create(resource("sd21_ddim_vpred.json"));
        assertInstanceOf(DDIMScheduler.class, s);
        assertEquals(PredictionType.V_PREDICTION, s.config().predictionType());
        s.setTimesteps(50);
        assertEquals(981, s.timesteps()[0]);
        assertEquals(1, s.timesteps()[49]);
    }

    @Test
    void sdxlEulerConfigUsesLeadingSpacingAndItsInitialSigma() throws IOException {
        Scheduler s = SchedulerConfigs.create(resource("sdxl_euler.json"));
        assertInstanceOf(EulerDiscreteScheduler.class, s);
        s.setTimesteps(50);
        assertEquals(981f, s.timesteps()[0]);
        double sigma = s.noiseLevel(981f).sigma();
        assertEquals(Math.sqrt(sigma * sigma + 1), s.initNoiseSigma(), 1e-4);
    }

    @Test
    void dpmSolverKarrasConfigReadsMinusInfinity() throws IOException {
        SchedulerConfig c = SchedulerConfigs.fromJson(resource("dpmpp_karras.json"));
        assertEquals(Double.NEGATIVE_INFINITY, c.lambdaMinClipped());
        assertTrue(c.useKarrasSigmas());
        Scheduler s = SchedulerConfigs.create(c);
        s.setTimesteps(20);
        assertEquals(20, s.timesteps().length);
    }

    @Test
    void cosineScheduleCapsBetas() throws IOException {
        SchedulerConfig c = SchedulerConfigs.fromJson(resource("ddpm_cosine.json"));
        NoiseSchedule schedule = NoiseSchedule.of(c);
        assertEquals(0.999, schedule.beta(999), 1e-6);
        // Nichol & Dhariwal: alpha_bar(1/T) / alpha_bar(0) for the first beta
        double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        double f1 = Math.pow(Math.cos((0.001 + 0.008) / 1.008 * Math.PI / 2), 2);
        assertEquals(1 - f1 / f0, schedule.beta(0), 1e-9);
    }

    @Test
    void missingKeysTakeTheClassDefaultsOfDiffusers() {
        SchedulerConfig pndm = SchedulerConfigs.fromJson("{\"_class_name\": \"PNDMScheduler\"}");
        assertFalse(pndm.setAlphaToOne());
        SchedulerConfig ddim = SchedulerConfigs.fromJson("{\"_class_name\": \"DDIMScheduler\"}");
        assertTrue(ddim.setAlphaToOne());
        assertTrue(ddim.clipSample());
        SchedulerConfig heun = SchedulerConfigs.defaults("HeunDiscreteScheduler");
        assertEquals(0.00085, heun.betaStart());
        assertEquals(TimestepSpacing.LINSPACE, heun.timestepSpacing());
    }

    @Test
    void unknownKeysAreIgnored() {
        SchedulerConfig c = SchedulerConfigs.fromJson(
                "{\"_class_name\": \"DDIMScheduler\", \"_diffusers_version\": \"0.30\", \"some_future_key\": [1, 2]}");
        assertEquals("DDIMScheduler", c.className());
    }

    @Test
    void unsupportedValuesAreRejectedClearly() {
        var e = assertThrows(IllegalArgumentException.class, () -> SchedulerConfigs.fromJson(
                "{\"_class_name\": \"DDIMScheduler\", \"prediction_type\": \"flow_prediction\"}"));
        assertTrue(e.getMessage().contains("unsupported prediction_type 'flow_prediction'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedulerConfigs.fromJson(
                "{\"_class_name\": \"DDPMScheduler\", \"beta_schedule\": \"sigmoid\"}"));
        assertTrue(e.getMessage().contains("beta_schedule"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedulerConfigs.fromJson(
                "{\"_class_name\": \"LCMScheduler\"}"));
        assertTrue(e.getMessage().contains("unsupported _class_name 'LCMScheduler'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedulerConfigs.create(
                "{\"_class_name\": \"EulerDiscreteScheduler\", \"use_exponential_sigmas\": true}"));
        assertTrue(e.getMessage().contains("use_exponential_sigmas"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SchedulerConfigs.create(
                "{\"_class_name\": \"DDPMScheduler\", \"variance_type\": \"learned_range\"}"));
        assertTrue(e.getMessage().contains("variance_type"), e.getMessage());
    }

    @Test
    void trainedBetasOverrideTheSchedule() {
        StringBuilder betas = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            betas.append(i == 0 ? "" : ",").append(0.01 * (i + 1));
        }
        SchedulerConfig c = SchedulerConfigs.fromJson("{\"_class_name\": \"DDPMScheduler\", \"num_train_timesteps\": 10, "
                + "\"trained_betas\": [" + betas + "]}");
        assertEquals(0.05, NoiseSchedule.of(c).beta(4), 1e-7);
    }

    @Test
    void writesAndReadsBack() {
        SchedulerConfig c = SchedulerConfigs.defaults("DPMSolverMultistepScheduler", Map.of("solver_order", 3));
        assertEquals(c.solverOrder(), SchedulerConfigs.fromJson(SchedulerConfigs.toJson(c)).solverOrder());
        assertTrue(SchedulerConfigs.toJson(c).contains("\"solver_order\" : 3"));
    }
}
