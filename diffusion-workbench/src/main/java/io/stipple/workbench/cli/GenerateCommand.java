package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.denoise.Layouts;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.model.ModelDefaults;
import io.stipple.engine.weights.NpyFile;
import java.io.IOException;
import java.util.Arrays;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.sd.StableDiffusionModel;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prompts to a PNG grid: one row per prompt, {@code --count} images each. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate images from prompts with a model folder and write them as one PNG grid.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", defaultValue = BundledModels.BASE, description = "Model folder (a LoRA version loads over"
            + " its base, found under --models), or a Stable Diffusion single-file .safetensors checkpoint.")
    Path modelDir;

    @Mixin
    SingleFileArguments singleFile = new SingleFileArguments();

    @Option(names = "--lora", description = "A LoRA file (kohya or diffusers/PEFT names) and its scale, file:scale"
            + " (scale 1 when omitted), applied over a Stable Diffusion model; repeat to stack several.")
    List<String> loras;

    @Option(names = "--models", defaultValue = "models", description = "Folder of <name>/<version>/ model folders where a LoRA version's base is.")
    Path modelsRoot;

    @Option(names = {"--prompt", "-p"}, required = true, description = "A prompt (repeat for several rows).")
    List<String> prompts;

    @Option(names = "--negative-prompt", defaultValue = "")
    String negativePrompt;

    @Option(names = "--count", defaultValue = "8", description = "Images per prompt.")
    int count;

    @Option(names = "--sampler", description = "ddpm, ddim, euler, euler_ancestral, heun, dpmpp_2m (default: the model card's;"
            + " for a diffusers folder, its own scheduler/scheduler_config.json as it is).")
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

    @Option(names = "--width", description = "Image width in pixels (default: the model's native size).")
    Integer width;

    @Option(names = "--height", description = "Image height in pixels (default: the model's native size).")
    Integer height;

    @Option(names = "--latents", description = "Starting noise instead of the seeded draw, for exact comparisons with an"
            + " outside reference: a .npy float array [images, channels, h, w] as diffusers' latents= takes it (NCHW,"
            + " unit variance, h and w the sample size: the image size / 8 for Stable Diffusion).")
    Path latents;

    @Option(names = "--raw-out", description = "Also write the images as floats before quantisation: a .npy array"
            + " [images, height, width, 3] in [0, 1], as diffusers' output_type=\"np\" gives them.")
    Path rawOut;

    @Option(names = "--out", defaultValue = "generated.png")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (DiffusionModel base = openModel(); LoraSet loraSet = LoraSet.open(base, loras);
                DiffusionModel model = base.withLoras(loraSet.scaled())) {
            ModelDefaults defaults = model.defaults();
            SamplerChoice choice = sampler != null ? SamplerChoice.parse(sampler) : SamplerChoice.find(defaults.sampler());
            int stepCount = steps != null ? steps : defaults.steps();
            double scale = guidance != null ? guidance : defaults.guidanceScale();
            ImageSize size = new ImageSize(width != null ? width : defaults.nativeSize().width(),
                    height != null ? height : defaults.nativeSize().height());
            for (String prompt : prompts) {
                List<String> unknown = model.prompts().unknownWords(prompt);
                if (!unknown.isEmpty()) {
                    System.err.println("warning: the model does not know the words " + unknown + " in \"" + prompt + "\"");
                }
            }
            // A model whose default scheduler is none of the offered samplers (a diffusers folder's PNDM) runs
            // its own scheduler config as it is, as diffusers' pipeline does.
            PromptSampler promptSampler = (choice == null
                    ? new PromptSampler(model, model.schedulerConfig(), stepCount, GuidanceSettings.scale(scale))
                    : new PromptSampler(model, choice, stepCount, scale, dynamicThresholding)).atSize(size);
            NoiseAwareClassifier classifier = noiseAwareClassifier == null ? null
                    : new NoiseAwareClassifier(noiseAwareClassifier);
            if (classifier != null) {
                promptSampler.withClassifierGuidance(classifier, classifierScale);
            }
            Map<String, String> extra = new LinkedHashMap<>();
            extra.put("count_per_prompt", Integer.toString(count));
            extra.put("dynamic_thresholding", Boolean.toString(dynamicThresholding));
            if (!loraSet.isEmpty()) {
                extra.put("loras", loraSet.describe());
            }
            List<String> batch = new ArrayList<>();
            for (String prompt : prompts) {
                for (int i = 0; i < count; i++) {
                    batch.add(prompt);
                }
            }
            long start = System.nanoTime();
            if (latents != null) {
                promptSampler.startingFromNoise(startingNoise(model.sampleShape(size), batch.size()));
            }
            float[] images = promptSampler.sample(batch, negativePrompt, seed, 0);
            int outHeight = size.height();
            int outWidth = size.width();
            if (upscale != null) {
                List<DiffusionModel> stages = new ArrayList<>();
                try {
                    for (Path stage : upscale) {
                        stages.add(DiffusionModels.open(stage));
                    }
                    UpscaleChain chain = new CascadePipeline(model, stages).chain();
                    images = chain.upscale(images, batch, negativePrompt, null, seed, 0, CascadeListener.NONE);
                    outHeight = chain.outputSize();
                    outWidth = chain.outputSize();
                    extra.putAll(chain.describe(null));
                } finally {
                    stages.forEach(DiffusionModel::close);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String samplerName = choice != null ? choice.wireName() : model.schedulerConfig().className();
            GenerationParameters parameters = new GenerationParameters(String.join(" | ", prompts), negativePrompt,
                    seed, 0, model.identity().reference(), samplerName, stepCount, scale, outWidth, outHeight,
                    extra);
            PngCodec.write(out, ImageGrid.tileBatch(images, batch.size(), outHeight, outWidth, count, 1, 1f),
                    parameters.toPngText());
            if (rawOut != null) {
                NpyFile.write(rawOut, new long[] {batch.size(), outHeight, outWidth, RgbImage.CHANNELS},
                        unitRange(images));
            }
            if (classifier != null) {
                classifier.close();
            }
            System.out.printf("wrote %s: %d images (%dx%d) with %s, %d steps, guidance %.1f in %.1f s%n", out,
                    batch.size(), outWidth, outHeight, samplerName, stepCount, scale, seconds);
        }
        return 0;
    }

    /** A folder as {@link DiffusionModels#open(Path, Path)} opens it; a single file with what the options state. */
    private DiffusionModel openModel() throws IOException {
        if (DiffusionModels.isSingleFile(modelDir)) {
            return StableDiffusionModel.loadSingleFile(modelDir, singleFile.forFile(modelDir), null);
        }
        if (singleFile.given()) {
            throw new IllegalArgumentException("--prediction-type, --native-resolution, --text-encoder-heads and --tokenizer"
                    + " are for a .safetensors checkpoint; " + modelDir + " is a folder, whose own files say them");
        }
        return DiffusionModels.open(modelDir, modelsRoot);
    }

    /** {@code --latents}: NCHW as diffusers writes them, to the engine's NHWC sample layout. */
    private Tensor startingNoise(int[] sampleShape, int images) throws IOException {
        NpyFile.Array array = NpyFile.read(latents);
        long[] expected = {images, sampleShape[2], sampleShape[0], sampleShape[1]};
        if (!Arrays.equals(array.shape(), expected)) {
            throw new IllegalArgumentException(latents + " holds " + Arrays.toString(array.shape()) + " but this run samples "
                    + Arrays.toString(expected) + " (images, channels, height, width)");
        }
        int c = sampleShape[2];
        float[] nhwc = Layouts.nchwToNhwc(array.values(), images, c, sampleShape[0], sampleShape[1]);
        return Tensor.of(nhwc, images, sampleShape[0], sampleShape[1], c);
    }

    /** Images in [-1, 1] as diffusers' postprocessing leaves them: {@code (x / 2 + 0.5).clamp(0, 1)}. */
    private static float[] unitRange(float[] images) {
        float[] out = new float[images.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0f, Math.min(1f, images[i] / 2 + 0.5f));
        }
        return out;
    }
}
