package io.stipple.engine.sd.singlefile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.sd.nn.ConfigJson;
import io.stipple.engine.sd.unet.UNetConfig;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.sd.vae.AutoencoderKLConfig;
import io.stipple.engine.weights.CheckpointFormatException;
import io.stipple.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The component configs of a {@link SingleFileCheckpoint}, inferred from its tensors' shapes where
 * they tell (channel widths, layers per block, which levels attend, context width, linear or conv
 * projections, in/out channels, the text encoder's size) and taken from {@link StatedConfig} or
 * Stable Diffusion's conventions where they cannot: attention heads (SD 1.x: 8 per level; SD 2.x,
 * recognised by linear projections and a 1024-wide context: 64 channels per head), the VAE's norm
 * groups (32) and latent scaling factor (0.18215), the prediction type and native resolution.
 *
 * @param unet           the U-Net's config, as {@link UNetConfigReader} reads a diffusers config.json
 * @param unetConfigJson that config.json, for what else reads it
 * @param vae            the autoencoder's config
 * @param textEncoder    the text encoder's config
 * @param sd2            whether the tensors are SD 2.x's (OpenCLIP text encoder, linear projections)
 * @param inpainting     whether the U-Net takes 9 input channels (latents, mask, masked-image latents)
 * @param predictionType as stated
 */
public record SingleFileConfigs(UNetConfig unet, String unetConfigJson, AutoencoderKLConfig vae,
        ClipTextConfig textEncoder, boolean sd2, boolean inpainting, String predictionType) {

    /** SD 1.x U-Nets have 8 heads per level (LDM's v1-inference.yaml num_heads). */
    static final int SD1_HEADS = 8;
    /** SD 2.x U-Nets and every released text encoder have 64 channels per head (num_head_channels). */
    static final int HEAD_CHANNELS = 64;
    private static final int SD2_CONTEXT = 1024;
    /** The released SD 1.5 / 2.1 text encoder configs' eos_token_id: transformers' legacy pooled-output rule. */
    static final int RELEASED_EOS_ID = 2;
    private static final Pattern INPUT_BLOCK = Pattern.compile("input_blocks\\.(\\d+)\\.");
    private static final Pattern RESBLOCK = Pattern.compile("text_model\\.encoder\\.layers\\.(\\d+)\\.");
    private static final Pattern ENCODER_LEVEL = Pattern.compile("encoder\\.down_blocks\\.(\\d+)\\.");
    private static final Pattern ENCODER_RESNET = Pattern.compile("encoder\\.down_blocks\\.0\\.resnets\\.(\\d+)\\.");

    static SingleFileConfigs infer(SingleFileCheckpoint checkpoint, StatedConfig stated) {
        ObjectNode unetJson = unetJson(checkpoint.unet(), checkpoint.toString());
        boolean sd2 = unetJson.get("use_linear_projection").asBoolean()
                && unetJson.get("cross_attention_dim").asInt() == SD2_CONTEXT;
        unetJson.set("attention_head_dim", heads(unetJson, sd2, checkpoint.toString()));
        AutoencoderKLConfig vae = vae(checkpoint.vae());
        unetJson.put("sample_size", stated.nativeResolution() / vae.downscale());
        unetJson.put("_inferred_by", "Stipple from " + checkpoint);
        String text = unetJson.toPrettyString();
        UNetConfig unet;
        try {
            unet = UNetConfigReader.read(ConfigJson.parse(checkpoint + " (inferred unet config)", text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new SingleFileConfigs(unet, text, vae, textEncoder(checkpoint, stated), sd2,
                unet.inChannels() == 9, stated.predictionType());
    }

    private static ObjectNode unetJson(WeightSource unet, String file) {
        int levels = (int) unet.names().stream().filter(n -> n.matches("down_blocks\\.\\d+\\.downsamplers\\.0\\.conv\\.weight"))
                .count() + 1;
        int layers = SingleFileCheckpoint.count(unet.names(), "down_blocks.0.", Pattern.compile("resnets\\.(\\d+)\\."));
        List<Integer> widths = new ArrayList<>();
        List<String> down = new ArrayList<>();
        List<String> up = new ArrayList<>();
        String firstAttention = null;
        for (int level = 0; level < levels; level++) {
            widths.add((int) shape(unet, "down_blocks." + level + ".resnets.0.conv1.weight", file)[0]);
            String attention = "down_blocks." + level + ".attentions.0.";
            boolean attends = unet.contains(attention + "proj_in.weight");
            down.add(attends ? "CrossAttnDownBlock2D" : "DownBlock2D");
            up.add(0, attends ? "CrossAttnUpBlock2D" : "UpBlock2D");
            if (attends && firstAttention == null) {
                firstAttention = attention;
            }
        }
        if (firstAttention == null) {
            throw new CheckpointFormatException(file + ": the U-Net has no cross-attention on any level");
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = mapper.createObjectNode();
        json.put("_class_name", "UNet2DConditionModel");
        json.put("in_channels", shape(unet, "conv_in.weight", file)[1]);
        json.put("out_channels", shape(unet, "conv_out.weight", file)[0]);
        widths.forEach(json.putArray("block_out_channels")::add);
        down.forEach(json.putArray("down_block_types")::add);
        up.forEach(json.putArray("up_block_types")::add);
        json.put("layers_per_block", layers);
        json.put("cross_attention_dim", shape(unet, firstAttention + "transformer_blocks.0.attn2.to_k.weight", file)[1]);
        json.put("use_linear_projection", shape(unet, firstAttention + "proj_in.weight", file).length == 2);
        json.put("transformer_layers_per_block", SingleFileCheckpoint.count(unet.names(), firstAttention,
                Pattern.compile("transformer_blocks\\.(\\d+)\\.")));
        return json;
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode heads(ObjectNode json, boolean sd2, String file) {
        var heads = json.arrayNode();
        for (var width : json.get("block_out_channels")) {
            if (!sd2) {
                heads.add(SD1_HEADS);
            } else if (width.asInt() % HEAD_CHANNELS == 0) {
                heads.add(width.asInt() / HEAD_CHANNELS);
            } else {
                throw new CheckpointFormatException(file + ": an SD 2.x U-Net level of width " + width.asInt()
                        + " does not split into heads of " + HEAD_CHANNELS + " channels");
            }
        }
        return heads;
    }

    private static AutoencoderKLConfig vae(WeightSource vae) {
        String file = vae.toString();
        int levels = SingleFileCheckpoint.count(vae.names(), "", ENCODER_LEVEL);
        List<Integer> widths = new ArrayList<>();
        for (int level = 0; level < levels; level++) {
            widths.add((int) shape(vae, "encoder.down_blocks." + level + ".resnets.0.conv1.weight", file)[0]);
        }
        return new AutoencoderKLConfig((int) shape(vae, "encoder.conv_in.weight", file)[1],
                (int) shape(vae, "decoder.conv_out.weight", file)[0], widths,
                SingleFileCheckpoint.count(vae.names(), "", ENCODER_RESNET),
                (int) shape(vae, "decoder.conv_in.weight", file)[1], 32, 0.18215, 0,
                vae.contains("quant_conv.weight"), vae.contains("post_quant_conv.weight"),
                vae.contains("decoder.mid_block.attentions.0.to_q.weight"));
    }

    private static ClipTextConfig textEncoder(SingleFileCheckpoint checkpoint, StatedConfig stated) {
        WeightSource text = checkpoint.textEncoder();
        String file = text.toString();
        long[] tokens = shape(text, "text_model.embeddings.token_embedding.weight", file);
        int hidden = (int) tokens[1];
        int heads = stated.textEncoderHeads() > 0 ? stated.textEncoderHeads() : hidden / HEAD_CHANNELS;
        if (heads < 1 || hidden % heads != 0) {
            throw new CheckpointFormatException(file + ": a text encoder of width " + hidden + " does not split into heads of "
                    + HEAD_CHANNELS + " channels; state its number of heads");
        }
        return new ClipTextConfig((int) tokens[0], hidden,
                (int) shape(text, "text_model.encoder.layers.0.mlp.fc1.weight", file)[0],
                SingleFileCheckpoint.count(text.names(), "", RESBLOCK), heads,
                (int) shape(text, "text_model.embeddings.position_embedding.weight", file)[0],
                checkpoint.openClip() ? "gelu" : "quick_gelu", 1e-5f,
                stated.eosTokenId() >= 0 ? stated.eosTokenId() : RELEASED_EOS_ID);
    }

    private static long[] shape(WeightSource source, String name, String file) {
        if (!source.contains(name)) {
            throw new CheckpointFormatException(file + ": missing tensor '" + name + "' (diffusers name), needed to infer"
                    + " the config");
        }
        return source.info(name).shape();
    }
}
