package io.stipple.workbench.bench;

import io.stipple.engine.noise.NoiseSource;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.schedulers.Scheduler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Plain benchmark (not a test): the cost of one scheduler step, including {@code scaleModelInput}
 * and any noise draw, per sample element and per batch, next to the cost of one network
 * evaluation. The model output is a fixed array, so only scheduler work is timed.
 *
 * <p>Usage: {@code StepBenchmark [batch] [height] [width] [channels] [networkMillis]}; defaults
 * 32x16x16x3 and 28 ms, the U-Net forward pass at that shape measured in docs/field-notes.md (26-32 ms;
 * re-measure with the CLI's {@code benchmark} command for another model).
 */
public final class StepBenchmark {

    private static final int STEPS = 50;
    private static final int REPEATS = 7;

    private StepBenchmark() {
    }

    public static void main(String[] args) {
        int batch = intArg(args, 0, 32);
        int height = intArg(args, 1, 16);
        int width = intArg(args, 2, 16);
        int channels = intArg(args, 3, 3);
        double networkMillis = args.length > 4 ? Double.parseDouble(args[4]) : 28.0;
        int size = batch * height * width * channels;
        System.out.printf(Locale.ROOT, "batch %dx%dx%dx%d = %d elements, %d-step loops, median of %d%n",
                batch, height, width, channels, size, STEPS, REPEATS);
        System.out.printf(Locale.ROOT, "%-34s %12s %12s %14s%n", "scheduler", "ns/element", "ms/step", "vs network");
        for (String name : SchedulerConfigs.supportedClasses()) {
            double ms = medianStepMillis(name, batch, size);
            System.out.printf(Locale.ROOT, "%-34s %12.2f %12.3f %13.2f%%%n", name, ms * 1e6 / size, ms,
                    100 * ms / networkMillis);
        }
        System.out.printf(Locale.ROOT, "network evaluation taken as %.1f ms per batch%n", networkMillis);
    }

    private static double medianStepMillis(String className, int batch, int size) {
        Scheduler scheduler = SchedulerConfigs.create(SchedulerConfigs.defaults(className, Map.of()));
        float[] output = PhiloxNoise.gaussian(new PhiloxNoise.ImageKey(1, 0), 0, size);
        double[] perStep = new double[REPEATS];
        for (int r = -2; r < REPEATS; r++) { // two warm-up rounds for the JIT
            NoiseSource noise = PhiloxNoise.forImages(r + 10, 0, batch);
            scheduler.setTimesteps(STEPS);
            float[] x = noise.nextGaussian(size);
            float[] timesteps = scheduler.timesteps();
            long start = System.nanoTime();
            for (float t : timesteps) {
                float[] in = scheduler.scaleModelInput(x, t);
                x = scheduler.step(output, t, in.length == x.length ? x : in, noise).prevSample();
            }
            double ms = (System.nanoTime() - start) / 1e6 / timesteps.length;
            if (r >= 0) {
                perStep[r] = ms;
            }
        }
        Arrays.sort(perStep);
        return perStep[REPEATS / 2];
    }

    private static int intArg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
