package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;
import java.util.function.IntToDoubleFunction;

/**
 * UniPC (Zhao et al. 2023, "UniPC: a unified predictor-corrector framework"): a multistep
 * predictor (UniP) and a corrector (UniC) that reuses the model evaluation at the new point, so
 * it gains one order of accuracy at no extra cost. Variants B(h) = h ({@code bh1}) or e^h - 1
 * ({@code bh2}); data prediction ({@code predict_x0}) or noise prediction. The step bookkeeping
 * (when the corrector runs, the order ramp, {@code disable_corrector}) follows diffusers'
 * {@code UniPCMultistepScheduler}.
 */
public final class UniPCMultistepScheduler extends LogSnrScheduler {

    /** Converted model outputs, newest last. */
    private float[][] history;
    private int lowerOrderCount;
    private int thisOrder;
    private float[] lastSample;

    public UniPCMultistepScheduler(SchedulerConfig config) {
        super(config);
        config.require(config.solverOrder() >= 1 && config.solverOrder() <= 3, "solver_order " + config.solverOrder());
        config.require("bh1".equals(config.solverType()) || "bh2".equals(config.solverType()),
                "solver_type " + config.solverType() + " (bh1 or bh2)");
        // Noise prediction cannot step to sigma = 0 (sigma_t * (e^h - 1) is 0 * inf); diffusers returns NaN.
        config.require(config.predictX0() || config.finalSigmasType() == FinalSigmasType.SIGMA_MIN,
                "final_sigmas_type zero with predict_x0 false (use sigma_min)");
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        computeSchedule(numInferenceSteps, 0, true);
        // The corrector divides by the last step's log-SNR gap: a repeated timestep would make it NaN.
        dropRepeatedTimesteps();
        history = new float[config.solverOrder()][];
        lowerOrderCount = 0;
        lastSample = null;
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int i = stepIndex(timestep);
        int steps = requireTimesteps().length;
        boolean useCorrector = i > 0 && !config.disableCorrector().contains(i - 1) && lastSample != null;
        float[] converted = convert(modelOutput, sample, sigmas[i], batchOf(noise));
        if (useCorrector) {
            sample = correct(converted, lastSample, sample, thisOrder, i);
        }
        System.arraycopy(history, 1, history, 0, history.length - 1);
        history[history.length - 1] = converted;

        int order = config.lowerOrderFinal() ? Math.min(config.solverOrder(), steps - i) : config.solverOrder();
        thisOrder = Math.min(order, lowerOrderCount + 1);
        lastSample = sample;
        float[] prev = predict(sample, thisOrder, i);
        if (lowerOrderCount < config.solverOrder()) {
            lowerOrderCount++;
        }
        advanceStep();
        return new StepOutput(prev, config.predictX0() ? converted : null);
    }

    private float[] convert(float[] output, float[] sample, double sigma, int batch) {
        double alpha = alphaOf(sigma);
        double sigmaT = sigma * alpha;
        if (config.predictX0()) {
            float[] x0 = Predictions.originalSample(config.predictionType(), output, sample, alpha, sigmaT);
            if (config.thresholding()) {
                Predictions.threshold(x0, batch, config.dynamicThresholdingRatio(), config.sampleMaxValue());
            }
            return x0;
        }
        return Predictions.epsilon(config.predictionType(), output, sample, alpha, sigmaT);
    }

    /** UniP-p (algorithm 2 of the paper) from {@code sigmas[i]} to {@code sigmas[i + 1]}. */
    private float[] predict(float[] x, int order, int i) {
        float[] m0 = history[history.length - 1];
        Coefficients c = coefficients(sigmas[i + 1], sigmas[i], order, k -> sigmas[i - k]);
        double[] rhos;
        if (order == 1) {
            rhos = new double[0];
        } else if (order == 2) {
            rhos = new double[] {0.5};
        } else {
            rhos = solve(c.r, c.b, order - 1);
        }
        float[] out = new float[x.length];
        for (int e = 0; e < out.length; e++) {
            double residual = 0;
            for (int k = 1; k < order; k++) {
                residual += rhos[k - 1] * (history[history.length - 1 - k][e] - m0[e]) / c.rk[k - 1];
            }
            out[e] = (float) (c.sampleCoeff * x[e] - c.outer * c.phi1 * m0[e] - c.correction(residual));
        }
        return out;
    }

    /** UniC-p: corrects the sample that reached {@code sigmas[i]} with the new model output. */
    private float[] correct(float[] modelAtT, float[] x, float[] predicted, int order, int i) {
        float[] m0 = history[history.length - 1];
        Coefficients c = coefficients(sigmas[i], sigmas[i - 1], order, k -> sigmas[i - 1 - k]);
        double[] rhos = order == 1 ? new double[] {0.5} : solve(c.r, c.b, order);
        float[] out = new float[x.length];
        for (int e = 0; e < out.length; e++) {
            double residual = 0;
            for (int k = 1; k < order; k++) {
                residual += rhos[k - 1] * (history[history.length - 1 - k][e] - m0[e]) / c.rk[k - 1];
            }
            residual += rhos[rhos.length - 1] * (modelAtT[e] - m0[e]);
            out[e] = (float) (c.sampleCoeff * x[e] - c.outer * c.phi1 * m0[e] - c.correction(residual));
        }
        return out;
    }

    /** Everything the UniP/UniC updates need for a step from sigma s0 to sigma t. */
    private record Coefficients(double sampleCoeff, double outer, double phi1, double bh, double[] rk,
            double[][] r, double[] b) {

        /**
         * {@code outer * B(h) * residual}; zero when there is no residual, even where B(h) is
         * infinite (bh1 stepping to sigma = 0, where diffusers computes inf * 0 = NaN).
         */
        double correction(double residual) {
            return residual == 0 ? 0 : outer * bh * residual;
        }
    }

    private Coefficients coefficients(double sigmaT, double sigmaS0, int order,
            IntToDoubleFunction previousSigma) {
        double alphaT = alphaOf(sigmaT);
        double alphaS0 = alphaOf(sigmaS0);
        double lambdaS0 = lambdaOf(sigmaS0);
        double h = lambdaOf(sigmaT) - lambdaS0;
        double[] rk = new double[order];
        for (int k = 1; k < order; k++) {
            rk[k - 1] = (lambdaOf(previousSigma.applyAsDouble(k)) - lambdaS0) / h;
        }
        rk[order - 1] = 1.0;
        boolean x0 = config.predictX0();
        double hh = x0 ? -h : h;
        double phi1 = Math.expm1(hh);
        double bh = "bh1".equals(config.solverType()) ? hh : Math.expm1(hh);
        double[][] r = new double[order][order];
        double[] b = new double[order];
        double phiK = phi1 / hh - 1;
        double factorial = 1;
        for (int p = 1; p <= order; p++) {
            for (int k = 0; k < order; k++) {
                r[p - 1][k] = Math.pow(rk[k], p - 1);
            }
            b[p - 1] = phiK * factorial / bh;
            factorial *= p + 1;
            phiK = phiK / hh - 1 / factorial;
        }
        double sampleCoeff = x0 ? (sigmaT * alphaT) / (sigmaS0 * alphaS0) : alphaT / alphaS0;
        double outer = x0 ? alphaT : sigmaT * alphaT;
        return new Coefficients(sampleCoeff, outer, phi1, bh, rk, r, b);
    }

    /** Solves the leading {@code n x n} block of {@code r x = b} (Gaussian elimination, partial pivoting). */
    static double[] solve(double[][] r, double[] b, int n) {
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(r[i], 0, a[i], 0, n);
            a[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int row = col + 1; row < n; row++) {
                double f = a[row][col] / a[col][col];
                for (int k = col; k <= n; k++) {
                    a[row][k] -= f * a[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int row = n - 1; row >= 0; row--) {
            double s = a[row][n];
            for (int k = row + 1; k < n; k++) {
                s -= a[row][k] * x[k];
            }
            x[row] = s / a[row][row];
        }
        return x;
    }
}
