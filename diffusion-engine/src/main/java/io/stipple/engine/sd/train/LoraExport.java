package io.stipple.engine.sd.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stipple.engine.weights.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trained adapters as the LoRA files other tools load (float32 safetensors, torch layout, no
 * transposes):
 * <ul>
 * <li>{@link Format#DIFFUSERS}: {@code <component>.<module>.lora.down.weight} (A) and
 * {@code .lora.up.weight} (B), as diffusers' {@code save_lora_weights} writes after
 * {@code convert_state_dict_to_diffusers}, with PEFT's adapter config in the
 * {@code lora_adapter_metadata} entry (r, lora_alpha, target_modules...), from which diffusers'
 * loader takes alpha;</li>
 * <li>{@link Format#KOHYA}: {@code lora_unet_<module, dots as underscores>.lora_down.weight},
 * {@code .lora_up.weight} and a float32 scalar {@code .alpha} per module, as kohya's sd-scripts and
 * A1111 read them.</li>
 * </ul>
 */
public final class LoraExport {

    /** A LoRA file layout. */
    public enum Format {
        DIFFUSERS, KOHYA
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private LoraExport() {
    }

    /** Writes {@code weights} to {@code file} in {@code format}. */
    public static Path write(LoraWeights weights, Format format, Path file) throws IOException {
        return switch (format) {
            case DIFFUSERS -> SafetensorsWriter.write(file, diffusersTensors(weights), diffusersMetadata(weights));
            case KOHYA -> SafetensorsWriter.write(file, kohyaTensors(weights), Map.of(
                    "ss_network_module", "networks.lora",
                    "ss_network_dim", Integer.toString(weights.spec().rank()),
                    "ss_network_alpha", number(weights.spec().alpha())));
        };
    }

    private static Map<String, SafetensorsWriter.Tensor> diffusersTensors(LoraWeights weights) {
        Map<String, SafetensorsWriter.Tensor> tensors = new TreeMap<>();
        String component = weights.spec().component();
        weights.layers().forEach((module, layer) -> {
            tensors.put(component + "." + module + ".lora.down.weight", down(layer));
            tensors.put(component + "." + module + ".lora.up.weight", up(layer));
        });
        return tensors;
    }

    private static Map<String, SafetensorsWriter.Tensor> kohyaTensors(LoraWeights weights) {
        String prefix = weights.spec().component().equals("unet") ? "lora_unet_" : "lora_te_";
        SafetensorsWriter.Tensor alpha = new SafetensorsWriter.Tensor(new long[0],
                new float[] {(float) weights.spec().alpha()});
        Map<String, SafetensorsWriter.Tensor> tensors = new TreeMap<>();
        weights.layers().forEach((module, layer) -> {
            String name = prefix + module.replace('.', '_');
            tensors.put(name + ".alpha", alpha);
            tensors.put(name + ".lora_down.weight", down(layer));
            tensors.put(name + ".lora_up.weight", up(layer));
        });
        return tensors;
    }

    /** diffusers' {@code {"format": "pt", "lora_adapter_metadata": <PEFT LoraConfig, keys prefixed by the component>}}. */
    private static Map<String, String> diffusersMetadata(LoraWeights weights) {
        LoraSpec spec = weights.spec();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("alpha_pattern", Map.of());
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("init_lora_weights", "gaussian");
        config.put("lora_alpha", spec.alpha() == Math.rint(spec.alpha()) ? (Object) (long) spec.alpha() : spec.alpha());
        config.put("lora_dropout", 0.0);
        config.put("peft_type", "LORA");
        config.put("r", spec.rank());
        config.put("rank_pattern", Map.of());
        config.put("target_modules", new TreeSet<>(spec.targets()));
        config.put("use_dora", false);
        config.put("use_rslora", false);
        Map<String, Object> prefixed = new TreeMap<>();
        config.forEach((key, value) -> prefixed.put(spec.component() + "." + key, value));
        try {
            return Map.of("format", "pt", "lora_adapter_metadata", JSON.writeValueAsString(prefixed));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SafetensorsWriter.Tensor down(LoraWeights.Layer layer) {
        return new SafetensorsWriter.Tensor(new long[] {layer.rank(), layer.in()}, layer.down());
    }

    private static SafetensorsWriter.Tensor up(LoraWeights.Layer layer) {
        return new SafetensorsWriter.Tensor(new long[] {layer.out(), layer.rank()}, layer.up());
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
