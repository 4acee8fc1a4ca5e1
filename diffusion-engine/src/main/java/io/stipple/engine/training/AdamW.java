package io.stipple.engine.training;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * AdamW (Loshchilov and Hutter 2019) as graph ops, written out as {@code torch.optim.AdamW}'s
 * single-tensor step computes it rather than with TensorFlow's {@code ApplyAdam}, which adds
 * epsilon to sqrt(v) before the bias correction (a different update whenever |g| is near epsilon,
 * as it is for many LoRA gradients):
 *
 * <pre>
 *   p = p * (1 - lr * wd)                        decoupled weight decay, first
 *   m = m + (1 - b1) (g - m)                     torch's lerp
 *   v = v * b2 + (1 - b2) g^2
 *   p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 *
 * The three step-dependent factors are fed per step (computed in double as torch computes its
 * Python scalars), so a resumed run takes exactly the updates of an uninterrupted one. The slots
 * are variables named {@code <param>_adamw_m} / {@code _adamw_v}, so checkpoints carry them.
 * Every update waits for every gradient: no update can change a weight that a gradient still
 * reads.
 */
public final class AdamW {

    private final AdamWConfig config;
    private final Placeholder<TFloat32> decay;
    private final Placeholder<TFloat32> stepSize;
    private final Placeholder<TFloat32> secondMomentCorrection;
    private final List<Op> updates = new ArrayList<>();

    /**
     * @param names     one name per parameter, for its slot variables
     * @param gradients one gradient per parameter, already clipped if clipping is wanted
     */
    public AdamW(Ops tf, AdamWConfig config, List<Variable<TFloat32>> parameters, List<String> names,
            List<Operand<TFloat32>> gradients) {
        if (parameters.size() != gradients.size() || parameters.size() != names.size()) {
            throw new IllegalArgumentException(parameters.size() + " parameters, " + names.size() + " names and "
                    + gradients.size() + " gradients");
        }
        this.config = config;
        this.decay = tf.withName("adamw_decay").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        this.stepSize = tf.withName("adamw_step_size").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        this.secondMomentCorrection = tf.withName("adamw_bias_correction2_sqrt").placeholder(TFloat32.class,
                Placeholder.shape(Shape.scalar()));
        Operand<TFloat32> oneMinusBeta1 = tf.constant((float) (1 - config.beta1()));
        Operand<TFloat32> beta2 = tf.constant((float) config.beta2());
        Operand<TFloat32> oneMinusBeta2 = tf.constant((float) (1 - config.beta2()));
        Operand<TFloat32> epsilon = tf.constant((float) config.epsilon());
        List<Variable<TFloat32>> firstMoments = new ArrayList<>();
        List<Variable<TFloat32>> secondMoments = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Operand<TFloat32> zeros = tf.fill(tf.constant(parameters.get(i).shape().asArray()), tf.constant(0f));
            firstMoments.add(tf.withName(names.get(i) + "_adamw_m").variable(zeros));
            secondMoments.add(tf.withName(names.get(i) + "_adamw_v").variable(zeros));
        }
        List<Op> gradientsReady = new ArrayList<>();
        gradients.forEach(g -> gradientsReady.add(tf.identity(g)));
        Ops gated = tf.withControlDependencies(gradientsReady);
        for (int i = 0; i < parameters.size(); i++) {
            Variable<TFloat32> p = parameters.get(i);
            Variable<TFloat32> m = firstMoments.get(i);
            Variable<TFloat32> v = secondMoments.get(i);
            Operand<TFloat32> g = gradients.get(i);
            Operand<TFloat32> newM = gated.assign(m, gated.math.add(m, gated.math.mul(oneMinusBeta1, gated.math.sub(g, m))));
            Operand<TFloat32> newV = gated.assign(v,
                    gated.math.add(gated.math.mul(v, beta2), gated.math.mul(gated.math.mul(oneMinusBeta2, g), g)));
            Operand<TFloat32> denominator = gated.math.add(
                    gated.math.div(gated.math.sqrt(newV), secondMomentCorrection), epsilon);
            Operand<TFloat32> decayed = gated.math.mul(p, decay);
            updates.add(gated.assign(p, gated.math.sub(decayed,
                    gated.math.mul(stepSize, gated.math.div(newM, denominator)))));
        }
    }

    /** The ops that make one update; run them in the step's session run. */
    public List<Op> updates() {
        return updates;
    }

    /** Adds the feeds for the update made at 0-based {@code step} (torch's step t = step + 1); close the result after the run. */
    public StepFeeds feed(Session.Runner runner, long step) {
        double t = step + 1;
        double lr = config.learningRate();
        StepFeeds feeds = new StepFeeds(
                TFloat32.scalarOf((float) (1 - lr * config.weightDecay())),
                TFloat32.scalarOf((float) (lr / (1 - Math.pow(config.beta1(), t)))),
                TFloat32.scalarOf((float) Math.sqrt(1 - Math.pow(config.beta2(), t))));
        runner.feed(decay, feeds.decay).feed(stepSize, feeds.stepSize).feed(secondMomentCorrection, feeds.correction);
        return feeds;
    }

    /** The scalar tensors one update was fed. */
    public record StepFeeds(TFloat32 decay, TFloat32 stepSize, TFloat32 correction) implements AutoCloseable {
        @Override
        public void close() {
            decay.close();
            stepSize.close();
            correction.close();
        }
    }

    public AdamWConfig config() {
        return config;
    }
}
