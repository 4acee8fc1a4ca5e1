package io.stipple.engine.cascade;

import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ModelDefaults;
import io.stipple.engine.model.SuperResolutionSpec;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.pipeline.SamplerChoice;
import java.util.Map;

/**
 * How one super-resolution stage samples.
 *
 * @param augLevel          noise-conditioning augmentation timestep applied to the stage's input
 *                          (0 .. the card's {@code max_aug_level}); fed to the network as {@code aug_level}
 * @param guidance          classifier-free guidance; only a text-conditioned stage can guide, so a
 *                          text-free stage takes scale 1
 * @param schedulerSettings diffusers keys set on the sampler, as in {@code GenerationRequest}
 */
public record StageSettings(SamplerChoice sampler, int steps, GuidanceSettings guidance, int augLevel,
        Map<String, ?> schedulerSettings) {

    public StageSettings {
        if (sampler == null || guidance == null) {
            throw new IllegalArgumentException("sampler and guidance are required");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (augLevel < 0) {
            throw new IllegalArgumentException("augmentation level must be >= 0, got " + augLevel);
        }
        schedulerSettings = schedulerSettings == null ? Map.of() : Map.copyOf(schedulerSettings);
    }

    /**
     * The stage model card's sampler, steps, guidance, sampler settings and the (measured) default
     * augmentation level for inputs of that origin.
     */
    public static StageSettings defaults(DiffusionModel stage, InputOrigin origin) {
        SuperResolutionSpec spec = stage.superResolution().orElseThrow(() -> new IllegalArgumentException(
                "model " + stage.identity().name() + " is not a super-resolution stage"));
        ModelDefaults defaults = stage.defaults();
        int augLevel = switch (origin) {
            case GENERATED -> spec.cascadeAugLevel();
            case REAL -> spec.defaultAugLevel();
        };
        return new StageSettings(SamplerChoice.parse(defaults.sampler()), defaults.steps(),
                GuidanceSettings.scale(defaults.guidanceScale()), augLevel, spec.samplerSettings());
    }

    public StageSettings withAugLevel(int level) {
        return new StageSettings(sampler, steps, guidance, level, schedulerSettings);
    }

    public StageSettings withSampling(SamplerChoice newSampler, int newSteps) {
        return new StageSettings(newSampler, newSteps, guidance, augLevel, schedulerSettings);
    }
}
