package io.stipple.engine.cli;

import io.stipple.engine.model.ModelDefaults;
import io.stipple.engine.model.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.ImageGrid;
import io.stipple.engine.image.PngCodec;
import java.nio.file.Path;
import io.stipple.engine.cascade.CascadeListener;
import io.stipple.engine.cascade.CascadePipeline;
import io.stipple.engine.cascade.UpscaleChain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prompts to a PNG grid: one row per prompt, {@code --count} images each. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate images from prompts with a model folder and write them as one PNG grid.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = BundledModels.BASE, description = "Model folder (a LoRA version loads over its base, found under --models).")
    Path modelDir;

    @Option(names = "--models", defaultValue = "models", description = "Folder of <name>/<version>/ model folders where a LoRA version's base is.")
    Path modelsRoot;

    @Option(names = {"--prompt", "-p"}, required = true, description = "A prompt (repeat for several rows).")
    List<String> prompts;

    @Option(names = "--negative-prompt", defaultValue = "")
    String negativePrompt;

    @Option(names = "--count", defaultValue = "8", description = "Images per prompt.")
    int count;

    @Option(names = "--sampler", description = "ddpm, ddim, euler, euler_ancestral, heun, dpmpp_2m (default: the model card's).")
    String sampler;

    @Option(names = "--steps", description = "Sampling steps (default: the model card's).")
    Integer steps;

    @Option(names = "--guidance", description = "Classifier-free guidance scale, 1 = off (default: the model card's).")
    Double guidance;

    @Option(names = "--dynamic-thresholding", description = "Dynamic thresholding of predicted x0 instead of clipping.")
    boolean dynamicThresholding;

    @Option(names = "--classifier-guidance", description = "Noise-aware classifier folder: adds classifier guidance.")
    Path noiseAwareClassifier;

    @Option(names = "--classifier-scale", defaultValue = "1.0", description = "Classifier guidance scale.")
    double classifierScale;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--upscale", split = ",", description = "Super-resolution stage folders to run after the base model, in order (e.g. models/stipple-sr-16-32/1,models/stipple-sr-32-64/1), each with its card's defaults for generated inputs (default_cascade_aug_level).")
    List<Path> upscale;

    @Option(names = "--out", defaultValue = "generated.png")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (DiffusionModel model = DiffusionModels.open(modelDir, modelsRoot)) {
            ModelDefaults defaults = model.defaults();
            SamplerChoice choice = SamplerChoice.parse(sampler != null ? sampler : defaults.sampler());
            int stepCount = steps != null ? steps : defaults.steps();
            double scale = guidance != null ? guidance : defaults.guidanceScale();
            for (String prompt : prompts) {
                List<String> unknown = model.prompts().unknownWords(prompt);
                if (!unknown.isEmpty()) {
                    System.err.println("warning: the model does not know the words " + unknown + " in \"" + prompt + "\"");
                }
            }
            PromptSampler promptSampler = new PromptSampler(model, choice, stepCount, scale, dynamicThresholding);
            NoiseAwareClassifier classifier = noiseAwareClassifier == null ? null
                    : new NoiseAwareClassifier(noiseAwareClassifier);
            if (classifier != null) {
                promptSampler.withClassifierGuidance(classifier, classifierScale);
            }
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("count_per_prompt", Integer.toString(count));
            extra.put("dynamic_thresholding", Boolean.toString(dynamicThresholding));
            List<String> batch = new ArrayList<>();
            for (String prompt : prompts) {
                for (int i = 0; i < count; i++) {
                    batch.add(prompt);
                }
            }
            long start = System.nanoTime();
            float[] images = promptSampler.sample(batch, negativePrompt, seed, 0);
            int size = promptSampler.imageSize().width(); // the grid tiles square images
            if (upscale != null) {
                List<DiffusionModel> stages = new ArrayList<>();
                try {
                    for (Path stage : upscale) {
                        stages.add(DiffusionModels.open(stage));
                    }
                    UpscaleChain chain = new CascadePipeline(model, stages).chain();
                    images = chain.upscale(images, batch, negativePrompt, null, seed, 0, CascadeListener.NONE);
                    size = chain.outputSize();
                    extra.putAll(chain.describe(null));
                } finally {
                    stages.forEach(DiffusionModel::close);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            GenerationParameters parameters = new GenerationParameters(String.join(" | ", prompts), negativePrompt,
                    seed, 0, model.identity().reference(), choice.wireName(), stepCount, scale, size, size,
                    extra);
            PngCodec.write(out, ImageGrid.tileBatch(images, batch.size(), size, count, 1, 1f),
                    parameters.toPngText());
            if (classifier != null) {
                classifier.close();
            }
            System.out.printf("wrote %s: %d images (%dx%d) with %s, %d steps, guidance %.1f in %.1f s%n", out,
                    batch.size(), size, size, choice.wireName(), stepCount, scale, seconds);
        }
        return 0;
    }
}
