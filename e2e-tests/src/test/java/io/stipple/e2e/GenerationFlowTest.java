package io.stipple.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.stack.test.StippleStackExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The whole generation path with the real gpu-worker ({@link GpuWorkers}): a prompt submitted
 * through the gateway comes back as a PNG through its presigned URL, with its parameters in a tEXt
 * chunk, and the same seed gives the same bytes. A worker killed in the middle of its jobs:
 * {@link WorkerKillDrillTest}.
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class GenerationFlowTest {

    static final Duration PATIENCE = Duration.ofMinutes(5);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPromptBecomesAPngWithItsParametersThroughThePresignedUrlAndTheSameSeedGivesTheSameBytes() throws Exception {
        GatewayClient client = GpuWorkers.get().client();
        String body = """
                {"prompt": "a red circle on a white background", "num_images": 2, "seed": 1234}""";
        JsonNode first = JobResults.awaitSucceeded(client, JobResults.submit(client, body), PATIENCE);
        JsonNode second = JobResults.awaitSucceeded(client, JobResults.submit(client, body), PATIENCE);

        assertEquals(2, first.path("outputs").size(), first.toString());
        for (int index = 0; index < 2; index++) {
            byte[] png = client.download(first.path("outputs").get(index).path("url").asText());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(16, image.getWidth());
            assertEquals(16, image.getHeight());
            assertTrue(distinctColours(image) > 8, "image " + index + " is not blank or flat");
            JsonNode parameters = JSON.readTree(pngText(png).get("stipple.parameters"));
            assertEquals("a red circle on a white background", parameters.path("prompt").asText(), parameters.toString());
            assertEquals(1234, parameters.path("seed").asLong(), parameters.toString());
            assertEquals(index, parameters.path("index").asInt(), parameters.toString());
            assertEquals(first.path("input").path("model").asText(), parameters.path("model").asText(), parameters.toString());
            assertEquals(first.path("input").path("steps").asInt(), parameters.path("steps").asInt());

            assertArrayEquals(png, client.download(second.path("outputs").get(index).path("url").asText()),
                    "same request and seed, same bytes (image " + index + ")");
        }
    }

    /** The PNG's tEXt chunks, read with the JDK's own PNG reader. */
    static Map<String, String> pngText(byte[] png) throws Exception {
        Map<String, String> text = new HashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            reader.setInput(in);
            IIOMetadata metadata = reader.getImageMetadata(0);
            Node root = metadata.getAsTree("javax_imageio_png_1.0");
            for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child.getNodeName().equals("tEXt")) {
                    for (Node entry = child.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        NamedNodeMap attributes = entry.getAttributes();
                        text.put(attributes.getNamedItem("keyword").getNodeValue(),
                                attributes.getNamedItem("value").getNodeValue());
                    }
                }
            }
            reader.dispose();
        }
        return text;
    }

    static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
