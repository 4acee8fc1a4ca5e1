package io.stipple.engine.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.engine.fixtures.SdTiny;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * diffusers' {@code from_config} rule against the fixture: its DDIM and Euler runs' scheduler
 * configs are what diffusers made with {@code DDIMScheduler.from_config(pipe.scheduler.config)} and
 * {@code EulerDiscreteScheduler.from_config(...)} from the pipeline's PNDM config, whose
 * {@code _use_default_values} lists {@code timestep_spacing} and {@code prediction_type}.
 */
class FromConfigTest {

    private static final JsonNode RUNS = SdTiny.description().path("runs");

    @Test
    void keysTheSourceSetCarryOverAndItsDefaultsDoNot() {
        String pndm = RUNS.path("run_pndm").path("scheduler_config").toString();
        SchedulerConfig euler = SchedulerConfigs.fromConfig("EulerDiscreteScheduler", pndm, Map.of());
        assertEquals(SchedulerConfigs.fromJson(RUNS.path("run_euler").path("scheduler_config").toString()), euler);
        assertEquals(TimestepSpacing.LINSPACE, euler.timestepSpacing(), "PNDM's leading was a default: Euler's own");
        assertEquals(1, euler.stepsOffset(), "steps_offset was set: it carries over");
        assertEquals(SchedulerConfigs.fromJson(RUNS.path("run_ddim").path("scheduler_config").toString()),
                SchedulerConfigs.fromConfig("DDIMScheduler", pndm, Map.of()));
    }

    /** The tiny folder's file, as saved, sets every key: leading spacing carries over (diffusers does the same from that file). */
    @Test
    void aFileThatSetsEveryKeyCarriesThemAllAndOverridesWin() throws Exception {
        String file = java.nio.file.Files.readString(SdTiny.SD1.resolve("scheduler/scheduler_config.json"));
        SchedulerConfig dpm = SchedulerConfigs.fromConfig("DPMSolverMultistepScheduler", file, Map.of());
        assertEquals(TimestepSpacing.LEADING, dpm.timestepSpacing());
        assertEquals(0.00085, dpm.betaStart());
        assertEquals(TimestepSpacing.TRAILING, SchedulerConfigs.fromConfig("DPMSolverMultistepScheduler", file,
                Map.of("timestep_spacing", "trailing")).timestepSpacing());
    }
}
