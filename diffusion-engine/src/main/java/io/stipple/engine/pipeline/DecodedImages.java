package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.model.SampleCodec;

/** Samples to what pipelines hand out: decoded once by the model's codec, then clamped to [-1, 1]. */
final class DecodedImages {

    private DecodedImages() {
    }

    /** NHWC RGB values in [-1, 1]; with the identity codec, clamps {@code samples}' own array. */
    static float[] of(SampleCodec codec, Tensor samples) {
        float[] values = codec.decode(samples).data();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(-1f, Math.min(1f, values[i]));
        }
        return values;
    }
}
