package io.stipple.workbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Split;
import io.stipple.engine.image.Resize;
import org.junit.jupiter.api.Test;

class SuperResolutionScoresTest {

    private static final int COUNT = 6;
    private final float[] low = ProceduralShapes.batch(Split.TEST, 0, COUNT, 16).images();
    private final float[] truth = ProceduralShapes.batch(Split.TEST, 0, COUNT, 64).images();

    @Test
    void bicubicScoresExactlyAsTheBaseline() {
        float[] bicubic = Resize.resizeBatch(low, COUNT, 16, 64, Resize.Method.BICUBIC);
        SuperResolutionScores scores = SuperResolutionScores.measure(bicubic, low, truth, COUNT, 16, 64);
        assertEquals(scores.bicubicPsnr(), scores.psnr());
        assertEquals(scores.bicubicSsim(), scores.ssim());
        assertEquals(0.0, scores.gainOverBicubic());
    }

    @Test
    void theGroundTruthBeatsBicubicAndIsConsistentWithItsInput() {
        // Rendered data: the 64x64 truth box-downsamples to the 16x16 render, so it is consistent.
        SuperResolutionScores scores = SuperResolutionScores.measure(truth, low, truth, COUNT, 16, 64);
        assertEquals(Double.POSITIVE_INFINITY, scores.psnr());
        assertEquals(1.0, scores.ssim(), 1e-9);
        assertTrue(scores.bicubicPsnr() < 40 && scores.bicubicSsim() < 1);
        assertTrue(scores.consistencyPsnr() > 35, "consistency " + scores.consistencyPsnr());
    }
}
