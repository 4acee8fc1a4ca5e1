package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.cascade.CascadeListener;
import io.stipple.engine.cascade.InputOrigin;
import io.stipple.workbench.cascade.ResidualProbe;
import io.stipple.engine.cascade.StageSettings;
import io.stipple.engine.cascade.SuperResolutionStage;
import io.stipple.engine.cascade.UpscaleChain;
import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.workbench.classifier.EvaluationReport;
import io.stipple.workbench.classifier.Evaluator;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Sample;
import io.stipple.engine.data.SceneSpec;
import io.stipple.engine.image.Resize;
import io.stipple.workbench.metrics.Psnr;
import io.stipple.workbench.metrics.SuperResolutionScores;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.pipeline.SamplerChoice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures super-resolution stages on held-out TEST scenes, for each augmentation level asked for
 * (the same level at every stage):
 * <ul>
 * <li>{@code real}: real renders at the chain's input size, upscaled, against the ground-truth
 * renders at the output size: PSNR and SSIM, the bicubic baseline, and consistency (the output
 * area-downsampled back vs the input).</li>
 * <li>{@code cascade}: the base model's images for the TEST captions, upscaled; attribute adherence
 * and Frechet distance with the 16x16 attribute classifier after area-downsampling the output to
 * the classifier's size (docs/cascade.md says why that is valid), next to the base's own scores.</li>
 * <li>{@code stages}: the {@code real} scores of each stage alone, on true renders of its own input
 * size against its own bicubic baseline (where a chain gains or loses).</li>
 * <li>{@code probe}: for each stage on its own, real renders, the one-call x0 prediction from the
 * true residual noised to each of {@code --probe-timesteps} ({@link ResidualProbe}), next to bicubic.</li>
 * </ul>
 * The last line printed is one JSON object with the settings and every score.
 */
@Command(name = "eval-sr", mixinStandardHelpOptions = true,
        description = "Measure super-resolution stages: real low-res renders vs ground truth, and the full cascade from base samples.")
public final class EvalSuperResolutionCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--stages", required = true, split = ",", description = "Stage model folders in order, e.g. models/stipple-sr-16-32/1,models/stipple-sr-32-64/1.")
    List<Path> stageDirs;

    @Option(names = "--base", defaultValue = BundledModels.BASE, description = "Base model for the cascade mode.")
    Path baseDir;

    @Option(names = "--mode", defaultValue = "both", description = "real, cascade, both, stages or probe.")
    String mode;

    @Mixin
    HeldOutSetOptions heldOut;

    @Option(names = "--aug-levels", split = ",", description = "Augmentation levels to measure (default: each card's, default_aug_level on real renders, default_cascade_aug_level on base samples).")
    List<Integer> augLevels;

    @Option(names = "--stage-sampler", description = "Sampler of every stage (default: each card's).")
    String stageSampler;

    @Option(names = "--stage-steps", description = "Steps of every stage (default: each card's).")
    Integer stageSteps;

    @Option(names = "--probe-timesteps", split = ",", defaultValue = "0,50,100,300,600,999",
            description = "Timesteps of the probe mode.")
    List<Integer> probeTimesteps;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<DiffusionModel> stages = new ArrayList<>();
        try {
            for (Path dir : stageDirs) {
                stages.add(DiffusionModels.open(dir));
            }
            // Real renders take the cards' default_aug_level, base samples their default_cascade_aug_level.
            UpscaleChain realChain = new UpscaleChain(stages, InputOrigin.REAL);
            UpscaleChain cascadeChain = new UpscaleChain(stages, InputOrigin.GENERATED);
            List<Sample> samples = Evaluator.testSamples(heldOut.count);
            ObjectNode line = JSON.createObjectNode();
            ArrayNode names = line.putArray("stages");
            stages.forEach(s -> names.add(name(s)));
            line.put("count", heldOut.count);
            line.put("seed", seed);
            List<List<StageSettings>> realSweep = sweep(realChain);
            ArrayNode settingsJson = line.putArray("stage_settings");
            realSweep.get(0).forEach(s -> settingsJson.add(s.sampler().wireName() + "/" + s.steps()));
            if (mode.equals("probe")) {
                line.set("probe", probe(stages, samples, realSweep));
            } else if (mode.equals("stages")) {
                line.set("per_stage", eachStageAlone(realChain, samples, realSweep));
            } else if (!mode.equals("cascade")) {
                line.set("real", real(realChain, samples, realSweep));
            }
            if (mode.equals("cascade") || mode.equals("both")) {
                line.set("cascade", cascade(cascadeChain, samples, sweep(cascadeChain)));
            }
            spec.commandLine().getOut().println(JSON.writeValueAsString(line));
            spec.commandLine().getOut().flush();
        } finally {
            stages.forEach(DiffusionModel::close);
        }
        return 0;
    }

    private List<List<StageSettings>> sweep(UpscaleChain chain) {
        List<StageSettings> base = chain.defaults().stream().map(s -> s.withSampling(
                stageSampler != null ? SamplerChoice.parse(stageSampler) : s.sampler(),
                stageSteps != null ? stageSteps : s.steps())).toList();
        if (augLevels == null) {
            return List.of(base);
        }
        return augLevels.stream().map(level -> base.stream().map(s -> s.withAugLevel(level)).toList()).toList();
    }

    /**
     * The {@code real} scores of every stage on its own, fed true renders at its own input size (not
     * the previous stage's output) and compared with its own bicubic baseline: which stage of a chain
     * gains or loses the decibels. Alone, a stage draws its noise as stage 1 of a chain would.
     */
    private ArrayNode eachStageAlone(UpscaleChain chain, List<Sample> samples, List<List<StageSettings>> sweep) {
        ArrayNode result = JSON.createArrayNode();
        for (int k = 0; k < chain.stages().size(); k++) {
            int position = k;
            UpscaleChain alone = new UpscaleChain(List.of(chain.stages().get(k).model()), chain.origin());
            ObjectNode entry = result.addObject();
            entry.put("stage", name(chain.stages().get(k).model()));
            entry.set("real", real(alone, samples, sweep.stream().map(s -> List.of(s.get(position))).toList()));
        }
        return result;
    }

    private static String name(DiffusionModel model) {
        return model.identity().reference();
    }

    private ObjectNode real(UpscaleChain chain, List<Sample> samples, List<List<StageSettings>> sweep) {
        int in = chain.inputSize();
        int out = chain.outputSize();
        float[] input = ProceduralShapes.render(samples, in).images();
        float[] truth = ProceduralShapes.render(samples, out).images();
        ObjectNode real = JSON.createObjectNode();
        real.put("input_size", in);
        real.put("output_size", out);
        // How exactly a low-resolution render is the area average of the high-resolution one (docs/cascade.md).
        real.put("area_downsampled_truth_vs_render_psnr", Psnr.meanOverBatch(
                Resize.resizeBatch(truth, heldOut.count, out, in, Resize.Method.AREA), input, heldOut.count));
        ArrayNode levels = real.putArray("per_level");
        for (List<StageSettings> settings : sweep) {
            long start = System.nanoTime();
            float[] upscaled = upscale(chain, input, captions(samples), settings);
            double seconds = (System.nanoTime() - start) / 1e9;
            SuperResolutionScores scores = SuperResolutionScores.measure(upscaled, input, truth, heldOut.count, in, out);
            ObjectNode entry = levels.addObject();
            entry.put("aug_level", settings.get(0).augLevel());
            entry.put("psnr", scores.psnr());
            entry.put("ssim", scores.ssim());
            entry.put("bicubic_psnr", scores.bicubicPsnr());
            entry.put("bicubic_ssim", scores.bicubicSsim());
            entry.put("gain_over_bicubic_db", scores.gainOverBicubic());
            entry.put("consistency_psnr", scores.consistencyPsnr());
            entry.put("seconds_per_image", seconds / heldOut.count);
            System.err.println("real " + entry);
        }
        return real;
    }

    private ArrayNode probe(List<DiffusionModel> stages, List<Sample> samples, List<List<StageSettings>> sweep) {
        ArrayNode result = JSON.createArrayNode();
        for (int k = 0; k < stages.size(); k++) {
            DiffusionModel stage = stages.get(k);
            SuperResolutionStage srStage = new SuperResolutionStage(stage);
            int in = srStage.inputSize();
            int out = srStage.outputSize();
            float[] low = ProceduralShapes.render(samples, in).images();
            float[] high = ProceduralShapes.render(samples, out).images();
            ObjectNode entry = result.addObject();
            entry.put("stage", name(stage));
            entry.put("bicubic_psnr", Psnr.meanOverBatch(Resize.resizeBatch(low, heldOut.count, in, out, Resize.Method.BICUBIC),
                    high, heldOut.count));
            for (List<StageSettings> settings : sweep) {
                int level = settings.get(k).augLevel();
                ObjectNode perT = entry.putObject("aug_" + level);
                for (int t : probeTimesteps) {
                    double psnr = 0;
                    for (int first = 0; first < heldOut.count; first += heldOut.batch) {
                        int n = Math.min(heldOut.batch, heldOut.count - first);
                        psnr += n * ResidualProbe.psnrAt(stage, slice(low, first, n, in), slice(high, first, n, out), n,
                                level, t, seed + first);
                    }
                    perT.put("t" + t, psnr / heldOut.count);
                }
            }
            System.err.println("probe " + entry);
        }
        return result;
    }

    private static float[] slice(float[] images, int first, int n, int size) {
        int per = size * size * 3;
        return Arrays.copyOfRange(images, first * per, (first + n) * per);
    }

    private ObjectNode cascade(UpscaleChain chain, List<Sample> samples, List<List<StageSettings>> sweep)
            throws Exception {
        ObjectNode cascade = JSON.createObjectNode();
        List<SceneSpec> specs = samples.stream().map(s -> s.caption().spec()).toList();
        try (DiffusionModel base = DiffusionModels.open(baseDir);
                AttributeClassifier classifier = new AttributeClassifier(heldOut.classifierDir)) {
            int size = base.defaults().nativeSize().width(); // the cascade's stages take square images
            var defaults = base.defaults();
            PromptSampler sampler = new PromptSampler(base, SamplerChoice.parse(defaults.sampler()), defaults.steps(),
                    defaults.guidanceScale(), false);
            long start = System.nanoTime();
            float[] bases = new float[heldOut.count * size * size * 3];
            for (int first = 0; first < heldOut.count; first += heldOut.batch) {
                int n = Math.min(heldOut.batch, heldOut.count - first);
                float[] chunk = sampler.sample(captions(samples).subList(first, first + n), "", seed, first);
                System.arraycopy(chunk, 0, bases, first * size * size * 3, chunk.length);
            }
            cascade.put("base_model", base.identity().reference());
            cascade.put("base_seconds_per_image", (System.nanoTime() - start) / 1e9 / heldOut.count);
            Evaluator evaluator = new Evaluator(classifier, heldOut.realImages);
            cascade.set("base", JSON.readTree(evaluator.evaluate(bases, size, specs).toJson()));
            ArrayNode levels = cascade.putArray("per_level");
            int out = chain.outputSize();
            for (List<StageSettings> settings : sweep) {
                long stageStart = System.nanoTime();
                float[] upscaled = upscale(chain, bases, captions(samples), settings);
                double seconds = (System.nanoTime() - stageStart) / 1e9;
                float[] back = Resize.resizeBatch(upscaled, heldOut.count, out, size, Resize.Method.AREA);
                EvaluationReport report = evaluator.evaluate(back, size, specs);
                ObjectNode entry = levels.addObject();
                entry.put("aug_level", settings.get(0).augLevel());
                entry.put("consistency_psnr", Psnr.meanOverBatch(back, bases, heldOut.count));
                entry.put("upscale_seconds_per_image", seconds / heldOut.count);
                entry.set("report_area_downsampled", JSON.readTree(report.toJson()));
                System.err.println("cascade aug " + settings.get(0).augLevel() + " adherence_all "
                        + report.adherenceAll() + " fd " + report.frechetDistance());
            }
        }
        return cascade;
    }

    private float[] upscale(UpscaleChain chain, float[] inputs, List<String> prompts, List<StageSettings> settings) {
        int in = chain.inputSize();
        int out = chain.outputSize();
        float[] result = new float[heldOut.count * out * out * 3];
        for (int first = 0; first < heldOut.count; first += heldOut.batch) {
            int n = Math.min(heldOut.batch, heldOut.count - first);
            float[] chunk = new float[n * in * in * 3];
            System.arraycopy(inputs, first * in * in * 3, chunk, 0, chunk.length);
            float[] up = chain.upscale(chunk, prompts.subList(first, first + n), "", settings, seed, first,
                    CascadeListener.NONE);
            System.arraycopy(up, 0, result, first * out * out * 3, up.length);
        }
        return result;
    }

    private static List<String> captions(List<Sample> samples) {
        return samples.stream().map(s -> s.caption().text()).toList();
    }
}
