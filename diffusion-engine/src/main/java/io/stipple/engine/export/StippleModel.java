package io.stipple.engine.export;

import io.stipple.engine.model.SuperResolutionSpec;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.model.ImageSizes;
import io.stipple.engine.model.ModelDefaults;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.model.ModelIdentity;
import io.stipple.engine.model.PromptEncoder;
import io.stipple.engine.model.SampleCodec;
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
import java.util.Optional;
import io.stipple.engine.nn.LowRankAdapters;
import io.stipple.engine.nn.Parameters;
import io.stipple.engine.unet.DenoisingGraph;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.op.Ops;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
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
 * denoiser, the prompt encoder (tokenizer + {@code encode_text}) and the scheduler config. The
 * Stipple family of {@link DiffusionModel}: pixel space (identity codec), one native image size.
 * Pipelines hold it as a {@code DiffusionModel}; what only this family has (the card, the
 * SavedModel's session and graph, weights to fine-tune, LoRA versions) stays on this class.
 */
public final class StippleModel implements DiffusionModel {

    public static final String SAVED_MODEL_DIR = "saved_model";
    /** The weights file of a LoRA version (docs/model-format.md). */
    public static final String ADAPTERS_FILE = "adapters.safetensors";

    private static final AtomicLong ADAPTED = new AtomicLong();

    private final ModelCard card;
    private final Tokenizer tokenizer;
    private final SavedModelBundle bundle;
    private final boolean adapted;
    private final SavedModelDenoiser denoiser;
    private final SessionFunction encodeText;
    private final AutoCloseable onClose;
    private final PromptEncoder prompts;
    private final SampleCodec codec;

    private StippleModel(ModelCard card, SavedModelBundle bundle, Map<String, Signature> signatures, boolean adapted,
            String path, AutoCloseable onClose) {
        this.card = card;
        this.bundle = bundle;
        this.adapted = adapted;
        this.onClose = onClose;
        this.denoiser = new SavedModelDenoiser(signatures, bundle.session(), null, path);
        if (card.superResolution() != null) {
            SuperResolutionSignature.validate(card.superResolution(), denoiser, path);
        } else if (denoiser.conditioningInputs().contains(ModelInputs.LOW_RES)) {
            throw new ModelFormatException("SavedModel " + path + " takes 'low_res' (a super-resolution stage) but its"
                    + " model card has no super_resolution section (input_size, output_size, upsampling, ...);"
                    + " see docs/model-format.md");
        }
        if (denoiser.conditioningInputs().contains(ModelInputs.TEXT_EMBEDDING)) {
            SignatureCheck check = SignatureCheck.of(signatures, ModelInputs.ENCODE_TEXT, path);
            Shape tokens = check.input(ModelInputs.TOKENS, DataType.DT_INT32, 2);
            check.output(ModelInputs.TEXT_EMBEDDING, DataType.DT_FLOAT, 3);
            if (card.tokenizer() == null || tokens.get(1) != card.tokenizer().maxLength()) {
                throw new ModelFormatException("encode_text takes " + tokens.get(1)
                        + " tokens but the model card's tokenizer does not say so");
            }
            this.tokenizer = new Tokenizer(Vocabulary.of(card.tokenizer().vocabulary()), card.tokenizer().maxLength());
            this.encodeText = SessionFunction.create(check.signature(), bundle.session());
        } else {
            this.tokenizer = null;
            this.encodeText = null;
        }
        this.prompts = textConditioned() ? new StipplePrompts() : PromptEncoder.none();
        this.codec = SampleCodec.identity(denoiser.sampleShape()[2]);
    }

    /** Loads a model folder holding a complete SavedModel (not a LoRA version: see {@link #withAdapters}). */
    public static StippleModel load(Path modelDir) throws IOException {
        return load(modelDir, null);
    }

    /**
     * @param sessionConfig the session's settings (thread pools, see {@code nn.Sessions#config(int, int)});
     *                      null for TensorFlow's defaults
     */
    public static StippleModel load(Path modelDir, ConfigProto sessionConfig) throws IOException {
        ModelCard card = ModelCards.read(modelDir);
        if (card.fineTune() != null && card.fineTune().isLora()) {
            throw new ModelFormatException(modelDir + " holds LoRA adapters over " + card.fineTune().baseModel()
                    + ", not a SavedModel: load the base and apply them with StippleModel.withAdapters");
        }
        Path savedModel = modelDir.resolve(SAVED_MODEL_DIR);
        if (!Files.isDirectory(savedModel)) {
            throw new ModelFormatException(modelDir + " has no " + SAVED_MODEL_DIR + "/ directory");
        }
        SavedModelBundle.Loader loader = SavedModelBundle.loader(savedModel.toString())
                .withTags(SavedModelBundle.DEFAULT_TAG);
        SavedModelBundle bundle = (sessionConfig == null ? loader : loader.withConfigProto(sessionConfig)).load();
        try {
            return new StippleModel(card, bundle, SavedModelDenoiser.signatures(bundle), false, savedModel.toString(),
                    bundle);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /**
     * Loads any model folder: a complete model directly, a LoRA version over its base, which is
     * looked up as {@code modelsRoot/<name>/<version>} and closed with the returned model.
     */
    public static StippleModel open(Path modelDir, Path modelsRoot) throws IOException {
        ModelCard card = ModelCards.read(modelDir);
        if (card.fineTune() == null || !card.fineTune().isLora()) {
            return load(modelDir);
        }
        String[] ref = card.fineTune().baseModel().split("@", 2);
        StippleModel base = load(modelsRoot.resolve(ref[0]).resolve(ref[1]));
        try {
            return withAdapters(base, modelDir, base);
        } catch (IOException | RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /**
     * A LoRA version (card + {@code adapters.safetensors}) applied over its already loaded base,
     * without copying the base's weights: a second forward pass is added to the base's own graph,
     * reading the base's variables and adding (alpha / r) x A B from adapter constants (a few KB)
     * at each adapted layer, and runs in the base's session. Closing the result leaves the base
     * open (the caller owns it and must keep it open while the result is in use); the added ops
     * stay in the base's graph until the base is closed.
     */
    public static StippleModel withAdapters(StippleModel base, Path loraDir) throws IOException {
        return withAdapters(base, loraDir, () -> { });
    }

    private static StippleModel withAdapters(StippleModel base, Path loraDir, AutoCloseable onClose) throws IOException {
        ModelCard card = ModelCards.read(loraDir);
        ModelCard.FineTune fineTune = card.fineTune();
        if (fineTune == null || !fineTune.isLora() || fineTune.lora() == null) {
            throw new ModelFormatException(loraDir + " is not a LoRA version (model_card.json fine_tune.method)");
        }
        String baseRef = base.card().name() + "@" + base.card().version();
        if (!fineTune.baseModel().equals(baseRef)) {
            throw new ModelFormatException(loraDir + " adapts " + fineTune.baseModel() + ", not " + baseRef);
        }
        if (base.adapted) {
            throw new ModelFormatException("LoRA adapters apply to a complete model, not to another LoRA version");
        }
        LowRankAdapters adapters = new LowRankAdapters(fineTune.lora().rank(), fineTune.lora().alpha(),
                Pattern.compile(fineTune.lora().target()));
        Map<String, TFloat32> adapterWeights = SafeTensors.read(loraDir.resolve(ADAPTERS_FILE));
        try {
            Graph graph = base.bundle.graph();
            Ops tf = Ops.create(graph).withSubScope("lora" + ADAPTED.incrementAndGet());
            Set<String> used = new HashSet<>();
            Parameters bound = Parameters.bound(tf, adapters, name -> {
                if (LowRankAdapters.isAdapterWeight(name)) {
                    TFloat32 value = adapterWeights.get(name);
                    if (value == null) {
                        throw new ModelFormatException(loraDir + " lacks the adapter weight " + name);
                    }
                    used.add(name);
                    return tf.constantOf(value);
                }
                GraphOperation variable = graph.operation(name);
                if (variable == null) {
                    throw new ModelFormatException("the base " + baseRef + " has no weight " + name);
                }
                return tf.identity(variable.<TFloat32>output(0));
            });
            DenoisingGraph model = DenoisingGraph.forInference(tf, bound, card.architecture());
            Set<String> unused = new TreeSet<>(adapterWeights.keySet());
            unused.removeAll(used);
            if (!unused.isEmpty()) {
                throw new ModelFormatException(loraDir + " has adapter weights no layer takes: " + unused);
            }
            Map<String, Signature> signatures = new LinkedHashMap<>();
            ModelExporter.signatures(model).forEach(signature -> signatures.put(signature.key(), signature));
            return new StippleModel(card, base.bundle, signatures, true, loraDir.toString(), onClose);
        } finally {
            adapterWeights.values().forEach(TFloat32::close);
        }
    }

    /**
     * The exported weights by parameter name, read from the SavedModel's variables (to fine-tune
     * from this model); the caller closes them.
     */
    public Map<String, TFloat32> weights() {
        if (adapted) {
            throw new IllegalStateException(card.name() + "@" + card.version()
                    + " is a LoRA version; fine-tune its base " + card.fineTune().baseModel() + " instead");
        }
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

    @Override
    public ModelIdentity identity() {
        return new ModelIdentity(ModelFamily.STIPPLE, card.name(), card.version());
    }

    /** The card's sampling defaults at the network's one resolution. */
    @Override
    public ModelDefaults defaults() {
        ModelCard.SamplingDefaults d = card.defaults();
        return d == null ? new ModelDefaults(nativeSize(), null, 0, 1)
                : new ModelDefaults(nativeSize(), d.sampler(), d.steps(), d.guidanceScale());
    }

    private ImageSize nativeSize() {
        int[] shape = denoiser.sampleShape();
        return new ImageSize(shape[1], shape[0]);
    }

    @Override
    public PromptEncoder prompts() {
        return prompts;
    }

    @Override
    public SavedModelDenoiser denoiser() {
        return denoiser;
    }

    /** Pixel space: samples are the images. */
    @Override
    public SampleCodec codec() {
        return codec;
    }

    /** Only the resolution the network was exported at. */
    @Override
    public ImageSizes imageSizes() {
        return ImageSizes.exactly(nativeSize());
    }

    @Override
    public SchedulerConfig schedulerConfig() {
        return SchedulerConfigs.fromJson(card.scheduler().toString());
    }

    @Override
    public Optional<SuperResolutionSpec> superResolution() {
        return Optional.ofNullable(card.superResolution());
    }

    @Override
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

    /** Whether this is a LoRA version running over a shared base. */
    public boolean adapted() {
        return adapted;
    }

    /** The closed vocabulary's tokenizer and {@code encode_text}. */
    private final class StipplePrompts implements PromptEncoder {

        @Override
        public boolean textConditioned() {
            return true;
        }

        @Override
        public Conditioning encode(List<String> prompts) {
            return conditioning(prompts);
        }

        @Override
        public List<String> unknownWords(String prompt) {
            return tokenizer().unknownWords(prompt);
        }
    }

    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing model " + card.name() + "@" + card.version() + " failed", e);
        }
    }
}
