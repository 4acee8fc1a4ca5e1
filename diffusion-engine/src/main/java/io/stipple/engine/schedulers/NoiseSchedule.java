package io.stipple.engine.schedulers;

/**
 * The training noise schedule: betas and the cumulative products {@code alpha_bar_t} over the
 * {@code num_train_timesteps} training timesteps, computed as diffusers does (float32 tables,
 * cumulative product accumulated in double like torch's CPU kernel).
 *
 * <p>Also the training helpers: {@link #addNoise} gives {@code x_t = sqrt(abar) x0 + sqrt(1-abar)
 * eps} and {@link #trainingTarget} the regression target for a prediction type; the trainer and the
 * samplers share this one definition.
 */
public final class NoiseSchedule {

    private final float[] betas;
    private final float[] alphasCumprod;

    private NoiseSchedule(float[] betas) {
        this.betas = betas;
        this.alphasCumprod = new float[betas.length];
        double product = 1.0;
        for (int t = 0; t < betas.length; t++) {
            float alpha = 1.0f - betas[t];
            product *= alpha;
            alphasCumprod[t] = (float) product;
        }
    }

    public static NoiseSchedule of(SchedulerConfig config) {
        float[] betas = config.trainedBetas() != null ? toFloat(config.trainedBetas()) : betas(config);
        if (config.rescaleBetasZeroSnr()) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        return new NoiseSchedule(betas);
    }

    private static float[] betas(SchedulerConfig c) {
        int n = c.numTrainTimesteps();
        float[] betas = new float[n];
        switch (c.betaSchedule()) {
            case LINEAR -> {
                for (int i = 0; i < n; i++) {
                    betas[i] = (float) linspace(c.betaStart(), c.betaEnd(), n, i);
                }
            }
            case SCALED_LINEAR -> {
                // linspace over sqrt(beta), squared: the schedule of Stable Diffusion.
                for (int i = 0; i < n; i++) {
                    float root = (float) linspace(Math.sqrt(c.betaStart()), Math.sqrt(c.betaEnd()), n, i);
                    betas[i] = root * root;
                }
            }
            case SQUAREDCOS_CAP_V2 -> {
                // Nichol & Dhariwal 2021, eq. 17: alpha_bar(t) = cos^2((t + s) / (1 + s) * pi / 2), s = 0.008,
                // betas capped at 0.999 to avoid a singularity at t = T.
                for (int i = 0; i < n; i++) {
                    double ratio = cosineAlphaBar((i + 1) / (double) n) / cosineAlphaBar(i / (double) n);
                    betas[i] = (float) Math.min(1 - ratio, 0.999);
                }
            }
            default -> throw new IllegalArgumentException("unsupported beta_schedule " + c.betaSchedule());
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** numpy/torch linspace: exact end points, {@code start + i * step} in between. */
    static double linspace(double start, double end, int n, int i) {
        if (n == 1) {
            return start;
        }
        if (i == n - 1) {
            return end;
        }
        return start + i * ((end - start) / (n - 1));
    }

    /** Lin et al. 2023, algorithm 1: shift and scale sqrt(alpha_bar) so the last one is zero. */
    private static float[] rescaleZeroTerminalSnr(float[] betas) {
        int n = betas.length;
        double[] sqrtBar = new double[n];
        double product = 1.0;
        for (int t = 0; t < n; t++) {
            product *= 1.0 - betas[t];
            sqrtBar[t] = Math.sqrt(product);
        }
        double first = sqrtBar[0];
        double last = sqrtBar[n - 1];
        double[] bar = new double[n];
        for (int t = 0; t < n; t++) {
            double s = (sqrtBar[t] - last) * first / (first - last);
            bar[t] = s * s;
        }
        float[] out = new float[n];
        out[0] = (float) (1 - bar[0]);
        for (int t = 1; t < n; t++) {
            out[t] = (float) (1 - bar[t] / bar[t - 1]);
        }
        return out;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    public int numTrainTimesteps() {
        return betas.length;
    }

    public double beta(int t) {
        return betas[t];
    }

    /** {@code alpha_bar_t}, the fraction of signal variance left at training timestep t. */
    public double alphaBar(int t) {
        if (t < 0 || t >= alphasCumprod.length) {
            throw new IllegalArgumentException("timestep " + t + " outside [0, " + alphasCumprod.length + ")");
        }
        return alphasCumprod[t];
    }

    /** Karras' sigma for training timestep t: {@code sqrt((1 - abar) / abar)}, rounded to float as diffusers stores it. */
    public double sigma(int t) {
        double abar = alphaBar(t);
        return (float) Math.sqrt((1 - abar) / abar);
    }

    /** {@code sqrt(abar_t) x0 + sqrt(1 - abar_t) noise} per example; batch = {@code timesteps.length}. */
    public float[] addNoise(float[] originalSamples, float[] noise, int[] timesteps) {
        return NoiseLevel.applyPerExample(originalSamples, noise, timesteps, t -> {
            double abar = alphaBar(t);
            return new NoiseLevel(Math.sqrt(abar), Math.sqrt(1 - abar));
        });
    }

    /** diffusers' {@code get_velocity}: {@code sqrt(abar_t) noise - sqrt(1 - abar_t) x0}. */
    public float[] velocity(float[] originalSamples, float[] noise, int[] timesteps) {
        // The same per-example combination, with -sqrt(1 - abar) on x0 and sqrt(abar) on the noise.
        return NoiseLevel.applyPerExample(originalSamples, noise, timesteps, t -> {
            double abar = alphaBar(t);
            return new NoiseLevel(-Math.sqrt(1 - abar), Math.sqrt(abar));
        });
    }

    /** What a network with {@code type} should output for {@code x_t = addNoise(x0, noise, t)}. */
    public float[] trainingTarget(PredictionType type, float[] originalSamples, float[] noise, int[] timesteps) {
        return switch (type) {
            case EPSILON -> noise.clone();
            case SAMPLE -> originalSamples.clone();
            case V_PREDICTION -> velocity(originalSamples, noise, timesteps);
        };
    }
}
