package io.stipple.scheduler.policy;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.JobSpec;

/** How much of a tenant's fair share a job uses: a generation costs one unit per image, a fine-tune or a model import one unit. */
public final class JobCost {

    private JobCost() {
    }

    public static int of(JobSpec spec) {
        // A switch expression without default: a new kind fails to compile here until its cost is decided.
        return switch (spec.kind()) {
            case GENERATION -> Math.max(1, ((GenerationSpec) spec).numImages());
            case FINETUNE, MODEL_IMPORT -> 1;
        };
    }
}
