package io.stipple.worker.batching;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.runtime.HeldJob;
import io.stipple.worker.mapping.GenerationRequests;

/**
 * A held generation job waiting for a batch: its spec in the engine's terms, or why it has none
 * (then it runs alone, only to be reported failed).
 */
public record PendingJob(HeldJob<GenerationWorkItem> job, ModelRef model, GenerationRequest request,
        RuntimeException invalid) {

    public static PendingJob of(HeldJob<GenerationWorkItem> job) {
        ModelRef model = job.item().spec().model();
        try {
            return new PendingJob(job, model, GenerationRequests.fromSpec(job.item().spec()), null);
        } catch (RuntimeException e) {
            return new PendingJob(job, model, null, e);
        }
    }

    /** Text-to-image with the base model shares batches; an invalid job, or one with inputs, stays alone. */
    public BatchKey key() {
        return request == null || needsInputs() ? BatchKey.alone(model, GenerationPipeline.BASE_STAGE)
                : BatchKey.shared(model, GenerationPipeline.BASE_STAGE, request.samplingSettings());
    }

    /** Image-to-image, inpainting and classifier guidance: inputs to load before sampling ({@link JobInputs}). */
    public boolean needsInputs() {
        GenerationSpec spec = job.item().spec();
        return spec.initImage() != null || spec.classifierGuidance() != null;
    }

    /** This job with its request completed by {@link JobInputs}. */
    public PendingJob withRequest(GenerationRequest completed) {
        return new PendingJob(job, model, completed, invalid);
    }

    public int images() {
        return request == null ? 1 : request.numImages();
    }
}
