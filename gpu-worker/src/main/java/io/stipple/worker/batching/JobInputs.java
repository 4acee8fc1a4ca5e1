package io.stipple.worker.batching;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.pipeline.ClassifierTarget;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.worker.input.StartImages;
import io.stipple.worker.model.GuidanceClassifier;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Completes a job's request with what cannot travel in the work item: its start image (and mask)
 * from the uploads, and the guidance classifier. Runs on the sampling thread (blocking I/O and
 * model loading stay off the Kafka consumer).
 */
@ApplicationScoped
public class JobInputs {

    private final StartImages images;
    private final GuidanceClassifier classifier;

    JobInputs(StartImages images, GuidanceClassifier classifier) {
        this.images = images;
        this.classifier = classifier;
    }

    /** The job's request, ready to sample images of {@code size}. */
    public GenerationRequest complete(PendingJob pending, ImageSize size) {
        GenerationSpec spec = pending.job().item().spec();
        GenerationRequest request = pending.request();
        if (spec.initImage() != null) {
            request = request.withStart(images.load(pending.job().item().tenantId(), spec, size));
        }
        if (spec.classifierGuidance() != null) {
            request = request.withClassifierTarget(new ClassifierTarget(classifier.get(),
                    spec.classifierGuidance().scale(), spec.classifierGuidance().label()));
        }
        return request;
    }
}
