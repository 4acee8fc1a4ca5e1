package io.stipple.engine.sd.unet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The U-Net's prediction and, for parity tests and debugging, the output of each of its diffusers
 * modules by module path ({@code time_proj}, {@code conv_in}, {@code down_blocks.0.resnets.0},
 * {@code down_blocks.0.attentions.0.transformer_blocks.0.attn1}, {@code mid_block}, {@code up_blocks.1}...).
 * Image-shaped outputs are NHWC; token-shaped ones [B, H*W, C] as in diffusers.
 *
 * @param output the prediction, shaped like the sample
 * @param probes module outputs in the order they are computed
 */
public record UNetOutputs(Operand<TFloat32> output, Map<String, Operand<TFloat32>> probes) {

    public UNetOutputs {
        probes = Collections.unmodifiableMap(new LinkedHashMap<>(probes));
    }

    /** One module's output; fails naming the module when the graph has none of that path. */
    public Operand<TFloat32> probe(String modulePath) {
        Operand<TFloat32> probe = probes.get(modulePath);
        if (probe == null) {
            throw new IllegalArgumentException("the U-Net has no module " + modulePath);
        }
        return probe;
    }
}
