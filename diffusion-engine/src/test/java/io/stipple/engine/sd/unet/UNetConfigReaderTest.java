package io.stipple.engine.sd.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.sd.nn.ConfigJson;
import io.stipple.engine.sd.unet.UNetConfig.BlockKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class UNetConfigReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SD15 = Path.of("src", "main", "resources", "sd", "sd15", "unet", "config.json");
    private static final Path SD21 = Path.of("src", "main", "resources", "sd", "sd21", "unet", "config.json");

    @Test
    void sd15AttentionHeadDimIsTheHeadCountOfEveryLevel() throws Exception {
        UNetConfig config = UNetConfigReader.read(SD15);
        assertEquals(List.of(8, 8, 8, 8), config.headsPerLevel());
        assertEquals(List.of(BlockKind.CROSS_ATTN_DOWN, BlockKind.CROSS_ATTN_DOWN, BlockKind.CROSS_ATTN_DOWN,
                BlockKind.DOWN), config.downBlocks());
        assertEquals(768, config.crossAttentionDim());
        assertFalse(config.useLinearProjection());
        assertEquals(List.of(1, 1, 1, 1), config.transformerLayersPerLevel());
        assertEquals(1280, config.timeEmbeddingWidth());
        assertEquals(1e-5f, config.normEps());
        assertTrue(config.flipSinToCos());
    }

    @Test
    void sd21GivesHeadsPerLevelAndLinearProjections() throws Exception {
        UNetConfig config = UNetConfigReader.reference("sd21");
        assertEquals(UNetConfigReader.read(SD21), config);
        assertEquals(List.of(5, 10, 20, 20), config.headsPerLevel());
        assertEquals(1024, config.crossAttentionDim());
        assertTrue(config.useLinearProjection());
        assertTrue(config.upcastAttention());
        assertEquals(96, config.sampleSize());
    }

    @Test
    void featuresThisEngineDoesNotBuildAreRefusedByKey() throws Exception {
        assertRefused("class_embed_type", "\"timestep\"");
        assertRefused("addition_embed_type", "\"text_time\"");
        assertRefused("addition_time_embed_dim", "256");
        assertRefused("num_attention_heads", "[5, 10, 20, 20]");
        assertRefused("up_block_types", "[\"UpBlock2D\", \"CrossAttnUpBlock2D\", \"CrossAttnUpBlock2D\", \"AttnUpBlock2D\"]");
        assertRefused("resnet_time_scale_shift", "\"scale_shift\"");
        assertRefused("attention_head_dim", "[5, 10, 20]");
        assertRefused("layers_per_block", "[2, 2, 2, 2]");
    }

    @Test
    void featuresLeftOffAreAccepted() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(SD15.toFile());
        root.putNull("class_embed_type");
        root.put("dual_cross_attention", false);
        root.putArray("only_cross_attention").add(false).add(false).add(false).add(false);
        root.put("dropout", 0.1);
        assertEquals(UNetConfigReader.read(SD15), UNetConfigReader.read(ConfigJson.parse("edited", root.toString())));
    }

    private static void assertRefused(String key, String json) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(SD15.toFile());
        root.set(key, JSON.readTree(json));
        var error = assertThrows(ModelFormatException.class, () -> UNetConfigReader.read(ConfigJson.parse("sd15/unet/config.json", root.toString())));
        assertTrue(error.getMessage().startsWith("sd15/unet/config.json: \"" + key + "\""), error.getMessage());
    }
}
