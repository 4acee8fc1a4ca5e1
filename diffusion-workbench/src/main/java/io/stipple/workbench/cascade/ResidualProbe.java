package io.stipple.workbench.cascade;

import io.stipple.engine.cascade.LowResConditioning;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.SuperResolutionSpec;
import io.stipple.workbench.metrics.Psnr;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.Predictions;
import io.stipple.engine.unet.ModelInputs;
import java.util.Arrays;
import java.util.Collections;
import java.util.SplittableRandom;

/**
 * A diagnosis of a super-resolution stage without a sampler: the true (scaled) residual of real
 * renders is noised to timestep t, the network predicts x0 in one call, and the image bicubic +
 * x0/scale is scored against the ground truth. At large t the noised residual carries almost no
 * information, so the score is what the network learnt from {@code low_res} alone; it must beat
 * bicubic there for sampling to beat it. At small t the answer is still visible in the input, so
 * those scores only say the network denoises (they are not super-resolution scores).
 */
public final class ResidualProbe {

    private ResidualProbe() {
    }

    /**
     * @param stage  a super-resolution stage
     * @param low    {@code count} real renders at the stage's input size
     * @param high   the same scenes rendered at its output size
     * @param augLevel augmentation level of the conditioning
     * @param t      diffusion timestep the true residual is noised to
     * @param seed   seeds the diffusion and augmentation noise
     * @return mean per-image PSNR of bicubic + predicted residual vs {@code high}, dB
     */
    public static double psnrAt(DiffusionModel stage, float[] low, float[] high, int count, int augLevel, int t,
            long seed) {
        SuperResolutionSpec spec = stage.superResolution().orElseThrow(() -> new IllegalArgumentException(
                stage.identity() + " is not a super-resolution stage"));
        int in = spec.inputSize();
        int out = spec.outputSize();
        NoiseSchedule schedule = NoiseSchedule.of(stage.schedulerConfig());
        SplittableRandom random = new SplittableRandom(seed);
        float[] residual = LowResConditioning.residual(high, low, count, in, out);
        float scale = spec.residualScale().floatValue();
        for (int i = 0; i < residual.length; i++) {
            residual[i] *= scale;
        }
        int[] levels = new int[count];
        Arrays.fill(levels, augLevel);
        float[] lowRes = LowResConditioning.prepare(low, count, in, out, gaussian(random, low.length), levels, schedule);
        float[] levelValues = new float[count];
        Arrays.fill(levelValues, augLevel);
        Conditioning conditioning = stage.prompts().encode(Collections.nCopies(count, ""))
                .with(ModelInputs.LOW_RES, Tensor.of(lowRes, count, out, out, 3))
                .with(ModelInputs.AUG_LEVEL, Tensor.of(levelValues, count));
        int[] timesteps = new int[count];
        Arrays.fill(timesteps, t);
        float[] noisy = schedule.addNoise(residual, gaussian(random, residual.length), timesteps);
        float[] modelTimesteps = new float[count];
        Arrays.fill(modelTimesteps, t);
        float[] output = stage.denoiser().predict(Tensor.of(noisy, count, out, out, 3), modelTimesteps, conditioning);
        float[] x0 = Predictions.originalSample(stage.schedulerConfig().predictionType(), output, noisy,
                Math.sqrt(schedule.alphaBar(t)), Math.sqrt(1 - schedule.alphaBar(t)));
        float[] image = LowResConditioning.upsampled(low, count, in, out);
        for (int i = 0; i < image.length; i++) {
            image[i] = Math.max(-1f, Math.min(1f, image[i] + x0[i] / scale));
        }
        return Psnr.meanOverBatch(image, high, count);
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
