package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.workbench.dreambooth.DreamBoothEvaluation;
import io.stipple.engine.export.ModelCard;
import io.stipple.engine.export.ModelCards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures a DreamBooth version against its base (see {@link DreamBoothEvaluation}); the last line
 * printed is one JSON object with the model, its training time and size, and every number.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Subject fidelity, recontextualisation and prior preservation of a DreamBooth version.")
public final class DreamBoothEvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, description = "A fine-tuned version's folder (full or LoRA); repeat to compare several over one base.")
    List<Path> modelDirs;

    @Option(names = "--base", defaultValue = BundledModels.BASE)
    Path baseDir;

    @Option(names = "--classifier", defaultValue = BundledModels.CLASSIFIER)
    Path classifierDir;

    @Option(names = "--token", defaultValue = "sks")
    String token;

    @Option(names = "--images", defaultValue = "50")
    int images;

    @Option(names = "--held-out", defaultValue = "100")
    int heldOut;

    @Option(names = "--recontext-seeds", defaultValue = "2", description = "Images per (position, background) prompt.")
    int recontextSeeds;

    @Option(names = "--class-prompts", defaultValue = "100")
    int classPrompts;

    @Mixin
    SamplingOptions sampling;

    @Override
    public Integer call() throws Exception {
        var settings = new DreamBoothEvaluation.Settings(token, images, heldOut, recontextSeeds, classPrompts,
                sampling.sampler, sampling.steps, sampling.guidance, sampling.seed);
        long start = System.nanoTime();
        try (DiffusionModel base = DiffusionModels.open(baseDir);
                AttributeClassifier classifier = new AttributeClassifier(classifierDir)) {
            DreamBoothEvaluation evaluation = new DreamBoothEvaluation(classifier, settings);
            ObjectNode line = JSON.createObjectNode();
            line.put("base", base.identity().reference());
            line.set("settings", JSON.valueToTree(settings));
            line.set("base_measurements", JSON.valueToTree(evaluation.measureBase(base)));
            ArrayNode models = line.putArray("models");
            for (Path modelDir : modelDirs) {
                ModelCard card = ModelCards.read(modelDir);
                try (DiffusionModel tuned = card.fineTune() != null && card.fineTune().isLora()
                        ? DiffusionModels.withAdapters(base, modelDir) : DiffusionModels.open(modelDir)) {
                    ObjectNode entry = models.addObject();
                    entry.put("model", card.name() + "@" + card.version());
                    entry.put("folder", modelDir.toString());
                    entry.put("method", card.fineTune() == null ? null : card.fineTune().method());
                    entry.set("spec", JSON.valueToTree(card.fineTune() == null ? null : card.fineTune().spec()));
                    entry.set("training", JSON.valueToTree(card.metrics()));
                    entry.put("artifact_bytes", folderBytes(modelDir));
                    entry.set("measurements", JSON.valueToTree(evaluation.measure(tuned)));
                    System.err.println(JSON.writeValueAsString(entry));
                }
            }
            line.put("eval_seconds", (System.nanoTime() - start) / 1e9);
            System.out.println(JSON.writeValueAsString(line));
        }
        return 0;
    }

    private static long folderBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
