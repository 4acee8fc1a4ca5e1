package io.stipple.engine.guidance;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.Tensor;

/**
 * Classifier-free guidance (Ho & Salimans 2022): {@code out = uncond + w (cond - uncond)}, with the
 * unconditional and conditional rows evaluated in ONE batched denoiser call ({@code [uncond;
 * cond]}). Where guidance is off (scale 1, or outside the interval) only the conditional rows are
 * evaluated.
 *
 * <p>A negative prompt is simply a different {@code unconditional} conditioning: its embedding
 * replaces the empty prompt's, so guidance pushes away from it. Optional guidance rescale (Lin et
 * al. 2023, eq. 15-16) counters over-exposure at high scales.
 */
public final class ClassifierFreeGuidance implements StepModel {

    private final Denoiser denoiser;
    private final Conditioning conditional;
    private final Conditioning unconditional;
    private final GuidanceSettings settings;

    /**
     * @param unconditional the empty-prompt (or negative-prompt) conditioning, same batch size and
     *                      input names as {@code conditional}
     */
    public ClassifierFreeGuidance(Denoiser denoiser, Conditioning conditional, Conditioning unconditional,
            GuidanceSettings settings) {
        if (conditional.batchSize() != unconditional.batchSize()) {
            throw new IllegalArgumentException("conditional batch " + conditional.batchSize()
                    + " != unconditional batch " + unconditional.batchSize());
        }
        this.denoiser = denoiser;
        this.conditional = conditional;
        this.unconditional = unconditional;
        this.settings = settings;
    }

    @Override
    public float[] predict(Tensor sample, float timestep) {
        int batch = sample.batchSize();
        if (!settings.guides(timestep)) {
            return denoiser.predict(sample, Timesteps.repeat(timestep, batch), conditional);
        }
        float[] both = denoiser.predict(Tensor.concat(sample, sample), Timesteps.repeat(timestep, 2 * batch),
                Conditioning.concat(unconditional, conditional));
        int n = sample.data().length;
        float[] guided = new float[n];
        double w = settings.scale();
        for (int i = 0; i < n; i++) {
            guided[i] = (float) (both[i] + w * (both[n + i] - both[i]));
        }
        if (settings.rescale() > 0) {
            rescale(guided, both, n, batch, settings.rescale());
        }
        return guided;
    }

    /**
     * Lin et al. 2023 eq. 15-16, per image: {@code x_rescaled = x_cfg * std(x_cond) / std(x_cfg)};
     * {@code out = phi x_rescaled + (1 - phi) x_cfg}. Standard deviations are unbiased, as
     * torch.std (and diffusers' rescale_noise_cfg) computes them. A constant guided output
     * ({@code std(x_cfg) = 0}, e.g. a network whose output layer is still zero) is left as it is
     * where diffusers would divide by zero and return NaN.
     */
    static void rescale(float[] guided, float[] both, int n, int batch, double phi) {
        int per = n / batch;
        for (int b = 0; b < batch; b++) {
            int from = b * per;
            double stdCond = std(both, n + from, per);
            double stdCfg = std(guided, from, per);
            if (stdCfg == 0) {
                continue;
            }
            double factor = phi * stdCond / stdCfg + (1 - phi);
            for (int i = from; i < from + per; i++) {
                guided[i] = (float) (guided[i] * factor);
            }
        }
    }

    private static double std(float[] x, int from, int count) {
        double mean = 0;
        for (int i = from; i < from + count; i++) {
            mean += x[i];
        }
        mean /= count;
        double ss = 0;
        for (int i = from; i < from + count; i++) {
            double d = x[i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (count - 1));
    }
}
