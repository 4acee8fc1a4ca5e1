package io.stipple.engine.sd.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.ComponentParity;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.sd.unet.UNetConfig;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.sd.unet.UNetGraph;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The tiny SD 1.x U-Net with LoRA branches on its attention projections, on the fixture's U-Net
 * inputs (batch 2, t = 999 and 37.5), equals the U-Net with the closed-form update merged into its
 * weights; the diffusers and kohya files give the same output.
 */
class UNetLoraBranchTest {

    @Test
    void branchesEqualMergedWeights() throws IOException {
        UNetConfig config = UNetConfigReader.read(SdTiny.SD1.resolve("unet/config.json"));
        try (WeightSource base = WeightSources.openComponent(SdTiny.SD1.resolve("unet"));
                WeightSource text = WeightSources.openComponent(SdTiny.SD1.resolve("text_encoder"));
                LoraFile kohya = LoraFile.open(LoraFileTest.KOHYA, LoraTargets.of(base, text));
                LoraFile diffusers = LoraFile.open(LoraFileTest.DIFFUSERS, LoraTargets.of(base, text))) {
            float[] kohyaOutput;
            float[] diffusersOutput;
            float[] baseOutput;
            try (Graph graph = new Graph(); Session session = new Session(graph)) {
                Ops tf = Ops.create(graph);
                TorchWeights w = new TorchWeights(tf);
                LoraBranches branches = new LoraBranches("unet", MergedLoraWeights.linearModules(base));
                w.adaptLinears(branches);
                UNetGraph net = UNetGraph.build(tf, w, config);
                w.load(session, base);
                try (LoraBranches.Feeds feeds = branches.feeds(List.of(new ScaledLora(kohya, 1)))) {
                    kohyaOutput = run(session, net, feeds);
                }
                try (LoraBranches.Feeds feeds = branches.feeds(List.of(new ScaledLora(diffusers, 1)))) {
                    diffusersOutput = run(session, net, feeds);
                }
                try (LoraBranches.Feeds feeds = branches.feeds(List.of())) {
                    baseOutput = run(session, net, feeds);
                }
            }
            float[] merged;
            try (Graph graph = new Graph(); Session session = new Session(graph);
                    LoraBranches.Feeds none = new LoraBranches("unet", java.util.Set.of()).feeds(List.of())) {
                Ops tf = Ops.create(graph);
                TorchWeights w = new TorchWeights(tf);
                UNetGraph net = UNetGraph.build(tf, w, config);
                w.load(session, new MergedLoraWeights(base, "unet", kohya, 1));
                merged = run(session, net, none);
            }
            double scale = SdTiny.maxAbs(merged);
            assertEquals(0, SdTiny.maxAbsDiff(kohyaOutput, diffusersOutput));
            assertTrue(SdTiny.maxAbsDiff(merged, baseOutput) > 1e-3 * scale, "the LoRA changes the U-Net's output");
            assertTrue(SdTiny.maxAbsDiff(merged, kohyaOutput) <= 1e-5 * scale,
                    "branch vs merged: " + SdTiny.maxAbsDiff(merged, kohyaOutput) + " of " + scale);
        }
    }

    private static float[] run(Session session, UNetGraph net, LoraBranches.Feeds feeds) throws IOException {
        try (TFloat32 sample = ComponentParity.nhwcTensor("unet.in.sample");
                TFloat32 timestep = ComponentParity.tensor("unet.in.timestep");
                TFloat32 context = ComponentParity.tensor("unet.in.encoder_hidden_states")) {
            Session.Runner runner = session.runner().feed(net.sample(), sample).feed(net.timestep(), timestep)
                    .feed(net.context(), context).fetch(net.outputs().output());
            try (var result = feeds.feed(runner).run()) {
                return TensorBridge.fromTensorFlow(result.get(0)).data();
            }
        }
    }
}
