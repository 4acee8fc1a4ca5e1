package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.GaussianOracle;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.schedulers.DDIMScheduler;
import io.stipple.engine.schedulers.NoiseLevel;
import io.stipple.engine.schedulers.Scheduler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sampler accuracy on data N(mu, s^2) with the exact denoiser ({@link GaussianOracle}).
 *
 * <p>Deterministic samplers: the probability-flow ODE of a Gaussian keeps the standardised value
 * {@code xi = (x - alpha mu) / sqrt(alpha^2 s^2 + sigma^2)}, so from a start x at the first
 * timestep's level the exact clean result is {@code mu + s xi}. The error is the largest
 * deviation from it over starts {@code z in {-2, -1, 0, 1, 2}} times the initial sigma: pure
 * discretisation error, no sampling noise. Stochastic samplers: {@code |mean - mu| + |std - s|}
 * over many seeded samples, so it includes Monte Carlo error (about 2.4 s / sqrt(n)).
 *
 * <p>{@code main [samples] [steps,steps,...]} prints the table (default 65536 samples; 10, 20,
 * 50 and 1000 steps). DDPM-type samplers use trailing spacing so every run starts at t = 999.
 */
public final class GaussianConvergence {

    public static final double MU = 0.5;
    public static final double S = 0.3;
    private static final float[] STARTS = {-2, -1, 0, 1, 2};

    /** A named sampler configuration. */
    public record Sampler(String name, boolean stochastic, Supplier<Scheduler> factory) {
    }

    /** Every sampler of the engine, in configurations that start at the last training timestep. */
    public static List<Sampler> samplers() {
        return List.of(
                stochastic("DDPM fixed_small", "DDPMScheduler", Map.of("clip_sample", false, "timestep_spacing", "trailing")),
                stochastic("DDPM fixed_large", "DDPMScheduler", Map.of("clip_sample", false, "timestep_spacing", "trailing",
                        "variance_type", "fixed_large")),
                new Sampler("DDIM eta=0", false, () -> new DDIMScheduler(SchedulerConfigs.defaults("DDIMScheduler",
                        Map.of("clip_sample", false, "timestep_spacing", "trailing")), 0.0)),
                new Sampler("DDIM eta=1", true, () -> new DDIMScheduler(SchedulerConfigs.defaults("DDIMScheduler",
                        Map.of("clip_sample", false, "timestep_spacing", "trailing")), 1.0)),
                deterministic("PNDM (PRK+PLMS)", "PNDMScheduler", Map.of("timestep_spacing", "trailing", "set_alpha_to_one", true)),
                deterministic("PNDM skip_prk_steps", "PNDMScheduler", Map.of("timestep_spacing", "trailing",
                        "set_alpha_to_one", true, "skip_prk_steps", true)),
                deterministic("DPM-Solver++ order 1", "DPMSolverMultistepScheduler", Map.of("solver_order", 1, "timestep_spacing", "trailing")),
                deterministic("DPM-Solver++ order 2", "DPMSolverMultistepScheduler", Map.of("solver_order", 2, "timestep_spacing", "trailing")),
                deterministic("DPM-Solver++ order 3", "DPMSolverMultistepScheduler", Map.of("solver_order", 3, "timestep_spacing", "trailing")),
                deterministic("DPM-Solver++ 2 Karras", "DPMSolverMultistepScheduler", Map.of("solver_order", 2,
                        "use_karras_sigmas", true, "timestep_spacing", "trailing")),
                deterministic("DPM-Solver++ 3 Karras", "DPMSolverMultistepScheduler", Map.of("solver_order", 3,
                        "use_karras_sigmas", true, "timestep_spacing", "trailing")),
                deterministic("Euler", "EulerDiscreteScheduler", Map.of()),
                deterministic("Euler Karras", "EulerDiscreteScheduler", Map.of("use_karras_sigmas", true)),
                stochastic("Euler ancestral", "EulerAncestralDiscreteScheduler", Map.of()),
                deterministic("Heun", "HeunDiscreteScheduler", Map.of("beta_start", 0.0001, "beta_end", 0.02)),
                deterministic("LMS", "LMSDiscreteScheduler", Map.of()),
                deterministic("UniPC bh2 order 2", "UniPCMultistepScheduler", Map.of("solver_order", 2,
                        "timestep_spacing", "trailing")),
                deterministic("UniPC bh2 order 3", "UniPCMultistepScheduler", Map.of("solver_order", 3,
                        "timestep_spacing", "trailing")));
    }

    private static Sampler deterministic(String name, String className, Map<String, ?> config) {
        return new Sampler(name, false, () -> SchedulerConfigs.create(SchedulerConfigs.defaults(className, config)));
    }

    private static Sampler stochastic(String name, String className, Map<String, ?> config) {
        return new Sampler(name, true, () -> SchedulerConfigs.create(SchedulerConfigs.defaults(className, config)));
    }

    private GaussianConvergence() {
    }

    /** The sampler's error at {@code steps} (see the class comment); {@code samples} only for stochastic ones. */
    public static double error(Sampler sampler, int steps, int samples) {
        Scheduler scheduler = sampler.factory().get();
        scheduler.setTimesteps(steps);
        StepModel model = StepModel.of(new GaussianOracle(MU, S, scheduler.config().predictionType(),
                scheduler::noiseLevel), Conditioning.none(1));
        return sampler.stochastic() ? statisticalError(scheduler, model, samples) : discretisationError(scheduler, model);
    }

    private static double discretisationError(Scheduler scheduler, StepModel model) {
        int n = STARTS.length;
        float[] start = new float[n];
        for (int i = 0; i < n; i++) {
            start[i] = STARTS[i] * scheduler.initNoiseSigma();
        }
        Tensor result = SamplingLoop.run(scheduler, model, Tensor.of(start, n, 1, 1, 1), 0,
                PhiloxNoise.forImages(0, 0, n), StepListener.NONE);
        NoiseLevel first = scheduler.noiseLevel(scheduler.timesteps()[0]);
        double spread = Math.sqrt(first.alpha() * first.alpha() * S * S + first.sigma() * first.sigma());
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double exact = MU + S * (start[i] - first.alpha() * MU) / spread;
            worst = Math.max(worst, Math.abs(result.data()[i] - exact));
        }
        return worst;
    }

    private static double statisticalError(Scheduler scheduler, StepModel model, int samples) {
        int batch = 8;
        int per = samples / batch;
        PhiloxNoise noise = PhiloxNoise.forImages(2024, 0, batch);
        float[] start = SamplingLoop.scaled(noise.nextGaussian(batch * per), scheduler.initNoiseSigma());
        float[] x = SamplingLoop.run(scheduler, model, Tensor.of(start, batch, per, 1, 1), 0, noise,
                StepListener.NONE).data();
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (float v : x) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / (x.length - 1));
        return Math.abs(mean - MU) + Math.abs(std - S);
    }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 65_536;
        int[] steps = args.length > 1
                ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {10, 20, 50, 1000};
        System.out.printf(Locale.ROOT, "Analytic Gaussian N(%.1f, %.1f^2): error at n steps "
                + "(deterministic: max |x - exact ODE solution|; stochastic*: |mean-mu|+|std-s|, %d samples)%n",
                MU, S, samples);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s", "sampler"));
        for (int n : steps) {
            header.append(String.format(Locale.ROOT, " %11d", n));
        }
        System.out.println(header);
        for (Sampler s : samplers()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-24s", s.name() + (s.stochastic() ? "*" : "")));
            for (int n : steps) {
                row.append(String.format(Locale.ROOT, " %11.3e", error(s, n, samples)));
            }
            System.out.println(row);
        }
    }
}
