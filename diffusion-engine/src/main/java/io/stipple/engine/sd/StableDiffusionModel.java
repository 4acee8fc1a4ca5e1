package io.stipple.engine.sd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.model.ImageSizes;
import io.stipple.engine.model.ModelDefaults;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.model.ModelIdentity;
import io.stipple.engine.model.PromptEncoder;
import io.stipple.engine.model.SampleCodec;
import io.stipple.engine.model.UnsupportedModelFamilyException;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.model.SharedWeightsView;
import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.sd.clip.ClipTextEncoder;
import io.stipple.engine.sd.lora.LoraBranches;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.LoraTargets;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.engine.sd.singlefile.SingleFileCheckpoint;
import io.stipple.engine.sd.singlefile.SingleFileConfigs;
import io.stipple.engine.sd.singlefile.StatedConfig;
import io.stipple.engine.sd.unet.UNetConfig;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.sd.unet.UNetDenoiser;
import io.stipple.engine.sd.vae.AutoencoderKLConfig;
import io.stipple.engine.sd.vae.Vae;
import io.stipple.engine.text.clip.ClipTokenizer;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.proto.ConfigProto;

/**
 * Stable Diffusion 1.x / 2.x from a diffusers pipeline folder or a single-file checkpoint: the Stable Diffusion family of
 * {@link DiffusionModel}. CLIP tokenizer and text encoder (its last hidden state is the
 * conditioning), the U-Net as denoiser, the VAE as sample codec (latents scaled by the VAE's
 * {@code scaling_factor}), the folder's {@code scheduler/scheduler_config.json} as schedule. Each
 * network's graph takes any batch and size. LoRA files apply through {@link #withLoras}: branches
 * on every linear layer of the text encoder and U-Net, fed per run, over the one set of base weights.
 */
public final class StableDiffusionModel implements DiffusionModel {

    /** The conditioning input of the U-Net: the text encoder's states, {@code [B, L, D]}. */
    public static final String ENCODER_HIDDEN_STATES = UNetDenoiser.ENCODER_HIDDEN_STATES;
    /** The {@code model_index.json} class this family runs. */
    public static final String PIPELINE_CLASS = "StableDiffusionPipeline";

    /** The file at the root of a diffusers pipeline folder. */
    public static final String DIFFUSERS_INDEX = "model_index.json";
    /** Largest side accepted: four times SD 1.5's 512 (self-attention cost grows with the square of the pixels). */
    private static final int MAX_SIDE = 2048;
    /** diffusers' StableDiffusionPipeline call defaults. */
    private static final int DEFAULT_STEPS = 50;
    private static final double DEFAULT_GUIDANCE = 7.5;
    private static final String SINGLE_FILE_SCHEDULER = "/sd/single-file/scheduler_config.json";

    private final ModelIdentity identity;
    private final ClipTokenizer tokenizer;
    private final String schedulerFile;
    private final SchedulerConfig schedulerConfig;
    private final ClipTextEncoder textEncoder;
    private final UNetDenoiser unet;
    private final Vae vae;
    private final LoraTargets loraTargets;
    private final LoraBranches textLoras;
    private final LoraBranches unetLoras;
    private final int nativeSide;
    private final PromptEncoder prompts = new ClipPrompts(LoraBranches.Feeds.NONE);
    private final SampleCodec codec = new VaeCodec();

    /** The three networks' configs and weights (diffusers names), from a folder or a single file. */
    private record Components(ClipTextConfig textConfig, WeightSource text, UNetConfig unetConfig, WeightSource unet,
            AutoencoderKLConfig vaeConfig, WeightSource vae) {
    }

    private StableDiffusionModel(ModelIdentity identity, ClipTokenizer tokenizer, String schedulerFile,
            Components components, ConfigProto sessionConfig, List<AutoCloseable> opened, String source) {
        this.identity = identity;
        this.tokenizer = tokenizer;
        this.schedulerFile = schedulerFile;
        this.schedulerConfig = SchedulerConfigs.fromJson(schedulerFile);
        // every linear layer gets a LoRA branch (rank 0 unless a view feeds one), so LoRAs never need another graph
        this.loraTargets = LoraTargets.of(components.unet(), components.text());
        this.textLoras = LoraBranches.onEveryLinear("text_encoder", components.text());
        this.unetLoras = LoraBranches.onEveryLinear("unet", components.unet());
        this.textEncoder = opened(opened, ClipTextEncoder.build(components.textConfig(), components.text(), textLoras,
                sessionConfig));
        this.unet = opened(opened, UNetDenoiser.build(components.unetConfig(), components.unet(), unetLoras, sessionConfig));
        this.vae = opened(opened, Vae.build(components.vaeConfig(), components.vae(), sessionConfig));
        UNetConfig unetConfig = unet.config();
        if (unetConfig.crossAttentionDim() != textEncoder.config().hiddenSize()) {
            throw new ModelFormatException(source + ": the U-Net attends to " + unetConfig.crossAttentionDim()
                    + "-wide text states but the text encoder makes " + textEncoder.config().hiddenSize());
        }
        this.nativeSide = unetConfig.sampleSize() * vae.config().downscale();
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T component) {
        opened.add(component);
        return component;
    }

    /**
     * Loads a diffusers {@code StableDiffusionPipeline} folder (SD 1.x / 2.x): each network in its
     * own graph and session.
     *
     * @param sessionConfig TensorFlow session settings; null for {@code nn.Sessions}' defaults
     */
    public static StableDiffusionModel load(Path folder, ConfigProto sessionConfig) throws IOException {
        requirePipelineClass(folder);
        ClipTokenizer tokenizer = ClipTokenizer.load(folder.resolve("tokenizer"));
        String scheduler = Files.readString(folder.resolve("scheduler").resolve("scheduler_config.json"));
        try (WeightSource text = WeightSources.openComponent(folder.resolve("text_encoder"));
                WeightSource unet = WeightSources.openComponent(folder.resolve("unet"));
                WeightSource vae = WeightSources.openComponent(folder.resolve("vae"))) {
            Components components = new Components(ClipTextConfig.read(folder.resolve("text_encoder/config.json")), text,
                    UNetConfigReader.read(folder.resolve("unet/config.json")), unet,
                    AutoencoderKLConfig.read(folder.resolve("vae/config.json")), vae);
            return build(identityOf(folder), tokenizer, scheduler, components, sessionConfig, folder.toString());
        }
    }

    /**
     * Loads a single-file checkpoint ({@code .safetensors} with the original LDM / A1111 key names,
     * fp32 or fp16; {@code sd.singlefile.SingleFileCheckpoint}): the networks' configs inferred from
     * the tensors, what no file records taken from {@code options} (prediction type, native size, the
     * tokenizer), the schedule Stable Diffusion was trained with (SD 1.5's PNDM config) predicting
     * what is stated. Inpainting checkpoints (9 input channels) are refused.
     */
    public static StableDiffusionModel loadSingleFile(Path file, SingleFileOptions options, ConfigProto sessionConfig)
            throws IOException {
        if (!Files.isDirectory(options.tokenizer())) {
            throw new ModelFormatException(file + " is a single-file checkpoint, which holds no tokenizer: state a tokenizer"
                    + " folder (vocab.json, merges.txt) or put one at " + options.tokenizer());
        }
        ClipTokenizer tokenizer = ClipTokenizer.load(options.tokenizer());
        try (SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(file)) {
            SingleFileConfigs configs = checkpoint.configs(options.stated());
            if (configs.inpainting()) {
                throw new UnsupportedModelFamilyException(file + " is an inpainting checkpoint (its U-Net takes "
                        + configs.unet().inChannels() + " input channels); this engine runs text-to-image checkpoints");
            }
            Components components = new Components(configs.textEncoder(), checkpoint.textEncoder(), configs.unet(),
                    checkpoint.unet(), configs.vae(), checkpoint.vae());
            return build(singleFileIdentity(file), tokenizer, singleFileSchedule(options.stated()), components,
                    sessionConfig, file.toString());
        }
    }

    private static StableDiffusionModel build(ModelIdentity identity, ClipTokenizer tokenizer, String scheduler,
            Components components, ConfigProto sessionConfig, String source) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            return new StableDiffusionModel(identity, tokenizer, scheduler, components, sessionConfig, opened, source);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** SD 1.5's scheduler_config.json, which every SD 1.x / 2.x checkpoint shares, predicting what is stated. */
    static String singleFileSchedule(StatedConfig stated) {
        try (InputStream in = StableDiffusionModel.class.getResourceAsStream(SINGLE_FILE_SCHEDULER)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SINGLE_FILE_SCHEDULER);
            }
            ObjectNode file = (ObjectNode) new ObjectMapper().readTree(in);
            file.put("prediction_type", stated.predictionType());
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requirePipelineClass(Path folder) throws IOException {
        JsonNode index = new ObjectMapper().readTree(folder.resolve(DIFFUSERS_INDEX).toFile());
        String pipeline = index.path("_class_name").asText("");
        if (!PIPELINE_CLASS.equals(pipeline)) {
            throw new UnsupportedModelFamilyException(folder + " holds a " + (pipeline.isEmpty() ? "pipeline of no class"
                    : pipeline) + "; this engine runs " + PIPELINE_CLASS + " folders (Stable Diffusion 1.x / 2.x)");
        }
    }

    /** A single file is named by its file name without {@code .safetensors}, its version by its folder's name. */
    private static ModelIdentity singleFileIdentity(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String name = absolute.getFileName().toString().replaceFirst("\\.safetensors$", "");
        Path parent = absolute.getParent();
        return new ModelIdentity(ModelFamily.STABLE_DIFFUSION, name,
                parent == null || parent.getFileName() == null ? "1" : parent.getFileName().toString());
    }

    /** {@code models/<name>/<version>/} as the model store lays folders out. */
    private static ModelIdentity identityOf(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        String version = absolute.getFileName().toString();
        return new ModelIdentity(ModelFamily.STABLE_DIFFUSION,
                parent == null || parent.getFileName() == null ? version : parent.getFileName().toString(), version);
    }

    @Override
    public ModelIdentity identity() {
        return identity;
    }

    /** The U-Net's native size; diffusers' pipeline defaults (50 steps, guidance 7.5) with the folder's scheduler. */
    @Override
    public ModelDefaults defaults() {
        return new ModelDefaults(ImageSize.square(nativeSide), schedulerConfig.className(), DEFAULT_STEPS,
                DEFAULT_GUIDANCE);
    }

    @Override
    public PromptEncoder prompts() {
        return prompts;
    }

    /** Checked against this model's U-Net and text encoder layers ({@link LoraFile#open}). */
    @Override
    public LoraFile openLora(Path file) throws IOException {
        return LoraFile.open(file, loraTargets);
    }

    /**
     * The LoRAs' matrices become feeds of the text encoder's and U-Net's branches for every run of
     * the view; no weight is copied and no graph built. Several LoRAs add up (their ranks stacked).
     */
    @Override
    public DiffusionModel withLoras(List<ScaledLora> loras) {
        if (loras.isEmpty()) {
            return SharedWeightsView.of(this);
        }
        LoraBranches.Feeds text = textLoras.feeds(loras);
        LoraBranches.Feeds denoising;
        try {
            denoising = unetLoras.feeds(loras);
        } catch (RuntimeException e) {
            text.close();
            throw e;
        }
        return new SharedWeightsView(this, new ClipPrompts(text),
                (sample, timesteps, conditioning) -> unet.predict(sample, timesteps, conditioning, denoising), () -> {
                    text.close();
                    denoising.close();
                });
    }

    @Override
    public Denoiser denoiser() {
        return unet;
    }

    /** The VAE: latents of a side {@code downscale} times smaller, scaled by its {@code scaling_factor}. */
    @Override
    public SampleCodec codec() {
        return codec;
    }

    @Override
    public ImageSizes imageSizes() {
        return ImageSizes.multiplesOf(vae.config().downscale(), 8 * vae.config().downscale(), MAX_SIDE);
    }

    @Override
    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /** The folder's {@code scheduler/scheduler_config.json} (a single file's: SD 1.5's, predicting what is stated). */
    @Override
    public Optional<String> schedulerFile() {
        return Optional.of(schedulerFile);
    }

    /** CLIP: tokenized to the tokenizer's length, padded as the folder says; the last hidden state conditions the U-Net. */
    private final class ClipPrompts implements PromptEncoder {

        private final LoraBranches.Feeds loras;

        ClipPrompts(LoraBranches.Feeds loras) {
            this.loras = loras;
        }

        @Override
        public boolean textConditioned() {
            return true;
        }

        @Override
        /**
         * One prompt per encoder run: TensorFlow's CPU kernels gave the text encoder's states of a
         * prompt last-bit differences with the batch around it (the U-Net and VAE gave none), and
         * an image must not depend on what it was batched with. Encoding is a small part of a run.
         */
        public Conditioning encode(List<String> prompts) {
            Tensor[] rows = new Tensor[prompts.size()];
            int[][] ids = tokenizer.encode(prompts);
            for (int i = 0; i < rows.length; i++) {
                rows[i] = textEncoder.encode(new int[][] {ids[i]}, 0, loras).promptEmbeddings();
            }
            return Conditioning.of(ENCODER_HIDDEN_STATES, Tensor.concat(rows));
        }

        /** Byte-level BPE represents every word. */
        @Override
        public List<String> unknownWords(String prompt) {
            return List.of();
        }
    }

    /** AutoencoderKL as diffusers' pipelines use it: {@code decode(z / scale + shift)}, {@code encode(x).mean * scale}. */
    private final class VaeCodec implements SampleCodec {

        @Override
        public int[] sampleShape(ImageSize size) {
            int factor = vae.config().downscale();
            return new int[] {size.height() / factor, size.width() / factor, vae.config().latentChannels()};
        }

        /** The latent distribution's mean (its mode): deterministic, so a request's start is too. */
        @Override
        public Tensor encode(Tensor images) {
            return vae.toLatents(images);
        }

        @Override
        public Tensor decode(Tensor samples) {
            return vae.toImages(samples);
        }

        /** Nearest-neighbour downsampling of the mask, as diffusers' legacy inpainting interpolates it to the latents. */
        @Override
        public Tensor maskToSamples(Tensor keepMask) {
            int[] s = keepMask.shape();
            int factor = vae.config().downscale();
            int h = s[1] / factor;
            int w = s[2] / factor;
            int c = vae.config().latentChannels();
            float[] out = new float[s[0] * h * w * c];
            for (int b = 0; b < s[0]; b++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float keep = keepMask.data()[((b * s[1] + y * factor) * s[2] + x * factor) * s[3]];
                        for (int k = 0; k < c; k++) {
                            out[((b * h + y) * w + x) * c + k] = keep;
                        }
                    }
                }
            }
            return Tensor.of(out, s[0], h, w, c);
        }

        @Override
        public boolean pixelSpace() {
            return false;
        }
    }

    @Override
    public void close() {
        closeAll(List.of(vae, unet, textEncoder));
    }

    private static void closeAll(List<AutoCloseable> components) {
        for (AutoCloseable component : components) {
            try {
                component.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a Stable Diffusion component failed", e);
            }
        }
    }
}
