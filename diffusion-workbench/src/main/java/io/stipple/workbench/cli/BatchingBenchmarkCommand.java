package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.model.ModelDefaults;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.nn.Sessions;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.pipeline.StepListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What dynamic batching buys a worker: jobs at the model card's default settings (one image
 * each, as the gateway's defaults ask), timed through the worker's own engine calls
 * ({@code sample}/{@code sampleBatch} + {@code encode}). One job alone; then N concurrent jobs
 * run one after another (a worker without batching, one sampling thread) and as one batch. Also
 * checks that every batched PNG equals its unbatched twin byte for byte.
 */
@Command(name = "bench-batching", mixinStandardHelpOptions = true,
        description = "Time per job at default settings, and images/s for N concurrent jobs, batched vs not.")
public final class BatchingBenchmarkCommand implements Callable<Integer> {

    private static final List<String> PROMPTS = List.of("a red circle on a white background",
            "a blue square on a black background", "a green triangle on a white background",
            "a yellow star on a blue background");

    @Option(names = "--model", defaultValue = BundledModels.BASE, description = "Model folder.")
    Path modelDir;

    @Option(names = "--jobs", defaultValue = "8", description = "Concurrent jobs (one image each).")
    int jobs;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs of each measurement; the median is reported.")
    int repeats;

    @Option(names = "--intra-op-threads", defaultValue = "2")
    int intraOp;

    @Option(names = "--inter-op-threads", defaultValue = "2")
    int interOp;

    @Override
    public Integer call() throws Exception {
        try (DiffusionModel model = DiffusionModels.open(modelDir, Sessions.config(intraOp, interOp))) {
            ModelDefaults defaults = model.defaults();
            List<GenerationRequest> requests = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                requests.add(new GenerationRequest(PROMPTS.get(j % PROMPTS.size()), "", 1, 1000 + j,
                        SamplerChoice.parse(defaults.sampler()), defaults.steps(),
                        GuidanceSettings.scale(defaults.guidanceScale()), Map.of()));
            }
            GenerationPipeline pipeline = new GenerationPipeline(model);
            pipeline.generate(requests.get(0), StepListener.NONE); // warm-up: TensorFlow's first calls are slow

            List<List<GeneratedImage>> alone = new ArrayList<>();
            double oneJob = median(() -> alone.add(pipeline.generate(requests.get(0), StepListener.NONE)));
            List<List<GeneratedImage>> sequential = new ArrayList<>();
            double unbatched = median(() -> {
                sequential.clear();
                requests.forEach(request -> sequential.add(pipeline.generate(request, StepListener.NONE)));
            });
            List<List<GeneratedImage>> together = new ArrayList<>();
            double batched = median(() -> {
                together.clear();
                List<float[]> images = pipeline.sampleBatch(requests, StepListener.NONE);
                for (int j = 0; j < requests.size(); j++) {
                    together.add(pipeline.encode(requests.get(j), images.get(j), pipeline.imageSize(requests.get(j)),
                            Map.of()));
                }
            });
            boolean identical = true;
            for (int j = 0; j < jobs; j++) {
                identical &= Arrays.equals(sequential.get(j).get(0).png(), together.get(j).get(0).png());
            }
            System.out.printf(Locale.ROOT, "model %s, %s, %s %d steps, guidance %.1f, TensorFlow threads %d/%d,"
                    + " median of %d%n", model.identity(), defaults.nativeSize(), defaults.sampler(),
                    defaults.steps(), defaults.guidanceScale(), intraOp, interOp, repeats);
            System.out.printf(Locale.ROOT, "time per job (1 image, alone):         %.3f s  (%.2f images/s)%n", oneJob,
                    1 / oneJob);
            System.out.printf(Locale.ROOT, "%d jobs one after another (no batching): %.3f s  (%.2f images/s)%n", jobs,
                    unbatched, jobs / unbatched);
            System.out.printf(Locale.ROOT, "%d jobs as one batch:                    %.3f s  (%.2f images/s)%n", jobs,
                    batched, jobs / batched);
            System.out.printf(Locale.ROOT, "batched / unbatched throughput: %.2fx; batched PNGs identical to unbatched: %s%n",
                    unbatched / batched, identical);
            return identical ? 0 : 1;
        }
    }

    private double median(Runnable run) {
        List<Double> seconds = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            run.run();
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        Collections.sort(seconds);
        return seconds.get(seconds.size() / 2);
    }
}
