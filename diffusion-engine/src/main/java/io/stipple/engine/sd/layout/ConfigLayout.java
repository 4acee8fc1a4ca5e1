package io.stipple.engine.sd.layout;

import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.sd.clip.ClipTextModel;
import io.stipple.engine.sd.lora.LoraTargets;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.sd.unet.UNetConfig;
import io.stipple.engine.sd.unet.UNetGraph;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;

/**
 * The torch names and shapes of a U-Net's or text encoder's weights, from its config alone: the
 * network is built once in a scratch graph, which records every weight it asks for
 * ({@link TorchWeights#torchShapes}) and is dropped unrun. These are exactly a diffusers checkpoint's
 * names and shapes (UNetManifestTest, ClipTextModelTest), so a LoRA can be checked against a base
 * model without its multi-gigabyte weights. (Its own package: it builds the networks, which take
 * LoRA feeds, so inside {@code sd.lora} it would close a package cycle.)
 */
public final class ConfigLayout {

    private ConfigLayout() {
    }

    /** The layers a LoRA may target in a base known only by its configs, without reading a weight. */
    public static LoraTargets loraTargets(UNetConfig unet, ClipTextConfig textEncoder) {
        return LoraTargets.fromShapes(unet(unet), textEncoder(textEncoder));
    }

    static Map<String, long[]> unet(UNetConfig config) {
        return recorded(scratch -> UNetGraph.build(scratch.tf(), scratch.weights(), config));
    }

    static Map<String, long[]> textEncoder(ClipTextConfig config) {
        return recorded(scratch -> ClipTextModel.build(scratch.tf(), scratch.weights(), config,
                scratch.tf().placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)))));
    }

    private record Scratch(Ops tf, TorchWeights weights) {
    }

    private static Map<String, long[]> recorded(Consumer<Scratch> build) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            TorchWeights weights = new TorchWeights(tf);
            build.accept(new Scratch(tf, weights));
            Map<String, long[]> shapes = new TreeMap<>();
            for (Map.Entry<String, List<Long>> entry : weights.torchShapes().entrySet()) {
                shapes.put(entry.getKey(), entry.getValue().stream().mapToLong(Long::longValue).toArray());
            }
            return shapes;
        }
    }
}
