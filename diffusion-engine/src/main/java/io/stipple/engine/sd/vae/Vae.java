package io.stipple.engine.sd.vae;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.sd.nn.ComponentGraph;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A loaded {@link AutoencoderKL}: one graph, with inputs of unknown batch and size, and its
 * session, so images of any size (multiples of {@link AutoencoderKLConfig#downscale()}) share one
 * set of weights. Safe to call from several threads.
 *
 * <p>{@link #toLatents} and {@link #toImages} work in the scaled latent space the denoiser
 * samples in ((mean - shift) x scaling_factor, as diffusers' pipelines); {@link #encode} and
 * {@link #decode} are the raw network.
 */
public final class Vae implements AutoCloseable {

    /** The encoder's Gaussian for a batch of images, unscaled. */
    public record Encoded(Tensor mean, Tensor logVariance) {
    }

    private final AutoencoderKLConfig config;
    private final ComponentGraph<Handles> component;

    /** Encoder and decoder over one set of weights. */
    private record Handles(Placeholder<TFloat32> images, AutoencoderKL.LatentDistribution distribution,
            Placeholder<TFloat32> latents, Operand<TFloat32> decoded) {
    }

    private Vae(AutoencoderKLConfig config, WeightSource weights, ConfigProto sessionConfig) {
        this.config = config;
        this.component = ComponentGraph.load("vae.", Set.of(), weights, sessionConfig, (tf, w) -> {
            var images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, config.inChannels())));
            var latents = tf.placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, -1, -1, config.latentChannels())));
            return new Handles(images, AutoencoderKL.encode(tf, w, config, images), latents,
                    AutoencoderKL.decode(tf, w, config, latents));
        });
    }

    /** Builds the VAE of a diffusers {@code vae/} folder ({@code config.json} and its safetensors weights). */
    public static Vae load(Path folder) throws IOException {
        return load(folder, null);
    }

    /** As {@link #load(Path)} with the session's settings (thread pools); null for {@code nn.Sessions}' defaults. */
    public static Vae load(Path folder, ConfigProto sessionConfig) throws IOException {
        AutoencoderKLConfig config = AutoencoderKLConfig.read(folder.resolve("config.json"));
        try (WeightSource weights = WeightSources.openComponent(folder)) {
            return new Vae(config, weights, sessionConfig);
        }
    }

    /**
     * Builds the autoencoder of {@code config} over {@code weights} (diffusers names, from a folder
     * or a single file).
     *
     * @param sessionConfig thread pools; null for {@code nn.Sessions}' defaults
     */
    public static Vae build(AutoencoderKLConfig config, WeightSource weights, ConfigProto sessionConfig) {
        return new Vae(config, weights, sessionConfig);
    }

    public AutoencoderKLConfig config() {
        return config;
    }

    /** Images [B, H, W, 3] in [-1, 1] to the latents a pipeline starts image-to-image from: the mean, shifted and scaled. */
    public Tensor toLatents(Tensor images) {
        requireImageSize(images);
        Tensor unscaled = run(component.handles().images(), images, component.handles().distribution().mean());
        float[] values = unscaled.data();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((values[i] - config.shiftFactor()) * config.scalingFactor());
        }
        return unscaled.withData(values);
    }

    /** Scaled latents (what the denoiser samples) to images [B, 8h, 8w, 3], about [-1, 1], not clamped. */
    public Tensor toImages(Tensor latents) {
        requireChannels(latents, config.latentChannels(), "latents");
        float[] values = latents.data().clone();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] / config.scalingFactor() + config.shiftFactor());
        }
        return decode(latents.withData(values));
    }

    /** The raw encoder: unscaled mean and clamped log-variance. */
    public Encoded encode(Tensor images) {
        requireImageSize(images);
        Handles h = component.handles();
        try (TFloat32 input = TensorBridge.toTensorFlow(images);
                Result result = component.session().runner().feed(h.images(), input).fetch(h.distribution().mean())
                        .fetch(h.distribution().logVariance()).run()) {
            return new Encoded(TensorBridge.fromTensorFlow(result.get(0)), TensorBridge.fromTensorFlow(result.get(1)));
        }
    }

    /** The raw decoder of unscaled latents. */
    public Tensor decode(Tensor latents) {
        requireChannels(latents, config.latentChannels(), "latents");
        return run(component.handles().latents(), latents, component.handles().decoded());
    }

    private Tensor run(Placeholder<TFloat32> input, Tensor value, Operand<TFloat32> output) {
        try (TFloat32 fed = TensorBridge.toTensorFlow(value);
                Result result = component.session().runner().feed(input, fed).fetch(output).run()) {
            return TensorBridge.fromTensorFlow(result.get(0));
        }
    }

    private void requireImageSize(Tensor images) {
        requireChannels(images, config.inChannels(), "images");
        int factor = config.downscale();
        int height = images.shape()[1];
        int width = images.shape()[2];
        if (height % factor != 0 || width % factor != 0 || height == 0 || width == 0) {
            throw new IllegalArgumentException("image size " + width + "x" + height + " is not a positive multiple of "
                    + factor + " (the VAE's downscale factor)");
        }
    }

    private static void requireChannels(Tensor tensor, int channels, String what) {
        int[] shape = tensor.shape();
        if (shape.length != 4 || shape[3] != channels) {
            throw new IllegalArgumentException(what + " must be [batch, height, width, " + channels + "], not "
                    + java.util.Arrays.toString(shape));
        }
    }

    @Override
    public void close() {
        component.close();
    }
}
