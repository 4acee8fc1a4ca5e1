package io.stipple.worker.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a model import (or an SD LoRA fine-tune) recorded beside a version's files in
 * {@value #FILE} (docs/importing-models.md, "What is recorded"): the worker reads what it needs to
 * load the version, and ignores the rest.
 *
 * @param format           {@code diffusers}, {@code single_file} or {@code lora}
 * @param variant          {@code sd1}, {@code sd2}, with {@code -inpainting} for 9-channel U-Nets; may be null
 * @param nativeResolution the side a single file was trained at, as stated on import
 * @param predictionType   what a single file's U-Net predicts, as stated on import
 * @param textEncoderHeads a single file's text-encoder heads as stated on import; null: width / 64
 * @param baseModel        for a LoRA version, the {@code name@version} it adapts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportRecord(String format, String variant, Integer nativeResolution, String predictionType,
        Integer textEncoderHeads, String baseModel) {

    /** The record's file name in a version folder (trainer-service's ImportedModel.RECORD_FILE). */
    public static final String FILE = "stipple-import.json";
    /** What a single-file import stores its checkpoint as. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** What an SD LoRA version stores its file as (kohya or diffusers/PEFT names). */
    public static final String LORA_FILE = "lora.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** The folder's record; empty when it has none (bundled models, Stipple fine-tunes). */
    public static Optional<ImportRecord> in(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), ImportRecord.class)) : Optional.empty();
    }

    public boolean singleFile() {
        return "single_file".equals(format);
    }

    /** A LoRA version: a LoRA file over {@link #baseModel}, not a model of its own. */
    public boolean lora() {
        return "lora".equals(format) || baseModel != null;
    }

    /** {@code sd1} or {@code sd2}: which tokenizer a single file takes. */
    public String tokenizerFamily() {
        return variant == null ? "sd1" : variant.replace("-inpainting", "");
    }
}
