package io.stipple.engine.sd.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.weights.CheckpointFormatException;
import io.stipple.engine.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A LoRA file in kohya / A1111 names ({@code lora_unet_*}, {@code lora_te_*} or {@code lora_te1_*},
 * {@code .lora_down.weight}, {@code .lora_up.weight}, per-module {@code .alpha}) or diffusers / PEFT
 * names ({@code unet.<module>.lora.down.weight} / {@code .lora.up.weight},
 * {@code text_encoder.<module>.lora_linear_layer.down/up.weight}, {@code .lora_A/.lora_B.weight}),
 * read against the base model's layers ({@link LoraTargets}): every key maps to a base layer's
 * diffusers module path, with its rank, alpha and shapes checked against the base weight. Any key
 * that names no layer of the base, a layer with only one of its two matrices, or a matrix that does
 * not fit the base layer refuses the file, naming the keys.
 *
 * <p>Alpha comes from the module's {@code .alpha} tensor; else, for diffusers files, from PEFT's
 * {@code lora_adapter_metadata} ({@code <component>.lora_alpha}; per-module patterns are refused);
 * else it is the rank (the update unscaled), as diffusers assumes.
 */
public final class LoraFile implements AutoCloseable {

    private static final Pattern KOHYA = Pattern.compile("(lora_(?:unet|te1?)_.+)\\.(lora_down\\.weight|lora_up\\.weight|alpha)");
    private static final Pattern DIFFUSERS = Pattern.compile("(?:base_model\\.model\\.)?(unet|text_encoder)\\.(.+?)"
            + "\\.(lora\\.down\\.weight|lora\\.up\\.weight|lora_linear_layer\\.down\\.weight|lora_linear_layer\\.up\\.weight"
            + "|lora_A\\.weight|lora_B\\.weight|alpha)");
    private static final int NAMES_SHOWN = 20;

    /** The down and up keys and alpha gathered for one base layer. */
    private static final class Parts {
        final LoraTargets.Layer layer;
        String down;
        String up;
        String alpha;

        Parts(LoraTargets.Layer layer) {
            this.layer = layer;
        }
    }

    private final SafetensorsFile file;
    private final List<LoraLayer> layers;

    private LoraFile(SafetensorsFile file, LoraTargets targets) {
        this.file = file;
        Map<String, Parts> parts = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (String key : file.names()) {
            Optional<Located> located = locate(key, targets);
            if (located.isEmpty()) {
                unknown.add(key);
                continue;
            }
            Located at = located.get();
            Parts p = parts.computeIfAbsent(at.layer().component() + "." + at.layer().module(), k -> new Parts(at.layer()));
            switch (at.part()) {
                case "down" -> p.down = key;
                case "up" -> p.up = key;
                default -> p.alpha = key;
            }
        }
        if (!unknown.isEmpty()) {
            throw new CheckpointFormatException(file.file() + ": " + unknown.size() + " LoRA keys name no layer of the base"
                    + " model's U-Net or text encoder (or are not kohya/diffusers/PEFT LoRA keys): " + shown(unknown));
        }
        if (parts.isEmpty()) {
            throw new CheckpointFormatException(file.file() + ": no LoRA layers in this file");
        }
        Map<String, Double> metadataAlpha = metadataAlphas(file);
        List<LoraLayer> result = new ArrayList<>();
        for (Parts p : parts.values()) {
            result.add(layer(p, metadataAlpha.get(p.layer.component())));
        }
        this.layers = List.copyOf(result);
    }

    /**
     * Reads the file's header and checks every key against {@code targets}; the matrices are read
     * when asked for ({@link #down}, {@link #up}).
     *
     * @throws CheckpointFormatException naming the file and keys when it is not a LoRA of this base
     */
    public static LoraFile open(Path path, LoraTargets targets) throws IOException {
        SafetensorsFile file = SafetensorsFile.open(path);
        try {
            return new LoraFile(file, targets);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The layers the file changes, sorted by component and module. */
    public List<LoraLayer> layers() {
        return layers;
    }

    /** {@code down} (PEFT's A) of a layer, row-major in its torch shape. */
    public float[] down(LoraLayer layer) {
        return file.floats(layer.downKey());
    }

    /** {@code up} (PEFT's B) of a layer, row-major in its torch shape. */
    public float[] up(LoraLayer layer) {
        return file.floats(layer.upKey());
    }

    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return file.file().toString();
    }

    private record Located(LoraTargets.Layer layer, String part) {
    }

    private static Optional<Located> locate(String key, LoraTargets targets) {
        Matcher kohya = KOHYA.matcher(key);
        if (kohya.matches()) {
            String part = part(kohya.group(2));
            return targets.kohya(kohya.group(1)).map(layer -> new Located(layer, part));
        }
        Matcher m = DIFFUSERS.matcher(key);
        if (m.matches()) {
            String component = m.group(1);
            String module = component.equals("text_encoder") && !m.group(2).startsWith("text_model.")
                    ? "text_model." + m.group(2) : m.group(2);
            String part = part(m.group(3));
            return targets.module(component, module).map(layer -> new Located(layer, part));
        }
        return Optional.empty();
    }

    private static String part(String suffix) {
        if (suffix.equals("alpha")) {
            return "alpha";
        }
        return suffix.contains("down") || suffix.startsWith("lora_A") ? "down" : "up";
    }

    private LoraLayer layer(Parts p, Double metadataAlpha) {
        String name = p.layer.component() + "." + p.layer.module();
        if (p.down == null || p.up == null) {
            throw new CheckpointFormatException(file.file() + ": LoRA layer " + name + " has " + (p.down == null ? "no down (A)"
                    : "no up (B)") + " matrix, only " + (p.down == null ? p.up : p.down));
        }
        long[] down = file.info(p.down).shape();
        long[] up = file.info(p.up).shape();
        long[] base = p.layer.weightShape();
        boolean fits = down.length == base.length && up.length == base.length && up[1] == down[0] && up[0] == base[0]
                && down[1] == base[1]
                && (base.length == 2 || (down[2] == base[2] && down[3] == base[3] && up[2] == 1 && up[3] == 1));
        if (!fits || down[0] < 1) {
            throw new CheckpointFormatException(file.file() + ": LoRA layer " + name + " does not fit its base weight "
                    + Arrays.toString(base) + ": " + p.down + " " + Arrays.toString(down) + ", " + p.up + " " + Arrays.toString(up));
        }
        int rank = (int) down[0];
        double alpha = rank;
        if (p.alpha != null) {
            float[] value = file.floats(p.alpha);
            if (value.length != 1 || !(value[0] > 0) || Float.isInfinite(value[0])) {
                throw new CheckpointFormatException(file.file() + ": " + p.alpha + " is not one positive alpha: "
                        + Arrays.toString(value));
            }
            alpha = value[0];
        } else if (metadataAlpha != null) {
            alpha = metadataAlpha;
        }
        return new LoraLayer(p.layer.component(), p.layer.module(), rank, alpha, p.down, p.up, down, up);
    }

    /** PEFT's per-component lora_alpha from diffusers' {@code lora_adapter_metadata}, when the file has it. */
    private static Map<String, Double> metadataAlphas(SafetensorsFile file) {
        String json = file.metadata().get("lora_adapter_metadata");
        Map<String, Double> alphas = new TreeMap<>();
        if (json == null) {
            return alphas;
        }
        JsonNode metadata;
        try {
            metadata = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new CheckpointFormatException(file.file() + ": lora_adapter_metadata is not JSON: " + e.getMessage(), e);
        }
        for (String component : List.of("unet", "text_encoder")) {
            JsonNode alpha = metadata.get(component + ".lora_alpha");
            if (alpha != null && alpha.isNumber()) {
                alphas.put(component, alpha.asDouble());
            }
            for (String pattern : List.of(".alpha_pattern", ".rank_pattern")) {
                JsonNode patterns = metadata.get(component + pattern);
                if (patterns != null && patterns.size() > 0) {
                    throw new CheckpointFormatException(file.file() + ": lora_adapter_metadata gives per-module "
                            + component + pattern + ", which is not supported: " + patterns);
                }
            }
            JsonNode rslora = metadata.get(component + ".use_rslora");
            JsonNode dora = metadata.get(component + ".use_dora");
            if ((rslora != null && rslora.asBoolean()) || (dora != null && dora.asBoolean())) {
                throw new CheckpointFormatException(file.file() + ": " + component
                        + " is a rank-stabilised or DoRA adapter (use_rslora / use_dora), which is not supported");
            }
        }
        return alphas;
    }

    private static String shown(List<String> names) {
        TreeSet<String> sorted = new TreeSet<>(names);
        return String.join(", ", sorted.stream().limit(NAMES_SHOWN).toList())
                + (sorted.size() > NAMES_SHOWN ? " and " + (sorted.size() - NAMES_SHOWN) + " more" : "");
    }
}
