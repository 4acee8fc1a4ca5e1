package io.stipple.engine.sd.vae;

import io.stipple.engine.sd.nn.ConfigJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture of a diffusers {@code AutoencoderKL}, from its {@code vae/config.json}.
 *
 * @param inChannels image channels the encoder takes
 * @param outChannels image channels the decoder gives
 * @param blockOutChannels width of each level; every level but the last halves (encoder) or
 *        doubles (decoder) the resolution, so latents are 2^(levels-1) times smaller
 * @param layersPerBlock resnets per encoder level (the decoder has one more per level)
 * @param latentChannels channels of a latent
 * @param normGroups GroupNorm groups of every norm
 * @param scalingFactor what latents are multiplied by after encoding (and divided by before decoding) in pipelines
 * @param shiftFactor subtracted before scaling (SD 3 / Flux VAEs); 0 for SD 1.x / 2.x
 * @param useQuantConv whether a 1x1 {@code quant_conv} follows the encoder
 * @param usePostQuantConv whether a 1x1 {@code post_quant_conv} precedes the decoder
 * @param midBlockAttention whether the middle blocks have self-attention
 */
public record AutoencoderKLConfig(int inChannels, int outChannels, List<Integer> blockOutChannels, int layersPerBlock,
        int latentChannels, int normGroups, double scalingFactor, double shiftFactor, boolean useQuantConv,
        boolean usePostQuantConv, boolean midBlockAttention) {

    /** Every VAE norm uses this epsilon (diffusers' Encoder/Decoder pass 1e-6, not the 1e-5 default). */
    public static final float NORM_EPS = 1e-6f;

    public AutoencoderKLConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        if (blockOutChannels.isEmpty() || inChannels < 1 || outChannels < 1 || layersPerBlock < 1 || latentChannels < 1
                || normGroups < 1 || blockOutChannels.stream().anyMatch(c -> c < 1 || c % normGroups != 0)) {
            throw new IllegalArgumentException("invalid AutoencoderKL config " + this);
        }
    }

    /** How many times smaller a latent is than its image, per side. */
    public int downscale() {
        return 1 << (blockOutChannels.size() - 1);
    }

    /** Reads {@code vae/config.json}; absent optional fields take diffusers' AutoencoderKL defaults. */
    public static AutoencoderKLConfig read(Path file) throws IOException {
        return read(ConfigJson.read(file));
    }

    /**
     * The {@code vae/config.json} of a released model bundled with the engine as a reference
     * ({@code sd15}: SD 1.5's, which SD 2.x shares), to build a full-size decoder without its folder
     * (benchmarks, manifest checks).
     */
    public static AutoencoderKLConfig reference(String release) throws IOException {
        String resource = "/sd/" + release + "/vae/config.json";
        try (InputStream in = AutoencoderKLConfig.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no reference VAE config for " + release + " (sd15)");
            }
            return read(ConfigJson.parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    private static AutoencoderKLConfig read(ConfigJson json) {
        String className = json.string("_class_name", "AutoencoderKL");
        if (!className.equals("AutoencoderKL")) {
            throw json.invalid("_class_name", "is " + className + ", not AutoencoderKL");
        }
        List<Integer> widths = json.integers("block_out_channels");
        requireAll(json, "down_block_types", "DownEncoderBlock2D", widths.size());
        requireAll(json, "up_block_types", "UpDecoderBlock2D", widths.size());
        String act = json.string("act_fn", "silu");
        if (!act.equals("silu")) {
            throw json.invalid("act_fn", "is " + act + "; only silu is supported");
        }
        int groups = json.integer("norm_num_groups", 32);
        for (int width : widths) {
            if (width % groups != 0) {
                throw json.invalid("block_out_channels", "has " + width + ", which does not split into " + groups
                        + " norm groups");
            }
        }
        return new AutoencoderKLConfig(json.integer("in_channels", 3), json.integer("out_channels", 3), widths,
                json.integer("layers_per_block", 1), json.integer("latent_channels", 4), groups,
                json.number("scaling_factor", 0.18215), json.number("shift_factor", 0),
                json.bool("use_quant_conv", true), json.bool("use_post_quant_conv", true),
                json.bool("mid_block_add_attention", true));
    }

    private static void requireAll(ConfigJson json, String field, String type, int levels) {
        if (!json.has(field)) {
            return;
        }
        List<String> types = json.strings(field);
        if (types.size() != levels || types.stream().anyMatch(t -> !t.equals(type))) {
            throw json.invalid(field, "must list " + type + " once per block_out_channels entry, not " + types);
        }
    }
}
