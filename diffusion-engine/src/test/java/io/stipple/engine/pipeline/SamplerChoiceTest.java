package io.stipple.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.schedulers.TimestepSpacing;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerChoiceTest {

    @Test
    void theTrainedDataRangeCarriesOverAndTheRestIsTheAlgorithmsOwn() {
        // A super-resolution stage whose residual is scaled by 8: its x0 lies in [-16, 16], not [-1, 1].
        SchedulerConfig trained = SchedulerConfigs.defaults("DDPMScheduler", Map.of("prediction_type", "v_prediction",
                "clip_sample_range", 16.0, "sample_max_value", 16.0, "timestep_spacing", "leading"));
        SchedulerConfig ddim = SamplerChoice.DDIM.configFor(trained, Map.of("timestep_spacing", "trailing"));
        assertEquals(16.0, ddim.clipSampleRange());
        assertEquals(16.0, ddim.sampleMaxValue());
        assertEquals("v_prediction", ddim.predictionType().wireName());
        assertTrue(ddim.useClippedModelOutput(), "ddim's own choice");
        assertEquals(TimestepSpacing.TRAILING, ddim.timestepSpacing());
        SchedulerConfig base = SamplerChoice.DDIM.configFor(SchedulerConfigs.defaults("DDPMScheduler"), Map.of());
        assertEquals(1.0, base.clipSampleRange(), "a base model's range is unchanged");
    }
}
