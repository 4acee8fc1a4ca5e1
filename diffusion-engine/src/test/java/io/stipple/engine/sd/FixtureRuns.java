package io.stipple.engine.sd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.weights.WeightSource;
import java.util.List;
import java.util.Locale;

/**
 * The fixture's 128x128 text-to-image runs as the engine replays them: its scheduler config,
 * steps and guidance, from {@code run.latents_init}, and the comparison of an image with one of
 * diffusers' (postprocessed to [0, 1]) within the README's 1e-3.
 */
public final class FixtureRuns {

    public static final double TOLERANCE = 1e-3;
    static final int[] LATENTS = {1, 16, 16, 4};

    private final WeightSource reference;
    private final JsonNode fixture;

    public FixtureRuns(WeightSource reference, JsonNode fixture) {
        this.reference = reference;
        this.fixture = fixture;
    }

    /** A sampler with {@code run}'s settings over {@code model}, from the fixture's starting latents. */
    public PromptSampler sampler(DiffusionModel model, String run) {
        JsonNode settings = fixture.path("runs").path(run);
        return new PromptSampler(model, SchedulerConfigs.fromJson(settings.path("scheduler_config").toString()),
                settings.path("steps").asInt(), GuidanceSettings.scale(settings.path("guidance_scale").asDouble()))
                .atSize(ImageSize.square(128))
                .startingFromNoise(Tensor.of(nhwc(reference.floats("run.latents_init")), LATENTS));
    }

    /** The image of the fixture's prompt (its first) with an empty negative prompt, in [-1, 1]. */
    public float[] image(DiffusionModel model, String run) {
        return sampler(model, run).sample(List.of(fixture.path("prompts").get(0).asText()), List.of(""),
                PhiloxNoise.forImages(0, 0, 1).keys(), (step, total, t, out) -> { });
    }

    /** Asserts {@code image} (in [-1, 1]) equals diffusers' {@code name} (in [0, 1]) within the tolerance; returns the max error. */
    public double assertImage(String name, float[] image) {
        float[] ours = new float[image.length];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = image[i] / 2 + 0.5f;
        }
        return assertClose(reference.floats(name), ours, name);
    }

    public static double assertClose(float[] expected, float[] actual, String what) {
        double diff = SdTiny.maxAbsDiff(expected, actual);
        System.out.printf(Locale.ROOT, "%s: max abs difference %.2e (scale %.2f)%n", what, diff, SdTiny.maxAbs(expected));
        assertTrue(diff <= TOLERANCE * Math.max(1, SdTiny.maxAbs(expected)), what + " differs by " + diff);
        return diff;
    }

    static float[] nhwc(float[] nchw) {
        return SdTiny.nchwToNhwc(nchw, 1, 4, 16, 16);
    }
}
