package io.stipple.engine.training;

import io.stipple.engine.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba 2015) as graph ops: one first- and second-moment slot variable per
 * parameter, named {@code <param>_adam_m} / {@code _adam_v} so checkpoints carry them. The learning
 * rate and the bias-correction powers beta^t are fed per step, which keeps warmup schedules in
 * Java and makes a resumed run take exactly the same updates.
 */
final class Adam {

    private final TrainerConfig config;
    private final Placeholder<TFloat32> learningRate;
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final List<Op> updates = new ArrayList<>();

    Adam(Ops tf, TrainerConfig config, List<Parameter> parameters, List<Operand<TFloat32>> gradients) {
        this.config = config;
        this.learningRate = tf.withName("adam_learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        this.beta1Power = tf.withName("adam_beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        this.beta2Power = tf.withName("adam_beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        Operand<TFloat32> beta1 = tf.constant(config.beta1());
        Operand<TFloat32> beta2 = tf.constant(config.beta2());
        Operand<TFloat32> epsilon = tf.constant(config.epsilon());
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = parameters.get(i);
            Operand<TFloat32> zeros = tf.fill(tf.constant(parameter.shape()), tf.constant(0f));
            var m = tf.withName(parameter.name() + "_adam_m").variable(zeros);
            var v = tf.withName(parameter.name() + "_adam_v").variable(zeros);
            updates.add(tf.train.applyAdam(parameter.variable(), m, v, beta1Power, beta2Power, learningRate,
                    beta1, beta2, epsilon, gradients.get(i)));
        }
    }

    List<Op> updates() {
        return updates;
    }

    Placeholder<TFloat32> learningRate() {
        return learningRate;
    }

    Placeholder<TFloat32> beta1Power() {
        return beta1Power;
    }

    Placeholder<TFloat32> beta2Power() {
        return beta2Power;
    }

    /** beta1^t and beta2^t for the update made at 0-based {@code step} (t = step + 1). */
    float[] betaPowers(long step) {
        return new float[] {(float) Math.pow(config.beta1(), step + 1), (float) Math.pow(config.beta2(), step + 1)};
    }
}
