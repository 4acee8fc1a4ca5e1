package io.stipple.workbench.image;

import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.Pixels;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.PngImage;
import io.stipple.engine.image.RgbImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Split;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PngCodecTest {

    @Test
    void roundTripLosesAtMostHalfAnEightBitStep() throws IOException {
        RgbImage image = RgbImage.square(16, ProceduralShapes.sample(Split.TEST, 3).render(16));
        PngImage decoded = PngCodec.decode(PngCodec.encode(image, Map.of()));
        assertEquals(16, decoded.image().height());
        assertEquals(16, decoded.image().width());
        for (int i = 0; i < image.pixels().length; i++) {
            assertEquals(image.pixels()[i], decoded.image().pixels()[i], 1 / 127.5f / 2 + 1e-6f);
        }
    }

    @Test
    void eightBitValuesSurviveExactly() throws IOException {
        float[] pixels = new float[4 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = Pixels.toFloat(i * 20);
        }
        RgbImage image = new RgbImage(2, 2, pixels);
        RgbImage decoded = PngCodec.decode(PngCodec.encode(image, Map.of())).image();
        for (int i = 0; i < pixels.length; i++) {
            assertEquals(i * 20, Pixels.toByte(decoded.pixels()[i]));
        }
    }

    @Test
    void generationParametersRoundTripThroughTextChunks() throws IOException {
        GenerationParameters parameters = new GenerationParameters("a small red star — très petit", "blurry", 42L, 3,
                "base-16@1", "ddim", 50, 3.5, 16, 16, Map.of("dynamic_thresholding", "0.995"));
        byte[] png = PngCodec.encode(new RgbImage(1, 1, new float[3]), parameters.toPngText());
        PngImage decoded = PngCodec.decode(png);
        assertEquals(GenerationParameters.SOFTWARE, decoded.text().get("Software"));
        assertTrue(decoded.text().get(GenerationParameters.KEYWORD).chars().allMatch(c -> c < 128));
        assertEquals(parameters, GenerationParameters.fromPngText(decoded.text()).orElseThrow());
    }

    @Test
    void pngWithoutParametersHasNone() throws IOException {
        PngImage decoded = PngCodec.decode(PngCodec.encode(new RgbImage(1, 1, new float[3]), Map.of("Title", "x")));
        assertEquals(Map.of("Title", "x"), decoded.text());
        assertTrue(GenerationParameters.fromPngText(decoded.text()).isEmpty());
    }

    @Test
    void rejectsGarbageAndBadKeywords() {
        assertThrows(IOException.class, () -> PngCodec.decode(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> PngCodec.encode(new RgbImage(1, 1, new float[3]), Map.of("", "x")));
    }
}
