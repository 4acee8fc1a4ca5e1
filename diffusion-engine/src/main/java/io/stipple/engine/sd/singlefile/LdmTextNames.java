package io.stipple.engine.sd.singlefile;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text encoder's names in a single file as transformers' {@code CLIPTextModel} names them.
 *
 * <p>SD 1.x files hold OpenAI CLIP under {@code cond_stage_model.transformer.}, already in
 * transformers' names (older files lack the {@code text_model.} level, which is added). SD 2.x files
 * hold OpenCLIP under {@code cond_stage_model.model.} with its own names and a fused
 * {@code attn.in_proj_weight} of q, k and v stacked by rows, cut into three here, as diffusers'
 * {@code convert_open_clip_checkpoint} does. OpenCLIP's {@code text_projection} and
 * {@code logit_scale} are not part of a CLIPTextModel and are not presented.
 */
final class LdmTextNames {

    static final String OPENAI_PREFIX = "cond_stage_model.transformer.";
    static final String OPENCLIP_PREFIX = "cond_stage_model.model.";
    /** OpenCLIP tensors that a CLIPTextModel has no place for. */
    static final List<String> OPENCLIP_UNUSED = List.of("text_projection", "logit_scale");

    private static final Pattern RESBLOCK = Pattern.compile("transformer\\.resblocks\\.(\\d+)\\.(.+)");
    private static final Map<String, String> OPENCLIP_FIXED = Map.of(
            "token_embedding.weight", "embeddings.token_embedding.weight",
            "positional_embedding", "embeddings.position_embedding.weight",
            "ln_final.weight", "final_layer_norm.weight", "ln_final.bias", "final_layer_norm.bias");
    private static final Map<String, String> OPENCLIP_LAYER = Map.of(
            "ln_1.", "layer_norm1.", "ln_2.", "layer_norm2.", "attn.out_proj.", "self_attn.out_proj.",
            "mlp.c_fc.", "mlp.fc1.", "mlp.c_proj.", "mlp.fc2.");
    private static final List<String> QKV = List.of("q_proj", "k_proj", "v_proj");

    private LdmTextNames() {
    }

    /** An OpenAI CLIP key (without {@link #OPENAI_PREFIX}) in transformers' names. */
    static String openAiName(String key) {
        return key.startsWith("text_model.") ? key : "text_model." + key;
    }

    /**
     * The transformers names of an OpenCLIP key (without {@link #OPENCLIP_PREFIX}): one name, or
     * three for a fused q/k/v projection (in that row order); empty when the key is not one.
     */
    static List<String> openClipNames(String key) {
        String fixed = OPENCLIP_FIXED.get(key);
        if (fixed != null) {
            return List.of("text_model." + fixed);
        }
        Matcher m = RESBLOCK.matcher(key);
        if (!m.matches()) {
            return List.of();
        }
        String layer = "text_model.encoder.layers." + m.group(1) + ".";
        String rest = m.group(2);
        if (rest.equals("attn.in_proj_weight") || rest.equals("attn.in_proj_bias")) {
            String parameter = rest.endsWith("weight") ? "weight" : "bias";
            return QKV.stream().map(proj -> layer + "self_attn." + proj + "." + parameter).toList();
        }
        for (Map.Entry<String, String> name : OPENCLIP_LAYER.entrySet()) {
            String tail = rest.startsWith(name.getKey()) ? rest.substring(name.getKey().length()) : "";
            if (tail.equals("weight") || tail.equals("bias")) {
                return List.of(layer + name.getValue() + tail);
            }
        }
        return List.of();
    }

    /** The OpenCLIP layer a key belongs to, or -1. */
    static int openClipLayer(String key) {
        Matcher m = RESBLOCK.matcher(key);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
