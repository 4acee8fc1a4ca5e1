package io.stipple.engine.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes safetensors files byte by byte, so tests can also write ones that break the format. */
final class SafetensorsBytes {

    private SafetensorsBytes() {
    }

    /** A file with this header text (padded with spaces to 8 bytes, as the format does) and data region. */
    static Path write(Path file, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[(json.length + 7) / 8 * 8];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(json, 0, padded, 0, json.length);
        return writeRaw(file, padded.length, padded, data);
    }

    /** A file whose 8-byte length field says {@code declaredLength}, followed by {@code json} and {@code data} as given. */
    static Path writeRaw(Path file, long declaredLength, byte[] json, byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(declaredLength).put(json).put(data);
        Files.write(file, buffer.array());
        return file;
    }

    /** Little-endian float32 bytes. */
    static byte[] f32(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    /** Little-endian 16-bit words (F16 or BF16 bits). */
    static byte[] u16(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putShort((short) v);
        }
        return buffer.array();
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }

    /** One header entry. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }
}
