package io.stipple.engine.sd.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.ComponentParity;
import io.stipple.engine.sd.Manifests;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;

/** CLIPTextModel against transformers on the fixture's tiny text encoders, and against the real models' manifests. */
class ClipTextModelTest {

    @Test
    void sd1TextEncoderMatchesTransformers() throws IOException {
        Path folder = SdTiny.SD1.resolve("text_encoder");
        ClipTextConfig config = ClipTextConfig.read(folder.resolve("config.json"));
        assertEquals("quick_gelu", config.hiddenAct());
        try (Graph graph = new Graph(); Session session = new Session(graph);
                WeightSource weights = WeightSources.openComponent(folder);
                TInt32 ids = TensorBridge.ids(ComponentParity.idRows("tokenizer.input_ids"))) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf, "text_encoder.", ClipTextModel.BUFFERS);
            var input = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            ClipTextOutputs outputs = ClipTextModel.build(tf, w, config, input);
            w.load(session, weights);
            try (Result result = session.runner().feed(input, ids).fetch(outputs.lastHiddenState())
                    .fetch(outputs.penultimateHiddenState()).fetch(outputs.pooledOutput()).run()) {
                ComponentParity.assertMatches("clip.last_hidden_state", result.get(0));
                ComponentParity.assertMatches("clip.penultimate_hidden_state", result.get(1));
                ComponentParity.assertMatches("clip.pooler_output", result.get(2));
            }
            // diffusers' clip_skip=1 is the penultimate state through the final layer norm.
            float[] clipSkip1 = layerNorm(ComponentParity.floats("clip.penultimate_hidden_state"),
                    weights.floats("text_model.final_layer_norm.weight"), weights.floats("text_model.final_layer_norm.bias"),
                    config.layerNormEps());
            try (Result result = session.runner().feed(input, ids).fetch(outputs.promptEmbedding(1)).run()) {
                ComponentParity.assertMatches("clip skip 1 (final_layer_norm(clip.penultimate_hidden_state))", clipSkip1,
                        ComponentParity.referenceShape("clip.penultimate_hidden_state"), result.get(0));
            }
        }
    }

    /** torch's LayerNorm over the last axis of rows of {@code scale.length} values, in double. */
    private static float[] layerNorm(float[] x, float[] scale, float[] shift, float eps) {
        int width = scale.length;
        float[] out = new float[x.length];
        for (int row = 0; row < x.length / width; row++) {
            double mean = 0;
            for (int i = 0; i < width; i++) {
                mean += x[row * width + i];
            }
            mean /= width;
            double variance = 0;
            for (int i = 0; i < width; i++) {
                variance += (x[row * width + i] - mean) * (x[row * width + i] - mean);
            }
            variance /= width;
            for (int i = 0; i < width; i++) {
                out[row * width + i] = (float) ((x[row * width + i] - mean) / Math.sqrt(variance + eps) * scale[i] + shift[i]);
            }
        }
        return out;
    }

    @Test
    void sd2TextEncoderWithExactGeluMatchesTransformers() throws IOException {
        Path folder = SdTiny.SD2.resolve("text_encoder");
        ClipTextConfig config = ClipTextConfig.read(folder.resolve("config.json"));
        assertEquals("gelu", config.hiddenAct());
        try (Graph graph = new Graph(); Session session = new Session(graph);
                WeightSource weights = WeightSources.openComponent(folder);
                TInt32 ids = TensorBridge.ids(ComponentParity.idRows("sd2.tokenizer.input_ids"))) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf, "", ClipTextModel.BUFFERS);
            var input = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            ClipTextOutputs outputs = ClipTextModel.build(tf, w, config, input);
            w.load(session, weights);
            try (Result result = session.runner().feed(input, ids).fetch(outputs.lastHiddenState()).run()) {
                ComponentParity.assertMatches("sd2.clip.last_hidden_state", result.get(0));
            }
        }
    }

    @Test
    void realSd15AndSd21TextEncodersHaveTheManifestsWeights() throws IOException {
        assertRecordedShapesEqualManifest("sd15/text_encoder", 123_060_480L);
        assertRecordedShapesEqualManifest("sd21/text_encoder", 340_387_840L);
    }

    private static void assertRecordedShapesEqualManifest(String component, long parameters) throws IOException {
        ClipTextConfig config = ClipTextConfig.read(Manifests.realConfig(component));
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf);
            ClipTextModel.build(tf, w, config, tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1))));
            assertEquals(Manifests.of(component), w.torchShapes(), component);
            assertEquals(parameters, w.parameterCount(), component + " parameters");
        }
    }
}
