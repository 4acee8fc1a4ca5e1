package io.stipple.engine.pipeline;

import io.stipple.engine.guidance.GuidanceSettings;
import java.util.Map;

/**
 * What every image of one batched sampling run shares: the scheduler, its step count and
 * settings, and the guidance. Requests with equal settings (and the same model) can be sampled
 * together; prompts, negative prompts, seeds and image counts may differ.
 */
public record SamplingSettings(SamplerChoice sampler, int steps, GuidanceSettings guidance,
        Map<String, ?> schedulerSettings) {

    public SamplingSettings {
        schedulerSettings = Map.copyOf(schedulerSettings);
    }
}
