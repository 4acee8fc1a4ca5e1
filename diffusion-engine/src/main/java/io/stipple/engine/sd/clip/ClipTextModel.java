package io.stipple.engine.sd.clip;

import static io.stipple.engine.sd.nn.TorchLayers.layerNorm;
import static io.stipple.engine.sd.nn.TorchLayers.linear;

import io.stipple.engine.sd.nn.MultiHeadAttention;
import io.stipple.engine.sd.nn.TorchLayers;
import io.stipple.engine.sd.nn.TorchLayout;
import io.stipple.engine.sd.nn.TorchWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.core.Max;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * transformers' {@code CLIPTextModel} (Radford et al. 2021), the text encoder of SD 1.x (OpenAI
 * CLIP ViT-L/14) and SD 2.x (OpenCLIP ViT-H/14): token and position embeddings, pre-norm
 * transformer layers with causal self-attention, a final layer norm. Weights under the hub's
 * {@code text_model.} keys.
 */
public final class ClipTextModel {

    /**
     * Checkpoint entries that are buffers, not weights: older transformers saved the position
     * ids (0..76); they are recomputed here, so their presence or absence is ignored.
     */
    public static final Set<String> BUFFERS = Set.of("text_model.embeddings.position_ids");

    private static final String PREFIX = "text_model.";
    /** transformers' CLIPTextTransformer takes the pooled state at argmax(ids) when eos_token_id is 2 (configs older than its fix). */
    private static final int LEGACY_EOS_ID = 2;

    private ClipTextModel() {
    }

    /** The text states of {@code inputIds} [B, L] (L up to the config's max positions; B and L may be unknown). */
    public static ClipTextOutputs build(Ops tf, TorchWeights w, ClipTextConfig config, Operand<TInt32> inputIds) {
        long width = config.hiddenSize();
        Operand<TFloat32> tokens = tf.gather(
                w.get(PREFIX + "embeddings.token_embedding.weight", TorchLayout.AS_IS,
                        config.vocabSize(), width),
                inputIds, tf.constant(0));
        Operand<TInt32> length = sequenceLength(tf, inputIds);
        Operand<TFloat32> positions = tf.gather(
                w.get(PREFIX + "embeddings.position_embedding.weight", TorchLayout.AS_IS,
                        config.maxPositions(), width),
                tf.range(tf.constant(0), length, tf.constant(1)), tf.constant(0));
        Operand<TFloat32> h = tf.math.add(tokens, positions);

        List<Operand<TFloat32>> hiddenStates = new ArrayList<>();
        hiddenStates.add(h);
        for (int layer = 0; layer < config.layers(); layer++) {
            h = encoderLayer(tf, w, config, PREFIX + "encoder.layers." + layer, h);
            hiddenStates.add(h);
        }
        Operand<TFloat32> last = finalLayerNorm(tf, w, config, h);
        return new ClipTextOutputs(last, pooled(tf, config, inputIds, last), hiddenStates,
                state -> finalLayerNorm(tf, w, config, state));
    }

    private static Operand<TFloat32> encoderLayer(Ops tf, TorchWeights w, ClipTextConfig config, String key,
            Operand<TFloat32> x) {
        long width = config.hiddenSize();
        float eps = config.layerNormEps();
        Operand<TFloat32> h = layerNorm(tf, w, key + ".layer_norm1", x, width, eps);
        Operand<TFloat32> q = linear(tf, w, key + ".self_attn.q_proj", h, width, width);
        Operand<TFloat32> k = linear(tf, w, key + ".self_attn.k_proj", h, width, width);
        Operand<TFloat32> v = linear(tf, w, key + ".self_attn.v_proj", h, width, width);
        Operand<TFloat32> attended = MultiHeadAttention.attend(tf, q, k, v, config.heads(), true);
        x = tf.math.add(x, linear(tf, w, key + ".self_attn.out_proj", attended, width, width));

        h = layerNorm(tf, w, key + ".layer_norm2", x, width, eps);
        h = linear(tf, w, key + ".mlp.fc1", h, width, config.intermediateSize());
        h = TorchLayers.activation(tf, config.hiddenAct(), h);
        h = linear(tf, w, key + ".mlp.fc2", h, config.intermediateSize(), width);
        return tf.math.add(x, h);
    }

    private static Operand<TFloat32> finalLayerNorm(Ops tf, TorchWeights w, ClipTextConfig config, Operand<TFloat32> x) {
        return layerNorm(tf, w, PREFIX + "final_layer_norm", x, config.hiddenSize(), config.layerNormEps());
    }

    /**
     * The last state at each row's end-of-text token, as transformers picks it: the first position
     * holding the largest id when eos_token_id is 2 (legacy configs, where EOS is the largest id),
     * else the first position holding eos_token_id (position 0 when there is none, as torch's
     * argmax of all zeros).
     */
    private static Operand<TFloat32> pooled(Ops tf, ClipTextConfig config, Operand<TInt32> ids, Operand<TFloat32> last) {
        Operand<TInt32> target = config.eosTokenId() == LEGACY_EOS_ID
                ? tf.max(ids, tf.constant(new int[] {1}), Max.keepDims(true))
                : tf.constant(config.eosTokenId());
        Operand<TInt32> length = sequenceLength(tf, ids);
        Operand<TInt32> isTarget = tf.dtypes.cast(tf.math.equal(ids, target), TInt32.class);
        // position where the id is the target, length elsewhere; the row minimum is the first hit (length: none).
        Operand<TInt32> candidates = tf.math.add(tf.range(tf.constant(0), length, tf.constant(1)),
                tf.math.mul(tf.math.sub(tf.constant(1), isTarget), length));
        Operand<TInt32> first = tf.math.floorMod(tf.min(candidates, tf.constant(1)), length);
        return tf.gather(last, first, tf.constant(1), Gather.batchDims(1L));
    }

    private static Operand<TInt32> sequenceLength(Ops tf, Operand<TInt32> ids) {
        return tf.reshape(tf.stridedSlice(tf.shape(ids), tf.constant(new int[] {1}), tf.constant(new int[] {2}),
                tf.constant(new int[] {1})), tf.constant(new int[0]));
    }
}
