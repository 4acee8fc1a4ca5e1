package io.stipple.engine.pipeline;

import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The samplers offered on the command line, by the wire names of the job contracts, and how each
 * is configured from a model's training schedule: the schedule keys and prediction type carry
 * over, the rest are the algorithm's diffusers defaults.
 */
public enum SamplerChoice {
    DDPM("ddpm", "DDPMScheduler"),
    DDIM("ddim", "DDIMScheduler"),
    EULER("euler", "EulerDiscreteScheduler"),
    EULER_ANCESTRAL("euler_ancestral", "EulerAncestralDiscreteScheduler"),
    HEUN("heun", "HeunDiscreteScheduler"),
    DPMPP_2M("dpmpp_2m", "DPMSolverMultistepScheduler");

    private final String wireName;
    private final String className;

    SamplerChoice(String wireName, String className) {
        this.wireName = wireName;
        this.className = className;
    }

    public String wireName() {
        return wireName;
    }

    /** By wire name ("dpmpp_2m") or diffusers class name ("DPMSolverMultistepScheduler"). */
    public static SamplerChoice parse(String name) {
        for (SamplerChoice choice : values()) {
            if (choice.wireName.equalsIgnoreCase(name) || choice.className.equals(name)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("unknown sampler " + name + "; use one of ddpm, ddim, euler, "
                + "euler_ancestral, heun, dpmpp_2m");
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
        overrides.putAll(settings);
        return SchedulerConfigs.defaults(className, overrides);
    }
}
