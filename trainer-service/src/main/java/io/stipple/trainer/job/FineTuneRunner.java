package io.stipple.trainer.job;

import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.engine.dreambooth.ClassImages;
import io.stipple.engine.dreambooth.DreamBooth;
import io.stipple.engine.dreambooth.DreamBoothConfig;
import io.stipple.engine.dreambooth.TunedModel;
import io.stipple.engine.export.ModelCards;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.training.BlobCheckpointStore;
import io.stipple.engine.training.StepResult;
import io.stipple.storage.ObjectInfo;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.model.BaseModel;
import io.stipple.trainer.model.BaseModels;
import io.stipple.trainer.registry.ModelRegistry;
import io.stipple.trainer.registry.ModelVersion;
import io.stipple.trainer.storage.ObjectStoreBlobs;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs one fine-tune work item to a registered model version: base model and instance images
 * (rejecting what cannot work), the training run with checkpoints under the item's
 * {@code checkpoint_prefix} (so a re-dispatched attempt, on any trainer, resumes), export, upload
 * under {@code output_prefix}, registration in schema {@code registry}. A Stipple base is trained by
 * the engine's DreamBooth (full or LoRA); a Stable Diffusion base by {@link SdLoraFineTune}. Blocking;
 * call it on a training thread.
 */
@ApplicationScoped
public class FineTuneRunner {

    private static final Logger LOG = Logger.getLogger(FineTuneRunner.class);

    /** The stages reported in progress events. */
    public static final String CLASS_IMAGES = "class_images";
    public static final String TRAINING = "training";

    private final ObjectStore store;
    private final BaseModels baseModels;
    private final InstanceImages instanceImages;
    private final SdLoraFineTune stableDiffusion;
    private final ModelRegistry registry;
    private final TrainerConfig config;

    FineTuneRunner(ObjectStore store, BaseModels baseModels, InstanceImages instanceImages,
            SdLoraFineTune stableDiffusion, ModelRegistry registry, TrainerConfig config) {
        this.store = store;
        this.baseModels = baseModels;
        this.instanceImages = instanceImages;
        this.stableDiffusion = stableDiffusion;
        this.registry = registry;
        this.config = config;
    }

    /** Told as the run goes. */
    public interface Progress {
        void update(String stage, int step, int total, Double loss);

        /** The engine's listener reporting class images and training steps here. */
        default DreamBooth.Listener asListener() {
            return new DreamBooth.Listener() {
                @Override
                public void classImages(int done, int total) {
                    update(CLASS_IMAGES, done, total, null);
                }

                @Override
                public void step(StepResult result, long total) {
                    update(TRAINING, (int) result.step() + 1, (int) total, (double) result.loss());
                }
            };
        }
    }

    /**
     * @throws FineTuneRejected when the input cannot work (not worth a retry)
     * @throws java.util.concurrent.CancellationException when {@code cancelled} turned true between steps
     */
    public FineTuneResult run(FineTuneWorkItem item, Progress progress, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        FineTuneSpec spec = item.spec();
        ModelRef output = new ModelRef(spec.outputModelName(), item.outputModelVersion());
        Path jobDir = config.workDir().resolve("jobs").resolve(item.jobId().toString());
        BaseModel base = baseModels.find(spec.baseModel());
        Path versionDir = jobDir.resolve("export");
        deleteRecursively(versionDir);
        TrainedVersion trained = base.family() == ModelFamily.STIPPLE
                ? trainStipple(item, base, output, jobDir, versionDir, progress, cancelled)
                : stableDiffusion.train(item, base, jobDir, versionDir, progress, cancelled);
        List<ObjectInfo> written = ObjectTrees.upload(store, versionDir, item.outputPrefix());
        long bytes = written.stream().mapToLong(ObjectInfo::size).sum();
        Map<String, Double> metrics = new LinkedHashMap<>(trained.metrics());
        metrics.put("model_bytes", (double) bytes);
        registry.register(new ModelVersion(output.name(), output.version(), item.tenantId(), item.jobId(),
                spec.baseModel().toString(), trained.method(), item.outputPrefix(), bytes, trained.record()));
        LOG.infof("job %s registered %s (%d files, %d bytes)", item.jobId(), output, written.size(), bytes);
        List<JobOutput> outputs = new ArrayList<>();
        for (ObjectInfo file : written) {
            outputs.add(new JobOutput(file.key(), "application/octet-stream", file.size(),
                    Map.of("model", output.toString())));
        }
        deleteRecursively(jobDir);
        return new FineTuneResult(output, outputs, metrics);
    }

    /** The engine's DreamBooth on a Stipple base, exported as a Stipple model version (full, or adapters only). */
    private TrainedVersion trainStipple(FineTuneWorkItem item, BaseModel baseModel, ModelRef output, Path jobDir,
            Path versionDir, Progress progress, BooleanSupplier cancelled) throws IOException, InterruptedException {
        FineTuneSpec spec = item.spec();
        try (StippleModel base = baseModels.loadStipple(baseModel)) {
            int size = base.defaults().nativeSize().width(); // Stipple models make square images
            float[] instances = instanceImages.load(item.tenantId(), spec.instanceUploadId(), size);
            int count = instances.length / (size * size * 3);
            DreamBoothConfig dreamBoothConfig = DreamBoothSpecs.toConfig(spec, base.tokenizer(), config.checkpointEvery());
            DreamBooth dreamBooth = new DreamBooth(
                    new ClassImages(new ObjectStoreBlobs(store, config.cachePrefix())),
                    new BlobCheckpointStore(new ObjectStoreBlobs(store, item.checkpointPrefix())),
                    EngineLog.of(item.jobId()));
            Map<String, Double> metrics = new LinkedHashMap<>();
            try (TunedModel tuned = dreamBooth.train(base, dreamBoothConfig, instances, count, jobDir.resolve("work"),
                    progress.asListener(), cancelled)) {
                tuned.export(versionDir, output.name(), output.version(), "trainer-service job " + item.jobId(), Map.of());
                metrics.put("final_loss", tuned.summary().finalLoss());
                metrics.put("training_seconds", tuned.seconds());
                metrics.put("instance_images", (double) count);
            }
            String card = Files.readString(versionDir.resolve(ModelCards.FILE_NAME), StandardCharsets.UTF_8);
            return new TrainedVersion(spec.method().name().toLowerCase(java.util.Locale.ROOT), card, metrics);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
