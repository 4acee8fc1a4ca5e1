package io.stipple.engine.export;

import io.stipple.engine.nn.Parameters;
import io.stipple.engine.nn.Sessions;
import io.stipple.engine.unet.DenoisingGraph;
import io.stipple.engine.unet.ModelConfig;
import io.stipple.engine.unet.ModelInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;

/**
 * Writes a model as a TensorFlow SavedModel with the {@code encode_text} and {@code denoise}
 * signatures of docs/model-format.md: builds the inference graph for the config, loads the given
 * (normally EMA) weights into it and exports. The training graph, optimizer slots and raw
 * weights stay out of the export.
 */
public final class ModelExporter {

    private ModelExporter() {
    }

    public static void export(ModelConfig config, Map<String, ? extends Tensor> weights, Path savedModelDir)
            throws IOException {
        if (Files.exists(savedModelDir)) {
            throw new IOException(savedModelDir + " already exists; export into a new directory");
        }
        try (Graph graph = new Graph(); Session session = Sessions.create(graph)) {
            Ops tf = Ops.create(graph);
            Parameters parameters = new Parameters(tf, 0);
            DenoisingGraph model = DenoisingGraph.forInference(tf, parameters, config);
            session.initialize();
            parameters.load(session, weights);
            SavedModelBundle.exporter(savedModelDir.toString())
                    .withSession(session)
                    .withSignatures(signatures(model).toArray(Signature[]::new))
                    .export();
        }
    }

    static List<Signature> signatures(DenoisingGraph model) {
        List<Signature> signatures = new ArrayList<>();
        if (model.tokens() != null) {
            signatures.add(Signature.builder(ModelInputs.ENCODE_TEXT)
                    .input(ModelInputs.TOKENS, model.tokens())
                    .output(ModelInputs.TEXT_EMBEDDING, model.textOutput())
                    .build());
        }
        Signature.Builder denoise = Signature.builder(ModelInputs.DENOISE)
                .input(ModelInputs.SAMPLE, model.sample())
                .input(ModelInputs.TIMESTEP, model.timestep());
        if (model.textEmbedding() != null) {
            denoise.input(ModelInputs.TEXT_EMBEDDING, model.textEmbedding());
        }
        if (model.lowRes() != null) {
            denoise.input(ModelInputs.LOW_RES, model.lowRes());
        }
        if (model.augmentationLevel() != null) {
            denoise.input(ModelInputs.AUG_LEVEL, model.augmentationLevel());
        }
        signatures.add(denoise.output(ModelInputs.OUTPUT, model.output()).build());
        return signatures;
    }
}
