package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Pseudo numerical methods for diffusion models (Liu et al. 2022, "PNDM"): the transfer part is
 * eq. 9 of the paper ({@link #transfer}); the gradient part is four-stage Runge-Kutta (PRK) for
 * the first three steps and then the four-step linear multistep method (PLMS), algorithm 2. With
 * {@code skip_prk_steps} (as Stable Diffusion uses it) the start-up is done by PLMS of lower order
 * with one extra evaluation, exactly as diffusers does.
 *
 * <p>The step-by-step bookkeeping (counter, history, which timestep pairs are used) follows
 * diffusers' {@code PNDMScheduler} so that results agree with it.
 */
public final class PNDMScheduler extends AbstractScheduler {

    private static final int PNDM_ORDER = 4;

    private int[] prkTimesteps = new int[0];
    private int counter;
    private final List<float[]> history = new ArrayList<>();
    private float[] stageSum;
    private float[] stageStart;

    public PNDMScheduler(SchedulerConfig config) {
        super(config);
        config.require(config.predictionType() != PredictionType.SAMPLE, "prediction_type sample");
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        requireStepsInRange(numInferenceSteps);
        int[] descending = TimestepSpacings.descending(config, numInferenceSteps);
        int n = descending.length;
        int[] ascending = new int[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = descending[n - 1 - i];
        }
        int[] plms;
        if (config.skipPrkSteps()) {
            prkTimesteps = new int[0];
            // [t_{n-1}, t_{n-2}, t_{n-2}, t_{n-3}, ..., t_0]: the repeated timestep is the extra start-up evaluation
            plms = new int[n + 1];
            plms[0] = ascending[n - 1];
            for (int i = 1; i <= n; i++) {
                plms[i] = ascending[Math.min(n - i, n - 2)];
            }
        } else {
            requireAtLeast(numInferenceSteps, PNDM_ORDER);
            // Three RK4 steps from the top, each with stages at t, t - r/2, t - r/2, t - r.
            int half = config.numTrainTimesteps() / numInferenceSteps / 2;
            int[] pairs = new int[2 * PNDM_ORDER - 1];
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = ascending[n - PNDM_ORDER + i / 2] + (i % 2 == 0 ? 0 : half);
            }
            int[] repeated = new int[2 * pairs.length - 2];
            for (int i = 0; i < repeated.length; i++) {
                repeated[i] = pairs[(i + 1) / 2];
            }
            prkTimesteps = new int[repeated.length];
            for (int i = 0; i < repeated.length; i++) {
                prkTimesteps[i] = repeated[repeated.length - 1 - i];
            }
            plms = new int[n - 3];
            for (int i = 0; i < plms.length; i++) {
                plms[i] = ascending[n - 4 - i];
            }
        }
        int[] all = new int[prkTimesteps.length + plms.length];
        System.arraycopy(prkTimesteps, 0, all, 0, prkTimesteps.length);
        System.arraycopy(plms, 0, all, prkTimesteps.length, plms.length);
        useTimesteps(TimestepSpacings.toFloat(all), numInferenceSteps);
        counter = 0;
        history.clear();
        stageSum = null;
        stageStart = null;
    }

    private static void requireAtLeast(int steps, int minimum) {
        if (steps < minimum) {
            throw new IllegalArgumentException("PNDM with PRK start-up needs at least " + minimum
                    + " inference steps, got " + steps + " (or set skip_prk_steps)");
        }
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        requireTimesteps();
        int t = trainTimestep(timestep);
        float[] prev = counter < prkTimesteps.length && !config.skipPrkSteps()
                ? stepPrk(modelOutput, t, sample)
                : stepPlms(modelOutput, t, sample);
        counter++;
        return new StepOutput(prev, null);
    }

    /** One RK4 stage; the fourth stage of each group completes the step from the group's start sample. */
    private float[] stepPrk(float[] output, int timestep, float[] sample) {
        int diffToPrev = counter % 2 != 0 ? 0 : config.numTrainTimesteps() / numInferenceSteps() / 2;
        int prevTimestep = timestep - diffToPrev;
        int groupTimestep = prkTimesteps[counter / 4 * 4];
        float[] direction = output;
        switch (counter % 4) {
            case 0 -> {
                stageSum = combine(1.0 / 6, output, 0, output); // starts the RK4 weighted sum
                history.add(output);
                stageStart = sample;
            }
            case 1, 2 -> stageSum = combine(1, stageSum, 1.0 / 3, output);
            default -> {
                direction = combine(1, stageSum, 1.0 / 6, output);
                stageSum = null;
            }
        }
        return transfer(stageStart, groupTimestep, prevTimestep, direction);
    }

    /** Adams-Bashforth over the last four noise estimates (fewer while starting up). */
    private float[] stepPlms(float[] output, int timestep, float[] sample) {
        if (!config.skipPrkSteps() && history.size() < 3) {
            throw new IllegalStateException("PLMS steps need the three PRK steps first");
        }
        int ratio = config.numTrainTimesteps() / numInferenceSteps();
        int prevTimestep = timestep - ratio;
        if (counter != 1) {
            while (history.size() > 3) {
                history.remove(0);
            }
            history.add(output);
        } else {
            // Second evaluation of the skip_prk start-up: a Heun-like correction of the first step.
            prevTimestep = timestep;
            timestep = timestep + ratio;
        }
        float[] direction;
        int h = history.size();
        if (h == 1 && counter == 0) {
            direction = output;
            stageStart = sample;
        } else if (h == 1 && counter == 1) {
            direction = combine(0.5, output, 0.5, history.get(0));
            sample = stageStart;
            stageStart = null;
        } else if (h == 2) {
            direction = combine(1.5, history.get(1), -0.5, history.get(0));
        } else if (h == 3) {
            direction = linear(new double[] {5.0 / 12, -16.0 / 12, 23.0 / 12});
        } else {
            direction = linear(new double[] {-9.0 / 24, 37.0 / 24, -59.0 / 24, 55.0 / 24});
        }
        return transfer(sample, timestep, prevTimestep, direction);
    }

    /** {@code sum_i weights[i] * history[i]}, oldest first. */
    private float[] linear(double[] weights) {
        int len = history.get(0).length;
        float[] out = new float[len];
        for (int i = 0; i < len; i++) {
            double s = 0;
            for (int k = 0; k < weights.length; k++) {
                s += weights[k] * history.get(k)[i];
            }
            out[i] = (float) s;
        }
        return out;
    }

    /** Liu et al. eq. 9: moves {@code sample} from t to prevT along the noise estimate. */
    private float[] transfer(float[] sample, int t, int prevT, float[] output) {
        double abar = schedule.alphaBar(t);
        double abarPrev = prevT >= 0 ? schedule.alphaBar(prevT) : (config.setAlphaToOne() ? 1.0 : schedule.alphaBar(0));
        float[] eps = Predictions.epsilon(config.predictionType(), output, sample, Math.sqrt(abar), Math.sqrt(1 - abar));
        double sampleCoeff = Math.sqrt(abarPrev / abar);
        double denominator = abar * Math.sqrt(1 - abarPrev) + Math.sqrt(abar * (1 - abar) * abarPrev);
        return combine(sampleCoeff, sample, -(abarPrev - abar) / denominator, eps);
    }
}
