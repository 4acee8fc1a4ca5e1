package io.stipple.engine.sd.unet;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * diffusers' {@code get_timestep_embedding}: sinusoidal features of a [B] float timestep,
 * frequencies exp(-ln(10000) i / (half - freq_shift)) for i < half, as [cos, sin] when
 * {@code flip_sin_to_cos} (every SD config) and [sin, cos] otherwise. The frequencies are computed
 * in float32 as torch does, so t = 999 lands on the same angles.
 */
final class TimestepFeatures {

    private static final double MAX_PERIOD = 10_000;

    private TimestepFeatures() {
    }

    static Operand<TFloat32> build(Ops tf, Operand<TFloat32> timestep, int width, boolean flipSinToCos,
            float freqShift) {
        if (width % 2 != 0) {
            throw new IllegalArgumentException("odd time feature widths are not supported: " + width);
        }
        int half = width / 2;
        float[] frequencies = new float[half];
        float scale = (float) -Math.log(MAX_PERIOD);
        for (int i = 0; i < half; i++) {
            frequencies[i] = (float) Math.exp((scale * i) / (half - freqShift));
        }
        Operand<TFloat32> angles = tf.math.mul(tf.reshape(timestep, tf.constant(new long[] {-1, 1})),
                tf.constant(new float[][] {frequencies}));
        Operand<TFloat32> sin = tf.math.sin(angles);
        Operand<TFloat32> cos = tf.math.cos(angles);
        return tf.concat(flipSinToCos ? List.of(cos, sin) : List.of(sin, cos), tf.constant(1));
    }
}
