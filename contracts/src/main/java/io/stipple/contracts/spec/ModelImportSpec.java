package io.stipple.contracts.spec;

import io.stipple.contracts.Envelope;

/**
 * A model a tenant brings, to be validated and registered as {@code name@version} (docs/importing-models.md).
 * The gateway has stored the upload at {@code sourceKey} before accepting the job.
 *
 * @param model           the version the import registers; free when the job was accepted
 * @param format          what the upload holds
 * @param sourceKey       object-store key of the uploaded archive or file
 * @param sourceBytes     its size as received
 * @param predictionType  what the U-Net predicts, for a single file (no file records it); null = epsilon,
 *                        and for a diffusers folder its scheduler config decides
 * @param nativeResolution the side a single file was trained at (no file records it); null = 512, and for a
 *                        diffusers folder its U-Net and VAE configs decide
 * @param textEncoderHeads attention heads of a single file's text encoder; null = its width / 64, true of every
 *                        released CLIP and OpenCLIP encoder
 * @param baseModel       the model a LoRA file adapts; null otherwise
 * @param priority        scheduling class
 * @param webhook         notifications, or null
 */
public record ModelImportSpec(
        ModelRef model,
        ModelImportFormat format,
        String sourceKey,
        long sourceBytes,
        PredictionType predictionType,
        Integer nativeResolution,
        Integer textEncoderHeads,
        ModelRef baseModel,
        Priority priority,
        WebhookSpec webhook) implements JobSpec {

    private static final String TYPE = "model import spec";

    public ModelImportSpec {
        Envelope.require(model, TYPE, "model");
        Envelope.require(format, TYPE, "format");
        Envelope.require(sourceKey, TYPE, "source_key");
        priority = priority == null ? Priority.NORMAL : priority;
        if (format == ModelImportFormat.LORA && baseModel == null) {
            throw new IllegalArgumentException(TYPE + ": base_model is required when format is lora");
        }
        if (format != ModelImportFormat.LORA && baseModel != null) {
            throw new IllegalArgumentException(TYPE + ": base_model is only for format lora");
        }
    }

    @Override
    public JobKind kind() {
        return JobKind.MODEL_IMPORT;
    }
}
