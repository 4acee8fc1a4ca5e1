package io.stipple.engine.sd.singlefile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.weights.WeightSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Writes test checkpoints: tensors as float32 safetensors, under names and shapes the test chooses. */
final class SafetensorsWriter {

    /** One tensor to write. */
    record Tensor(long[] shape, float[] values) {
    }

    private SafetensorsWriter() {
    }

    /** The tensors of {@code source} whose names {@code keep} accepts, as float32. */
    static Path write(Path file, WeightSource source, Predicate<String> keep) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String name : source.names()) {
            if (keep.test(name)) {
                tensors.put(name, new Tensor(source.info(name).shape(), source.floats(name)));
            }
        }
        return write(file, tensors);
    }

    static Path write(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = new ObjectMapper().createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> tensor : tensors.entrySet()) {
            ObjectNode entry = header.putObject(tensor.getKey());
            entry.put("dtype", "F32");
            Arrays.stream(tensor.getValue().shape()).forEach(entry.putArray("shape")::add);
            long end = offset + 4L * tensor.getValue().values().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buffer.put((byte) ' ');
        }
        tensors.values().forEach(t -> {
            for (float v : t.values()) {
                buffer.putFloat(v);
            }
        });
        Files.write(file, buffer.array());
        return file;
    }
}
