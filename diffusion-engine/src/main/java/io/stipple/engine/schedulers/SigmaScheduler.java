package io.stipple.engine.schedulers;

/**
 * Schedulers that integrate the probability-flow ODE in Karras et al.'s variables (Euler, Heun,
 * LMS): the sample is {@code x = x0 + sigma * eps} (not scaled by sqrt(abar)), the model sees
 * {@code x / sqrt(sigma^2 + 1)}, and initial noise has standard deviation sigma_max (or sqrt(
 * sigma_max^2 + 1) with leading spacing, as diffusers does).
 */
abstract class SigmaScheduler extends SigmaTableScheduler {

    protected SigmaScheduler(SchedulerConfig config) {
        super(config);
        config.require(config.interpolationType() == null || config.interpolationType().equals("linear"),
                "interpolation_type " + config.interpolationType());
        config.require(config.timestepType() == null || config.timestepType().equals("discrete"),
                "timestep_type " + config.timestepType());
        config.require(!config.useExponentialSigmas(), "use_exponential_sigmas true");
        config.require(!config.useBetaSigmas(), "use_beta_sigmas true");
        config.require(!config.rescaleBetasZeroSnr(), "rescale_betas_zero_snr true (infinite sigma_max)");
    }

    /**
     * Descending timesteps and their sigmas ({@code n + 1} values, the last one final), with
     * Karras sigmas when {@code karras}; used by subclasses' {@code setTimesteps}.
     */
    protected void computeSigmas(int n, boolean karras) {
        requireStepsInRange(n);
        float[] ts = SigmaSchedules.timesteps(config, n);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = SigmaSchedules.interpolate(trainingSigmas, ts[i]);
        }
        if (karras) {
            double min = config.sigmaMin() != null ? config.sigmaMin() : s[n - 1];
            double max = config.sigmaMax() != null ? config.sigmaMax() : s[0];
            s = SigmaSchedules.karras(min, max, n);
            double[] logSigmas = SigmaSchedules.logs(trainingSigmas);
            for (int i = 0; i < n; i++) {
                ts[i] = (float) SigmaSchedules.sigmaToT(s[i], logSigmas);
            }
        }
        float[] all = new float[n + 1];
        for (int i = 0; i < n; i++) {
            all[i] = (float) s[i];
        }
        all[n] = config.finalSigmasType() == FinalSigmasType.SIGMA_MIN ? (float) trainingSigmas[0] : 0f;
        sigmas = all;
        useTimesteps(ts);
    }

    @Override
    public float initNoiseSigma() {
        requireTimesteps();
        double max = 0;
        for (float s : sigmas) {
            max = Math.max(max, s);
        }
        return (float) (config.timestepSpacing() == TimestepSpacing.LEADING ? Math.sqrt(max * max + 1) : max);
    }

    @Override
    public float[] scaleModelInput(float[] sample, float timestep) {
        double sigma = sigmas[stepIndex(timestep)];
        double scale = 1 / Math.sqrt(sigma * sigma + 1);
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sample[i] * scale);
        }
        return out;
    }

    /** {@code (1, sigma_t)}: this family's samples are {@code x0 + sigma_t * noise}, unscaled. */
    @Override
    public NoiseLevel noiseLevel(float timestep) {
        return new NoiseLevel(1, sigmaAt(timestep));
    }

    /** x0 from the model output at noise level sigma (Euler-type parameterisation). */
    protected float[] originalSample(float[] output, float[] sample, double sigma) {
        float[] x0 = new float[sample.length];
        double c = Math.sqrt(sigma * sigma + 1);
        for (int i = 0; i < x0.length; i++) {
            x0[i] = switch (config.predictionType()) {
                case EPSILON -> (float) (sample[i] - sigma * output[i]);
                case V_PREDICTION -> (float) (output[i] * (-sigma / c) + sample[i] / (sigma * sigma + 1));
                case SAMPLE -> output[i];
            };
        }
        return x0;
    }
}
