package io.stipple.engine.sd.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.sd.Manifests;
import io.stipple.engine.sd.nn.TorchWeights;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

/**
 * Built from the real SD 1.5 and SD 2.1 {@code unet/config.json} (main resources) without any weights, the U-Net asks
 * for exactly the tensors (names and torch shapes) that diffusers' full-size models have, as listed
 * in the fixture's manifest.
 */
class UNetManifestTest {

    @ParameterizedTest
    @CsvSource({"sd15, 859520964", "sd21, 865910724"})
    void fullSizeGraphAsksForExactlyTheCheckpointsTensors(String model, long parameters) throws Exception {
        UNetConfig config = UNetConfigReader.reference(model);
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            TorchWeights weights = new TorchWeights(tf);
            UNetGraph.build(tf, weights, config);
            assertEquals(new TreeMap<>(Manifests.of(model + "/unet")), weights.torchShapes());
            assertEquals(parameters, weights.parameterCount());
        }
    }
}
