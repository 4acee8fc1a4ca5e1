package io.stipple.engine.weights;

import static io.stipple.engine.weights.SafetensorsBytes.entry;
import static io.stipple.engine.weights.SafetensorsBytes.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile safetensors files, each refused at open with a message naming the file
 * and the tensor at fault, never with an OOM or a wrong tensor.
 */
class SafetensorsHostileFilesTest {

    @TempDir
    Path dir;

    private String refusal(Path file) {
        return assertThrows(CheckpointFormatException.class, () -> SafetensorsFile.open(file).close()).getMessage();
    }

    private Path file(String header, byte[] data) throws IOException {
        return SafetensorsBytes.write(dir.resolve("model.safetensors"), header, data);
    }

    private static final byte[] TWELVE_BYTES = f32(1, 2, 3);

    @Test
    void aTruncatedFileNamesTheTensorThatRunsPastTheEnd() throws IOException {
        Path whole = file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 8, 16) + "}", f32(1, 2, 3, 4));
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(whole, Arrays.copyOf(bytes, bytes.length - 4));
        assertEquals(whole + ": tensor 'b': data_offsets [8, 16] end past the data region, which holds 12 bytes"
                + " (is the file truncated?)", refusal(whole));
    }

    @Test
    void aFileShorterThanTheLengthFieldIsRefused() throws IOException {
        Path file = Files.write(dir.resolve("stub.safetensors"), new byte[] {1, 2, 3});
        assertEquals(file + ": 3 bytes is too short for a safetensors file (it starts with an 8-byte header length)",
                refusal(file));
    }

    @Test
    void aHeaderLengthLongerThanTheFileIsRefused() throws IOException {
        byte[] json = ("{" + entry("a", "F32", "[1]", 0, 4) + "}").getBytes(StandardCharsets.UTF_8);
        Path file = SafetensorsBytes.writeRaw(dir.resolve("lying.safetensors"), 4096, json, f32(1));
        long size = Files.size(file);
        assertEquals(file + ": header length 4096 runs past the end of the " + size + "-byte file", refusal(file));
    }

    @Test
    void aHeaderLengthShorterThanTheHeaderLeavesInvalidJson() throws IOException {
        byte[] json = ("{" + entry("a", "F32", "[1]", 0, 4) + "}").getBytes(StandardCharsets.UTF_8);
        Path file = SafetensorsBytes.writeRaw(dir.resolve("lying.safetensors"), 16, json, f32(1));
        assertTrue(refusal(file).startsWith(file + ": the safetensors header is not valid JSON ("), refusal(file));
    }

    @Test
    void aHugeHeaderLengthIsRefusedBeforeAnythingIsAllocated() throws IOException {
        Path file = SafetensorsBytes.writeRaw(dir.resolve("huge.safetensors"), 200_000_000L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertEquals(file + ": header length 200000000 exceeds the 100000000-byte cap", refusal(file));
        Path negative = SafetensorsBytes.writeRaw(dir.resolve("negative.safetensors"), -1L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertEquals(negative + ": header length 18446744073709551615 exceeds the 100000000-byte cap", refusal(negative));
    }

    @Test
    void overlappingOffsetsNameBothTensors() throws IOException {
        Path file = file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", TWELVE_BYTES);
        assertEquals(file + ": tensor 'b' (bytes 4..12) overlaps tensor 'a' (bytes 0..8)", refusal(file));
    }

    @Test
    void aTrillionElementShapeFailsAtOpenWithoutAllocating() throws IOException {
        Path lyingRange = file("{" + entry("big", "F32", "[1000000,1000000]", 0, 12) + "}", TWELVE_BYTES);
        assertEquals(lyingRange + ": tensor 'big': F32 x shape [1000000, 1000000] is 4000000000000 bytes"
                + " but data_offsets [0, 12] span 12", refusal(lyingRange));
        Path consistentRange = file("{" + entry("big", "F32", "[1000000,1000000]", 0, 4_000_000_000_000L) + "}", TWELVE_BYTES);
        assertEquals(consistentRange + ": tensor 'big': data_offsets [0, 4000000000000] end past the data region,"
                + " which holds 12 bytes (is the file truncated?)", refusal(consistentRange));
    }

    @Test
    void aShapeWhoseByteCountOverflowsIsRefused() throws IOException {
        Path file = file("{" + entry("w", "F32", "[4294967296,4294967296]", 0, 12) + "}", TWELVE_BYTES);
        assertEquals(file + ": tensor 'w': shape [4294967296, 4294967296] of F32 overflows a 64-bit byte count", refusal(file));
    }

    @Test
    void aNegativeOrFractionalDimensionIsRefused() throws IOException {
        Path negative = file("{" + entry("w", "F32", "[-3]", 0, 12) + "}", TWELVE_BYTES);
        assertEquals(negative + ": tensor 'w': shape [-3] holds something other than a non-negative 64-bit integer: -3",
                refusal(negative));
        Path fractional = file("{" + entry("w", "F32", "[1.5]", 0, 12) + "}", TWELVE_BYTES);
        assertEquals(fractional + ": tensor 'w': shape [1.5] holds something other than a non-negative 64-bit integer: 1.5",
                refusal(fractional));
    }

    @Test
    void aRangeThatDoesNotMatchTheDtypeSizeIsRefused() throws IOException {
        Path file = file("{" + entry("half", "F16", "[6]", 0, 24) + "}", f32(1, 2, 3, 4, 5, 6));
        assertEquals(file + ": tensor 'half': F16 x shape [6] is 12 bytes but data_offsets [0, 24] span 24", refusal(file));
    }

    @Test
    void anUnknownDtypeIsRefused() throws IOException {
        Path file = file("{" + entry("q", "Q4_K", "[3]", 0, 12) + "}", TWELVE_BYTES);
        assertEquals(file + ": tensor 'q': unknown dtype 'Q4_K' (known: " + Arrays.toString(DType.values()) + ")",
                refusal(file));
    }

    @Test
    void aHeaderThatIsNotAJsonObjectIsRefused() throws IOException {
        Path garbage = file("this is not json", TWELVE_BYTES);
        assertTrue(refusal(garbage).startsWith(garbage + ": the safetensors header is not valid JSON ("), refusal(garbage));
        Path array = file("[1, 2, 3]", TWELVE_BYTES);
        assertEquals(array + ": the safetensors header is not a JSON object", refusal(array));
        Path notUtf8 = SafetensorsBytes.writeRaw(dir.resolve("latin1.safetensors"), 8,
                new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}', ' '}, new byte[0]);
        assertTrue(refusal(notUtf8).startsWith(notUtf8 + ": the safetensors header is not valid JSON (Invalid UTF-8"),
                refusal(notUtf8));
        Path notADescription = file("{\"w\": [0, 12]}", TWELVE_BYTES);
        assertEquals(notADescription + ": tensor 'w': its description is not a JSON object", refusal(notADescription));
        Path noOffsets = file("{\"w\": {\"dtype\": \"F32\", \"shape\": [3]}}", TWELVE_BYTES);
        assertEquals(noOffsets + ": tensor 'w': data_offsets is missing or not an array", refusal(noOffsets));
    }

    @Test
    void aGapBetweenTensorsIsRefused() throws IOException {
        Path file = file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 12, 20) + "}", f32(1, 2, 3, 4, 5));
        assertEquals(file + ": tensor 'b' begins at byte 12 of the data region, leaving a gap of 4 bytes after tensor 'a'",
                refusal(file));
        Path leading = file("{" + entry("a", "F32", "[2]", 4, 12) + "}", TWELVE_BYTES);
        assertEquals(leading + ": tensor 'a' begins at byte 4 of the data region, leaving a gap of 4 bytes after its start",
                refusal(leading));
    }

    @Test
    void bytesAfterTheLastTensorAreRefused() throws IOException {
        Path file = file("{" + entry("a", "F32", "[2]", 0, 8) + "}", TWELVE_BYTES);
        assertEquals(file + ": the tensors cover 8 bytes of the data region but it holds 12 (4 bytes after tensor 'a'"
                + " belong to no tensor)", refusal(file));
    }

    @Test
    void metadataMustMapStringsToStrings() throws IOException {
        Path file = file("{\"__metadata__\": {\"format\": \"pt\", \"epoch\": 3}," + entry("a", "F32", "[3]", 0, 12) + "}", TWELVE_BYTES);
        assertEquals(file + ": __metadata__ entry 'epoch' is not a string (number)", refusal(file));
        Path notAnObject = file("{\"__metadata__\": [1]," + entry("a", "F32", "[3]", 0, 12) + "}", TWELVE_BYTES);
        assertEquals(notAnObject + ": __metadata__ is not a JSON object", refusal(notAnObject));
    }

    @Test
    void aDuplicateNameIsRefused() throws IOException {
        Path file = file("{" + entry("a", "F32", "[3]", 0, 12) + "," + entry("a", "F32", "[3]", 0, 12) + "}", TWELVE_BYTES);
        assertEquals(file + ": tensor 'a' is named twice in the header", refusal(file));
    }

    @Test
    void askingForAnAbsentTensorOrTheWrongKindNamesIt() throws IOException {
        Path file = file("{" + entry("ids", "I32", "[3]", 0, 12) + "}", TWELVE_BYTES);
        try (SafetensorsFile source = SafetensorsFile.open(file)) {
            assertEquals(file + ": no tensor named 'missing'",
                    assertThrows(CheckpointFormatException.class, () -> source.floats("missing")).getMessage());
            assertEquals(file + ": no tensor named 'missing'",
                    assertThrows(CheckpointFormatException.class, () -> source.info("missing")).getMessage());
            assertEquals(file + ": tensor 'ids': stored as I32, not a floating-point dtype",
                    assertThrows(CheckpointFormatException.class, () -> source.floats("ids")).getMessage());
        }
    }
}
