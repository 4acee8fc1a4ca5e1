package io.stipple.worker.batching;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.LoraRef;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.runtime.HeldJob;
import io.stipple.worker.mapping.GenerationRequests;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    /**
     * Text-to-image shares batches with jobs of the same model, LoRA set and settings; an invalid job, or one
     * with inputs, stays alone.
     */
    public BatchKey key() {
        return request == null || needsInputs() ? BatchKey.alone(model, GenerationPipeline.BASE_STAGE)
                : BatchKey.shared(model, loras(), GenerationPipeline.BASE_STAGE, request.samplingSettings());
    }

    /**
     * The job's LoRAs in one order whatever order the request gave (by name@version): a set, so jobs naming
     * the same LoRAs batch together, and each job's pixels are those it gets alone (the order of the stacked
     * ranks is the order of a float sum).
     */
    public List<LoraRef> loras() {
        return job.item().spec().loras().stream().sorted(Comparator.comparing(l -> l.model().toString())).toList();
    }

    /** What the PNG parameters record of the LoRA set: {@code loras = name@version:scale,...}; nothing without one. */
    public Map<String, String> loraParameters() {
        List<LoraRef> loras = loras();
        return loras.isEmpty() ? Map.of()
                : Map.of("loras", loras.stream().map(LoraRef::toString).collect(Collectors.joining(",")));
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
