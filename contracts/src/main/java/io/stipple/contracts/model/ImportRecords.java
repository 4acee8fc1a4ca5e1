package io.stipple.contracts.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stipple.contracts.ContractsJson;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JSON of {@value ImportedModel#RECORD_FILE}: written by trainer-service beside every version it
 * stores that is not a Stipple model, read back by whoever needs to know what a version folder holds
 * before opening it (the trainer for a fine-tune's base, the gpu-worker to load it). Contracts rules
 * (snake_case, unknown fields ignored: a newer trainer may record more), except that a missing number
 * reads as 0, "not stated": records written before a field existed still load.
 */
public final class ImportRecords {

    private static final ObjectMapper JSON = ContractsJson.newMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ImportRecords() {
    }

    public static String toJson(ImportedModel record) throws IOException {
        return JSON.writeValueAsString(record);
    }

    public static ImportedModel fromJson(String json) throws IOException {
        return JSON.readValue(json, ImportedModel.class);
    }

    /** The record in a version folder, or empty when the folder has none (a Stipple model, a bundled pipeline). */
    public static Optional<ImportedModel> read(Path folder) throws IOException {
        Path file = folder.resolve(ImportedModel.RECORD_FILE);
        return Files.isRegularFile(file) ? Optional.of(fromJson(Files.readString(file))) : Optional.empty();
    }
}
