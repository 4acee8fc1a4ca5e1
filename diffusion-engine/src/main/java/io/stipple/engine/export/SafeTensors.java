package io.stipple.engine.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * float32 tensors in the safetensors format (github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header naming each tensor's dtype, shape and byte range,
 * then the raw little-endian data. Chosen for LoRA adapters because other tools read it and a
 * reader needs nothing but the file (no pickle, no TensorFlow).
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 16L << 20;

    private SafeTensors() {
    }

    /** Writes the tensors in name order. */
    public static void write(Path file, Map<String, ? extends org.tensorflow.Tensor> tensors) throws IOException {
        Map<String, float[]> values = new TreeMap<>();
        Map<String, long[]> shapes = new TreeMap<>();
        tensors.forEach((name, tensor) -> {
            if (!(tensor instanceof TFloat32 floats)) {
                throw new IllegalArgumentException(name + " is not float32");
            }
            float[] data = new float[(int) floats.size()];
            floats.asRawTensor().data().asFloats().read(data);
            values.put(name, data);
            shapes.put(name, floats.shape().asArray());
        });
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (var entry : values.entrySet()) {
            ObjectNode description = header.putObject(entry.getKey());
            description.put("dtype", "F32");
            var shape = description.putArray("shape");
            for (long d : shapes.get(entry.getKey())) {
                shape.add(d);
            }
            long end = offset + 4L * entry.getValue().length;
            description.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // The format pads the header with spaces to an 8-byte boundary.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buffer = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(padded);
        buffer.put(json);
        for (int i = json.length; i < padded; i++) {
            buffer.put((byte) ' ');
        }
        for (float[] data : values.values()) {
            for (float v : data) {
                buffer.putFloat(v);
            }
        }
        Files.write(file, buffer.array());
    }

    /** Reads every tensor; the caller closes them. */
    public static Map<String, TFloat32> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new ModelFormatException(file + " is not a safetensors file (too short)");
        }
        long headerLength = buffer.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw new ModelFormatException(file + " has an invalid safetensors header length " + headerLength);
        }
        JsonNode header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        long dataStart = 8 + headerLength;
        Map<String, TFloat32> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode description = entry.getValue();
            if (!"F32".equals(description.path("dtype").asText())) {
                throw new ModelFormatException(entry.getKey() + " in " + file + " is not F32");
            }
            long[] dims = new long[description.path("shape").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = description.path("shape").get(i).asLong();
            }
            long begin = description.path("data_offsets").get(0).asLong();
            long end = description.path("data_offsets").get(1).asLong();
            Shape shape = Shape.of(dims);
            if (end - begin != 4 * shape.size() || dataStart + end > bytes.length || begin < 0) {
                throw new ModelFormatException(entry.getKey() + " in " + file + " has inconsistent offsets");
            }
            float[] values = new float[(int) shape.size()];
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            slice.asFloatBuffer().get(values);
            tensors.put(entry.getKey(), TFloat32.tensorOf(shape, DataBuffers.of(values, true, false)));
        }
        return tensors;
    }
}
