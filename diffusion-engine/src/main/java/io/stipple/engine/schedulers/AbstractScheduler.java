package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;
import java.util.Objects;

/**
 * What DDPM-type schedulers share: the config, the training schedule, the chosen timesteps, and
 * samples in the {@code sqrt(abar) x0 + sqrt(1-abar) eps} space (no input scaling, unit initial
 * noise).
 */
abstract class AbstractScheduler implements Scheduler {

    protected final SchedulerConfig config;
    protected final NoiseSchedule schedule;
    private float[] timesteps;
    private int stepIndex = -1;
    private int numInferenceSteps;

    protected AbstractScheduler(SchedulerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.schedule = NoiseSchedule.of(config);
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public float[] timesteps() {
        return requireTimesteps().clone();
    }

    /** Stores the timesteps chosen by {@link #setTimesteps}. */
    protected void useTimesteps(float[] chosen) {
        useTimesteps(chosen, chosen.length);
    }

    /** As above, when model evaluations and requested steps differ (PNDM's PRK start-up, Heun). */
    protected void useTimesteps(float[] chosen, int requestedSteps) {
        this.timesteps = chosen;
        this.numInferenceSteps = requestedSteps;
        this.stepIndex = -1;
    }

    /**
     * Position in {@link #timesteps()} for stateful schedulers that count their steps (Euler-type,
     * multistep). The first call locates {@code timestep} in the schedule, so a loop may start in
     * the middle (image-to-image); where a timestep appears twice (Heun) the second occurrence is
     * taken, as diffusers does, except at the very start of the schedule: a loop that begins with the
     * first timestep begins at the first step (diffusers skips it when the first timestep repeats and
     * then runs out of steps before the end of the loop).
     */
    protected int stepIndex(float timestep) {
        float[] ts = requireTimesteps();
        if (stepIndex < 0) {
            int first = -1;
            int second = -1;
            for (int i = 0; i < ts.length; i++) {
                if (ts[i] == timestep) {
                    if (first < 0) {
                        first = i;
                    } else if (second < 0) {
                        second = i;
                    }
                }
            }
            if (first < 0) {
                throw new IllegalArgumentException("timestep " + timestep + " is not in this schedule");
            }
            stepIndex = second >= 0 && first > 0 ? second : first;
        }
        if (stepIndex >= ts.length) {
            throw new IllegalStateException("all " + ts.length + " steps are done; call setTimesteps again");
        }
        return stepIndex;
    }

    /** Moves to the next entry of the schedule after a step. */
    protected void advanceStep() {
        stepIndex++;
    }

    protected float[] requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + ": call setTimesteps(numInferenceSteps) before timesteps() or step()");
        }
        return timesteps;
    }

    /** The {@code numInferenceSteps} passed to {@link #setTimesteps}. */
    protected int numInferenceSteps() {
        requireTimesteps();
        return numInferenceSteps;
    }

    protected void requireStepsInRange(int numInferenceSteps) {
        if (numInferenceSteps < 1 || numInferenceSteps > config.numTrainTimesteps()) {
            throw new IllegalArgumentException("numInferenceSteps must be in [1, " + config.numTrainTimesteps()
                    + "], got " + numInferenceSteps);
        }
    }

    /** The integer training timestep a DDPM-type scheduler was called with. */
    protected static int trainTimestep(float timestep) {
        int t = Math.round(timestep);
        if (t != timestep) {
            throw new IllegalArgumentException("this scheduler takes integer timesteps, got " + timestep);
        }
        return t;
    }

    protected static int batchOf(NoiseSource noise) {
        return Objects.requireNonNull(noise, "noise source (it also gives the batch size)").batchSize();
    }

    @Override
    public float[] addNoise(float[] originalSamples, float[] noise, int[] timesteps) {
        return schedule.addNoise(originalSamples, noise, timesteps);
    }

    @Override
    public float[] scaleModelInput(float[] sample, float timestep) {
        return sample;
    }

    @Override
    public float initNoiseSigma() {
        return 1.0f;
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public NoiseLevel noiseLevel(float timestep) {
        double abar = schedule.alphaBar(trainTimestep(timestep));
        return new NoiseLevel(Math.sqrt(abar), Math.sqrt(1 - abar));
    }

    /** {@code a * x + b * y}, element-wise. */
    protected static float[] combine(double a, float[] x, double b, float[] y) {
        float[] out = new float[x.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (a * x[i] + b * y[i]);
        }
        return out;
    }
}
