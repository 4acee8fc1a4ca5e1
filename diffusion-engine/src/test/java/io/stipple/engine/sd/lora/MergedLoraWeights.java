package io.stipple.engine.sd.lora;

import io.stipple.engine.weights.TensorInfo;
import io.stipple.engine.weights.WeightSource;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A component's base weights with a LoRA's closed-form update merged in, W + scale (alpha / rank)
 * up @ down (summed in double): the reference the branches are compared with.
 */
final class MergedLoraWeights implements WeightSource {

    private final WeightSource base;
    private final LoraFile lora;
    private final double scale;
    private final Map<String, LoraLayer> byWeight;

    MergedLoraWeights(WeightSource base, String component, LoraFile lora, double scale) {
        this.base = base;
        this.lora = lora;
        this.scale = scale;
        this.byWeight = lora.layers().stream().filter(l -> l.component().equals(component))
                .collect(Collectors.toMap(LoraLayer::baseWeight, l -> l));
    }

    /** The module keys of every 2-D weight of a component: its linear layers. */
    static Set<String> linearModules(WeightSource weights) {
        return weights.names().stream().filter(n -> n.endsWith(".weight") && weights.info(n).shape().length == 2)
                .map(n -> n.substring(0, n.length() - ".weight".length())).collect(Collectors.toSet());
    }

    @Override
    public Set<String> names() {
        return base.names();
    }

    @Override
    public TensorInfo info(String name) {
        return base.info(name);
    }

    @Override
    public float[] floats(String name) {
        float[] w = base.floats(name);
        LoraLayer layer = byWeight.get(name);
        if (layer == null) {
            return w;
        }
        float[] down = lora.down(layer);
        float[] up = lora.up(layer);
        int out = (int) layer.upShape()[0];
        int in = (int) layer.downShape()[1];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double sum = 0;
                for (int r = 0; r < layer.rank(); r++) {
                    sum += (double) up[o * layer.rank() + r] * down[r * in + i];
                }
                w[o * in + i] += (float) (scale * layer.fileScale() * sum);
            }
        }
        return w;
    }

    @Override
    public void close() {
        // the base belongs to the caller
    }
}
