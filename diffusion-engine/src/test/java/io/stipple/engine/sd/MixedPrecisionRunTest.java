package io.stipple.engine.sd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.nn.MixedPrecision;
import io.stipple.engine.nn.Sessions;
import io.stipple.engine.weights.WeightSource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What oneDNN's bfloat16 auto-mixed precision ({@link MixedPrecision#ONEDNN_BF16}) costs on the
 * fixture's full runs: the image's error against diffusers' fp32 image (largest, mean, PSNR), printed
 * for docs/benchmarks.md, and bounded so that a rewrite that broke the graph (a wrong cast, a lost
 * op) fails. On a CPU without bfloat16 support oneDNN leaves the graph in fp32, and the error is fp32's.
 */
class MixedPrecisionRunTest {

    /**
XX
     * error 0.043, mean 0.005); a rewrite that broke the graph moves pixels by 0.1-1, 10-20 dB.
     */
    private static final double BF16_MIN_PSNR_DB = 35;

    private static DiffusionModel fp32;
    private static DiffusionModel bf16;
    private static WeightSource reference;
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws Exception {
        fp32 = DiffusionModels.open(SdTiny.SD1, Sessions.config(0, 0, false, MixedPrecision.FP32));
        bf16 = DiffusionModels.open(SdTiny.SD1, Sessions.config(0, 0, false, MixedPrecision.ONEDNN_BF16));
        reference = SdTiny.references();
        fixture = SdTiny.description();
    }

    @AfterAll
    static void close() throws Exception {
        fp32.close();
        bf16.close();
        reference.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_ddim", "run_euler"})
    void bfloat16CostsLittleOfTheImage(String run) {
        FixtureRuns runs = new FixtureRuns(reference, fixture);
        float[] expected = reference.floats(run + ".image");
        float[] full = unit(runs.image(fp32, run));
        float[] mixed = unit(runs.image(bf16, run));
        double fp32Error = SdTiny.maxAbsDiff(expected, full);
        double bf16Error = SdTiny.maxAbsDiff(expected, mixed);
        System.out.printf(Locale.ROOT, "%s: image vs diffusers, fp32 max abs %.2e PSNR %.1f dB; oneDNN bf16 max abs %.2e"
                + " mean abs %.2e PSNR %.1f dB%n", run, fp32Error, psnr(expected, full), bf16Error,
                meanAbsDiff(expected, mixed), psnr(expected, mixed));
        assertTrue(psnr(expected, mixed) >= BF16_MIN_PSNR_DB, run + ": bf16 image PSNR " + psnr(expected, mixed) + " dB");
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    /** Peak signal-to-noise ratio of images in [0, 1]. */
    private static double psnr(float[] a, float[] b) {
        double squares = 0;
        for (int i = 0; i < a.length; i++) {
            squares += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return 10 * Math.log10(a.length / squares);
    }

    /** [-1, 1] to diffusers' [0, 1]. */
    private static float[] unit(float[] image) {
        float[] unit = new float[image.length];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = image[i] / 2 + 0.5f;
        }
        return unit;
    }
}
