package io.stipple.trainer.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JSON of {@value ImportedModel#RECORD_FILE}, written beside every model version trainer-service stores
 * that is not a Stipple model (imports, and LoRA versions of Stable Diffusion bases), and read back by
 * whoever needs to know what a version folder holds before opening it.
 */
public final class ImportRecords {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private ImportRecords() {
    }

    public static String toJson(ImportedModel record) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record);
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
