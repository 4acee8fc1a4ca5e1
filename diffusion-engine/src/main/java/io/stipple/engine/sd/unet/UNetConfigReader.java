package io.stipple.engine.sd.unet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.export.ModelFormatException;
import io.stipple.engine.sd.unet.UNetConfig.BlockKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a diffusers {@code unet/config.json} into a {@link UNetConfig}, with diffusers' defaults for
 * absent keys. Keys of features this engine does not build (class or addition embeddings, SDXL's
 * text-time conditioning, other block types, scale-shift resnets...) are refused with a message
 * naming the file and the key, rather than silently building a different network.
 */
public final class UNetConfigReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keys read into the config. */
    private static final Set<String> KNOWN = Set.of("in_channels", "out_channels", "block_out_channels",
            "down_block_types", "up_block_types", "mid_block_type", "layers_per_block", "attention_head_dim",
            "num_attention_heads", "transformer_layers_per_block", "cross_attention_dim", "use_linear_projection",
            "upcast_attention", "norm_num_groups", "norm_eps", "flip_sin_to_cos", "freq_shift", "downsample_padding",
            "conv_in_kernel", "conv_out_kernel", "mid_block_scale_factor", "sample_size", "act_fn",
            "time_embedding_type", "resnet_time_scale_shift", "attention_type", "resnet_out_scale_factor",
            "only_cross_attention");

    /** Keys that do not change the inference graph (dropout) or only matter when a refused feature is on. */
    private static final Set<String> IGNORED = Set.of("dropout", "addition_embed_type_num_heads",
            "projection_class_embeddings_input_dim");

    private final String source;
    private final JsonNode root;

    private UNetConfigReader(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    public static UNetConfig read(Path configJson) throws IOException {
        return parse(configJson.toString(), JSON.readTree(configJson.toFile()));
    }

    /**
     * The real {@code unet/config.json} of a Stable Diffusion release this engine carries as a
     * reference ({@code sd15}: SD 1.5, {@code sd21}: SD 2.1), for building a full-size network
     * without its folder (benchmarks, manifest checks).
     */
    public static UNetConfig reference(String release) throws IOException {
        String resource = "/sd/" + release + "/unet/config.json";
        try (InputStream in = UNetConfigReader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no reference U-Net config for " + release + " (sd15, sd21)");
            }
            return parse(resource, JSON.readTree(in));
        }
    }

    /** Parses an already-read config; {@code source} names it in error messages. */
    public static UNetConfig parse(String source, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(source + ": not a JSON object");
        }
        return new UNetConfigReader(source, root).build();
    }

    private UNetConfig build() {
        String className = root.path("_class_name").asText("UNet2DConditionModel");
        if (!className.equals("UNet2DConditionModel")) {
            throw refuse("_class_name", "is " + className + "; only UNet2DConditionModel is supported");
        }
        refuseUnsupportedExtras();
        require("act_fn", "silu");
        require("time_embedding_type", "positional");
        require("resnet_time_scale_shift", "default");
        require("attention_type", "default");
        require("mid_block_type", "UNetMidBlock2DCrossAttn");
        for (String scale : List.of("resnet_out_scale_factor", "mid_block_scale_factor")) {
            if (number(scale, 1) != 1) {
                throw refuse(scale, "must be 1");
            }
        }
        if (anyTrue(root.get("only_cross_attention"))) {
            throw refuse("only_cross_attention", "must be false");
        }
        if (isSet("num_attention_heads")) {
            // diffusers itself refuses it: attention_head_dim carries the head count for this model class
            throw refuse("num_attention_heads", "is not supported by UNet2DConditionModel; give attention_head_dim");
        }

        List<Integer> channels = intList("block_out_channels", List.of(320, 640, 1280, 1280));
        int levels = channels.size();
        List<BlockKind> down = blockKinds("down_block_types", List.of("CrossAttnDownBlock2D",
                "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"), true);
        List<BlockKind> up = blockKinds("up_block_types", List.of("UpBlock2D", "CrossAttnUpBlock2D",
                "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"), false);
        requireLength("down_block_types", down.size(), levels);
        requireLength("up_block_types", up.size(), levels);
        List<Integer> heads = perLevel("attention_head_dim", 8, levels);
        List<Integer> transformerLayers = perLevel("transformer_layers_per_block", 1, levels);
        int groups = integer("norm_num_groups", 32);
        for (int level = 0; level < levels; level++) {
            int width = channels.get(level);
            if (width % groups != 0) {
                throw refuse("block_out_channels", width + " channels do not split into " + groups + " groups");
            }
            if (width % heads.get(level) != 0) {
                throw refuse("attention_head_dim", width + " channels do not split into " + heads.get(level) + " heads");
            }
        }
        return new UNetConfig(integer("in_channels", 4), integer("out_channels", 4), channels, down, up,
                integer("layers_per_block", 2), heads, transformerLayers, integer("cross_attention_dim", 1280),
                bool("use_linear_projection", false), bool("upcast_attention", false), groups,
                (float) number("norm_eps", 1e-5), bool("flip_sin_to_cos", true), (float) number("freq_shift", 0),
                integer("downsample_padding", 1), oddKernel("conv_in_kernel"), oddKernel("conv_out_kernel"),
                integer("sample_size", 64));
    }

    /** Anything set that is neither read nor harmless: class/addition embeddings, SDXL keys, newer features. */
    private void refuseUnsupportedExtras() {
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.startsWith("_") || KNOWN.contains(key) || IGNORED.contains(key)) {
                continue;
            }
            if (anyTrue(field.getValue())) {
                throw refuse(key, "is set (" + field.getValue() + ") but this engine does not build that feature");
            }
        }
    }

    /** null, false, an empty list or a list of such values leaves a feature off. */
    private static boolean anyTrue(JsonNode value) {
        if (value == null || value.isNull() || (value.isBoolean() && !value.booleanValue())) {
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (anyTrue(element)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private boolean isSet(String key) {
        return root.hasNonNull(key);
    }

    private void require(String key, String expected) {
        if (isSet(key) && !root.get(key).asText().equals(expected)) {
            throw refuse(key, "is " + root.get(key) + "; only \"" + expected + "\" is supported");
        }
    }

    private int integer(String key, int fallback) {
        if (!isSet(key)) {
            return fallback;
        }
        JsonNode value = root.get(key);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw refuse(key, "must be an integer, not " + value);
        }
        int n = value.intValue();
        if (n < 0) {
            throw refuse(key, "must not be negative: " + n);
        }
        return n;
    }

    private double number(String key, double fallback) {
        if (!isSet(key)) {
            return fallback;
        }
        if (!root.get(key).isNumber()) {
            throw refuse(key, "must be a number, not " + root.get(key));
        }
        return root.get(key).doubleValue();
    }

    private boolean bool(String key, boolean fallback) {
        if (!isSet(key)) {
            return fallback;
        }
        if (!root.get(key).isBoolean()) {
            throw refuse(key, "must be true or false, not " + root.get(key));
        }
        return root.get(key).booleanValue();
    }

    private int oddKernel(String key) {
        int kernel = integer(key, 3);
        if (kernel % 2 == 0) {
            throw refuse(key, "must be odd, not " + kernel);
        }
        return kernel;
    }

    private List<Integer> intList(String key, List<Integer> fallback) {
        if (!isSet(key)) {
            return fallback;
        }
        JsonNode value = root.get(key);
        if (!value.isArray() || value.isEmpty()) {
            throw refuse(key, "must be a non-empty list of integers, not " + value);
        }
        List<Integer> list = new ArrayList<>();
        for (JsonNode element : value) {
            if (!element.isIntegralNumber() || element.intValue() <= 0) {
                throw refuse(key, "must be a list of positive integers, not " + value);
            }
            list.add(element.intValue());
        }
        return list;
    }

    /** An integer for every level, or a list with one per level (how diffusers accepts both). */
    private List<Integer> perLevel(String key, int fallback, int levels) {
        if (isSet(key) && root.get(key).isArray()) {
            List<Integer> list = intList(key, null);
            requireLength(key, list.size(), levels);
            return list;
        }
        int value = integer(key, fallback);
        if (value <= 0) {
            throw refuse(key, "must be positive");
        }
        return Collections.nCopies(levels, value);
    }

    private List<BlockKind> blockKinds(String key, List<String> fallback, boolean downward) {
        List<String> names = new ArrayList<>();
        if (!isSet(key)) {
            names.addAll(fallback);
        } else if (!root.get(key).isArray()) {
            throw refuse(key, "must be a list of block type names");
        } else {
            root.get(key).forEach(element -> names.add(element.asText()));
        }
        List<BlockKind> allowed = downward ? List.of(BlockKind.CROSS_ATTN_DOWN, BlockKind.DOWN)
                : List.of(BlockKind.CROSS_ATTN_UP, BlockKind.UP);
        List<BlockKind> kinds = new ArrayList<>();
        for (String name : names) {
            kinds.add(allowed.stream().filter(k -> k.diffusersName().equals(name)).findFirst()
                    .orElseThrow(() -> refuse(key, "has " + name + "; supported: "
                            + Arrays.toString(allowed.stream().map(BlockKind::diffusersName).toArray()))));
        }
        return kinds;
    }

    private void requireLength(String key, int length, int levels) {
        if (length != levels) {
            throw refuse(key, "has " + length + " entries but block_out_channels has " + levels);
        }
    }

    private ModelFormatException refuse(String key, String problem) {
        return new ModelFormatException(source + ": \"" + key + "\" " + problem);
    }
}
