package io.stipple.engine.pipeline;

import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.model.ImageSize;
import java.util.Map;

/**
 * What every image of one batched sampling run shares: the scheduler, its step count and
 * settings, the guidance and the image size (null: the model's native size). Requests with equal
 * settings (and the same model) can be sampled together; prompts, negative prompts, seeds and
 * image counts may differ.
 */
public record SamplingSettings(SamplerChoice sampler, int steps, GuidanceSettings guidance,
        Map<String, ?> schedulerSettings, ImageSize size) {

    public SamplingSettings {
        schedulerSettings = Map.copyOf(schedulerSettings);
    }
}
