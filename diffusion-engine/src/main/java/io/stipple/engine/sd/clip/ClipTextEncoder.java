package io.stipple.engine.sd.clip;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.sd.lora.LoraBranches;
import io.stipple.engine.sd.nn.ComponentGraph;
import io.stipple.engine.sd.nn.LinearAdapter;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A loaded {@link ClipTextModel} with its session: token ids in, prompt embeddings out. The
 * prompt embedding of every clip-skip setting is built up front (a few ops each), so encoding
 * never changes the graph and is safe from several threads.
 */
public final class ClipTextEncoder implements AutoCloseable {

    /** Prompt embeddings [B, L, D] (what the U-Net attends to) and pooled outputs [B, D]. */
    public record Encoded(Tensor promptEmbeddings, Tensor pooled) {
    }

    private final ClipTextConfig config;
    private final ComponentGraph<Handles> component;

    /** The token-id input, the prompt embedding for each clip-skip setting, the pooled output. */
    private record Handles(Placeholder<TInt32> ids, List<Operand<TFloat32>> embeddingByClipSkip,
            Operand<TFloat32> pooled) {
    }

    private ClipTextEncoder(ClipTextConfig config, WeightSource weights, LinearAdapter adapter, ConfigProto sessionConfig) {
        this.config = config;
        this.component = ComponentGraph.load("text_encoder.", ClipTextModel.BUFFERS, weights, sessionConfig,
                (tf, w) -> {
                    w.adaptLinears(adapter);
                    var ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
                    ClipTextOutputs outputs = ClipTextModel.build(tf, w, config, ids);
                    List<Operand<TFloat32>> bySkip = new ArrayList<>();
                    for (int skip = 0; skip < config.layers(); skip++) {
                        bySkip.add(outputs.promptEmbedding(skip));
                    }
                    return new Handles(ids, List.copyOf(bySkip), outputs.pooledOutput());
                });
    }

    /** Builds the text encoder of a transformers {@code text_encoder/} folder ({@code config.json} and its safetensors weights). */
    public static ClipTextEncoder load(Path folder) throws IOException {
        return load(folder, null);
    }

    /** As {@link #load(Path)} with the session's settings (thread pools); null for {@code nn.Sessions}' defaults. */
    public static ClipTextEncoder load(Path folder, ConfigProto sessionConfig) throws IOException {
        ClipTextConfig config = ClipTextConfig.read(folder.resolve("config.json"));
        try (WeightSource weights = WeightSources.openComponent(folder)) {
            return new ClipTextEncoder(config, weights, LinearAdapter.NONE, sessionConfig);
        }
    }

    /**
     * Builds the text encoder of {@code config} over {@code weights} (transformers' names, from a
     * folder or a single file), its linear layers passing through {@code adapter} (LoRA branches;
     * {@link LinearAdapter#NONE}).
     *
     * @param sessionConfig thread pools; null for {@code nn.Sessions}' defaults
     */
    public static ClipTextEncoder build(ClipTextConfig config, WeightSource weights, LinearAdapter adapter,
            ConfigProto sessionConfig) {
        return new ClipTextEncoder(config, weights, adapter, sessionConfig);
    }

    public ClipTextConfig config() {
        return config;
    }

    /**
     * Encodes rows of token ids (each of one length, at most max_position_embeddings, ids below
     * vocab_size). {@code clipSkip} 0 gives the last hidden state; n > 0 the state n layers
     * earlier through the final layer norm, as diffusers' {@code clip_skip}.
     */
    public Encoded encode(int[][] tokenIds, int clipSkip) {
        return encode(tokenIds, clipSkip, LoraBranches.Feeds.NONE);
    }

    /** As {@link #encode(int[][], int)} with LoRA branch feeds added to the run. */
    public Encoded encode(int[][] tokenIds, int clipSkip, LoraBranches.Feeds loras) {
        if (clipSkip < 0 || clipSkip >= component.handles().embeddingByClipSkip().size()) {
            throw new IllegalArgumentException("clip skip " + clipSkip + " must be in [0, " + (component.handles().embeddingByClipSkip().size() - 1)
                    + "] for a " + config.layers() + "-layer text encoder");
        }
        for (int[] row : tokenIds) {
            if (row.length == 0 || row.length > config.maxPositions()) {
                throw new IllegalArgumentException("a prompt has " + row.length + " tokens; the text encoder takes 1 to "
                        + config.maxPositions());
            }
            for (int id : row) {
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
                            + config.vocabSize() + ")");
                }
            }
        }
        try (TInt32 input = TensorBridge.ids(tokenIds);
                Result result = loras.feed(component.session().runner().feed(component.handles().ids(), input)
                        .fetch(component.handles().embeddingByClipSkip().get(clipSkip))
                        .fetch(component.handles().pooled())).run()) {
            return new Encoded(TensorBridge.fromTensorFlow(result.get(0)), TensorBridge.fromTensorFlow(result.get(1)));
        }
    }

    @Override
    public void close() {
        component.close();
    }
}
