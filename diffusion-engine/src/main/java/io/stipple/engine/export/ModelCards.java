package io.stipple.engine.export;

import io.stipple.engine.weights.ModelFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes {@code model_card.json}. */
public final class ModelCards {

    public static final String FILE_NAME = "model_card.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ModelCards() {
    }

    public static ModelCard read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        ModelCard card = MAPPER.readValue(file.toFile(), ModelCard.class);
        if (!ModelCard.FORMAT.equals(card.format())) {
            throw new ModelFormatException(file + " has format " + card.format() + ", expected " + ModelCard.FORMAT);
        }
        return card;
    }

    public static void write(ModelCard card, Path modelDir) throws IOException {
        MAPPER.writeValue(modelDir.resolve(FILE_NAME).toFile(), card);
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
