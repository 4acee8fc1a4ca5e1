package io.stipple.scheduler.policy;

import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.JobSpec;

/** How much of a tenant's fair share a job uses: a generation costs one unit per image, a fine-tune one unit. */
public final class JobCost {

    private JobCost() {
    }

    public static int of(JobSpec spec) {
        if (spec instanceof GenerationSpec generation) {
            return Math.max(1, generation.numImages());
        }
        return 1;
    }
}
