package io.stipple.engine.weights;

import static io.stipple.engine.weights.SafetensorsBytes.concat;
import static io.stipple.engine.weights.SafetensorsBytes.entry;
import static io.stipple.engine.weights.SafetensorsBytes.f32;
import static io.stipple.engine.weights.SafetensorsBytes.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint split over two shards and the index that maps its tensors to them. */
class ShardedSafetensorsTest {

    private static final String SHARD_1 = "model-00001-of-00002.safetensors";
    private static final String SHARD_2 = "model-00002-of-00002.safetensors";

    @TempDir
    Path dir;

    private Path index;

    @BeforeEach
    void writeShards() throws IOException {
        SafetensorsBytes.write(dir.resolve(SHARD_1), "{" + entry("a.weight", "F32", "[2]", 0, 8) + ","
                + entry("a.bias", "F16", "[1]", 8, 10) + "}", concat(f32(1, 2), u16(0x3C00)));
        SafetensorsBytes.write(dir.resolve(SHARD_2), "{" + entry("b.weight", "BF16", "[2,1]", 0, 4) + "}", u16(0x4000, 0xBF80));
        index = dir.resolve("model.safetensors.index.json");
        writeIndex("{\"a.weight\": \"" + SHARD_1 + "\", \"a.bias\": \"" + SHARD_1 + "\", \"b.weight\": \"" + SHARD_2 + "\"}");
    }

    private void writeIndex(String weightMap) throws IOException {
        Files.writeString(index, "{\"metadata\": {\"total_size\": 14}, \"weight_map\": " + weightMap + "}");
    }

    private String refusal() {
        return assertThrows(CheckpointFormatException.class, () -> WeightSources.open(index).close()).getMessage();
    }

    @Test
    void readsEveryTensorFromItsShard() throws IOException {
        try (WeightSource source = WeightSources.open(index)) {
            assertInstanceOf(ShardedSafetensors.class, source);
            assertEquals(List.of("a.bias", "a.weight", "b.weight"), List.copyOf(source.names()));
            assertArrayEquals(new float[] {1, 2}, source.floats("a.weight"));
            assertArrayEquals(new float[] {1}, source.floats("a.bias"));
            assertArrayEquals(new float[] {2, -1}, source.floats("b.weight"));
            assertEquals(new TensorInfo("b.weight", DType.BF16, new long[] {2, 1}), source.info("b.weight"));
            assertEquals(index + ": no tensor named 'c'",
                    assertThrows(CheckpointFormatException.class, () -> source.floats("c")).getMessage());
        }
    }

    @Test
    void anIndexReachedThroughDotDotFindsItsShards() throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        try (WeightSource source = WeightSources.open(dir.resolve("sub").resolve("..").resolve(index.getFileName()))) {
            assertArrayEquals(new float[] {2, -1}, source.floats("b.weight"));
        }
    }

    @Test
    void aMissingShardIsNamed() throws IOException {
        Files.delete(dir.resolve(SHARD_2));
        assertEquals(index + ": shard " + SHARD_2 + " does not exist next to the index", refusal());
    }

    @Test
    void aShardOutsideTheIndexFolderIsRefused() throws IOException {
        writeIndex("{\"a.weight\": \"../" + SHARD_1 + "\"}");
        assertEquals(index + ": shard '../" + SHARD_1 + "' is not a file name next to the index", refusal());
    }

    @Test
    void aTensorMappedToAShardWithoutItIsNamed() throws IOException {
        writeIndex("{\"a.weight\": \"" + SHARD_2 + "\", \"a.bias\": \"" + SHARD_1 + "\", \"b.weight\": \"" + SHARD_2 + "\"}");
        assertEquals(index + ": tensor 'a.weight' is mapped to " + SHARD_2 + ", which has no tensor of that name", refusal());
    }

    @Test
    void aTensorOfAShardThatTheIndexDoesNotMapThereIsNamed() throws IOException {
        writeIndex("{\"a.weight\": \"" + SHARD_1 + "\", \"b.weight\": \"" + SHARD_2 + "\"}");
        assertEquals(index + ": tensor 'a.bias' is in shard " + SHARD_1 + " but the index maps it nowhere", refusal());
    }

    @Test
    void aTensorInTwoShardsIsNamed() throws IOException {
        SafetensorsBytes.write(dir.resolve(SHARD_2), "{" + entry("a.weight", "F32", "[2]", 0, 8) + ","
                + entry("b.weight", "BF16", "[2,1]", 8, 12) + "}", concat(f32(1, 2), u16(0x4000, 0xBF80)));
        assertEquals(index + ": tensor 'a.weight' is in shard " + SHARD_2 + " but the index maps it to " + SHARD_1, refusal());
    }

    @Test
    void aMalformedShardIsNamedWithItsTensor() throws IOException {
        SafetensorsBytes.write(dir.resolve(SHARD_2), "{" + entry("b.weight", "BF16", "[3,1]", 0, 4) + "}", u16(0x4000, 0xBF80));
        assertEquals(dir.resolve(SHARD_2).toAbsolutePath() + ": tensor 'b.weight': BF16 x shape [3, 1] is 6 bytes"
                + " but data_offsets [0, 4] span 4", refusal());
    }

    @Test
    void anIndexWithoutAWeightMapIsRefused() throws IOException {
        Files.writeString(index, "{\"metadata\": {}}");
        assertEquals(index + ": no weight_map object", refusal());
        Files.writeString(index, "{\"weight_map\": {\"a.weight\": 3}}");
        assertEquals(index + ": weight_map entry for tensor 'a.weight' is not a file name", refusal());
    }
}
