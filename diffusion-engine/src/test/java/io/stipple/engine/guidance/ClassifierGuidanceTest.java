package io.stipple.engine.guidance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.schedulers.NoiseLevel;
import io.stipple.engine.schedulers.Scheduler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassifierGuidanceTest {

    @Test
    void shiftsEpsilonBySqrtOneMinusAlphaBarTimesTheGradient() {
        Scheduler ddim = SchedulerConfigs.create(SchedulerConfigs.defaults("DDIMScheduler"));
        ddim.setTimesteps(10);
        StepModel eps = (sample, t) -> new float[] {0.1f, 0.2f};
        ClassifierGradient grad = (sample, t) -> new float[] {1f, -2f};
        float[] out = new ClassifierGuidance(eps, grad, 3.0, ddim).predict(Tensor.of(new float[2], 1, 1, 2, 1), 500);
        NoiseLevel level = ddim.noiseLevel(500);
        assertEquals(0.1 - 3 * level.sigma() * 1, out[0], 1e-6);
        assertEquals(0.2 + 3 * level.sigma() * 2, out[1], 1e-6);
    }

    @Test
    void theCoefficientIsTheSameInSigmaSpace() {
        Scheduler euler = SchedulerConfigs.create(SchedulerConfigs.defaults("EulerDiscreteScheduler"));
        Scheduler ddim = SchedulerConfigs.create(SchedulerConfigs.defaults("DDIMScheduler"));
        assertEquals(ddim.noiseLevel(300).sigma(), ClassifierGuidance.sqrtOneMinusAlphaBar(euler.noiseLevel(300)), 1e-6);
    }

    @Test
    void needsAnEpsilonModel() {
        Scheduler v = SchedulerConfigs.create(SchedulerConfigs.defaults("DDIMScheduler",
                Map.of("prediction_type", "v_prediction")));
        assertThrows(IllegalArgumentException.class,
                () -> new ClassifierGuidance((s, t) -> s.data(), (s, t) -> s.data(), 1, v));
    }
}
