package io.stipple.engine.sd.nn;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adds something to a linear layer's output while the network is built, keeping the base weight
 * shared: a LoRA branch ({@code sd.lora.LoraBranches}). {@link TorchLayers#linear} asks the
 * {@link TorchWeights}' adapter for every layer; {@link #NONE} adds no op at all.
 */
@FunctionalInterface
public interface LinearAdapter {

    /** Adapts nothing: the graph is exactly the one built without adapters. */
    LinearAdapter NONE = (tf, key, x, y, in, out) -> y;

    /**
     * @param key the layer's module key ({@code text_model.encoder.layers.0.self_attn.q_proj})
     * @param x   the layer's input, {@code [N, in]}
     * @param y   the base layer's output {@code x W^T}, {@code [N, out]}, before the bias
     * @return {@code y} plus this layer's update, or {@code y} itself when the layer is not adapted
     */
    Operand<TFloat32> adapt(Ops tf, String key, Operand<TFloat32> x, Operand<TFloat32> y, long in, long out);
}
