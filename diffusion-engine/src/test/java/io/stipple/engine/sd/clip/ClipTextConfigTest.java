package io.stipple.engine.sd.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.sd.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTextConfigTest {

    @Test
    void readsTheRealSd15AndSd21Configs() throws IOException {
        ClipTextConfig sd15 = ClipTextConfig.read(Manifests.realConfig("sd15/text_encoder"));
        assertEquals(new ClipTextConfig(49408, 768, 3072, 12, 12, 77, "quick_gelu", 1e-5f, 2), sd15);
        ClipTextConfig sd21 = ClipTextConfig.read(Manifests.realConfig("sd21/text_encoder"));
        assertEquals(new ClipTextConfig(49408, 1024, 4096, 23, 16, 77, "gelu", 1e-5f, 2), sd21);
    }

    @Test
    void refusesWhatItCannotBuildNamingTheFileAndField(@TempDir Path directory) throws IOException {
        Path config = directory.resolve("config.json");
        Files.writeString(config, "{\"hidden_act\": \"relu\"}");
        var error = assertThrows(ModelFormatException.class, () -> ClipTextConfig.read(config));
        assertTrue(error.getMessage().contains(config + ": \"hidden_act\" is \"relu\""), error.getMessage());

        Files.writeString(config, "{\"hidden_size\": \"768\"}");
        error = assertThrows(ModelFormatException.class, () -> ClipTextConfig.read(config));
        assertTrue(error.getMessage().contains("\"hidden_size\" must be an integer"), error.getMessage());

        Files.writeString(config, "{\"hidden_size\": 100, \"num_attention_heads\": 12}");
        error = assertThrows(ModelFormatException.class, () -> ClipTextConfig.read(config));
        assertTrue(error.getMessage().contains("\"hidden_size\" does not split"), error.getMessage());
    }
}
