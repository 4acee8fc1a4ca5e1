package io.stipple.engine.sd.unet;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.sd.lora.LoraBranches;
import io.stipple.engine.sd.nn.ComponentGraph;
import io.stipple.engine.sd.nn.ConvolutionKernel;
import io.stipple.engine.sd.nn.LinearAdapter;
import io.stipple.engine.sd.nn.TensorBridge;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.tensorflow.Result;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * A loaded {@link UNet2DCondition} with its session, as the engine's {@link Denoiser}: noisy
 * latents, timesteps and the text encoder's states ({@link #ENCODER_HIDDEN_STATES}) in, the
 * network's prediction out. One graph serves every batch and size.
 */
public final class UNetDenoiser implements Denoiser, AutoCloseable {

    /** The conditioning input: the text encoder's states {@code [B, L, cross_attention_dim]}. */
    public static final String ENCODER_HIDDEN_STATES = "encoder_hidden_states";

    private final UNetConfig config;
    private final ComponentGraph<UNetGraph> component;

    private UNetDenoiser(UNetConfig config, WeightSource weights, LinearAdapter adapter, ConfigProto sessionConfig) {
        this.config = config;
        this.component = ComponentGraph.load("unet.", Set.of(), weights, sessionConfig, (tf, w) -> {
            w.adaptLinears(adapter);
            w.convolveWith(ConvolutionKernel.PATCH_MATMUL); // sampling only: never differentiated
            return UNetGraph.build(tf, w, config);
        });
    }

    /**
     * Builds the U-Net of {@code config} over {@code weights} (diffusers names, from a folder or a
     * single file), its linear layers passing through {@code adapter} (LoRA branches; {@link LinearAdapter#NONE}).
     *
     * @param sessionConfig thread pools; null for {@code nn.Sessions}' defaults
     */
    public static UNetDenoiser build(UNetConfig config, WeightSource weights, LinearAdapter adapter,
            ConfigProto sessionConfig) {
        return new UNetDenoiser(config, weights, adapter, sessionConfig);
    }

    /** Builds the U-Net of a diffusers {@code unet/} folder ({@code config.json} and its safetensors weights). */
    public static UNetDenoiser load(Path folder) throws IOException {
        return load(folder, null);
    }

    /** As {@link #load(Path)} with the session's settings (thread pools); null for {@code nn.Sessions}' defaults. */
    public static UNetDenoiser load(Path folder, ConfigProto sessionConfig) throws IOException {
        UNetConfig config = UNetConfigReader.read(folder.resolve("config.json"));
        try (WeightSource weights = WeightSources.openComponent(folder)) {
            return new UNetDenoiser(config, weights, LinearAdapter.NONE, sessionConfig);
        }
    }

    public UNetConfig config() {
        return config;
    }

    @Override
    public float[] predict(Tensor sample, float[] timesteps, Conditioning conditioning) {
        return predict(sample, timesteps, conditioning, LoraBranches.Feeds.NONE);
    }

    /** As {@link #predict(Tensor, float[], Conditioning)} with LoRA branch feeds added to the run. */
    public float[] predict(Tensor sample, float[] timesteps, Conditioning conditioning, LoraBranches.Feeds loras) {
        UNetGraph unet = component.handles();
        try (TFloat32 x = TensorBridge.toTensorFlow(sample); TFloat32 t = TFloat32.vectorOf(timesteps);
                TFloat32 context = TensorBridge.toTensorFlow(conditioning.get(ENCODER_HIDDEN_STATES));
                Result result = loras.feed(component.session().runner().feed(unet.sample(), x).feed(unet.timestep(), t)
                        .feed(unet.context(), context).fetch(unet.outputs().output())).run()) {
            return TensorBridge.fromTensorFlow(result.get(0)).data();
        }
    }

    @Override
    public void close() {
        component.close();
    }
}
