package io.stipple.engine.sd.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.sd.layout.ConfigLayout;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.sd.singlefile.SingleFileCheckpoint;
import io.stipple.engine.weights.CheckpointFormatException;
import io.stipple.engine.weights.SafetensorsLayout;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture's one LoRA (rank 4, alpha 8) in diffusers, kohya and kohya-"te1" names, read against the tiny SD 1.x. */
class LoraFileTest {

    static final Path DIFFUSERS = SdTiny.ROOT.resolve("lora-diffusers/pytorch_lora_weights.safetensors");
    static final Path KOHYA = SdTiny.ROOT.resolve("lora_kohya.safetensors");
    static final Path KOHYA_TE1 = SdTiny.ROOT.resolve("lora_kohya_t5names.safetensors");

    private static WeightSource unet;
    private static WeightSource textEncoder;
    private static LoraTargets targets;

    @BeforeAll
    static void openBase() throws IOException {
        unet = WeightSources.openComponent(SdTiny.SD1.resolve("unet"));
        textEncoder = WeightSources.openComponent(SdTiny.SD1.resolve("text_encoder"));
        targets = LoraTargets.of(unet, textEncoder);
    }

    @AfterAll
    static void closeBase() {
        unet.close();
        textEncoder.close();
    }

    @Test
    void everyFormatMapsToTheSameLayersWithTheSameValues() throws IOException {
        try (LoraFile diffusers = LoraFile.open(DIFFUSERS, targets); LoraFile kohya = LoraFile.open(KOHYA, targets);
                LoraFile te1 = LoraFile.open(KOHYA_TE1, targets)) {
            List<LoraLayer> layers = diffusers.layers();
            assertEquals(48, layers.stream().filter(l -> l.component().equals("unet")).count());
            assertEquals(20, layers.stream().filter(l -> l.component().equals("text_encoder")).count());
            assertTrue(layers.stream().allMatch(l -> l.rank() == 4 && l.alpha() == 8 && l.fileScale() == 2), layers.toString());
            assertTrue(layers.stream().allMatch(l -> unet.contains(l.baseWeight()) || textEncoder.contains(l.baseWeight())));
            assertTrue(layers.stream().anyMatch(l -> l.module().equals("text_model.encoder.layers.4.self_attn.out_proj")));
            assertTrue(layers.stream().anyMatch(l -> l.module().equals("mid_block.attentions.0.transformer_blocks.0.attn2.to_out.0")));
            for (LoraFile other : List.of(kohya, te1)) {
                assertEquals(targetsOf(layers), targetsOf(other.layers()), other.toString());
                for (int i = 0; i < layers.size(); i++) {
                    LoraLayer a = layers.get(i);
                    LoraLayer b = other.layers().get(i);
                    assertEquals(a.alpha(), b.alpha(), b.toString());
                    assertArrayEquals(diffusers.down(a), other.down(b), b.downKey());
                    assertArrayEquals(diffusers.up(a), other.up(b), b.upKey());
                }
            }
        }
    }

    @Test
    void theBasesConfigsAloneGiveTheSameTargetsAsItsWeights() throws IOException {
        LoraTargets fromConfigs = ConfigLayout.loraTargets(UNetConfigReader.read(SdTiny.SD1.resolve("unet/config.json")),
                ClipTextConfig.read(SdTiny.SD1.resolve("text_encoder/config.json")));
        for (Path path : List.of(DIFFUSERS, KOHYA, KOHYA_TE1)) {
            try (LoraFile byWeights = LoraFile.open(path, targets); LoraFile byConfigs = LoraFile.open(path, fromConfigs)) {
                assertEquals(byWeights.layers().toString(), byConfigs.layers().toString(), path.toString());
            }
        }
        Path wide = SdTiny.ROOT.resolve("tiny-sd2-pipeline");
        LoraTargets sd2 = ConfigLayout.loraTargets(UNetConfigReader.read(wide.resolve("unet/config.json")),
                ClipTextConfig.read(wide.resolve("text_encoder/config.json")));
        assertThrows(CheckpointFormatException.class, () -> LoraFile.open(KOHYA, sd2).close(),
                "the SD 1.x LoRA does not fit the SD 2.x structure");
    }

    @Test
    void aSingleFilesHeaderAloneGivesTheFoldersTargets() throws IOException {
        Path single = SdTiny.ROOT.resolve("tiny-sd-a1111.safetensors");
        long headerEnd = 8 + ByteBuffer.wrap(Files.readAllBytes(single), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        try (InputStream file = Files.newInputStream(single);
                CountingInputStream counted = new CountingInputStream(file);
                SingleFileCheckpoint checkpoint = SingleFileCheckpoint.of(SafetensorsLayout.read("tiny.safetensors", counted,
                        Files.size(single)));
                LoraFile byWeights = LoraFile.open(KOHYA, targets);
                LoraFile byHeader = LoraFile.open(KOHYA, LoraTargets.of(checkpoint.unet(), checkpoint.textEncoder()))) {
            assertEquals(byWeights.layers().toString(), byHeader.layers().toString());
            assertEquals(headerEnd, counted.count, "only the header was read");
        }
        try (InputStream cut = new ByteArrayInputStream(Files.readAllBytes(single), 0, 100)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> SafetensorsLayout.read("cut.safetensors", cut, Files.size(single)));
            assertTrue(e.getMessage().contains("cut.safetensors: the file ends at byte 100, inside its header"), e.getMessage());
        }
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count += Math.max(n, 0);
            return n;
        }
    }

    @Test
    void aKeyNamingNoLayerOfTheBaseIsRefusedByName(@TempDir Path dir) throws IOException {
        Path file = write(dir.resolve("bad.safetensors"), "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn9_to_q",
                new long[] {4, 32}, new long[] {32, 4});
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> LoraFile.open(file, targets));
        assertTrue(e.getMessage().contains("name no layer of the base")
                && e.getMessage().contains("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn9_to_q.lora_down.weight"),
                e.getMessage());
    }

    @Test
    void aLoraOfAnotherWidthIsRefusedNamingTheLayer(@TempDir Path dir) throws IOException {
        Path file = write(dir.resolve("wide.safetensors"), "lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q",
                new long[] {4, 320}, new long[] {320, 4});
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> LoraFile.open(file, targets));
        assertTrue(e.getMessage().contains("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn1.to_q does not fit its base"
                + " weight [32, 32]"), e.getMessage());
    }

    private static List<String> targetsOf(List<LoraLayer> layers) {
        return layers.stream().map(l -> l.component() + "." + l.module() + " " + l.rank()).toList();
    }

    /** A kohya file of one layer with zero matrices of the given shapes. */
    private static Path write(Path file, String module, long[] down, long[] up) throws IOException {
        Function<long[], Long> elements = shape -> shape[0] * shape[1];
        long downBytes = 4 * elements.apply(down);
        long upBytes = 4 * elements.apply(up);
        String header = "{\"" + module + ".lora_down.weight\":{\"dtype\":\"F32\",\"shape\":[" + down[0] + "," + down[1]
                + "],\"data_offsets\":[0," + downBytes + "]},\"" + module + ".lora_up.weight\":{\"dtype\":\"F32\",\"shape\":["
                + up[0] + "," + up[1] + "],\"data_offsets\":[" + downBytes + "," + (downBytes + upBytes) + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate((int) (8 + json.length + downBytes + upBytes)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json);
        return Files.write(file, buffer.array());
    }
}
