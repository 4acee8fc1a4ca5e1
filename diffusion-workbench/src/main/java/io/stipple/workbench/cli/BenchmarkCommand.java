package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.workbench.bench.EfficiencyCommand;
import io.stipple.workbench.bench.GuidanceBatchingCommand;
import io.stipple.workbench.bench.ProfileCommand;
import io.stipple.workbench.bench.SdConvCommand;
import io.stipple.workbench.bench.SdUNetCommand;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Times one {@code denoise} call of a model folder at several batch sizes (median of repeated runs). */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Time the denoise forward pass of a model at several batch sizes; subcommands measure "
                + "efficiency against the machine (docs/benchmarks.md).",
        subcommands = {EfficiencyCommand.class, GuidanceBatchingCommand.class, ProfileCommand.class,
                SdUNetCommand.class, SdConvCommand.class})
public final class BenchmarkCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = BundledModels.BASE)
    Path model;

    @Option(names = "--batches", defaultValue = "1,8,32", split = ",")
    List<Integer> batches;

    @Option(names = "--repeats", defaultValue = "20")
    int repeats;

    @Override
    public Integer call() throws Exception {
        long loadStart = System.nanoTime();
        try (DiffusionModel loaded = DiffusionModels.open(model)) {
            System.out.printf("loaded in %.2f s%n", (System.nanoTime() - loadStart) / 1e9);
            int[] shape = loaded.sampleShape(loaded.defaults().nativeSize());
            SplittableRandom random = new SplittableRandom(0);
            for (int batch : batches) {
                float[] values = new float[batch * shape[0] * shape[1] * shape[2]];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextGaussian();
                }
                Tensor sample = Tensor.of(values, batch, shape[0], shape[1], shape[2]);
                float[] timesteps = new float[batch];
                Arrays.fill(timesteps, 500f);
                Conditioning conditioning = loaded.prompts().encode(Collections.nCopies(batch, "a red star"));
                loaded.denoiser().predict(sample, timesteps, conditioning); // warm-up
                List<Double> millis = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    long start = System.nanoTime();
                    loaded.denoiser().predict(sample, timesteps, conditioning);
                    millis.add((System.nanoTime() - start) / 1e6);
                }
                Collections.sort(millis);
                System.out.printf("batch %d: median %.1f ms, min %.1f ms per denoise call%n", batch,
                        millis.get(millis.size() / 2), millis.get(0));
            }
        }
        return 0;
    }
}
