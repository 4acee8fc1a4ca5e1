package io.stipple.engine.training;

import io.stipple.engine.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Shadow copies of the weights, updated after each optimizer step as
 * shadow -= (1 - decay) * (shadow - weight). Shadows are ordinary variables named
 * {@code <param>_ema}, so checkpoints carry them; exported models use them.
 */
final class ExponentialMovingAverage {

    private final Placeholder<TFloat32> decay;
    private final Map<String, Variable<TFloat32>> shadows = new LinkedHashMap<>();
    private final List<Op> updates = new ArrayList<>();
    private final List<Op> resets = new ArrayList<>();

    /** Builds the updates so that they run after {@code after} (the optimizer's updates). */
    ExponentialMovingAverage(Ops tf, List<Parameter> parameters, List<Op> after) {
        this.decay = tf.withName("ema_decay").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        Ops afterUpdates = tf.withControlDependencies(after);
        Operand<TFloat32> rate = tf.math.sub(tf.constant(1f), decay);
        for (Parameter parameter : parameters) {
            var shadow = tf.withName(parameter.name() + "_ema").variable(parameter.initialValue());
            shadows.put(parameter.name(), shadow);
            Operand<TFloat32> difference = afterUpdates.math.sub(shadow, parameter.variable());
            updates.add(tf.assignSub(shadow, tf.math.mul(difference, rate)));
            resets.add(tf.assign(shadow, parameter.variable()));
        }
    }

    Placeholder<TFloat32> decay() {
        return decay;
    }

    List<Op> updates() {
        return updates;
    }

    /** Ops that set every shadow to its weight's current value (after loading pretrained weights). */
    List<Op> resets() {
        return resets;
    }

    Map<String, Variable<TFloat32>> shadows() {
        return shadows;
    }
}
