package io.stipple.engine.sd.clip;

import io.stipple.engine.sd.nn.ConfigJson;
import io.stipple.engine.sd.nn.TorchLayers;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The architecture of a transformers {@code CLIPTextModel}, from its {@code config.json}.
 *
 * @param vocabSize token ids
 * @param hiddenSize width D of every token's state
 * @param intermediateSize width of the MLP's hidden layer
 * @param layers encoder layers
 * @param heads attention heads per layer
 * @param maxPositions longest token sequence (77 in SD)
 * @param hiddenAct the MLP activation: "quick_gelu" (OpenAI CLIP, SD 1.x) or "gelu" (OpenCLIP, SD 2.x)
 * @param layerNormEps epsilon of every layer norm
 * @param eosTokenId end-of-text id; 2 keeps transformers' legacy rule for the pooled output (see {@link ClipTextModel})
 */
public record ClipTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int layers, int heads,
        int maxPositions, String hiddenAct, float layerNormEps, int eosTokenId) {

    public ClipTextConfig {
        if (vocabSize < 1 || hiddenSize < 1 || intermediateSize < 1 || layers < 1 || heads < 1 || maxPositions < 1
                || hiddenSize % heads != 0) {
            throw new IllegalArgumentException("invalid CLIP text config " + this);
        }
        if (!TorchLayers.knowsActivation(hiddenAct)) {
            throw new IllegalArgumentException("unsupported CLIP hidden_act \"" + hiddenAct + "\"");
        }
    }

    /** Reads {@code text_encoder/config.json}; missing optional fields take transformers' CLIPTextConfig defaults. */
    public static ClipTextConfig read(Path file) throws IOException {
        ConfigJson json = ConfigJson.read(file);
        String act = json.string("hidden_act", "quick_gelu");
        if (!TorchLayers.knowsActivation(act)) {
            throw json.invalid("hidden_act", "is \"" + act + "\", which is not supported (gelu, quick_gelu)");
        }
        if (json.integer("hidden_size", 512) % json.integer("num_attention_heads", 8) != 0) {
            throw json.invalid("hidden_size", "does not split into num_attention_heads heads");
        }
        return new ClipTextConfig(json.integer("vocab_size", 49408), json.integer("hidden_size", 512),
                json.integer("intermediate_size", 2048), json.integer("num_hidden_layers", 12),
                json.integer("num_attention_heads", 8), json.integer("max_position_embeddings", 77), act,
                (float) json.number("layer_norm_eps", 1e-5), json.integer("eos_token_id", 49407));
    }
}
