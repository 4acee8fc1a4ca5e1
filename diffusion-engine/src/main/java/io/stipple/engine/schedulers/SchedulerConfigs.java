package io.stipple.engine.schedulers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads {@code scheduler_config.json} files and creates the scheduler its {@code _class_name}
 * names. Keys missing from a file take the defaults of diffusers' class of that name.
 */
public final class SchedulerConfigs {

    // diffusers writes float('-inf') as -Infinity (Python's json allows it).
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Defaults shared by most diffusers schedulers; the per-class differences are below. */
    private static final Map<String, Object> COMMON = commonDefaults();

    private record Algorithm(Map<String, Object> defaults, Function<SchedulerConfig, Scheduler> factory) {
    }

    private static final Map<String, Algorithm> ALGORITHMS = new LinkedHashMap<>();

    static {
        ALGORITHMS.put("DDPMScheduler", new Algorithm(
                Map.of("clip_sample", true, "variance_type", "fixed_small"), DDPMScheduler::new));
        ALGORITHMS.put("DDIMScheduler", new Algorithm(Map.of("clip_sample", true), DDIMScheduler::new));
        ALGORITHMS.put("DDIMInverseScheduler", new Algorithm(Map.of("clip_sample", true), DDIMInverseScheduler::new));
        ALGORITHMS.put("PNDMScheduler", new Algorithm(Map.of("set_alpha_to_one", false), PNDMScheduler::new));
        ALGORITHMS.put("DPMSolverMultistepScheduler", new Algorithm(
                Map.of("timestep_spacing", "linspace", "solver_type", "midpoint"), DPMSolverMultistepScheduler::new));
        ALGORITHMS.put("EulerDiscreteScheduler", new Algorithm(
                Map.of("timestep_spacing", "linspace"), EulerDiscreteScheduler::new));
        ALGORITHMS.put("EulerAncestralDiscreteScheduler", new Algorithm(
                Map.of("timestep_spacing", "linspace"), EulerAncestralDiscreteScheduler::new));
        ALGORITHMS.put("HeunDiscreteScheduler", new Algorithm(
                Map.of("timestep_spacing", "linspace", "beta_start", 0.00085, "beta_end", 0.012),
                HeunDiscreteScheduler::new));
        ALGORITHMS.put("LMSDiscreteScheduler", new Algorithm(
                Map.of("timestep_spacing", "linspace"), LMSDiscreteScheduler::new));
        ALGORITHMS.put("UniPCMultistepScheduler", new Algorithm(
                Map.of("timestep_spacing", "linspace", "solver_type", "bh2"), UniPCMultistepScheduler::new));
    }

    private SchedulerConfigs() {
    }

    private static Map<String, Object> commonDefaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_train_timesteps", 1000);
        m.put("beta_start", 0.0001);
        m.put("beta_end", 0.02);
        m.put("beta_schedule", "linear");
        m.put("trained_betas", null);
        m.put("prediction_type", "epsilon");
        m.put("timestep_spacing", "leading");
        m.put("steps_offset", 0);
        m.put("rescale_betas_zero_snr", false);
        m.put("clip_sample", false);
        m.put("clip_sample_range", 1.0);
        m.put("set_alpha_to_one", true);
        m.put("thresholding", false);
        m.put("dynamic_thresholding_ratio", 0.995);
        m.put("sample_max_value", 1.0);
        m.put("variance_type", null);
        m.put("skip_prk_steps", false);
        m.put("solver_order", 2);
        m.put("algorithm_type", "dpmsolver++");
        m.put("solver_type", null);
        m.put("lower_order_final", true);
        m.put("euler_at_final", false);
        m.put("final_sigmas_type", "zero");
        m.put("lambda_min_clipped", Double.NEGATIVE_INFINITY);
        m.put("predict_x0", true);
        m.put("disable_corrector", List.of());
        m.put("use_karras_sigmas", false);
        m.put("sigma_min", null);
        m.put("sigma_max", null);
        m.put("interpolation_type", "linear");
        m.put("timestep_type", "discrete");
        m.put("use_exponential_sigmas", false);
        m.put("use_beta_sigmas", false);
        m.put("use_lu_lambdas", false);
        m.put("use_flow_sigmas", false);
        m.put("use_dynamic_shifting", false);
        m.put("use_clipped_model_output", false);
        return m;
    }

    /** The scheduler class names this engine implements, in diffusers' spelling. */
    public static Set<String> supportedClasses() {
        return Collections.unmodifiableSet(ALGORITHMS.keySet());
    }

    /** diffusers' defaults for {@code className}. */
    public static SchedulerConfig defaults(String className) {
        return fromTree(defaultsTree(className));
    }

    /** {@code className}'s defaults with some keys replaced. */
    public static SchedulerConfig defaults(String className, Map<String, ?> overrides) {
        return defaults(className).with(overrides);
    }

    /** Parses a {@code scheduler_config.json}; {@code _class_name} is required. */
    public static SchedulerConfig fromJson(String json) {
        ObjectNode file = object(json);
        ObjectNode tree = defaultsTree(file.get("_class_name").asText());
        file.fields().forEachRemaining(e -> {
            if (tree.has(e.getKey())) {
                tree.set(e.getKey(), e.getValue());
            }
        });
        return fromTree(tree);
    }

    /**
     * diffusers' {@code SchedulerClass.from_config(source)}: {@code className}'s defaults, with every
     * key {@code sourceJson} (a {@code scheduler_config.json} of any class) sets carried over, except
     * those it lists in {@code _use_default_values} (set by default, not by its author) and private
     * {@code _} keys; then {@code overrides}. Carried keys the class does not read stay inert, as every
     * scheduler reads only its diffusers class's keys.
     */
    public static SchedulerConfig fromConfig(String className, String sourceJson, Map<String, ?> overrides) {
        ObjectNode source = object(sourceJson);
        Set<String> defaulted = new java.util.HashSet<>();
        source.path("_use_default_values").forEach(key -> defaulted.add(key.asText()));
        ObjectNode tree = defaultsTree(className);
        source.fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("_") && !defaulted.contains(e.getKey()) && tree.has(e.getKey())) {
                tree.set(e.getKey(), e.getValue());
            }
        });
        return override(fromTree(tree), overrides);
    }

    private static ObjectNode object(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("scheduler_config.json is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode file) || !file.hasNonNull("_class_name")) {
            throw new IllegalArgumentException("scheduler_config.json must be an object with a _class_name");
        }
        return file;
    }

    public static SchedulerConfig fromFile(Path path) {
        try {
            return fromJson(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** The config as diffusers would write it. */
    public static String toJson(SchedulerConfig config) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new scheduler of the config's class. */
    public static Scheduler create(SchedulerConfig config) {
        return algorithm(config.className()).factory.apply(config);
    }

    /** Loads the file and creates its scheduler. */
    public static Scheduler create(String json) {
        return create(fromJson(json));
    }

    static SchedulerConfig override(SchedulerConfig config, Map<String, ?> overrides) {
        ObjectNode tree = JSON.valueToTree(config);
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (!tree.has(e.getKey())) {
                throw new IllegalArgumentException("unknown scheduler config key '" + e.getKey() + "'");
            }
            tree.set(e.getKey(), JSON.valueToTree(e.getValue()));
        }
        return fromTree(tree);
    }

    private static Algorithm algorithm(String className) {
        Algorithm a = ALGORITHMS.get(className);
        if (a == null) {
            throw new IllegalArgumentException("unsupported _class_name '" + className + "'; supported: "
                    + ALGORITHMS.keySet());
        }
        return a;
    }

    private static ObjectNode defaultsTree(String className) {
        Map<String, Object> merged = new LinkedHashMap<>(COMMON);
        merged.putAll(algorithm(className).defaults);
        merged.put("_class_name", className);
        return JSON.valueToTree(merged);
    }

    private static SchedulerConfig fromTree(ObjectNode tree) {
        try {
            return JSON.treeToValue(tree, SchedulerConfig.class);
        } catch (JsonProcessingException e) {
            // Surface our own validation message (e.g. "unsupported prediction_type ...").
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(cause instanceof IllegalArgumentException
                    ? cause.getMessage() : "invalid scheduler config: " + e.getOriginalMessage(), e);
        }
    }
}
