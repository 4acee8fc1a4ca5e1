package io.stipple.engine.sd.clip;

import java.util.List;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What {@link ClipTextModel} computes for token ids [B, L].
 */
public final class ClipTextOutputs {

    private final Operand<TFloat32> lastHiddenState;
    private final Operand<TFloat32> pooledOutput;
    private final List<Operand<TFloat32>> hiddenStates;
    private final UnaryOperator<Operand<TFloat32>> finalLayerNorm;

    ClipTextOutputs(Operand<TFloat32> lastHiddenState, Operand<TFloat32> pooledOutput,
            List<Operand<TFloat32>> hiddenStates, UnaryOperator<Operand<TFloat32>> finalLayerNorm) {
        this.lastHiddenState = lastHiddenState;
        this.pooledOutput = pooledOutput;
        this.hiddenStates = List.copyOf(hiddenStates);
        this.finalLayerNorm = finalLayerNorm;
    }

    /** The final layer norm of the last layer's output, [B, L, D]: the prompt embedding SD 1.x and 2.x pipelines use. */
    public Operand<TFloat32> lastHiddenState() {
        return lastHiddenState;
    }

    /** The last hidden state at each row's end-of-text token, [B, D]. */
    public Operand<TFloat32> pooledOutput() {
        return pooledOutput;
    }

    /**
     * The second-to-last layer's output as transformers returns it ({@code hidden_states[-2]}),
     * without the final layer norm; {@link #promptEmbedding(int) promptEmbedding(1)} is its
     * normalised form that diffusers feeds the U-Net.
     */
    public Operand<TFloat32> penultimateHiddenState() {
        return hiddenStates.get(hiddenStates.size() - 2);
    }

    /**
     * The prompt embedding for a clip-skip setting, as diffusers' {@code encode_prompt} computes
     * it: with 0, {@link #lastHiddenState()}; with n > 0, the output of the layer n before the last
     * ({@code hidden_states[-(n + 1)]}), through the final layer norm. 1 is the penultimate layer.
     */
    public Operand<TFloat32> promptEmbedding(int clipSkip) {
        int layers = hiddenStates.size() - 1;
        if (clipSkip < 0 || clipSkip >= layers) {
            throw new IllegalArgumentException("clip skip " + clipSkip + " must be in [0, " + (layers - 1) + "]");
        }
        return clipSkip == 0 ? lastHiddenState : finalLayerNorm.apply(hiddenStates.get(layers - clipSkip));
    }

    /** The embeddings' output then each layer's, before the final layer norm (transformers' {@code hidden_states}). */
    public List<Operand<TFloat32>> hiddenStates() {
        return hiddenStates;
    }
}
