package io.stipple.engine.pipeline;

import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The samplers offered on the command line, by the wire names of the job contracts, and how each
 * is configured from a model's training schedule: the schedule keys, the prediction type and the
 * data's range ({@code clip_sample_range}, {@code sample_max_value}: a super-resolution stage's
 * scaled residual is not in [-1, 1]) carry over, the rest are the algorithm's diffusers defaults,
 * except where a choice sets its own.
 *
 * <p>{@code ddim} steps with the epsilon implied by its clipped x0 ({@code use_clipped_model_output}):
 * with diffusers' default, DDIM 50 steps at guidance 3 on {@code stipple-base-16/1} lost the
 * prompt's background in 56% of images (docs/models.md), because the clipped x0 and the raw
 * guided epsilon pull the update in different directions.
 */
public enum SamplerChoice {
    DDPM("ddpm", "DDPMScheduler"),
    DDIM("ddim", "DDIMScheduler", Map.of("use_clipped_model_output", true)),
    EULER("euler", "EulerDiscreteScheduler"),
    EULER_ANCESTRAL("euler_ancestral", "EulerAncestralDiscreteScheduler"),
    HEUN("heun", "HeunDiscreteScheduler"),
    DPMPP_2M("dpmpp_2m", "DPMSolverMultistepScheduler");

    private final String wireName;
    private final String className;
    private final Map<String, ?> choiceDefaults;

    SamplerChoice(String wireName, String className) {
        this(wireName, className, Map.of());
    }

    SamplerChoice(String wireName, String className, Map<String, ?> choiceDefaults) {
        this.wireName = wireName;
        this.className = className;
        this.choiceDefaults = choiceDefaults;
    }

    public String wireName() {
        return wireName;
    }

    /** By wire name ("dpmpp_2m") or diffusers class name ("DPMSolverMultistepScheduler"). */
    public static SamplerChoice parse(String name) {
        SamplerChoice choice = find(name);
        if (choice != null) {
            return choice;
        }
        throw new IllegalArgumentException("unknown sampler " + name + "; use one of ddpm, ddim, euler, "
                + "euler_ancestral, heun, dpmpp_2m");
    }

    /** As {@link #parse}, or null when the name is none of the offered samplers (e.g. "PNDMScheduler"). */
    public static SamplerChoice find(String name) {
        for (SamplerChoice choice : values()) {
            if (choice.wireName.equalsIgnoreCase(name) || choice.className.equals(name)) {
                return choice;
            }
        }
        return null;
    }

    /**
     * This algorithm for {@code model}, with further diffusers keys set on top: over a diffusers
     * scheduler file ({@link DiffusionModel#schedulerFile()}, Stable Diffusion) by diffusers'
     * {@code from_config} rule ({@link SchedulerConfigs#fromConfig}: every key the file sets carries
     * over, {@code steps_offset} and {@code timestep_spacing} included, unless it lists it in
     * {@code _use_default_values}); over a Stipple model's training schedule as
     * {@link #configFor(SchedulerConfig, Map)}. The engine CLI and the worker both come here, so a
     * request that sets nothing gets the same configuration on either.
     */
    public SchedulerConfig configFor(DiffusionModel model, Map<String, ?> settings) {
        Optional<String> file = model.schedulerFile();
        if (file.isEmpty()) {
            return configFor(model.schedulerConfig(), settings);
        }
        Map<String, Object> overrides = new LinkedHashMap<>(choiceDefaults);
        overrides.putAll(settings);
        return SchedulerConfigs.fromConfig(className, file.get(), overrides);
    }

    /**
     * This algorithm over the model's training schedule.
     *
     * @param dynamicThresholding Imagen's dynamic thresholding of predicted x0 instead of clipping
     */
    public SchedulerConfig configFor(SchedulerConfig trained, boolean dynamicThresholding) {
        return configFor(trained, dynamicThresholding ? Map.of("thresholding", true) : Map.of());
    }

    /**
     * As {@link #configFor(SchedulerConfig, boolean)}, with further diffusers keys set on top (e.g.
     * {@code timestep_spacing}, {@code use_karras_sigmas}, {@code thresholding}); an unknown key fails.
     */
    public SchedulerConfig configFor(SchedulerConfig trained, Map<String, ?> settings) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("num_train_timesteps", trained.numTrainTimesteps());
        overrides.put("beta_start", trained.betaStart());
        overrides.put("beta_end", trained.betaEnd());
        overrides.put("beta_schedule", trained.betaSchedule().wireName());
        overrides.put("prediction_type", trained.predictionType().wireName());
        overrides.put("clip_sample_range", trained.clipSampleRange());
        overrides.put("sample_max_value", trained.sampleMaxValue());
        overrides.putAll(choiceDefaults);
        overrides.putAll(settings);
        return SchedulerConfigs.defaults(className, overrides);
    }
}
