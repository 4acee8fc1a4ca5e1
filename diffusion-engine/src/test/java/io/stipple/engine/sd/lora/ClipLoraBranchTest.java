package io.stipple.engine.sd.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.ComponentParity;
import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.sd.clip.ClipTextModel;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The tiny SD 1.x text encoder with LoRA branches over its shared weights equals the same network
 * with the closed-form update merged into its weights, W + s (alpha / rank) up @ down; with nothing
 * fed it is the base network; LoRAs and scales switch per run without a new graph.
 */
class ClipLoraBranchTest {

    private static final Path FOLDER = SdTiny.SD1.resolve("text_encoder");

    @Test
    void branchesEqualMergedWeightsAndSwitchPerRun() throws IOException {
        ClipTextConfig config = ClipTextConfig.read(FOLDER.resolve("config.json"));
        try (WeightSource base = WeightSources.openComponent(FOLDER);
                WeightSource unet = WeightSources.openComponent(SdTiny.SD1.resolve("unet"));
                LoraFile kohya = LoraFile.open(LoraFileTest.KOHYA, LoraTargets.of(unet, base));
                LoraFile diffusers = LoraFile.open(LoraFileTest.DIFFUSERS, LoraTargets.of(unet, base));
                TInt32 ids = TensorBridge.ids(ComponentParity.idRows("tokenizer.input_ids"))) {
            Set<String> linears = MergedLoraWeights.linearModules(base);
            float[] withBranches0_7;
            float[] baseOutput;
            float[] twoLoras;
            float[] noneFed;
            try (Graph graph = new Graph(); Session session = new Session(graph)) {
                Ops tf = Ops.create(graph);
                TorchWeights w = new TorchWeights(tf, "text_encoder.", ClipTextModel.BUFFERS);
                LoraBranches branches = new LoraBranches("text_encoder", linears);
                w.adaptLinears(branches);
                Placeholder<TInt32> input = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
                Operand<TFloat32> output = ClipTextModel.build(tf, w, config, input).lastHiddenState();
                // a second graph over the same weights (as for another input shape) shares the branches' feeds
                Placeholder<TInt32> input2 = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
                Operand<TFloat32> output2 = ClipTextModel.build(tf, w, config, input2).lastHiddenState();
                w.load(session, base);
                assertEquals(30, branches.branched().size()); // q, k, v, out_proj, fc1, fc2 of 5 layers
                noneFed = run(session, input, ids, output, null);
                try (LoraBranches.Feeds feeds = branches.feeds(List.of(new ScaledLora(kohya, 0.7)))) {
                    withBranches0_7 = run(session, input, ids, output, feeds);
                    assertArrayEquals(withBranches0_7, run(session, input2, ids, output2, feeds));
                }
                try (LoraBranches.Feeds feeds = branches.feeds(List.of(new ScaledLora(kohya, 0.3), new ScaledLora(diffusers, 0.4)))) {
                    twoLoras = run(session, input, ids, output, feeds);
                }
                try (LoraBranches.Feeds feeds = branches.feeds(List.of())) {
                    baseOutput = run(session, input, ids, output, feeds);
                }
            }
            float[] merged = mergedOutput(config, base, kohya, 0.7, ids);
            float[] plain = mergedOutput(config, base, kohya, 0, ids);
            assertArrayEquals(plain, noneFed);
            assertArrayEquals(plain, baseOutput);
            double scale = maxAbs(merged);
            assertTrue(SdTiny.maxAbsDiff(merged, plain) > 0.05 * scale, "the LoRA changes the output");
            assertTrue(SdTiny.maxAbsDiff(merged, withBranches0_7) <= 1e-5 * scale,
                    "branch vs merged: " + SdTiny.maxAbsDiff(merged, withBranches0_7) + " of " + scale);
            assertTrue(SdTiny.maxAbsDiff(merged, twoLoras) <= 1e-5 * scale,
                    "0.3 + 0.4 of the same LoRA in two formats vs 0.7 merged: " + SdTiny.maxAbsDiff(merged, twoLoras));
        }
    }

    @Test
    void aLoraOnALayerWithoutABranchIsRefusedNamingIt() throws IOException {
        try (WeightSource base = WeightSources.openComponent(FOLDER);
                WeightSource unet = WeightSources.openComponent(SdTiny.SD1.resolve("unet"));
                LoraFile kohya = LoraFile.open(LoraFileTest.KOHYA, LoraTargets.of(unet, base))) {
            LoraBranches none = new LoraBranches("text_encoder", Set.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> none.feeds(List.of(new ScaledLora(kohya, 1))));
            assertTrue(e.getMessage().contains("changes text_encoder.text_model.encoder.layers.0.self_attn.k_proj, which has no"
                    + " LoRA branch"), e.getMessage());
        }
    }

    private static float[] run(Session session, Placeholder<TInt32> input, TInt32 ids, Operand<TFloat32> output,
            LoraBranches.Feeds feeds) {
        Session.Runner runner = session.runner().feed(input, ids).fetch(output);
        if (feeds != null) {
            feeds.feed(runner);
        }
        try (var result = runner.run()) {
            return TensorBridge.fromTensorFlow(result.get(0)).data();
        }
    }

    /** The base network (no branches) with W + scale (alpha/rank) up @ down loaded for every LoRA layer. */
    private static float[] mergedOutput(ClipTextConfig config, WeightSource base, LoraFile lora, double scale, TInt32 ids) {
        WeightSource merged = new MergedLoraWeights(base, "text_encoder", lora, scale);
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf, "text_encoder.", ClipTextModel.BUFFERS);
            Placeholder<TInt32> input = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
            Operand<TFloat32> output = ClipTextModel.build(tf, w, config, input).lastHiddenState();
            w.load(session, merged);
            return run(session, input, ids, output, null);
        }
    }

    private static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
