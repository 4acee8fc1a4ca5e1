package io.stipple.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.dreambooth.DreamBoothEvaluation;
import io.stipple.engine.export.ModelCard;
import io.stipple.engine.export.ModelCards;
import io.stipple.engine.export.StippleModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures a DreamBooth version against its base (see {@link DreamBoothEvaluation}); the last line
 * printed is one JSON object with the model, its training time and size, and every number.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Subject fidelity, recontextualisation and prior preservation of a DreamBooth version.")
public final class DreamBoothEvalCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, description = "The fine-tuned version's folder (full or LoRA).")
    Path modelDir;

    @Option(names = "--base", defaultValue = "models/stipple-base-16/1")
    Path baseDir;

    @Option(names = "--classifier", defaultValue = "models/stipple-classifier-16/1")
    Path classifierDir;

    @Option(names = "--token", defaultValue = "sks")
    String token;

    @Option(names = "--images", defaultValue = "100")
    int images;

    @Option(names = "--held-out", defaultValue = "100")
    int heldOut;

    @Option(names = "--recontext-seeds", defaultValue = "3", description = "Images per (position, background) prompt.")
    int recontextSeeds;

    @Option(names = "--class-prompts", defaultValue = "200")
    int classPrompts;

    @Option(names = "--sampler", defaultValue = "dpmpp_2m")
    String sampler;

    @Option(names = "--steps", defaultValue = "20")
    int steps;

    @Option(names = "--guidance", defaultValue = "3")
    double guidance;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        ModelCard card = ModelCards.read(modelDir);
        var settings = new DreamBoothEvaluation.Settings(token, images, heldOut, recontextSeeds, classPrompts, sampler,
                steps, guidance, seed);
        long start = System.nanoTime();
        try (StippleModel base = StippleModel.load(baseDir);
                AttributeClassifier classifier = new AttributeClassifier(classifierDir);
                StippleModel tuned = card.fineTune() != null && card.fineTune().isLora()
                        ? StippleModel.withAdapters(base, modelDir) : StippleModel.load(modelDir)) {
            var measured = new DreamBoothEvaluation(classifier, settings).measure(base, tuned);
            ObjectNode line = JSON.createObjectNode();
            line.put("model", card.name() + "@" + card.version());
            line.put("base", base.card().name() + "@" + base.card().version());
            line.put("method", card.fineTune() == null ? null : card.fineTune().method());
            line.set("spec", JSON.valueToTree(card.fineTune() == null ? null : card.fineTune().spec()));
            line.set("training", JSON.valueToTree(card.metrics()));
            line.put("artifact_bytes", folderBytes(modelDir));
            line.set("settings", JSON.valueToTree(settings));
            line.set("measurements", JSON.valueToTree(measured));
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
