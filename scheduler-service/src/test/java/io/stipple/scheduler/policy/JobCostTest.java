package io.stipple.scheduler.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.contracts.spec.Priority;
import io.stipple.scheduler.fixtures.Specs;
import org.junit.jupiter.api.Test;

class JobCostTest {

    @Test
    void aGenerationCostsOneUnitPerImage() {
        assertEquals(4, JobCost.of(Specs.generation(Priority.NORMAL, 4, null)));
        assertEquals(1, JobCost.of(Specs.generation()));
    }

    @Test
    void aFineTuneCostsOneUnit() {
        assertEquals(1, JobCost.of(Specs.fineTune()));
    }
}
