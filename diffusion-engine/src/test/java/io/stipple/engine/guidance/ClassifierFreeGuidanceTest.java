package io.stipple.engine.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifierFreeGuidanceTest {

    /** Output = sample * 0.5 + the row's "text_embedding" value; records every call's batch size. */
    private static final class RecordingDenoiser implements Denoiser {
        final List<Integer> batches = new ArrayList<>();
        final List<float[]> embeddings = new ArrayList<>();

        @Override
        public float[] predict(Tensor sample, float[] timesteps, Conditioning conditioning) {
            batches.add(sample.batchSize());
            float[] emb = conditioning.get("text_embedding").data();
            embeddings.add(emb);
            float[] out = new float[sample.data().length];
            int per = sample.exampleSize();
            for (int i = 0; i < out.length; i++) {
                out[i] = sample.data()[i] * 0.5f + emb[i / per] + i % per;
            }
            return out;
        }
    }

    private static final Tensor SAMPLE = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, 1, 1);
    private static final Conditioning COND = Conditioning.of("text_embedding", Tensor.of(new float[] {10, 20}, 2));
    private static final Conditioning UNCOND = Conditioning.of("text_embedding", Tensor.of(new float[] {0, 0}, 2));

    @Test
    void conditionalAndUnconditionalGoInOneBatchedCall() {
        RecordingDenoiser d = new RecordingDenoiser();
        float[] out = new ClassifierFreeGuidance(d, COND, UNCOND, GuidanceSettings.scale(7.5)).predict(SAMPLE, 500);
        assertEquals(List.of(4), d.batches);
        assertArrayEquals(new float[] {0, 0, 10, 20}, d.embeddings.get(0), "rows are [uncond; cond]");
        for (int i = 0; i < 6; i++) {
            float base = SAMPLE.data()[i] * 0.5f + i % 3;
            float cond = base + (i < 3 ? 10 : 20);
            assertEquals(base + 7.5f * (cond - base), out[i], 1e-4);
        }
    }

    @Test
    void scaleOneSkipsTheUnconditionalPass() {
        RecordingDenoiser d = new RecordingDenoiser();
        float[] out = new ClassifierFreeGuidance(d, COND, UNCOND, GuidanceSettings.scale(1)).predict(SAMPLE, 500);
        assertEquals(List.of(2), d.batches);
        assertArrayEquals(new RecordingDenoiser().predict(SAMPLE, new float[] {500, 500}, COND), out);
    }

    @Test
    void outsideTheIntervalOnlyTheConditionalPassRuns() {
        RecordingDenoiser d = new RecordingDenoiser();
        var cfg = new ClassifierFreeGuidance(d, COND, UNCOND, GuidanceSettings.scale(5).withInterval(200, 800));
        cfg.predict(SAMPLE, 900);
        cfg.predict(SAMPLE, 500);
        cfg.predict(SAMPLE, 100);
        assertEquals(List.of(2, 4, 2), d.batches);
    }

    @Test
    void aNegativePromptReplacesTheUnconditionalBranch() {
        RecordingDenoiser d = new RecordingDenoiser();
        Conditioning negative = Conditioning.of("text_embedding", Tensor.of(new float[] {-3, -4}, 2));
        float[] out = new ClassifierFreeGuidance(d, COND, negative, GuidanceSettings.scale(2)).predict(SAMPLE, 1);
        assertArrayEquals(new float[] {-3, -4, 10, 20}, d.embeddings.get(0));
        float base = SAMPLE.data()[0] * 0.5f;
        assertEquals((base - 3) + 2 * ((base + 10) - (base - 3)), out[0], 1e-4);
    }

    @Test
    void fullRescaleGivesTheConditionalStandardDeviation() {
        RecordingDenoiser d = new RecordingDenoiser();
        float[] plain = new ClassifierFreeGuidance(new RecordingDenoiser(), COND, UNCOND, GuidanceSettings.scale(9))
                .predict(SAMPLE, 10);
        float[] out = new ClassifierFreeGuidance(d, COND, UNCOND, GuidanceSettings.scale(9).withRescale(1.0))
                .predict(SAMPLE, 10);
        float[] cond = new RecordingDenoiser().predict(SAMPLE, new float[] {10, 10}, COND);
        for (int b = 0; b < 2; b++) {
            assertEquals(std(cond, b * 3, 3), std(out, b * 3, 3), 1e-4);
            // the direction is the guided one, only the scale changes
            double ratio = out[b * 3] / plain[b * 3];
            assertEquals(ratio, out[b * 3 + 2] / plain[b * 3 + 2], 1e-4);
        }
    }

    private static double std(float[] x, int from, int n) {
        double mean = 0;
        for (int i = from; i < from + n; i++) {
            mean += x[i];
        }
        mean /= n;
        double ss = 0;
        for (int i = from; i < from + n; i++) {
            ss += (x[i] - mean) * (x[i] - mean);
        }
        return Math.sqrt(ss / (n - 1));
    }
}
