package io.stipple.workbench.pipeline;

import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.pipeline.StepListener;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.guidance.GuidanceSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dynamic batching with the bundled trained model (a real network, so rows really interact with
 * the batch shape if anything does): requests sampled together give the same PNG bytes as alone.
 */
class BatchedGenerationTest {

    private static StippleModel model;

    @BeforeAll
    static void load() throws Exception {
        model = StippleModel.load(Path.of("..").resolve(BundledModels.BASE));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static GenerationRequest request(String prompt, String negative, int numImages, long seed,
            SamplerChoice sampler) {
        return new GenerationRequest(prompt, negative, numImages, seed, sampler, 8,
                GuidanceSettings.scale(3).withRescale(0.3), Map.of("timestep_spacing", "trailing"));
    }

    @Test
    void requestsSampledTogetherAreBitIdenticalToEachAlone() {
        GenerationPipeline pipeline = new GenerationPipeline(model);
        for (SamplerChoice sampler : List.of(SamplerChoice.DPMPP_2M, SamplerChoice.EULER_ANCESTRAL)) {
            List<GenerationRequest> requests = List.of(
                    request("a red circle on a white background", "", 2, 11, sampler),
                    request("a blue square", "a red circle", 1, 12, sampler),
                    request("a green triangle", "", 3, 11, sampler));
            List<float[]> together = pipeline.sampleBatch(requests, StepListener.NONE);
            assertEquals(3, together.size());
            for (int r = 0; r < requests.size(); r++) {
                float[] aloneFloats = pipeline.sample(requests.get(r), StepListener.NONE);
                assertArrayEquals(aloneFloats, together.get(r), sampler + " request " + r + ": the same floats");
                List<GeneratedImage> alone = pipeline.generate(requests.get(r), StepListener.NONE);
                List<GeneratedImage> batched = pipeline.encode(requests.get(r), together.get(r), 16, Map.of());
                assertEquals(alone.size(), batched.size());
                for (int i = 0; i < alone.size(); i++) {
                    assertArrayEquals(alone.get(i).png(), batched.get(i).png(), sampler + " request " + r + " image " + i);
                    assertEquals(alone.get(i).parameters(), batched.get(i).parameters());
                }
            }
            assertFalse(java.util.Arrays.equals(Arrays.copyOf(together.get(0), 16 * 16 * 3),
                    Arrays.copyOf(together.get(2), 16 * 16 * 3)), "same seed and index, other prompt: another image");
        }
    }

    @Test
    void requestsWithOtherSamplingSettingsAreRefused() {
        GenerationPipeline pipeline = new GenerationPipeline(model);
        List<GenerationRequest> mixed = List.of(request("a red circle", "", 1, 1, SamplerChoice.DDIM),
                request("a red circle", "", 1, 1, SamplerChoice.EULER));
        assertThrows(IllegalArgumentException.class, () -> pipeline.sampleBatch(mixed, StepListener.NONE));
    }
}
