package io.stipple.engine.schedulers;

import java.util.Arrays;

/**
 * Multistep solvers in log-SNR {@code lambda = log(alpha / sigma)} (DPM-Solver++, UniPC): samples
 * in the DDPM space, integer timesteps chosen like diffusers' multistep schedulers (linspace over
 * {@code n + 1} points without the last, optional Karras sigmas with rounded timesteps), and the
 * conversions between sigma, alpha and lambda.
 */
abstract class LogSnrScheduler extends SigmaTableScheduler {

    protected LogSnrScheduler(SchedulerConfig config) {
        super(config);
        config.require(!config.useExponentialSigmas(), "use_exponential_sigmas true");
        config.require(!config.useBetaSigmas(), "use_beta_sigmas true");
        config.require(!config.useFlowSigmas(), "use_flow_sigmas true");
        config.require(!config.useDynamicShifting(), "use_dynamic_shifting true");
        config.require(!config.rescaleBetasZeroSnr(), "rescale_betas_zero_snr true");
    }

    /**
     * Chooses timesteps and sigmas.
     *
     * @param clipped                 training timesteps dropped from the top (DPM-Solver's lambda_min_clipped)
     * @param karrasEndsAtItsMinimum  with Karras sigmas and final_sigmas_type sigma_min, end at the
     *                                smallest Karras sigma (UniPC) instead of the training one (DPM-Solver)
     */
    protected void computeSchedule(int numInferenceSteps, int clipped, boolean karrasEndsAtItsMinimum) {
        requireStepsInRange(numInferenceSteps);
        int n = numInferenceSteps;
        int train = config.numTrainTimesteps();
        int last = train - clipped;
        double[] ts = new double[n];
        switch (config.timestepSpacing()) {
            case LINSPACE -> linspace(ts, last);
            case LEADING -> {
                int ratio = last / (n + 1);
                if (ratio == 0) {
                    // n + 1 whole-step grid points do not fit below `last` (n near num_train_timesteps):
                    // diffusers' grid collapses to n copies of one timestep, nothing is denoised and its
                    // loop overruns. Spread the steps like linspace instead, at most one timestep apart.
                    linspace(ts, last);
                } else {
                    for (int i = 0; i < n; i++) {
                        ts[i] = (double) (n - i) * ratio + config.stepsOffset();
                    }
                }
            }
            case TRAILING -> {
                double ratio = train / (double) n;
                int count = (int) Math.ceil(last / ratio);
                ts = new double[count];
                for (int i = 0; i < count; i++) {
                    ts[i] = Math.rint(last - i * ratio) - 1;
                }
            }
            default -> throw new IllegalArgumentException("unsupported timestep_spacing " + config.timestepSpacing());
        }
        double[] s = new double[ts.length];
        if (config.useKarrasSigmas()) {
            double min = config.sigmaMin() != null ? config.sigmaMin() : trainingSigmas[0];
            double max = config.sigmaMax() != null ? config.sigmaMax() : trainingSigmas[train - 1];
            s = SigmaSchedules.karras(min, max, n);
            double[] logSigmas = SigmaSchedules.logs(trainingSigmas);
            ts = new double[n];
            for (int i = 0; i < n; i++) {
                double t = SigmaSchedules.sigmaToT(s[i], logSigmas);
                ts[i] = config.betaSchedule() == BetaSchedule.SQUAREDCOS_CAP_V2 ? t : Math.rint(t);
            }
        } else {
            for (int i = 0; i < ts.length; i++) {
                s[i] = SigmaSchedules.interpolate(trainingSigmas, ts[i]);
            }
        }
        sigmas = new float[s.length + 1];
        for (int i = 0; i < s.length; i++) {
            sigmas[i] = (float) s[i];
        }
        double lastSigma = karrasEndsAtItsMinimum && config.useKarrasSigmas() ? s[s.length - 1] : trainingSigmas[0];
        sigmas[s.length] = config.finalSigmasType() == FinalSigmasType.SIGMA_MIN ? (float) lastSigma : 0f;
        float[] timesteps = new float[ts.length];
        for (int i = 0; i < ts.length; i++) {
            // diffusers stores int64 timesteps
            timesteps[i] = (float) (long) ts[i];
        }
        useTimesteps(timesteps);
    }

    /**
     * Keeps the first of each run of equal timesteps (linspace rounding makes a few at step counts
     * near num_train_timesteps): for solvers that divide by the log-SNR gap of a step, which such a
     * repeat makes zero. The requested step count stays as it was.
     */
    protected void dropRepeatedTimesteps() {
        float[] ts = requireTimesteps();
        int kept = 0;
        float[] keptTs = new float[ts.length];
        float[] keptSigmas = new float[sigmas.length];
        for (int i = 0; i < ts.length; i++) {
            if (kept == 0 || ts[i] != keptTs[kept - 1]) {
                keptTs[kept] = ts[i];
                keptSigmas[kept] = sigmas[i];
                kept++;
            }
        }
        if (kept == ts.length) {
            return;
        }
        keptSigmas[kept] = sigmas[sigmas.length - 1];
        sigmas = Arrays.copyOf(keptSigmas, kept + 1);
        useTimesteps(Arrays.copyOf(keptTs, kept), numInferenceSteps());
    }

    /** linspace(0, last - 1, n + 1).round()[::-1][:-1] into {@code ts} (n = its length). */
    private static void linspace(double[] ts, int last) {
        int n = ts.length;
        for (int i = 0; i < n; i++) {
            ts[i] = Math.rint(NoiseSchedule.linspace(0, last - 1, n + 1, n - i));
        }
    }

    /** How many training timesteps have log-SNR below lambda_min_clipped (searchsorted). */
    protected int clippedCount() {
        int count = 0;
        for (int t = config.numTrainTimesteps() - 1; t >= 0; t--) {
            double abar = schedule.alphaBar(t);
            double lambda = (float) (Math.log((float) Math.sqrt(abar)) - Math.log((float) Math.sqrt(1 - abar)));
            if (lambda < config.lambdaMinClipped()) {
                count++;
            } else {
                break;
            }
        }
        return count;
    }

    protected static double alphaOf(double sigma) {
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    protected static double lambdaOf(double sigma) {
        double alpha = alphaOf(sigma);
        return Math.log(alpha) - Math.log(sigma * alpha);
    }

    @Override
    public NoiseLevel noiseLevel(float timestep) {
        double sigma = sigmaAt(timestep);
        double alpha = alphaOf(sigma);
        return new NoiseLevel(alpha, sigma * alpha);
    }
}
