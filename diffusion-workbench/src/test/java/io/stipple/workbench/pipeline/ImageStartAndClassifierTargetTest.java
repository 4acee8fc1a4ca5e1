package io.stipple.workbench.pipeline;

import io.stipple.engine.pipeline.ClassifierTarget;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.ImageStart;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.pipeline.StepListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.classifier.Classification;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.engine.data.Attribute;
import io.stipple.engine.data.Background;
import io.stipple.engine.data.Colour;
import io.stipple.engine.data.Position;
import io.stipple.engine.data.Scene;
import io.stipple.workbench.data.SceneRenderer;
import io.stipple.engine.data.ShapeKind;
import io.stipple.engine.data.Size;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.guidance.GuidanceSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Image-to-image, inpainting and classifier guidance through {@link GenerationPipeline} with the
 * bundled trained base model and classifiers, as the gpu-worker runs them.
 */
class ImageStartAndClassifierTargetTest {

    private static final Path MODELS = Path.of("..", "models");
    private static final int SIDE = 16;
    private static StippleModel model;
    private static NoiseAwareClassifier guide;
    private static AttributeClassifier judge;
    /** A rendered red circle on white ([-1, 1]): pixels to start from. */
    private static final float[] RED_CIRCLE = SceneRenderer.render(
            Scene.centred(ShapeKind.CIRCLE, Colour.RED, Size.LARGE, Position.CENTER, Background.WHITE), SIDE);

    @BeforeAll
    static void load() throws Exception {
        model = StippleModel.load(MODELS.resolve("stipple-base-16/2"));
        guide = new NoiseAwareClassifier(MODELS.resolve("stipple-guidance-classifier-16/1"));
        judge = new AttributeClassifier(MODELS.resolve("stipple-classifier-16/1"));
    }

    @AfterAll
    static void close() {
        model.close();
        guide.close();
        judge.close();
    }

    private static GenerationRequest request(String prompt, int images, long seed) {
        return new GenerationRequest(prompt, "", images, seed, SamplerChoice.DPMPP_2M, 20, GuidanceSettings.scale(3),
                Map.of());
    }

    @Test
    void imageToImageStaysCloserToTheImageTheLowerTheStrength() {
        GenerationPipeline pipeline = new GenerationPipeline(model);
        GenerationRequest base = request("a blue square on a black background", 2, 5);
        // The prompt asks for something else: the more of the schedule runs, the more of the image goes.
        double[] distance = new double[3];
        double[] strengths = {0.2, 0.5, 1.0};
        for (int i = 0; i < strengths.length; i++) {
            distance[i] = meanDistance(pipeline.sample(base.withStart(ImageStart.imageToImage(RED_CIRCLE, strengths[i])),
                    StepListener.NONE), RED_CIRCLE);
        }
        assertTrue(distance[0] < distance[1] && distance[1] < distance[2],
                "distance from the image at strengths 0.2, 0.5, 1.0: " + java.util.Arrays.toString(distance));

        List<GeneratedImage> pngs = pipeline.generate(base.withStart(ImageStart.imageToImage(RED_CIRCLE, 0.3)),
                StepListener.NONE);
        assertEquals("0.3", pngs.get(0).parameters().extra().get("init_strength"));
    }

    @Test
    void inpaintingKeepsTheKeptHalfExactlyAndPaintsTheOther() {
        float[] keepLeft = new float[RED_CIRCLE.length];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE / 2; x++) {
                for (int c = 0; c < 3; c++) {
                    keepLeft[(y * SIDE + x) * 3 + c] = 1;
                }
            }
        }
        GenerationPipeline pipeline = new GenerationPipeline(model);
        float[] images = pipeline.sample(request("a green triangle on a gray background", 2, 9)
                .withStart(ImageStart.inpainting(RED_CIRCLE, keepLeft)), StepListener.NONE);
        double changed = 0;
        for (int i = 0; i < images.length; i++) {
            float known = RED_CIRCLE[i % RED_CIRCLE.length];
            if (keepLeft[i % RED_CIRCLE.length] == 1) {
                assertEquals(known, images[i], 1e-6, "kept value " + i);
            } else {
                changed = Math.max(changed, Math.abs(images[i] - known));
            }
        }
        assertTrue(changed > 0.5, "the repainted half must change, largest change " + changed);
    }

    @Test
    void classifierGuidanceTowardsALabelMakesThatAttributeCommon() {
        GenerationPipeline pipeline = new GenerationPipeline(model);
        GenerationRequest uncoloured = request("a circle on a white background", 8, 3);
        int unguided = count(pipeline.sample(uncoloured, StepListener.NONE), Colour.BLUE);
        int guided = count(pipeline.sample(uncoloured.withClassifierTarget(new ClassifierTarget(guide, 10, "blue")),
                StepListener.NONE), Colour.BLUE);
        assertTrue(guided >= 6 && guided > unguided, "blue images: " + guided + " of 8 guided, " + unguided + " unguided");
    }

    @Test
    void aGuidedOrImageStartedRequestIsNotSampledInABatchAndAnUnknownLabelIsRefused() {
        GenerationPipeline pipeline = new GenerationPipeline(model);
        GenerationRequest started = request("a red circle", 1, 1).withStart(ImageStart.imageToImage(RED_CIRCLE, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> pipeline.sampleBatch(List.of(started, request("a red circle", 1, 2)), StepListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> new ClassifierTarget(guide, 1, "unicorn"));
    }

    private static int count(float[] images, Colour colour) {
        Classification classes = judge.classify(images, images.length / (SIDE * SIDE * 3), SIDE);
        int n = 0;
        for (int i = 0; i < classes.count(); i++) {
            n += classes.classOf(i, Attribute.COLOUR) == colour.ordinal() ? 1 : 0;
        }
        return n;
    }

    private static double meanDistance(float[] images, float[] image) {
        double sum = 0;
        for (int i = 0; i < images.length; i++) {
            sum += Math.abs(images[i] - image[i % image.length]);
        }
        return sum / images.length;
    }
}
