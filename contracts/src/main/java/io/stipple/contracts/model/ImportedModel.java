package io.stipple.contracts.model;

/**
 * What trainer-service records beside a model version that is not a Stipple model (imports, and LoRA
 * versions of Stable Diffusion bases): {@value #RECORD_FILE} in the version folder, and the registry
 * row's card. The trainer writes it; the gpu-worker reads it to know how to load the folder before
 * opening it (docs/importing-models.md, "What is recorded"). The folder's file names are defined here
 * too, so that the writer and the reader cannot drift apart.
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

    /** The record's file name inside the model version's folder. */
    public static final String RECORD_FILE = "stipple-import.json";
    /** A LoRA version's file inside its folder, imported or trained (kohya or diffusers/PEFT names). */
    public static final String LORA_FILE = "lora.safetensors";
    /** What a single-file import stores its checkpoint as. */
    public static final String SINGLE_FILE = "model.safetensors";

    /** A record without stated text-encoder heads (diffusers folders, LoRA files). */
    public ImportedModel(String format, String family, String variant, int nativeResolution, String predictionType,
            String defaultScheduler, String baseModel, String contentSha256, long sizeBytes, Integer targetLayers,
            Integer rank) {
        this(format, family, variant, nativeResolution, predictionType, defaultScheduler, baseModel, contentSha256,
                sizeBytes, targetLayers, rank, null);
    }

    /** What a diffusers folder or single file records (no base, no LoRA layers). */
    public static ImportedModel checkpoint(String format, String variant, int nativeResolution, String predictionType,
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

    /** A single-file checkpoint, stored as {@link #SINGLE_FILE}. */
    public boolean singleFile() {
        return "single_file".equals(format);
    }

    /** A LoRA version: {@link #LORA_FILE} over {@link #baseModel}, not a model of its own. */
    public boolean lora() {
        return "lora".equals(format) || baseModel != null;
    }

    /** {@code sd1} or {@code sd2}: which tokenizer a single file takes. */
    public String tokenizerFamily() {
        return variant == null ? "sd1" : variant.replace("-inpainting", "");
    }
}
