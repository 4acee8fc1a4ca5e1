package io.stipple.engine.sd.unet;

import io.stipple.engine.sd.nn.ConfigJson;
import io.stipple.engine.sd.unet.UNetConfig.BlockKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Reads a diffusers {@code unet/config.json} into a {@link UNetConfig}, with diffusers' defaults for
 * absent keys. Keys of features this engine does not build (class or addition embeddings, SDXL's
 * text-time conditioning, other block types, scale-shift resnets...) are refused with a message
 * naming the file and the key ({@code ModelFormatException}), rather than silently building a
 * different network.
 */
public final class UNetConfigReader {

    /** Keys read into the config or checked to hold the one value this engine builds. */
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

    private static final List<String> DOWN_DEFAULT = List.of("CrossAttnDownBlock2D", "CrossAttnDownBlock2D",
            "CrossAttnDownBlock2D", "DownBlock2D");
    private static final List<String> UP_DEFAULT = List.of("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D",
            "CrossAttnUpBlock2D");

    private final ConfigJson json;

    private UNetConfigReader(ConfigJson json) {
        this.json = json;
    }

    public static UNetConfig read(Path configJson) throws IOException {
        return read(ConfigJson.read(configJson));
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
            return read(ConfigJson.parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    public static UNetConfig read(ConfigJson json) {
        return new UNetConfigReader(json).build();
    }

    private UNetConfig build() {
        require("_class_name", "UNet2DConditionModel");
        refuseUnsupportedExtras();
        require("act_fn", "silu");
        require("time_embedding_type", "positional");
        require("resnet_time_scale_shift", "default");
        require("attention_type", "default");
        require("mid_block_type", "UNetMidBlock2DCrossAttn");
        for (String scale : List.of("resnet_out_scale_factor", "mid_block_scale_factor")) {
            if (json.number(scale, 1) != 1) {
                throw json.invalid(scale, "must be 1");
            }
        }
        if (json.switchedOn("only_cross_attention")) {
            throw json.invalid("only_cross_attention", "must be false");
        }
        if (json.has("num_attention_heads")) {
            // diffusers itself refuses it: attention_head_dim carries the head count for this model class
            throw json.invalid("num_attention_heads", "is not supported by UNet2DConditionModel; give attention_head_dim");
        }

        List<Integer> channels = positive("block_out_channels",
                json.has("block_out_channels") ? json.integers("block_out_channels") : List.of(320, 640, 1280, 1280));
        int levels = channels.size();
        List<BlockKind> down = blockKinds("down_block_types", DOWN_DEFAULT,
                List.of(BlockKind.CROSS_ATTN_DOWN, BlockKind.DOWN), levels);
        List<BlockKind> up = blockKinds("up_block_types", UP_DEFAULT, List.of(BlockKind.CROSS_ATTN_UP, BlockKind.UP),
                levels);
        List<Integer> heads = perLevel("attention_head_dim", 8, levels);
        List<Integer> transformerLayers = perLevel("transformer_layers_per_block", 1, levels);
        int groups = json.integer("norm_num_groups", 32);
        for (int level = 0; level < levels; level++) {
            int width = channels.get(level);
            if (width % groups != 0) {
                throw json.invalid("block_out_channels", width + " channels do not split into " + groups + " groups");
            }
            if (width % heads.get(level) != 0) {
                throw json.invalid("attention_head_dim", width + " channels do not split into " + heads.get(level)
                        + " heads");
            }
        }
        return new UNetConfig(json.integer("in_channels", 4), json.integer("out_channels", 4), channels, down, up,
                json.integer("layers_per_block", 2), heads, transformerLayers, json.integer("cross_attention_dim", 1280),
                json.bool("use_linear_projection", false), json.bool("upcast_attention", false), groups,
                (float) json.number("norm_eps", 1e-5), json.bool("flip_sin_to_cos", true),
                (float) json.number("freq_shift", 0), json.integer("downsample_padding", 1), oddKernel("conv_in_kernel"),
                oddKernel("conv_out_kernel"), json.integer("sample_size", 64));
    }

    /** Anything switched on that is neither read nor harmless: class/addition embeddings, SDXL keys, newer features. */
    private void refuseUnsupportedExtras() {
        for (String field : json.fields()) {
            if (!field.startsWith("_") && !KNOWN.contains(field) && !IGNORED.contains(field)
                    && json.switchedOn(field)) {
                throw json.invalid(field, "is set but this engine does not build that feature");
            }
        }
    }

    private void require(String key, String expected) {
        String actual = json.string(key, expected);
        if (!actual.equals(expected)) {
            throw json.invalid(key, "is \"" + actual + "\"; only \"" + expected + "\" is supported");
        }
    }

    private int oddKernel(String key) {
        int kernel = json.integer(key, 3);
        if (kernel % 2 == 0 || kernel < 1) {
            throw json.invalid(key, "must be a positive odd number, not " + kernel);
        }
        return kernel;
    }

    private List<Integer> positive(String key, List<Integer> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v <= 0)) {
            throw json.invalid(key, "must be a non-empty list of positive integers, not " + values);
        }
        return values;
    }

    /** An integer for every level, or a list with one per level (diffusers accepts both). */
    private List<Integer> perLevel(String key, int fallback, int levels) {
        if (json.isList(key)) {
            List<Integer> list = positive(key, json.integers(key));
            requireLength(key, list.size(), levels);
            return list;
        }
        return positive(key, Collections.nCopies(levels, json.integer(key, fallback)));
    }

    private List<BlockKind> blockKinds(String key, List<String> fallback, List<BlockKind> allowed, int levels) {
        List<BlockKind> kinds = new ArrayList<>();
        for (String name : json.has(key) ? json.strings(key) : fallback) {
            kinds.add(allowed.stream().filter(k -> k.diffusersName().equals(name)).findFirst()
                    .orElseThrow(() -> json.invalid(key, "has " + name + "; supported: "
                            + allowed.stream().map(BlockKind::diffusersName).toList())));
        }
        requireLength(key, kinds.size(), levels);
        return kinds;
    }

    private void requireLength(String key, int length, int levels) {
        if (length != levels) {
            throw json.invalid(key, "has " + length + " entries but block_out_channels has " + levels);
        }
    }
}
