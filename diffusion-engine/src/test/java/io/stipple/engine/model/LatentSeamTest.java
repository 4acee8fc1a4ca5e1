package io.stipple.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.ImageStart;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.pipeline.StepListener;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipelines through the seam with a model whose samples are not images ({@link ToyLatentModel}):
 * sampling runs on samples of the model's sample shape for the requested size, the codec decodes
 * once at the end, and clamping applies to the decoded images.
 */
class LatentSeamTest {

    private static final ImageSize WIDE = new ImageSize(8, 4);

    /** DDIM without x0 clipping: latents are not bounded (diffusers' Stable Diffusion configs say clip_sample false). */
    private static GenerationRequest request(long seed, int images) {
        return new GenerationRequest("", "", images, seed, SamplerChoice.parse("ddim"), 10, GuidanceSettings.scale(1),
                Map.of("clip_sample", false)).withSize(WIDE);
    }

    @Test
    void samplesInSampleSpaceAndDecodesOnceAtTheRequestedSize() {
        ToyLatentModel model = new ToyLatentModel(1.0f);
        float[] images = new GenerationPipeline(model).sample(request(1, 2), StepListener.NONE);
        assertEquals(10, model.denoisedShapes.size());
        model.denoisedShapes.forEach(shape -> assertArrayEquals(new int[] {2, 2, 4, 4}, shape));
        assertEquals(1, model.decodes);
        assertEquals(2 * 4 * 8 * 3, images.length);
        // Latents near 1.2 decode to 0.2: had the samples been clamped to [-1, 1] first, these would be 0.0.
        for (float value : images) {
            assertEquals(0.2, value, 0.05);
        }
    }

    @Test
    void clampsTheDecodedImages() {
        float[] images = new GenerationPipeline(new ToyLatentModel(-0.5f)).sample(request(1, 1), StepListener.NONE);
        for (float value : images) {
            assertEquals(1.0f, value); // 1.2 + 0.5, clamped
        }
    }

    @Test
    void pngsHaveTheRequestedSize() {
        List<GeneratedImage> pngs = new GenerationPipeline(new ToyLatentModel(1.0f)).generate(request(3, 1),
                StepListener.NONE);
        assertEquals(8, pngs.get(0).parameters().width());
        assertEquals(4, pngs.get(0).parameters().height());
        assertEquals("toy-latent@1", pngs.get(0).parameters().model());
    }

    @Test
    void aBatchGivesEachRequestWhatItGetsAlone() {
        GenerationPipeline pipeline = new GenerationPipeline(new ToyLatentModel(1.0f));
        List<float[]> together = pipeline.sampleBatch(List.of(request(5, 1), request(6, 2)), StepListener.NONE);
        assertArrayEquals(pipeline.sample(request(5, 1), StepListener.NONE), together.get(0));
        assertArrayEquals(pipeline.sample(request(6, 2), StepListener.NONE), together.get(1));
    }

    @Test
    void refusesSizesTheModelCannotMake() {
        GenerationPipeline pipeline = new GenerationPipeline(new ToyLatentModel(1.0f));
        var e = assertThrows(UnsupportedImageSizeException.class,
                () -> pipeline.sample(request(1, 1).withSize(new ImageSize(7, 8)), StepListener.NONE));
        assertTrue(e.getMessage().contains("toy-latent@1 cannot make 7x8 images"), e.getMessage());
        assertTrue(e.getMessage().contains("multiples of 2"), e.getMessage());
    }

    @Test
    void imageToImageEncodesTheStartImage() {
        ToyLatentModel model = new ToyLatentModel(1.0f);
        float[] start = new float[WIDE.rgbValues()];
        Arrays.fill(start, -0.5f);
        float[] images = new GenerationPipeline(model).sample(
                request(2, 2).withStart(ImageStart.imageToImage(start, 0.5)), StepListener.NONE);
        assertEquals(1, model.encodedShapes.size());
        assertArrayEquals(new int[] {2, 4, 8, 3}, model.encodedShapes.get(0));
        model.denoisedShapes.forEach(shape -> assertArrayEquals(new int[] {2, 2, 4, 4}, shape));
        assertEquals(5, model.denoisedShapes.size()); // strength 0.5 of 10 steps
        assertEquals(1, model.decodes);
        assertEquals(2 * WIDE.rgbValues(), images.length);
    }

    @Test
    void inpaintingKeepsTheMaskedRegionInSampleSpace() {
        ToyLatentModel model = new ToyLatentModel(1.0f);
        float[] start = new float[WIDE.rgbValues()];
        Arrays.fill(start, -0.5f); // encodes to latents 0.5, far from the model's 1.2
        float[] keep = new float[start.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = (i / 3) % 8 < 4 ? 1 : 0; // keep the left half
        }
        float[] images = new GenerationPipeline(model).sample(
                request(4, 1).withStart(ImageStart.inpainting(start, keep)), StepListener.NONE);
        assertArrayEquals(new int[] {1, 4, 8, 3}, model.maskShapes.get(0));
        assertEquals(1, model.decodes);
        for (int i = 0; i < images.length; i++) {
            assertEquals(keep[i] == 1 ? -0.5 : 0.2, images[i], 0.05, "value " + i);
        }
    }
}
