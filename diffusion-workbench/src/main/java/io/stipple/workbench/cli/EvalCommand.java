package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.pipeline.SamplerChoice;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.workbench.classifier.EvaluationReport;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.workbench.classifier.Evaluator;
import io.stipple.workbench.data.Sample;
import io.stipple.engine.data.SceneSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures a model on held-out TEST captions: generates one image per caption and scores them
 * with the clean attribute classifier (per-attribute adherence, Frechet distance in its feature
 * space against real TEST renders, and its own accuracy on those renders). The last line printed
 * is one JSON object with the settings and the scores.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Generate images for held-out test captions and score them with the attribute classifier.")
public final class EvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", defaultValue = BundledModels.BASE)
    Path modelDir;

    @Mixin
    HeldOutSetOptions heldOut;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--dynamic-thresholding")
    boolean dynamicThresholding;

    @Option(names = "--classifier-guidance", description = "Noise-aware classifier folder: adds classifier guidance.")
    Path noiseAwareClassifier;

    @Option(names = "--classifier-scale", defaultValue = "1.0")
    double classifierScale;

    @Override
    public Integer call() throws Exception {
        int count = heldOut.count;
        int batch = heldOut.batch;
        List<Sample> samples = Evaluator.testSamples(count);
        List<String> prompts = samples.stream().map(s -> s.caption().text()).toList();
        List<SceneSpec> specs = samples.stream().map(s -> s.caption().spec()).toList();
        try (DiffusionModel model = DiffusionModels.open(modelDir);
                AttributeClassifier classifier = new AttributeClassifier(heldOut.classifierDir)) {
            SamplerChoice choice = SamplerChoice.parse(sampling.sampler);
            PromptSampler promptSampler = new PromptSampler(model, choice, sampling.steps, sampling.guidance, dynamicThresholding);
            NoiseAwareClassifier guide = noiseAwareClassifier == null ? null : new NoiseAwareClassifier(noiseAwareClassifier);
            if (guide != null) {
                promptSampler.withClassifierGuidance(guide, classifierScale);
            }
            int size = promptSampler.imageSize().width(); // the held-out renders are square
            float[] images = new float[count * size * size * 3];
            long start = System.nanoTime();
            for (int first = 0; first < count; first += batch) {
                int n = Math.min(batch, count - first);
                float[] chunk = promptSampler.sample(prompts.subList(first, first + n), "", sampling.seed, first);
                System.arraycopy(chunk, 0, images, first * size * size * 3, chunk.length);
                System.err.printf("sampled %d/%d%n", first + n, count);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (guide != null) {
                guide.close();
            }
            EvaluationReport report = new Evaluator(classifier, heldOut.realImages).evaluate(images, size, specs);
            ObjectNode line = JSON.createObjectNode();
            line.put("model", model.identity().reference());
            line.put("sampler", choice.wireName());
            line.put("steps", sampling.steps);
            line.put("guidance", sampling.guidance);
            line.put("dynamic_thresholding", dynamicThresholding);
            line.put("classifier_guidance_scale", guide == null ? 0 : classifierScale);
            line.put("seed", sampling.seed);
            line.put("seconds_per_image", seconds / count);
            line.set("report", JSON.readTree(report.toJson()));
            System.out.println(JSON.writeValueAsString(line));
        }
        return 0;
    }
}
