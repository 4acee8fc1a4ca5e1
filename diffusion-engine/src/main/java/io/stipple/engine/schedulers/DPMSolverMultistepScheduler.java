package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;

/**
 * DPM-Solver++ multistep (Lu et al. 2022, "DPM-Solver++", algorithm 2 and its third-order
 * extension) and the noise-prediction DPM-Solver (algorithm_type {@code dpmsolver}): exponential
 * integrators in log-SNR {@code lambda = log(alpha / sigma)} that reuse previous model outputs
 * instead of extra evaluations. Orders 1, 2 and 3; lower orders while the history fills and,
 * optionally, at the end ({@code lower_order_final}, {@code euler_at_final}).
 *
 * <p>Samples live in the DDPM space ({@code alpha x0 + sigma eps}); the schedule and all branch
 * conditions follow diffusers' {@code DPMSolverMultistepScheduler} so results agree with it.
 */
public final class DPMSolverMultistepScheduler extends LogSnrScheduler {

    /** Converted model outputs (x0 for ++, eps otherwise), newest last. */
    private float[][] history;
    private int lowerOrderCount;

    public DPMSolverMultistepScheduler(SchedulerConfig config) {
        super(config);
        config.require(config.solverOrder() >= 1 && config.solverOrder() <= 3, "solver_order " + config.solverOrder());
        String solver = config.solverType() == null ? "midpoint" : config.solverType();
        config.require(solver.equals("midpoint") || solver.equals("heun"), "solver_type " + solver);
        config.require(config.algorithmType() == AlgorithmType.DPMSOLVER_PLUS_PLUS
                || config.finalSigmasType() == FinalSigmasType.SIGMA_MIN,
                "final_sigmas_type zero with algorithm_type dpmsolver (use sigma_min)");
        config.require(config.varianceType() == null, "variance_type " + config.varianceType());
        config.require(!config.useLuLambdas(), "use_lu_lambdas true");
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        computeSchedule(numInferenceSteps, clippedCount(), false);
        history = new float[config.solverOrder()][];
        lowerOrderCount = 0;
    }

    private boolean heun() {
        return "heun".equals(config.solverType());
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int i = stepIndex(timestep);
        int steps = requireTimesteps().length;
        boolean lowerOrderFinal = i == steps - 1 && (config.eulerAtFinal()
                || (config.lowerOrderFinal() && steps < 15) || config.finalSigmasType() == FinalSigmasType.ZERO);
        boolean lowerOrderSecond = i == steps - 2 && config.lowerOrderFinal() && steps < 15;

        float[] converted = convert(modelOutput, sample, sigmas[i], batchOf(noise));
        System.arraycopy(history, 1, history, 0, history.length - 1);
        history[history.length - 1] = converted;

        float[] prev;
        if (sigmas[i + 1] == sigmas[i]) {
            // A repeated timestep (linspace rounding at very many steps): h = 0, nothing to integrate.
            // diffusers divides by h here and returns NaN; the exact update is the identity.
            prev = sample.clone();
        } else if (config.solverOrder() == 1 || lowerOrderCount < 1 || lowerOrderFinal || repeatedRecently(i)) {
            prev = firstOrder(converted, sample, sigmas[i + 1], sigmas[i]);
        } else if (config.solverOrder() == 2 || lowerOrderCount < 2 || lowerOrderSecond) {
            prev = secondOrder(sample, sigmas[i + 1], sigmas[i], sigmas[i - 1]);
        } else {
            prev = thirdOrder(sample, sigmas[i + 1], sigmas[i], sigmas[i - 1], sigmas[i - 2]);
        }
        if (lowerOrderCount < config.solverOrder()) {
            lowerOrderCount++;
        }
        advanceStep();
        float[] x0 = config.algorithmType() == AlgorithmType.DPMSOLVER_PLUS_PLUS ? converted : null;
        return new StepOutput(prev, x0);
    }

    /** Whether a multistep formula would divide by a zero log-SNR gap (repeated earlier timesteps). */
    private boolean repeatedRecently(int i) {
        int needed = Math.min(config.solverOrder(), lowerOrderCount + 1);
        for (int k = 1; k < needed && i - k >= 0; k++) {
            if (sigmas[i - k] == sigmas[i - k + 1]) {
                return true;
            }
        }
        return false;
    }

    /** The model output as x0 (++) or eps, thresholded like diffusers' convert_model_output. */
    private float[] convert(float[] output, float[] sample, double sigma, int batch) {
        double alpha = alphaOf(sigma);
        double sigmaT = sigma * alpha;
        if (config.algorithmType() == AlgorithmType.DPMSOLVER_PLUS_PLUS) {
            float[] x0 = Predictions.originalSample(config.predictionType(), output, sample, alpha, sigmaT);
            if (config.thresholding()) {
                Predictions.threshold(x0, batch, config.dynamicThresholdingRatio(), config.sampleMaxValue());
            }
            return x0;
        }
        float[] eps = Predictions.epsilon(config.predictionType(), output, sample, alpha, sigmaT);
        if (config.thresholding()) {
            float[] x0 = Predictions.originalSample(PredictionType.EPSILON, eps, sample, alpha, sigmaT);
            Predictions.threshold(x0, batch, config.dynamicThresholdingRatio(), config.sampleMaxValue());
            eps = Predictions.epsilonFrom(x0, sample, alpha, sigmaT);
        }
        return eps;
    }

    private boolean dataPrediction() {
        return config.algorithmType() == AlgorithmType.DPMSOLVER_PLUS_PLUS;
    }

    /** DPM-Solver++(1) = DDIM in log-SNR: Lu et al. 2022b eq. 5 (or DPM-Solver-1 for eps). */
    private float[] firstOrder(float[] m0, float[] sample, double sigmaNext, double sigmaNow) {
        double alphaT = alphaOf(sigmaNext);
        double sigmaT = sigmaNext * alphaT;
        double alphaS = alphaOf(sigmaNow);
        double sigmaS = sigmaNow * alphaS;
        double h = lambdaOf(sigmaNext) - lambdaOf(sigmaNow);
        return dataPrediction()
                ? combine(sigmaT / sigmaS, sample, -alphaT * (Math.exp(-h) - 1.0), m0)
                : combine(alphaT / alphaS, sample, -sigmaT * (Math.exp(h) - 1.0), m0);
    }

    /** Multistep second order (algorithm 2), with the midpoint or Heun-type coefficient for D1. */
    private float[] secondOrder(float[] sample, double sigmaNext, double s0, double s1) {
        float[] m0 = history[history.length - 1];
        float[] m1 = history[history.length - 2];
        double alphaT = alphaOf(sigmaNext);
        double sigmaT = sigmaNext * alphaT;
        double alphaS0 = alphaOf(s0);
        double sigmaS0 = s0 * alphaS0;
        double lambdaT = lambdaOf(sigmaNext);
        double lambdaS0 = lambdaOf(s0);
        double lambdaS1 = lambdaOf(s1);
        double h = lambdaT - lambdaS0;
        double r0 = (lambdaS0 - lambdaS1) / h;
        double cSample;
        double cD0;
        double cD1;
        if (dataPrediction()) {
            cSample = sigmaT / sigmaS0;
            cD0 = -alphaT * (Math.exp(-h) - 1.0);
            cD1 = heun() ? alphaT * ((Math.exp(-h) - 1.0) / h + 1.0) : -0.5 * alphaT * (Math.exp(-h) - 1.0);
        } else {
            cSample = alphaT / alphaS0;
            cD0 = -sigmaT * (Math.exp(h) - 1.0);
            cD1 = heun() ? -sigmaT * ((Math.exp(h) - 1.0) / h - 1.0) : -0.5 * sigmaT * (Math.exp(h) - 1.0);
        }
        float[] out = new float[sample.length];
        for (int k = 0; k < out.length; k++) {
            double d1 = (m0[k] - m1[k]) / r0;
            out[k] = (float) (cSample * sample[k] + cD0 * m0[k] + cD1 * d1);
        }
        return out;
    }

    /** Multistep third order: second divided differences in lambda. */
    private float[] thirdOrder(float[] sample, double sigmaNext, double s0, double s1, double s2) {
        float[] m0 = history[history.length - 1];
        float[] m1 = history[history.length - 2];
        float[] m2 = history[history.length - 3];
        double alphaT = alphaOf(sigmaNext);
        double sigmaT = sigmaNext * alphaT;
        double alphaS0 = alphaOf(s0);
        double sigmaS0 = s0 * alphaS0;
        double lambdaT = lambdaOf(sigmaNext);
        double lambdaS0 = lambdaOf(s0);
        double lambdaS1 = lambdaOf(s1);
        double lambdaS2 = lambdaOf(s2);
        double h = lambdaT - lambdaS0;
        double r0 = (lambdaS0 - lambdaS1) / h;
        double r1 = (lambdaS1 - lambdaS2) / h;
        double cSample;
        double cD0;
        double cD1;
        double cD2;
        if (dataPrediction()) {
            cSample = sigmaT / sigmaS0;
            cD0 = -alphaT * (Math.exp(-h) - 1.0);
            cD1 = alphaT * ((Math.exp(-h) - 1.0) / h + 1.0);
            cD2 = -alphaT * ((Math.exp(-h) - 1.0 + h) / (h * h) - 0.5);
        } else {
            cSample = alphaT / alphaS0;
            cD0 = -sigmaT * (Math.exp(h) - 1.0);
            cD1 = -sigmaT * ((Math.exp(h) - 1.0) / h - 1.0);
            cD2 = -sigmaT * ((Math.exp(h) - 1.0 - h) / (h * h) - 0.5);
        }
        float[] out = new float[sample.length];
        for (int k = 0; k < out.length; k++) {
            double d10 = (m0[k] - m1[k]) / r0;
            double d11 = (m1[k] - m2[k]) / r1;
            double d1 = d10 + r0 / (r0 + r1) * (d10 - d11);
            double d2 = (d10 - d11) / (r0 + r1);
            out[k] = (float) (cSample * sample[k] + cD0 * m0[k] + cD1 * d1 + cD2 * d2);
        }
        return out;
    }
}
