package io.stipple.engine.sd.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.ComponentParity;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The loaded text encoder of a folder, as pipelines use it. */
class ClipTextEncoderTest {

    @Test
    void encodesTokenIdsOfAnSd1FolderLikeTransformers() throws IOException {
        try (ClipTextEncoder encoder = ClipTextEncoder.load(SdTiny.SD1.resolve("text_encoder"))) {
            int[][] ids = ComponentParity.idRows("tokenizer.input_ids");
            ClipTextEncoder.Encoded encoded = encoder.encode(ids, 0);
            ComponentParity.assertMatches("clip.last_hidden_state", encoded.promptEmbeddings());
            ComponentParity.assertMatches("clip.pooler_output", encoded.pooled());

            var error = assertThrows(IllegalArgumentException.class, () -> encoder.encode(ids, 5));
            assertEquals("clip skip 5 must be in [0, 4] for a 5-layer text encoder", error.getMessage());
            error = assertThrows(IllegalArgumentException.class, () -> encoder.encode(new int[][] {{954, 1000}}, 0));
            assertEquals("token id 1000 is outside the vocabulary [0, 1000)", error.getMessage());
        }
    }
}
