package io.stipple.workbench.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * Times several tasks in alternation (A B C, A B C, ...) so that the drift of a shared, noisy
 * machine hits every task alike; ratios are then taken round by round and summarised by their
 * median. Each task also records the process's CPU time (all threads, TensorFlow's native ones
 * included): on a machine whose cores other processes also want, wall time counts the waiting for
 * a core, CPU time mostly does not.
 *
 * <p>The JVM reads process CPU time in 10 ms ticks, so a task is repeated within its turn until a
 * turn lasts about {@code minTurnMillis} (calibrated on the first warm-up round), and the CPU figure
 * is the total over all rounds divided by the calls (tick errors average out); wall figures are
 * medians of per-round means.
 */
public final class Interleaved {

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Map<String, Runnable> tasks = new LinkedHashMap<>();
    private final double minTurnMillis;

    public Interleaved(double minTurnMillis) {
        this.minTurnMillis = minTurnMillis;
    }

    /** Milliseconds per call of one task in each round, and its mean CPU milliseconds per call over all rounds. */
    public record Times(double[] wall, double cpuPerCall, int callsPerTurn) {

        public double medianWall() {
            return median(wall);
        }
    }

    public Interleaved add(String name, Runnable task) {
        tasks.put(name, task);
        return this;
    }

    /** Times of every task after {@code warmups} (at least one) untimed rounds. */
    public Map<String, Times> run(int warmups, int rounds) {
        Map<String, Integer> calls = new LinkedHashMap<>();
        for (var task : tasks.entrySet()) { // first warm-up round: calibrate the calls per turn
            long start = System.nanoTime();
            task.getValue().run();
            double ms = (System.nanoTime() - start) / 1e6;
            calls.put(task.getKey(), (int) Math.max(1, Math.min(1000, Math.ceil(minTurnMillis / Math.max(ms, 1e-3)))));
        }
        Map<String, double[]> wall = new LinkedHashMap<>();
        Map<String, Long> cpuNanos = new LinkedHashMap<>();
        tasks.keySet().forEach(name -> {
            wall.put(name, new double[rounds]);
            cpuNanos.put(name, 0L);
        });
        for (int round = 1 - Math.max(1, warmups); round < rounds; round++) {
            for (var task : tasks.entrySet()) {
                int n = calls.get(task.getKey());
                long cpuStart = OS.getProcessCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    task.getValue().run();
                }
                long elapsed = System.nanoTime() - start;
                long cpu = OS.getProcessCpuTime() - cpuStart;
                if (round >= 0) {
                    wall.get(task.getKey())[round] = elapsed / 1e6 / n;
                    cpuNanos.merge(task.getKey(), cpu, Long::sum);
                }
            }
        }
        Map<String, Times> times = new LinkedHashMap<>();
        for (String name : tasks.keySet()) {
            int n = calls.get(name);
            times.put(name, new Times(wall.get(name), cpuNanos.get(name) / 1e6 / ((double) n * rounds), n));
        }
        return times;
    }

    public static double median(double[] values) {
        return new Median().evaluate(values);
    }

    /** Median over rounds of {@code numerator[r] / denominator[r]}. */
    public static double medianRatio(double[] numerator, double[] denominator) {
        double[] ratios = new double[numerator.length];
        for (int r = 0; r < numerator.length; r++) {
            ratios[r] = numerator[r] / denominator[r];
        }
        return median(ratios);
    }
}
