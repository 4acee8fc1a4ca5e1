package io.stipple.engine.export;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.text.Tokenizer;
import io.stipple.engine.text.Vocabulary;
import io.stipple.engine.unet.ModelInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A model folder ({@code model_card.json} + {@code saved_model/}) loaded for sampling: the
 * denoiser, the prompt encoder (tokenizer + {@code encode_text}) and the scheduler config.
 */
public final class StippleModel implements AutoCloseable {

    public static final String SAVED_MODEL_DIR = "saved_model";

    private final ModelCard card;
    private final Tokenizer tokenizer;
    private final SavedModelBundle bundle;
    private final SavedModelDenoiser denoiser;
    private final SessionFunction encodeText;

    private StippleModel(ModelCard card, SavedModelBundle bundle, String path) {
        this.card = card;
        this.bundle = bundle;
        this.denoiser = new SavedModelDenoiser(bundle, false, path);
        if (card.superResolution() != null) {
            card.superResolution().validate(denoiser, path);
        } else if (denoiser.conditioningInputs().contains(ModelInputs.LOW_RES)) {
            throw new ModelFormatException("SavedModel " + path + " takes 'low_res' (a super-resolution stage) but its"
                    + " model card has no super_resolution section (input_size, output_size, upsampling, ...);"
                    + " see docs/model-format.md");
        }
        if (denoiser.conditioningInputs().contains(ModelInputs.TEXT_EMBEDDING)) {
            Map<String, Signature> signatures = new LinkedHashMap<>();
            bundle.signatures().forEach(s -> signatures.put(s.key(), s));
            SignatureCheck check = SignatureCheck.of(signatures, ModelInputs.ENCODE_TEXT, path);
            Shape tokens = check.input(ModelInputs.TOKENS, DataType.DT_INT32, 2);
            check.output(ModelInputs.TEXT_EMBEDDING, DataType.DT_FLOAT, 3);
            if (card.tokenizer() == null || tokens.get(1) != card.tokenizer().maxLength()) {
                throw new ModelFormatException("encode_text takes " + tokens.get(1)
                        + " tokens but the model card's tokenizer does not say so");
            }
            this.tokenizer = new Tokenizer(Vocabulary.of(card.tokenizer().vocabulary()), card.tokenizer().maxLength());
            this.encodeText = bundle.function(ModelInputs.ENCODE_TEXT);
        } else {
            this.tokenizer = null;
            this.encodeText = null;
        }
    }

    public static StippleModel load(Path modelDir) throws IOException {
        return load(modelDir, null);
    }

    /**
     * @param sessionConfig the session's settings (thread pools, see {@code nn.Sessions#config(int, int)});
     *                      null for TensorFlow's defaults
     */
    public static StippleModel load(Path modelDir, ConfigProto sessionConfig) throws IOException {
        ModelCard card = ModelCards.read(modelDir);
        Path savedModel = modelDir.resolve(SAVED_MODEL_DIR);
        if (!Files.isDirectory(savedModel)) {
            throw new ModelFormatException(modelDir + " has no " + SAVED_MODEL_DIR + "/ directory");
        }
        SavedModelBundle.Loader loader = SavedModelBundle.loader(savedModel.toString())
                .withTags(SavedModelBundle.DEFAULT_TAG);
        SavedModelBundle bundle = (sessionConfig == null ? loader : loader.withConfigProto(sessionConfig)).load();
        try {
            return new StippleModel(card, bundle, savedModel.toString());
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /**
     * The exported weights by parameter name, read from the SavedModel's variables (to fine-tune
     * from this model); the caller closes them.
     */
    public Map<String, TFloat32> weights() {
        List<String> names = new ArrayList<>();
        bundle.graph().operations().forEachRemaining(op -> {
            if (op.type().equals("VariableV2")) {
                names.add(op.name());
            }
        });
        Session.Runner runner = bundle.session().runner();
        names.forEach(runner::fetch);
        Result result = runner.run();
        Map<String, TFloat32> weights = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            weights.put(names.get(i), (TFloat32) result.get(i));
        }
        return weights;
    }

    /** The SavedModel's graph as exported (to count the forward pass's FLOPs). */
    public org.tensorflow.proto.MetaGraphDef metaGraph() {
        return bundle.metaGraphDef();
    }

    /** The SavedModel's session, for runs with {@code RunOptions} (tracing) that the signature functions cannot take. */
    public Session session() {
        return bundle.session();
    }

    public ModelCard card() {
        return card;
    }

    public SavedModelDenoiser denoiser() {
        return denoiser;
    }

    public SchedulerConfig schedulerConfig() {
        return SchedulerConfigs.fromJson(card.scheduler().toString());
    }

    public boolean textConditioned() {
        return encodeText != null;
    }

    public Tokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("model " + card.name() + " is not text-conditioned");
        }
        return tokenizer;
    }

    /** The {@code text_embedding} [B, L, D] of the prompts ("" is the unconditional input). */
    public Tensor encodeText(List<String> prompts) {
        Tokenizer t = tokenizer();
        int[] ids = t.encode(prompts);
        try (TInt32 tokens = TInt32.tensorOf(Shape.of(prompts.size(), t.maxLength()), DataBuffers.of(ids, true, false));
                Result result = encodeText.call(Map.of(ModelInputs.TOKENS, tokens))) {
            TFloat32 embedding = (TFloat32) result.get(ModelInputs.TEXT_EMBEDDING).orElseThrow();
            float[] values = new float[(int) embedding.size()];
            embedding.asRawTensor().data().asFloats().read(values);
            long[] dims = embedding.shape().asArray();
            return Tensor.of(values, (int) dims[0], (int) dims[1], (int) dims[2]);
        }
    }

    /** Conditioning for the prompts: the text embedding for a text model, nothing otherwise. */
    public Conditioning conditioning(List<String> prompts) {
        if (!textConditioned()) {
            return Conditioning.none(prompts.size());
        }
        return Conditioning.of(ModelInputs.TEXT_EMBEDDING, encodeText(prompts));
    }

    @Override
    public void close() {
        bundle.close();
    }
}
