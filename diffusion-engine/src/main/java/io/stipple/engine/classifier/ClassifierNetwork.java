package io.stipple.engine.classifier;

import static io.stipple.engine.nn.Layers.conv2d;
import static io.stipple.engine.nn.Layers.dense;
import static io.stipple.engine.nn.Layers.groupNorm;
import static io.stipple.engine.nn.Layers.reshape;
import static io.stipple.engine.nn.Layers.silu;

import io.stipple.engine.data.Attribute;
import io.stipple.engine.nn.Layers;
import io.stipple.engine.nn.Parameters;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The classifier graph (see {@link ClassifierConfig}), built from the shared {@code nn} layers.
 * Inputs are placeholders named {@code images} [B, R, R, 3], {@code timesteps} [B] (noise-aware
 * only) and {@code labels} [B, {@link LabelLayout#WIDTH}].
 */
public final class ClassifierNetwork {

    private static final float MAX_PERIOD = 10_000f;

    public final Placeholder<TFloat32> images;
    /** Null unless noise-aware. */
    public final Placeholder<TFloat32> timesteps;
    public final Placeholder<TFloat32> labels;
    /** Penultimate features [B, featureDim]. */
    public final Operand<TFloat32> features;
    /** Logits per attribute, in {@link Attribute} order. */
    public final List<Operand<TFloat32>> logits;
    /** log p(labelled attributes | x) per example [B]: sum(labels * log_softmax) over all heads. */
    public final Operand<TFloat32> logProb;

    public ClassifierNetwork(Ops tf, Parameters params, ClassifierConfig config) {
        int r = config.resolution();
        int[] widths = config.widths();
        images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, r, r, 3)));
        labels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, LabelLayout.WIDTH)));
        Operand<TFloat32> embedding = null;
        if (config.noiseAware()) {
            timesteps = tf.withName("timesteps").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            embedding = silu(tf, dense(tf, params, "cls_time",
                    Layers.sinusoidalEmbedding(tf, timesteps, config.timeEmbedDim(), MAX_PERIOD), config.featureDim()));
        } else {
            timesteps = null;
        }
        Operand<TFloat32> h = images;
        for (int stage = 0; stage < widths.length; stage++) {
            for (int b = 0; b < config.blocksPerStage(); b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                h = block(tf, params, "cls_stage" + stage + "_" + b, h, embedding, widths[stage], stride, config.groups());
            }
        }
        long flat = (long) (r / 4) * (r / 4) * widths[2];
        features = silu(tf, dense(tf, params, "cls_features", reshape(tf, h, -1, flat), config.featureDim()));
        logits = new ArrayList<>();
        Operand<TFloat32> total = null;
        for (Attribute attribute : Attribute.values()) {
            Operand<TFloat32> head = dense(tf, params, "cls_head_" + attribute.key(), features, attribute.classes());
            logits.add(head);
            Operand<TFloat32> oneHot = tf.slice(labels,
                    tf.constant(new int[] {0, LabelLayout.offset(attribute)}),
                    tf.constant(new int[] {-1, attribute.classes()}));
            Operand<TFloat32> term = tf.sum(tf.math.mul(oneHot, tf.nn.logSoftmax(head)),
                    tf.constant(1));
            total = total == null ? term : tf.math.add(total, term);
        }
        logProb = total;
    }

    /** conv (stride 1 or 2) + timestep shift (noise-aware) + GroupNorm + SiLU. */
    private static Operand<TFloat32> block(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            Operand<TFloat32> embedding, int width, int stride, int groups) {
        Operand<TFloat32> h = conv2d(tf, params, name + "_conv", x, width, 3, stride);
        if (embedding != null) {
            h = tf.math.add(h, reshape(tf, dense(tf, params, name + "_time", embedding, width), -1, 1, 1, width));
        }
        return silu(tf, groupNorm(tf, params, name + "_norm", h, groups));
    }

    /** Mean negative log-likelihood over the batch: the training loss. */
    public Operand<TFloat32> loss(Ops tf) {
        return tf.math.neg(tf.math.mean(logProb, tf.constant(0)));
    }
}
