package io.stipple.worker.batching;

import io.stipple.contracts.spec.LoraRef;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.pipeline.SamplingSettings;
import java.util.List;

/**
 * Jobs with equal keys can share network calls: the same model, LoRA set (LoRAs and scales, in
 * {@link PendingJob#loras} order) and stage, and the same sampler, steps, guidance, scheduler settings
 * and image size (so the same timesteps and the same shapes). A job that cannot be batched gets a key of
 * its own ({@link #alone}).
 */
public record BatchKey(ModelRef model, List<LoraRef> loras, String stage, SamplingSettings settings, Object alone) {

    public static BatchKey shared(ModelRef model, List<LoraRef> loras, String stage, SamplingSettings settings) {
        return new BatchKey(model, List.copyOf(loras), stage, settings, null);
    }

    /** Without LoRAs. */
    public static BatchKey shared(ModelRef model, String stage, SamplingSettings settings) {
        return shared(model, List.of(), stage, settings);
    }

    /** A key equal to no other: the job runs in a batch of its own. */
    public static BatchKey alone(ModelRef model, String stage) {
        return new BatchKey(model, List.of(), stage, null, new Object());
    }
}
