package io.stipple.engine.sd.lora;

import io.stipple.engine.weights.WeightSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The layers of a base model that a LoRA may target, per component, by their diffusers module
 * paths, and by the flattened names kohya's scripts write ({@code lora_unet_} + the path with every
 * dot made an underscore). Flattening loses which underscores were dots, so kohya names are
 * resolved against the base model's real modules rather than guessed back.
 */
public final class LoraTargets {

    /** A targetable layer: its weight's torch shape. */
    record Layer(String component, String module, long[] weightShape) {
    }

    private final Map<String, Layer> byModule = new HashMap<>();
    private final Map<String, Layer> byKohyaName = new HashMap<>();

    /**
     * Every linear ({@code [out, in]}) and convolution ({@code [out, in, kh, kw]}) weight of the
     * U-Net and the text encoder (transformers' {@code text_model.*} names).
     */
    public static LoraTargets of(WeightSource unet, WeightSource textEncoder) {
        return fromShapes(shapes(unet), shapes(textEncoder));
    }

    /**
     * The same layers from each component's weight names and torch shapes, e.g. as a base's configs
     * describe them without a weight read ({@code sd.layout.ConfigLayout#loraTargets}).
     */
    public static LoraTargets fromShapes(Map<String, long[]> unet, Map<String, long[]> textEncoder) {
        LoraTargets targets = new LoraTargets();
        targets.add("unet", unet, "lora_unet_");
        targets.add("text_encoder", textEncoder, "lora_te_");
        return targets;
    }

    private static Map<String, long[]> shapes(WeightSource weights) {
        Map<String, long[]> shapes = new TreeMap<>();
        for (String name : weights.names()) {
            shapes.put(name, weights.info(name).shape());
        }
        return shapes;
    }

    private void add(String component, Map<String, long[]> weights, String kohyaPrefix) {
        for (Map.Entry<String, long[]> weight : weights.entrySet()) {
            String name = weight.getKey();
            long[] shape = weight.getValue();
            if (!name.endsWith(".weight") || (shape.length != 2 && shape.length != 4)) {
                continue;
            }
            String module = name.substring(0, name.length() - ".weight".length());
            Layer layer = new Layer(component, module, shape);
            byModule.put(component + ":" + module, layer);
            String flat = module.replace('.', '_');
            byKohyaName.put(kohyaPrefix + flat, layer);
            if (component.equals("text_encoder") && flat.startsWith("text_model_")) {
                // kohya's SDXL-era scripts write SD 1.x text encoder layers as lora_te1_encoder_... (no text_model_)
                byKohyaName.put("lora_te1_" + flat.substring("text_model_".length()), layer);
            }
        }
    }

    Optional<Layer> module(String component, String module) {
        return Optional.ofNullable(byModule.get(component + ":" + module));
    }

    Optional<Layer> kohya(String flatName) {
        return Optional.ofNullable(byKohyaName.get(flatName));
    }
}
