package io.stipple.engine.schedulers;

/**
 * Karras-style noise levels {@code sigma_t = sqrt((1 - abar_t) / abar_t)} for the schedulers that
 * work in sigma (Euler, Heun, LMS) or in log-SNR (DPM-Solver, UniPC): timestep spacings with
 * fractional timesteps, interpolation, Karras et al. 2022's rho-schedule (eq. 5), and the inverse
 * map from a sigma back to a fractional training timestep, all as diffusers computes them.
 */
final class SigmaSchedules {

    private static final double KARRAS_RHO = 7.0;

    private SigmaSchedules() {
    }

    /** Descending fractional timesteps for Euler-type schedulers (float32 like diffusers'). */
    static float[] timesteps(SchedulerConfig c, int n) {
        int train = c.numTrainTimesteps();
        float[] out = new float[n];
        switch (c.timestepSpacing()) {
            case LINSPACE -> {
                for (int i = 0; i < n; i++) {
                    out[n - 1 - i] = (float) NoiseSchedule.linspace(0, train - 1, n, i);
                }
            }
            case LEADING, TRAILING -> {
                int[] ints = TimestepSpacings.descending(c, n);
                out = TimestepSpacings.toFloat(ints);
            }
            default -> throw new IllegalArgumentException("unsupported timestep_spacing " + c.timestepSpacing());
        }
        return out;
    }

    /** The training sigmas, index = training timestep (ascending in t). */
    static double[] trainingSigmas(NoiseSchedule schedule) {
        double[] s = new double[schedule.numTrainTimesteps()];
        for (int t = 0; t < s.length; t++) {
            s[t] = schedule.sigma(t);
        }
        return s;
    }

    /** numpy.interp of the training sigmas at fractional timestep t (clamped at the ends). */
    static double interpolate(double[] trainingSigmas, double t) {
        if (t <= 0) {
            return trainingSigmas[0];
        }
        int last = trainingSigmas.length - 1;
        if (t >= last) {
            return trainingSigmas[last];
        }
        int lo = (int) Math.floor(t);
        double w = t - lo;
        return trainingSigmas[lo] + w * (trainingSigmas[lo + 1] - trainingSigmas[lo]);
    }

    /** Karras et al. 2022 eq. 5 with rho = 7: n sigmas from sigmaMax down to sigmaMin. */
    static double[] karras(double sigmaMin, double sigmaMax, int n) {
        double minInv = Math.pow(sigmaMin, 1 / KARRAS_RHO);
        double maxInv = Math.pow(sigmaMax, 1 / KARRAS_RHO);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double ramp = NoiseSchedule.linspace(0, 1, n, i);
            out[i] = Math.pow(maxInv + ramp * (minInv - maxInv), KARRAS_RHO);
        }
        return out;
    }

    /**
     * The fractional training timestep whose sigma is {@code sigma}: linear interpolation in log
     * sigma between the two neighbouring training timesteps (diffusers' {@code _sigma_to_t}).
     */
    static double sigmaToT(double sigma, double[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        double lo = logSigmas[low];
        double hi = logSigmas[low + 1];
        double w = Math.max(0, Math.min(1, (lo - logSigma) / (lo - hi)));
        return (1 - w) * low + w * (low + 1);
    }

    static double[] logs(double[] sigmas) {
        double[] out = new double[sigmas.length];
        for (int i = 0; i < sigmas.length; i++) {
            // numpy takes the log of the float32 sigmas and keeps float32
            out[i] = (float) Math.log(sigmas[i]);
        }
        return out;
    }
}
