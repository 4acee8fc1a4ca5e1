package io.stipple.workbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureSimilarityTest {

    // Rows of dimension 2: (1, 0), (0, 1) against (1, 0), (1, 1).
    private static final float[] A = {1, 0, 0, 1};
    private static final float[] B = {1, 0, 2, 2};

    @Test
    void pairwiseAveragesEveryRowAgainstEveryRow() {
        double diagonal = Math.sqrt(0.5);
        assertEquals((1 + diagonal + 0 + diagonal) / 4, FeatureSimilarity.meanPairwiseCosine(A, B, 2), 1e-9);
    }

    @Test
    void matchedAveragesRowIAgainstRowIOnly() {
        assertEquals((1 + Math.sqrt(0.5)) / 2, FeatureSimilarity.meanMatchedCosine(A, B, 2), 1e-9);
        assertEquals(1.0, FeatureSimilarity.meanMatchedCosine(B, B, 2), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> FeatureSimilarity.meanMatchedCosine(A, new float[] {1, 0}, 2));
    }
}
