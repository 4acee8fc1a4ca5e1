package io.stipple.workbench.cli;

import io.stipple.workbench.models.BundledModels;
import io.stipple.workbench.data.Subject;
import io.stipple.workbench.dreambooth.BuiltInSubject;
import io.stipple.engine.dreambooth.ClassImageSettings;
import io.stipple.engine.dreambooth.ClassImages;
import io.stipple.engine.dreambooth.DreamBooth;
import io.stipple.engine.dreambooth.DreamBoothConfig;
import io.stipple.engine.dreambooth.TunedModel;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.training.BlobCheckpointStore;
import io.stipple.engine.training.FolderBlobs;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * DreamBooth-tunes a base model on the built-in subject (a yellow checkered star) and exports the
 * version; resumable from its work directory (or from {@code --checkpoints}). Commands and
 * measurements in docs/dreambooth.md.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune a base model on the built-in subject with DreamBooth (full or LoRA).")
public final class DreamBoothTrainCommand implements Callable<Integer> {

    @Option(names = "--base", defaultValue = BundledModels.BASE)
    Path base;

    @Option(names = "--work", required = true, description = "Work directory: checkpoint, loss.csv, loss.png.")
    Path work;

    @Option(names = "--out", required = true, description = "Model version folder to export to.")
    Path out;

    @Option(names = "--name", defaultValue = "stipple-sks-star")
    String name;

    @Option(names = "--version", defaultValue = "1")
    String version;

    @Option(names = "--cache", defaultValue = "/tmp/stipple-class-images", description = "Class-image cache folder.")
    Path cache;

    @Option(names = "--checkpoints", description = "A folder keeping the latest checkpoint apart from --work (as the object store does for the service).")
    Path checkpoints;

    @Option(names = "--token", defaultValue = "sks")
    String token;

    @Option(names = "--instances", defaultValue = "5", description = "Instance renders of the built-in subject.")
    int instances;

    @Option(names = "--method", defaultValue = "lora", description = "full or lora.")
    String method;

    @Option(names = "--rank", defaultValue = "4")
    int rank;

    @Option(names = "--text-encoder", description = "Train the text encoder too (LoRA: adapters on its attention).")
    boolean textEncoder;

    @Option(names = "--prior", negatable = true, defaultValue = "true", fallbackValue = "true")
    boolean prior;

    @Option(names = "--class-images", defaultValue = "100")
    int classImages;

    @Option(names = "--prior-weight", defaultValue = "1.0")
    float priorWeight;

    @Option(names = "--steps", defaultValue = "300")
    int steps;

    @Option(names = "--lr", defaultValue = "1e-4")
    float learningRate;

    @Option(names = "--batch", defaultValue = "4")
    int batch;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "100")
    int checkpointEvery;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DreamBoothConfig config = new DreamBoothConfig("a " + token + " " + Subject.CLASS_NOUN, "a " + Subject.CLASS_NOUN,
                prior, classImages, priorWeight, steps, learningRate, batch, seed, textEncoder,
                DreamBoothConfig.Method.valueOf(method.toUpperCase(java.util.Locale.ROOT)), rank, checkpointEvery,
                ClassImageSettings.DEFAULT);
        DreamBooth dreamBooth = new DreamBooth(new ClassImages(new FolderBlobs(cache)),
                checkpoints == null ? io.stipple.engine.training.CheckpointStore.NONE
                        : new BlobCheckpointStore(new FolderBlobs(checkpoints)),
                System.out);
        String command = "./stipple-engine " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        try (StippleModel model = StippleModel.load(base)) {
            int size = model.denoiser().sampleShape()[0];
            try (TunedModel tuned = dreamBooth.train(model, config, BuiltInSubject.instances(instances, size), instances,
                    work, new DreamBooth.Listener() {
                        @Override
                        public void classImages(int done, int total) {
                            System.out.printf("class images %d/%d%n", done, total);
                        }
                    }, () -> false)) {
                tuned.export(out, name, version, command, Map.of());
                System.out.printf("exported %s: %d steps in %.1f s, final loss %.4f%n", out, tuned.summary().steps(),
                        tuned.seconds(), tuned.summary().finalLoss());
            }
        }
        return 0;
    }
}
