package io.stipple.engine.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes float32 tensors in the safetensors format (github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header with the optional {@code __metadata__} string map and,
 * per tensor, its dtype, shape and byte range, padded with spaces to 8 bytes, then the raw
 * little-endian data in the map's order. What {@link SafetensorsFile} and other tools read.
 */
public final class SafetensorsWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor: its shape ({@code []} for a scalar) and row-major values. */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (size != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, not "
                        + values.length);
            }
        }
    }

    private SafetensorsWriter() {
    }

    /** Writes {@code tensors} without metadata. */
    public static Path write(Path file, Map<String, Tensor> tensors) throws IOException {
        return write(file, tensors, Map.of());
    }

    /** Writes {@code tensors} in their map order, with {@code metadata} as the header's {@code __metadata__} when not empty. */
    public static Path write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> tensor : tensors.entrySet()) {
            if (tensor.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("a tensor may not be named __metadata__");
            }
            ObjectNode entry = header.putObject(tensor.getKey());
            entry.put("dtype", "F32");
            Arrays.stream(tensor.getValue().shape()).forEach(entry.putArray("shape")::add);
            long end = offset + 4L * tensor.getValue().values().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buffer.put((byte) ' ');
        }
        for (Tensor tensor : tensors.values()) {
            for (float v : tensor.values()) {
                buffer.putFloat(v);
            }
        }
        Files.write(file, buffer.array());
        return file;
    }
}
