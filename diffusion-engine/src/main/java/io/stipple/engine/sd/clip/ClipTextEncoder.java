package io.stipple.engine.sd.clip;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.nn.Sessions;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
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
    private final Graph graph;
    private final Session session;
    private final Placeholder<TInt32> ids;
    private final List<Operand<TFloat32>> embeddingByClipSkip = new ArrayList<>();
    private final Operand<TFloat32> pooled;

    private ClipTextEncoder(ClipTextConfig config, WeightSource weights, ConfigProto sessionConfig) {
        this.config = config;
        this.graph = new Graph();
        Ops tf = Ops.create(graph);
        TorchWeights w = new TorchWeights(tf, "text_encoder.", ClipTextModel.BUFFERS);
        ids = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
        ClipTextOutputs outputs = ClipTextModel.build(tf, w, config, ids);
        for (int skip = 0; skip < config.layers(); skip++) {
            embeddingByClipSkip.add(outputs.promptEmbedding(skip));
        }
        pooled = outputs.pooledOutput();
        session = new Session(graph, sessionConfig == null ? Sessions.config() : sessionConfig);
        try {
            w.load(session, weights);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Builds the text encoder of a transformers {@code text_encoder/} folder ({@code config.json} and its safetensors weights). */
    public static ClipTextEncoder load(Path folder) throws IOException {
        return load(folder, null);
    }

    /** As {@link #load(Path)} with the session's settings (thread pools); null for {@code nn.Sessions}' defaults. */
    public static ClipTextEncoder load(Path folder, ConfigProto sessionConfig) throws IOException {
        ClipTextConfig config = ClipTextConfig.read(folder.resolve("config.json"));
        try (WeightSource weights = WeightSources.openComponent(folder)) {
            return new ClipTextEncoder(config, weights, sessionConfig);
        }
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
        if (clipSkip < 0 || clipSkip >= embeddingByClipSkip.size()) {
            throw new IllegalArgumentException("clip skip " + clipSkip + " must be in [0, " + (embeddingByClipSkip.size() - 1)
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
                Result result = session.runner().feed(ids, input).fetch(embeddingByClipSkip.get(clipSkip))
                        .fetch(pooled).run()) {
            return new Encoded(TensorBridge.fromTensorFlow(result.get(0)), TensorBridge.fromTensorFlow(result.get(1)));
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
