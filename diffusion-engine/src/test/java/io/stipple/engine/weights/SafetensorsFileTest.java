package io.stipple.engine.weights;

import static io.stipple.engine.weights.SafetensorsBytes.concat;
import static io.stipple.engine.weights.SafetensorsBytes.entry;
import static io.stipple.engine.weights.SafetensorsBytes.f32;
import static io.stipple.engine.weights.SafetensorsBytes.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    static final Path FIXTURE = Path.of("..", "test-fixtures", "sd-tiny");

    @TempDir
    Path dir;

    @Test
    void readsF16AndBf16ExactlyIncludingSubnormalsInfinitiesAndNan() throws IOException {
        // F16: 1, -2, smallest subnormal 2^-24, largest subnormal, smallest normal 2^-14, max 65504, -0, +inf, -inf, NaN
        int[] f16 = {0x3C00, 0xC000, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x8000, 0x7C00, 0xFC00, 0x7E00};
        float[] f16Values = {1f, -2f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, 65504f, -0f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        // BF16: 1, -2, smallest subnormal 2^-133, 3.140625, +inf, NaN
        int[] bf16 = {0x3F80, 0xC000, 0x0001, 0x4049, 0x7F80, 0x7FC0};
        float[] bf16Values = {1f, -2f, 0x1p-133f, 3.140625f, Float.POSITIVE_INFINITY, Float.NaN};
        String header = "{\"__metadata__\":{\"format\":\"pt\"}," + entry("bf", "BF16", "[2,3]", 0, 12) + ","
                + entry("half", "F16", "[10]", 12, 32) + "}";
        Path file = SafetensorsBytes.write(dir.resolve("halves.safetensors"), header, concat(u16(bf16), u16(f16)));
        try (SafetensorsFile source = SafetensorsFile.open(file)) {
            assertEquals(List.of("bf", "half"), List.copyOf(source.names()));
            assertEquals(new TensorInfo("bf", DType.BF16, new long[] {2, 3}), source.info("bf"));
            assertEquals(Map.of("format", "pt"), source.metadata());
            assertBitsEqual(f16Values, source.floats("half"));
            assertBitsEqual(bf16Values, source.floats("bf"));
        }
    }

    @Test
    void everyF16ValueConvertsToItsExactValue() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            double sign = (bits & 0x8000) != 0 ? -1 : 1;
            float converted = HalfFloats.f16ToFloat(bits);
            if (exponent == 0x1f) {
                assertTrue(mantissa == 0 ? Float.isInfinite(converted) : Float.isNaN(converted), Integer.toHexString(bits));
                continue;
            }
            double exact = exponent == 0
                    ? sign * mantissa * Math.pow(2, -24)
                    : sign * (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            assertEquals(Double.doubleToRawLongBits(exact), Double.doubleToRawLongBits(converted), Integer.toHexString(bits));
        }
    }

    @Test
    void readsTensorsAcrossManyMapWindows() throws IOException {
        float[] values = new float[37];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 3;
        }
        int[] halves = new int[11];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = 0x3C00 + i;
        }
        String header = "{" + entry("a", "F32", "[37]", 0, 148) + "," + entry("h", "F16", "[11]", 148, 170) + "}";
        Path file = SafetensorsBytes.write(dir.resolve("windows.safetensors"), header, concat(f32(values), u16(halves)));
        try (SafetensorsFile whole = SafetensorsFile.open(file); SafetensorsFile windowed = SafetensorsFile.open(file, 8)) {
            assertArrayEquals(values, windowed.floats("a"));
            assertArrayEquals(whole.floats("h"), windowed.floats("h"));
            assertEquals(1 + 10 / 1024f, windowed.floats("h")[10]);
        }
    }

    @Test
    void readsIntegerTensorsAsIntsAndLongs() throws IOException {
        ByteBuffer i64 = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(7).putLong(1L << 40);
        ByteBuffer i32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(954).putInt(-1);
        String header = "{" + entry("big", "I64", "[3]", 0, 24) + "," + entry("ids", "I32", "[1,2]", 24, 32) + ","
                + entry("mask", "BOOL", "[2]", 32, 34) + "," + entry("w", "F32", "[]", 34, 38) + "}";
        Path file = SafetensorsBytes.write(dir.resolve("ints.safetensors"), header,
                concat(i64.array(), i32.array(), new byte[] {1, 0}, f32(2.5f)));
        try (SafetensorsFile source = SafetensorsFile.open(file)) {
            assertArrayEquals(new long[] {-5, 7, 1L << 40}, source.longs("big"));
            assertArrayEquals(new int[] {954, -1}, source.ints("ids"));
            assertArrayEquals(new long[] {954, -1}, source.longs("ids"));
            assertArrayEquals(new int[] {1, 0}, source.ints("mask"));
            assertArrayEquals(new float[] {2.5f}, source.floats("w"));
            assertEquals(file + ": tensor 'big': I64 value 1099511627776 at index 2 does not fit an int (read it with longs)",
                    assertThrows(CheckpointFormatException.class, () -> source.ints("big")).getMessage());
            assertEquals(file + ": tensor 'w': stored as F32, not an integer dtype",
                    assertThrows(CheckpointFormatException.class, () -> source.ints("w")).getMessage());
        }
    }

    @Test
    void readsTheDiffusersUnetOfTheFixture() throws IOException {
        Path file = FIXTURE.resolve("tiny-sd-pipeline/unet/diffusion_pytorch_model.safetensors");
        try (WeightSource unet = WeightSources.open(file)) {
            assertEquals(304, unet.names().size());
            assertEquals(new TensorInfo("conv_in.weight", DType.F32, new long[] {32, 4, 3, 3}), unet.info("conv_in.weight"));
            float[] convIn = unet.floats("conv_in.weight");
            assertEquals(32 * 4 * 3 * 3, convIn.length);
            assertEquals(-0.0012478034f, convIn[0]);
            assertEquals(0.08940726518630981f, convIn[1]);
            double sum = 0;
            for (float v : convIn) {
                sum += v;
            }
            assertEquals(-2.0138784234950435, sum, 1e-12);
            assertArrayEquals(new float[] {-0.027770958840847015f, -0.05074522644281387f, -0.003213760443031788f},
                    java.util.Arrays.copyOf(unet.floats("conv_out.bias"), 3));
        }
    }

    @Test
    void readsTheFixturesTokenIdsAsInts() throws IOException {
        try (WeightSource fixture = WeightSources.open(FIXTURE.resolve("fixture.safetensors"))) {
            assertEquals(new TensorInfo("tokenizer.input_ids", DType.I32, new long[] {5, 77}), fixture.info("tokenizer.input_ids"));
            int[] ids = fixture.ints("tokenizer.input_ids");
            assertEquals(5 * 77, ids.length);
            assertEquals(954, ids[0]);
        }
    }

    private static void assertBitsEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "index " + i);
        }
    }
}
