package io.stipple.engine.sd.singlefile;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original LDM names of the autoencoder ({@code first_stage_model.*} with that prefix removed)
 * as diffusers' {@code AutoencoderKL} names them, as diffusers' {@code convert_ldm_vae_checkpoint}
 * renames them. The decoder's levels are numbered the other way round in LDM ({@code up.0} is the
 * last to run, diffusers' {@code up_blocks.<levels-1>}). The mid-block attention's q/k/v/proj_out
 * are 1x1 convolutions in LDM and linear layers in diffusers: {@link #isConvToLinear} says which
 * keys lose their two trailing unit dimensions.
 */
final class LdmVaeNames {

    private static final Pattern DOWN = Pattern.compile("encoder\\.down\\.(\\d+)\\.(block\\.(\\d+)|downsample\\.conv)\\.(.+)");
    private static final Pattern UP = Pattern.compile("decoder\\.up\\.(\\d+)\\.(block\\.(\\d+)|upsample\\.conv)\\.(.+)");
    private static final Pattern MID = Pattern.compile("(encoder|decoder)\\.mid\\.(block_1|block_2|attn_1)\\.(.+)");
    private static final Pattern END = Pattern.compile("(encoder|decoder)\\.(conv_in|conv_out|norm_out)\\.(weight|bias)|(post_)?quant_conv\\.(weight|bias)");
    private static final Map<String, String> RESNET = Map.of(
            "norm1.", "norm1.", "conv1.", "conv1.", "norm2.", "norm2.", "conv2.", "conv2.", "nin_shortcut.", "conv_shortcut.");
    private static final Map<String, String> ATTENTION = Map.of(
            "norm.", "group_norm.", "q.", "to_q.", "k.", "to_k.", "v.", "to_v.", "proj_out.", "to_out.0.");

    private final int levels;

    LdmVaeNames(int levels) {
        this.levels = levels;
    }

    /** The diffusers name of an LDM VAE key (without {@code first_stage_model.}), or null when it is not one. */
    String diffusersName(String key) {
        if (END.matcher(key).matches()) {
            return key.replace("norm_out.", "conv_norm_out.");
        }
        Matcher m;
        if ((m = DOWN.matcher(key)).matches()) {
            return level("encoder.down_blocks." + m.group(1) + ".", m.group(3), "downsamplers", m.group(4));
        }
        if ((m = UP.matcher(key)).matches()) {
            int level = levels - 1 - Integer.parseInt(m.group(1));
            return level < 0 ? null : level("decoder.up_blocks." + level + ".", m.group(3), "upsamplers", m.group(4));
        }
        if ((m = MID.matcher(key)).matches()) {
            String prefix = m.group(1) + ".mid_block.";
            return switch (m.group(2)) {
                case "block_1" -> renamed(prefix + "resnets.0.", RESNET, m.group(3));
                case "block_2" -> renamed(prefix + "resnets.1.", RESNET, m.group(3));
                default -> renamed(prefix + "attentions.0.", ATTENTION, m.group(3));
            };
        }
        return null;
    }

    /** Whether this (diffusers) name is a 1x1 convolution in LDM stored as a linear weight in diffusers. */
    static boolean isConvToLinear(String diffusersName) {
        return diffusersName.contains(".mid_block.attentions.0.to_") && diffusersName.endsWith(".weight");
    }

    private static String level(String prefix, String resnet, String sampler, String rest) {
        if (resnet != null) {
            return renamed(prefix + "resnets." + resnet + ".", RESNET, rest);
        }
        return rest.equals("weight") || rest.equals("bias") ? prefix + sampler + ".0.conv." + rest : null;
    }

    private static String renamed(String prefix, Map<String, String> names, String rest) {
        for (Map.Entry<String, String> name : names.entrySet()) {
            String tail = rest.startsWith(name.getKey()) ? rest.substring(name.getKey().length()) : "";
            if (tail.equals("weight") || tail.equals("bias")) {
                return prefix + name.getValue() + tail;
            }
        }
        return null;
    }
}
