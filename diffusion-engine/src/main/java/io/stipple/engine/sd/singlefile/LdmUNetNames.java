package io.stipple.engine.sd.singlefile;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original LDM / A1111 names of a U-Net ({@code model.diffusion_model.*} with that prefix
 * removed) as diffusers' {@code UNet2DConditionModel} names them, the renaming diffusers'
 * {@code single_file_utils.convert_ldm_unet_checkpoint} does.
 *
 * <p>LDM numbers its blocks flat: {@code input_blocks.0} is conv_in, then per level
 * {@code layers_per_block} blocks of [resnet, optional attention] and, on all but the last level,
 * one downsampler; {@code output_blocks} have {@code layers_per_block + 1} blocks per level, the last
 * one of a level carrying the upsampler (after its attention, when it has one).
 */
final class LdmUNetNames {

    private static final Pattern INPUT = Pattern.compile("input_blocks\\.(\\d+)\\.(\\d+)\\.(.+)");
    private static final Pattern MIDDLE = Pattern.compile("middle_block\\.(\\d)\\.(.+)");
    private static final Pattern OUTPUT = Pattern.compile("output_blocks\\.(\\d+)\\.(\\d)\\.(.+)");
    private static final Map<String, String> FIXED = Map.of(
            "time_embed.0.", "time_embedding.linear_1.", "time_embed.2.", "time_embedding.linear_2.",
            "input_blocks.0.0.", "conv_in.", "out.0.", "conv_norm_out.", "out.2.", "conv_out.");
    private static final Map<String, String> RESNET = Map.of(
            "in_layers.0.", "norm1.", "in_layers.2.", "conv1.", "emb_layers.1.", "time_emb_proj.",
            "out_layers.0.", "norm2.", "out_layers.3.", "conv2.", "skip_connection.", "conv_shortcut.");
    private static final String[] ATTENTION_PARTS = {"norm.", "proj_in.", "proj_out.", "transformer_blocks."};

    private final int layersPerBlock;

    LdmUNetNames(int layersPerBlock) {
        this.layersPerBlock = layersPerBlock;
    }

    /** The diffusers name of an LDM U-Net key (without {@code model.diffusion_model.}), or null when the key is not one of a U-Net. */
    String diffusersName(String key) {
        for (Map.Entry<String, String> fixed : FIXED.entrySet()) {
            if (key.startsWith(fixed.getKey())) {
                return parameter(fixed.getValue(), key.substring(fixed.getKey().length()));
            }
        }
        Matcher m;
        if ((m = INPUT.matcher(key)).matches()) {
            int index = Integer.parseInt(m.group(1)) - 1;
            int level = index / (layersPerBlock + 1);
            int layer = index % (layersPerBlock + 1);
            String prefix = "down_blocks." + level + ".";
            if (layer == layersPerBlock) {
                return m.group(2).equals("0") && m.group(3).startsWith("op.")
                        ? parameter(prefix + "downsamplers.0.conv.", m.group(3).substring(3)) : null;
            }
            return part(prefix, layer, m.group(2), m.group(3));
        }
        if ((m = MIDDLE.matcher(key)).matches()) {
            return switch (m.group(1)) {
                case "0" -> resnet("mid_block.resnets.0.", m.group(2));
                case "1" -> attention("mid_block.attentions.0.", m.group(2));
                case "2" -> resnet("mid_block.resnets.1.", m.group(2));
                default -> null;
            };
        }
        if ((m = OUTPUT.matcher(key)).matches()) {
            int index = Integer.parseInt(m.group(1));
            String prefix = "up_blocks." + index / (layersPerBlock + 1) + ".";
            String rest = m.group(3);
            boolean upsampler = !m.group(2).equals("0") && rest.startsWith("conv.");
            if (upsampler) {
                return index % (layersPerBlock + 1) == layersPerBlock
                        ? parameter(prefix + "upsamplers.0.conv.", rest.substring(5)) : null;
            }
            return m.group(2).equals("2") ? null : part(prefix, index % (layersPerBlock + 1), m.group(2), rest);
        }
        return null;
    }

    private static String part(String blockPrefix, int layer, String part, String rest) {
        return switch (part) {
            case "0" -> resnet(blockPrefix + "resnets." + layer + ".", rest);
            case "1" -> attention(blockPrefix + "attentions." + layer + ".", rest);
            default -> null;
        };
    }

    private static String resnet(String prefix, String rest) {
        for (Map.Entry<String, String> name : RESNET.entrySet()) {
            if (rest.startsWith(name.getKey())) {
                return parameter(prefix + name.getValue(), rest.substring(name.getKey().length()));
            }
        }
        return null;
    }

    /** Transformer blocks keep their names in both layouts. */
    private static String attention(String prefix, String rest) {
        for (String part : ATTENTION_PARTS) {
            if (rest.startsWith(part)) {
                return prefix + rest;
            }
        }
        return null;
    }

    /** Only a plain weight or bias may follow a renamed module. */
    private static String parameter(String prefix, String rest) {
        return rest.equals("weight") || rest.equals("bias") ? prefix + rest : null;
    }
}
