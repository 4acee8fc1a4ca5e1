package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Linear multistep (Adams-Bashforth with variable steps in sigma; Karras et al. 2022 / k-diffusion
 * {@code sample_lms}): the slope {@code (x - x0_hat) / sigma} of the last (up to) four steps is
 * interpolated by a Lagrange polynomial in sigma and integrated over {@code [sigma_i,
 * sigma_{i+1}]}. The integrals are exact (Gauss-Legendre on a polynomial of degree <= 3).
 */
public final class LMSDiscreteScheduler extends SigmaScheduler {

    private static final int MAX_ORDER = 4;
    // 4-point Gauss-Legendre on [-1, 1]: exact for polynomials up to degree 7.
    private static final double[] NODES = {-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526};
    private static final double[] WEIGHTS = {0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538};

    /** Slopes of previous steps, newest first. */
    private final Deque<float[]> slopes = new ArrayDeque<>();

    public LMSDiscreteScheduler(SchedulerConfig config) {
        super(config);
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        computeSigmas(numInferenceSteps, config.useKarrasSigmas());
        slopes.clear();
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int i = stepIndex(timestep);
        double sigma = sigmas[i];
        float[] x0 = originalSample(modelOutput, sample, sigma);
        float[] slope = new float[sample.length];
        for (int k = 0; k < slope.length; k++) {
            slope[k] = (float) ((sample[k] - x0[k]) / sigma);
        }
        slopes.addFirst(slope);
        if (slopes.size() > MAX_ORDER) {
            slopes.removeLast();
        }
        int order = Math.min(i + 1, MAX_ORDER);
        double[] coefficients = new double[order];
        for (int j = 0; j < order; j++) {
            coefficients[j] = coefficient(order, i, j);
        }
        float[] prev = sample.clone();
        int j = 0;
        for (float[] s : slopes) {
            if (j >= order) {
                break;
            }
            for (int k = 0; k < prev.length; k++) {
                prev[k] = (float) (prev[k] + coefficients[j] * s[k]);
            }
            j++;
        }
        advanceStep();
        return new StepOutput(prev, x0);
    }

    /** Integral over [sigma_i, sigma_{i+1}] of the Lagrange basis polynomial of node i - j. */
    private double coefficient(int order, int i, int j) {
        double a = sigmas[i];
        double b = sigmas[i + 1];
        double half = (b - a) / 2;
        double mid = (a + b) / 2;
        double sum = 0;
        for (int q = 0; q < NODES.length; q++) {
            double tau = mid + half * NODES[q];
            double product = 1;
            for (int k = 0; k < order; k++) {
                if (k != j) {
                    product *= (tau - sigmas[i - k]) / (sigmas[i - j] - sigmas[i - k]);
                }
            }
            sum += WEIGHTS[q] * product;
        }
        return sum * half;
    }
}
