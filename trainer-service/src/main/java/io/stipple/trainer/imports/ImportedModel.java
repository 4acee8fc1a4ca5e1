package io.stipple.trainer.imports;

/**
 * What an import found out about a model and records beside it ({@value #RECORD_FILE} in its
 * version folder, and the registry row's card).
 *
 * @param format            what was uploaded: {@code diffusers}, {@code single_file} or {@code lora}
 * @param family            the engine's model family, e.g. {@code stable_diffusion}
 * @param variant           e.g. {@code sd1}, {@code sd2}, {@code sd1-inpainting}; null when not told apart
 * @param nativeResolution  the side the model was trained at, in pixels; 0 for a LoRA file
 * @param predictionType    {@code epsilon} or {@code v_prediction}; null for a LoRA file
 * @param defaultScheduler  the scheduler class a job gets by default; null for a LoRA file
 * @param baseModel         the model a LoRA file adapts, {@code name@version}; null otherwise
 * @param contentSha256     SHA-256 over the stored files (paths and bytes, in path order), hex
 * @param sizeBytes         the stored files' total size
 * @param targetLayers      how many base layers a LoRA file changes; null otherwise
 * @param rank              a LoRA file's rank (the largest, should its layers differ); null otherwise
 * @param textEncoderHeads  for a single file, the text encoder's attention heads as stated on import (the worker
 *                          loads the file with them); null when not stated (width / 64) and for other formats
 */
public record ImportedModel(String format, String family, String variant, int nativeResolution, String predictionType,
        String defaultScheduler, String baseModel, String contentSha256, long sizeBytes, Integer targetLayers,
        Integer rank, Integer textEncoderHeads) {

    /** A record without stated text-encoder heads (diffusers folders, LoRA files). */
    public ImportedModel(String format, String family, String variant, int nativeResolution, String predictionType,
            String defaultScheduler, String baseModel, String contentSha256, long sizeBytes, Integer targetLayers,
            Integer rank) {
        this(format, family, variant, nativeResolution, predictionType, defaultScheduler, baseModel, contentSha256,
                sizeBytes, targetLayers, rank, null);
    }

    /** The record's file name inside the model version's folder. */
    public static final String RECORD_FILE = "stipple-import.json";
    /** A LoRA version's file inside its folder, imported or trained (the gpu-worker reads it there). */
    public static final String LORA_FILE = "lora.safetensors";

    /** What a diffusers folder or single file records (no base, no LoRA layers). */
    static ImportedModel checkpoint(String format, String variant, int nativeResolution, String predictionType,
            String defaultScheduler) {
        return new ImportedModel(format, "stable_diffusion", variant, nativeResolution, predictionType, defaultScheduler,
                null, null, 0, null, null);
    }

    public ImportedModel withContent(String sha256, long bytes) {
        return new ImportedModel(format, family, variant, nativeResolution, predictionType, defaultScheduler, baseModel,
                sha256, bytes, targetLayers, rank, textEncoderHeads);
    }

    /** This record with a single file's stated text-encoder heads (null: not stated). */
    public ImportedModel withTextEncoderHeads(Integer heads) {
        return new ImportedModel(format, family, variant, nativeResolution, predictionType, defaultScheduler, baseModel,
                contentSha256, sizeBytes, targetLayers, rank, heads);
    }
}
