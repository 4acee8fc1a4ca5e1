package io.stipple.worker.batching;

import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.pipeline.SamplingSettings;

/**
 * Jobs with equal keys can share network calls: the same model and stage, and the same sampler,
 * steps, guidance and scheduler settings (so the same timesteps and the same shapes). A job that
 * cannot be batched gets a key of its own ({@link #alone}).
 */
public record BatchKey(ModelRef model, String stage, SamplingSettings settings, Object alone) {

    public static BatchKey shared(ModelRef model, String stage, SamplingSettings settings) {
        return new BatchKey(model, stage, settings, null);
    }

    /** A key equal to no other: the job runs in a batch of its own. */
    public static BatchKey alone(ModelRef model, String stage) {
        return new BatchKey(model, stage, null, new Object());
    }
}
