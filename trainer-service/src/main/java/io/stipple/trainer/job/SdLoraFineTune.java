package io.stipple.trainer.job;

import io.stipple.contracts.model.ImportRecords;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.dreambooth.ClassImageSettings;
import io.stipple.engine.dreambooth.ClassImages;
import io.stipple.engine.dreambooth.DreamBoothConfig;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.nn.Sessions;
import io.stipple.engine.sd.train.SdDreamBooth;
import io.stipple.engine.training.BlobCheckpointStore;
import io.stipple.storage.ObjectStore;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.imports.ContentHash;
import io.stipple.trainer.model.BaseModel;
import io.stipple.trainer.storage.ObjectStoreBlobs;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * DreamBooth-LoRA on a Stable Diffusion base (a diffusers folder import): the engine's
 * {@link SdDreamBooth} with the same checkpoint store and class-image cache as Stipple's fine-tunes, its
 * adapters written as a LoRA version, the way imported LoRAs are stored: {@value ImportedModel#LORA_FILE} in diffusers
 * (PEFT) names, which the gpu-worker applies over the base, {@value #KOHYA_FILE} for tools that read kohya
 * names, and {@value ImportedModel#RECORD_FILE} (format {@code lora}, the base's {@code name@version}).
 */
@ApplicationScoped
public class SdLoraFineTune {

    public static final String KOHYA_FILE = "lora_kohya.safetensors";

    private final ObjectStore store;
    private final InstanceImages instanceImages;
    private final TrainerConfig config;

    SdLoraFineTune(ObjectStore store, InstanceImages instanceImages, TrainerConfig config) {
        this.store = store;
        this.instanceImages = instanceImages;
        this.config = config;
    }

    TrainedVersion train(FineTuneWorkItem item, BaseModel base, Path jobDir, Path versionDir,
            FineTuneRunner.Progress progress, BooleanSupplier cancelled) throws IOException, InterruptedException {
        FineTuneSpec spec = item.spec();
        TrainerConfig.StableDiffusion sd = config.stableDiffusion();
        DreamBoothConfig dreamBooth = DreamBoothSpecs.toStableDiffusionConfig(spec, base.ref(), config.checkpointEvery(),
                new ClassImageSettings(sd.classImageSampler(), sd.classImageSteps(), sd.classImageGuidance(), 0));
        try (DiffusionModel model = DiffusionModels.open(base.folder(), Sessions.config())) {
            int size = model.defaults().nativeSize().width(); // SD pipelines train on squares of their native side
            float[] pixels = instanceImages.load(item.tenantId(), spec.instanceUploadId(), size);
            int count = pixels.length / (size * size * 3);
            SdDreamBooth run = new SdDreamBooth(new ClassImages(new ObjectStoreBlobs(store, config.cachePrefix())),
                    new BlobCheckpointStore(new ObjectStoreBlobs(store, item.checkpointPrefix())), EngineLog.of(item.jobId()));
            SdDreamBooth.Result result = run.train(model, base.folder().resolve("unet"), dreamBooth,
                    Tensor.of(pixels, count, size, size, 3), jobDir.resolve("work"), progress.asListener(), cancelled);
            Files.createDirectories(versionDir);
            Files.copy(result.diffusers(), versionDir.resolve(ImportedModel.LORA_FILE));
            Files.copy(result.kohya(), versionDir.resolve(KOHYA_FILE));
            ContentHash.Summary content = ContentHash.of(versionDir);
            String record = ImportRecords.toJson(new ImportedModel("lora", "stable_diffusion", base.variant(), 0, null,
                    null, base.ref().toString(), content.sha256(), content.bytes(), result.lora().layers().size(),
                    result.lora().spec().rank()));
            Files.writeString(versionDir.resolve(ImportedModel.RECORD_FILE), record, StandardCharsets.UTF_8);
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("final_loss", result.summary().finalLoss());
            metrics.put("seconds_per_step", result.summary().secondsPerStep());
            metrics.put("instance_images", (double) count);
            metrics.put("lora_parameters", (double) result.lora().parameterCount());
            return new TrainedVersion("lora", record, metrics);
        }
    }
}
