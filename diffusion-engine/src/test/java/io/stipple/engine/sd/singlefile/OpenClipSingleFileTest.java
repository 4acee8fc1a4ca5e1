package io.stipple.engine.sd.singlefile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.weights.SafetensorsWriter;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SD 2.x files carry OpenCLIP under {@code cond_stage_model.model.*} with fused q/k/v. The fixture
 * has no SD 2.x single file, so one is written here from the tiny SD 2.x text encoder in OpenCLIP's
 * names (q, k, v stacked by rows; one more layer, which SD 2.x does not use, and the projection),
 * next to the SD 1.x file's U-Net and VAE; converting it back must give the folder's tensors.
 */
class OpenClipSingleFileTest {

    private static final Map<String, String> LAYER_PARTS = Map.of(
            "layer_norm1.", "ln_1.", "layer_norm2.", "ln_2.", "self_attn.out_proj.", "attn.out_proj.",
            "mlp.fc1.", "mlp.c_fc.", "mlp.fc2.", "mlp.c_proj.");

    @Test
    void openClipKeysConvertToTheFoldersTextEncoder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tiny-sd2-text.safetensors");
        try (WeightSource sd1 = WeightSources.open(SingleFileCheckpointTest.FP32);
                WeightSource text = WeightSources.openComponent(SdTiny.SD2.resolve("text_encoder"))) {
            Map<String, SafetensorsWriter.Tensor> tensors = new LinkedHashMap<>();
            for (String key : sd1.names()) {
                if (!key.startsWith("cond_stage_model.")) {
                    tensors.put(key, new SafetensorsWriter.Tensor(sd1.info(key).shape(), sd1.floats(key)));
                }
            }
            openClip(text, tensors);
            SafetensorsWriter.write(file, tensors);
        }
        try (SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(file);
                WeightSource folder = WeightSources.openComponent(SdTiny.SD2.resolve("text_encoder"))) {
            assertTrue(checkpoint.openClip());
            assertEquals(folder.names(), checkpoint.textEncoder().names());
            for (String name : folder.names()) {
                assertArrayEquals(folder.info(name).shape(), checkpoint.textEncoder().info(name).shape(), name);
                assertArrayEquals(folder.floats(name), checkpoint.textEncoder().floats(name), name);
            }
            assertEquals(List.of("cond_stage_model.model.logit_scale", "cond_stage_model.model.text_projection"),
                    checkpoint.unusedKeys().stream().filter(k -> !k.contains("resblocks")).toList());
            assertTrue(checkpoint.unusedKeys().stream().filter(k -> k.contains("resblocks"))
                    .allMatch(k -> k.startsWith("cond_stage_model.model.transformer.resblocks.4.")), checkpoint.unusedKeys().toString());
            ClipTextConfig expected = ClipTextConfig.read(SdTiny.SD2.resolve("text_encoder/config.json"));
            assertEquals(expected, checkpoint.configs(new StatedConfig("v_prediction", 4, 955, 256)).textEncoder());
        }
    }

    /** The text encoder in OpenCLIP's names, with one more (unused) layer and the projection. */
    private static void openClip(WeightSource text, Map<String, SafetensorsWriter.Tensor> out) {
        String prefix = "cond_stage_model.model.";
        put(out, prefix + "token_embedding.weight", text, "text_model.embeddings.token_embedding.weight");
        put(out, prefix + "positional_embedding", text, "text_model.embeddings.position_embedding.weight");
        put(out, prefix + "ln_final.weight", text, "text_model.final_layer_norm.weight");
        put(out, prefix + "ln_final.bias", text, "text_model.final_layer_norm.bias");
        int layers = 4;
        for (int layer = 0; layer <= layers; layer++) {
            int from = Math.min(layer, layers - 1); // the extra last layer: a copy, never read
            String source = "text_model.encoder.layers." + from + ".";
            String target = prefix + "transformer.resblocks." + layer + ".";
            for (Map.Entry<String, String> part : LAYER_PARTS.entrySet()) {
                for (String parameter : List.of("weight", "bias")) {
                    put(out, target + part.getValue() + parameter, text, source + part.getKey() + parameter);
                }
            }
            for (String parameter : List.of("weight", "bias")) {
                float[] q = text.floats(source + "self_attn.q_proj." + parameter);
                float[] k = text.floats(source + "self_attn.k_proj." + parameter);
                float[] v = text.floats(source + "self_attn.v_proj." + parameter);
                float[] fused = new float[q.length * 3];
                System.arraycopy(q, 0, fused, 0, q.length);
                System.arraycopy(k, 0, fused, q.length, q.length);
                System.arraycopy(v, 0, fused, 2 * q.length, q.length);
                long[] shape = text.info(source + "self_attn.q_proj." + parameter).shape();
                shape[0] *= 3;
                out.put(target + "attn.in_proj_" + parameter, new SafetensorsWriter.Tensor(shape, fused));
            }
        }
        out.put(prefix + "text_projection", new SafetensorsWriter.Tensor(new long[] {32, 32}, new float[32 * 32]));
        out.put(prefix + "logit_scale", new SafetensorsWriter.Tensor(new long[] {}, new float[] {1}));
    }

    private static void put(Map<String, SafetensorsWriter.Tensor> out, String key, WeightSource text, String name) {
        out.put(key, new SafetensorsWriter.Tensor(text.info(name).shape(), text.floats(name)));
    }
}
