package io.stipple.workbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Split;
import io.stipple.engine.image.RgbImage;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageMetricsTest {

    private static RgbImage render(int index, int size) {
        return RgbImage.square(size, ProceduralShapes.sample(Split.TEST, index).render(size));
    }

    private static RgbImage constant(int size, float value) {
        float[] pixels = new float[size * size * 3];
        Arrays.fill(pixels, value);
        return RgbImage.square(size, pixels);
    }

    @Test
    void identicalImagesHaveInfinitePsnrAndSsimOne() {
        RgbImage image = render(0, 64);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.of(image.pixels(), image.pixels().clone()));
        assertEquals(1.0, Ssim.of(image, RgbImage.square(64, image.pixels().clone())), 1e-9);
        assertEquals(1.0, Ssim.of(render(1, 8), render(1, 8)), 1e-9);
    }

    @Test
    void psnrMatchesItsDefinition() {
        // A uniform error of 0.02 on range 2: MSE = 4e-4, PSNR = 10 log10(4 / 4e-4) = 40 dB.
        assertEquals(40.0, Psnr.of(constant(4, 0.1f).pixels(), constant(4, 0.12f).pixels()), 1e-4);
    }

    @Test
    void ssimOfTwoConstantImagesIsTheLuminanceTerm() {
        // No variance: SSIM = (2ab + C1) / (a^2 + b^2 + C1), C1 = (0.01 * 2)^2.
        double a = 0.2;
        double b = -0.3;
        double c1 = 0.02 * 0.02;
        double expected = (2 * a * b + c1) / (a * a + b * b + c1);
        assertEquals(expected, Ssim.of(constant(16, (float) a), constant(16, (float) b)), 1e-6);
    }

    @Test
    void noiseLowersBothScoresMonotonically() {
        RgbImage clean = render(2, 64);
        SplittableRandom random = new SplittableRandom(5);
        double previousPsnr = Double.POSITIVE_INFINITY;
        double previousSsim = 1;
        for (double sigma : new double[] {0.02, 0.1, 0.4}) {
            float[] noisy = clean.pixels().clone();
            SplittableRandom copy = random.split();
            for (int i = 0; i < noisy.length; i++) {
                noisy[i] += (float) (sigma * (copy.nextDouble() * 2 - 1));
            }
            double psnr = Psnr.of(clean.pixels(), noisy);
            double ssim = Ssim.of(clean, RgbImage.square(64, noisy));
            assertTrue(psnr < previousPsnr && ssim < previousSsim, "sigma " + sigma + ": " + psnr + " / " + ssim);
            previousPsnr = psnr;
            previousSsim = ssim;
        }
    }
}
