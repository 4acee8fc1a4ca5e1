package io.stipple.engine.sd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.export.ModelFormatException;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.DiffusionModels;
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
import io.stipple.engine.sd.clip.ClipTextEncoder;
import io.stipple.engine.sd.unet.UNetConfig;
import io.stipple.engine.sd.unet.UNetDenoiser;
import io.stipple.engine.sd.vae.Vae;
import io.stipple.engine.text.clip.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.ConfigProto;

/**
 * Stable Diffusion 1.x / 2.x from a diffusers pipeline folder: the Stable Diffusion family of
 * {@link DiffusionModel}. CLIP tokenizer and text encoder (its last hidden state is the
 * conditioning), the U-Net as denoiser, the VAE as sample codec (latents scaled by the VAE's
 * {@code scaling_factor}), the folder's {@code scheduler/scheduler_config.json} as schedule. Each
 * network's graph takes any batch and size.
 */
public final class StableDiffusionModel implements DiffusionModel {

    /** The conditioning input of the U-Net: the text encoder's states, {@code [B, L, D]}. */
    public static final String ENCODER_HIDDEN_STATES = UNetDenoiser.ENCODER_HIDDEN_STATES;
    /** The {@code model_index.json} class this family runs. */
    public static final String PIPELINE_CLASS = "StableDiffusionPipeline";
    /** Largest side accepted: four times SD 1.5's 512 (self-attention cost grows with the square of the pixels). */
    private static final int MAX_SIDE = 2048;
    /** diffusers' StableDiffusionPipeline call defaults. */
    private static final int DEFAULT_STEPS = 50;
    private static final double DEFAULT_GUIDANCE = 7.5;

    private final ModelIdentity identity;
    private final ClipTokenizer tokenizer;
    private final SchedulerConfig schedulerConfig;
    private final ClipTextEncoder textEncoder;
    private final UNetDenoiser unet;
    private final Vae vae;
    private final int nativeSide;
    private final PromptEncoder prompts = new ClipPrompts();
    private final SampleCodec codec = new VaeCodec();

    private StableDiffusionModel(Path folder, ConfigProto sessionConfig, List<AutoCloseable> opened) throws IOException {
        this.identity = identityOf(folder);
        this.tokenizer = ClipTokenizer.load(folder.resolve("tokenizer"));
        this.schedulerConfig = SchedulerConfigs.fromFile(folder.resolve("scheduler").resolve("scheduler_config.json"));
        this.textEncoder = opened(opened, ClipTextEncoder.load(folder.resolve("text_encoder"), sessionConfig));
        this.unet = opened(opened, UNetDenoiser.load(folder.resolve("unet"), sessionConfig));
        this.vae = opened(opened, Vae.load(folder.resolve("vae"), sessionConfig));
        UNetConfig unetConfig = unet.config();
        if (unetConfig.crossAttentionDim() != textEncoder.config().hiddenSize()) {
            throw new ModelFormatException(folder + ": the U-Net attends to " + unetConfig.crossAttentionDim()
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
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            return new StableDiffusionModel(folder, sessionConfig, opened);
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void requirePipelineClass(Path folder) throws IOException {
        JsonNode index = new ObjectMapper().readTree(folder.resolve(DiffusionModels.DIFFUSERS_INDEX).toFile());
        String pipeline = index.path("_class_name").asText("");
        if (!PIPELINE_CLASS.equals(pipeline)) {
            throw new UnsupportedModelFamilyException(folder + " holds a " + (pipeline.isEmpty() ? "pipeline of no class"
                    : pipeline) + "; this engine runs " + PIPELINE_CLASS + " folders (Stable Diffusion 1.x / 2.x)");
        }
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

    /** CLIP: tokenized to the tokenizer's length, padded as the folder says; the last hidden state conditions the U-Net. */
    private final class ClipPrompts implements PromptEncoder {

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
                rows[i] = textEncoder.encode(new int[][] {ids[i]}, 0).promptEmbeddings();
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
