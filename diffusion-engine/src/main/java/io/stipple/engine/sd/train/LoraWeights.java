package io.stipple.engine.sd.train;

import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.LoraLayer;
import java.util.Collections;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The values of one component's LoRA adapters, by module path, sorted: each layer's {@code down}
 * (PEFT's A, torch {@code [rank, in]}) and {@code up} (B, {@code [out, rank]}), row-major. What
 * training starts from and what it hands back for export.
 *
 * @param spec   rank, alpha and targets
 * @param layers module path to matrices
 */
public record LoraWeights(LoraSpec spec, Map<String, Layer> layers) {

    /** One adapted linear layer {@code in -> out}. */
    public record Layer(long in, long out, float[] down, float[] up) {
        public Layer {
            if (down.length == 0 || down.length % in != 0 || up.length != out * (down.length / in)) {
                throw new IllegalArgumentException("LoRA matrices of " + down.length + " and " + up.length
                        + " values do not fit a " + in + " -> " + out + " layer");
            }
        }

        public int rank() {
            return (int) (down.length / in);
        }
    }

    public LoraWeights {
        layers = Collections.unmodifiableMap(new TreeMap<>(layers));
        for (var entry : layers.entrySet()) {
            if (entry.getValue().rank() != spec.rank()) {
                throw new IllegalArgumentException(entry.getKey() + " has rank " + entry.getValue().rank() + ", not "
                        + spec.rank());
            }
        }
    }

    /**
     * PEFT's {@code init_lora_weights="gaussian"} (what diffusers' DreamBooth-LoRA script asks for):
     * down ~ N(0, (1/r)^2), up zero, so training starts exactly at the base model. Seeded; modules
     * drawn in sorted order.
     *
     * @param shapes module path to {in, out}
     */
    public static LoraWeights gaussian(LoraSpec spec, Map<String, long[]> shapes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Layer> layers = new TreeMap<>();
        new TreeMap<>(shapes).forEach((module, inOut) -> {
            float[] down = new float[Math.toIntExact(spec.rank() * inOut[0])];
            for (int i = 0; i < down.length; i++) {
                down[i] = (float) (random.nextGaussian() / spec.rank());
            }
            layers.put(module, new Layer(inOut[0], inOut[1], down, new float[Math.toIntExact(inOut[1] * spec.rank())]));
        });
        return new LoraWeights(spec, layers);
    }

    /**
     * The layers of {@code spec.component()} in a LoRA file (a LoRA to continue training from).
     *
     * @throws IllegalArgumentException naming the layer when its rank or alpha/rank differ from {@code spec}
     */
    public static LoraWeights from(LoraFile file, LoraSpec spec) {
        Map<String, Layer> layers = new TreeMap<>();
        for (LoraLayer layer : file.layers()) {
            if (!layer.component().equals(spec.component())) {
                continue;
            }
            if (layer.rank() != spec.rank() || Math.abs(layer.fileScale() - spec.scale()) > 1e-12 * spec.scale()) {
                throw new IllegalArgumentException(file + ": " + layer + " does not match the training's rank "
                        + spec.rank() + " and alpha " + spec.alpha());
            }
            long[] down = layer.downShape();
            long[] up = layer.upShape();
            if (down.length != 2) {
                throw new IllegalArgumentException(file + ": " + layer + " is a convolution; only linear layers train");
            }
            layers.put(layer.module(), new Layer(down[1], up[0], file.down(layer), file.up(layer)));
        }
        return new LoraWeights(spec, layers);
    }

    /** Number of trainable values. */
    public long parameterCount() {
        return layers.values().stream().mapToLong(l -> l.down().length + (long) l.up().length).sum();
    }
}
