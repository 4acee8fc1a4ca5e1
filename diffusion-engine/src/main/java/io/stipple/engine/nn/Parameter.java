package io.stipple.engine.nn;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One trainable weight of a network graph.
 *
 * @param name unique graph name, also the key in checkpoints and exported models (no {@code /})
 * @param variable the graph variable holding the current value
 * @param initialValue the operand that initialises it, reused to initialise optimizer and EMA slots
 * @param trainable whether optimizers update it (false for frozen base weights when fine-tuning)
 */
public record Parameter(String name, Variable<TFloat32> variable, Operand<TFloat32> initialValue, boolean trainable) {

    public Shape shape() {
        return initialValue.shape();
    }

    public long size() {
        return shape().size();
    }
}
