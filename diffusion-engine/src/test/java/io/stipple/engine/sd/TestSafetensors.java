package io.stipple.engine.sd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.weights.DType;
import io.stipple.engine.weights.TensorInfo;
import io.stipple.engine.weights.WeightSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A minimal reader of the small, trusted F32/I32 safetensors files of the test fixture (the
 * whole file in memory, no validation beyond what the tests need). The engine's real reader is
 * {@code io.stipple.engine.weights}; this one keeps the component tests independent of it.
 */
public final class TestSafetensors implements WeightSource {

    private record Entry(TensorInfo info, int begin) {
    }

    private final Path file;
    private final ByteBuffer data;
    private final Map<String, Entry> entries = new TreeMap<>();

    private TestSafetensors(Path file) throws IOException {
        this.file = file;
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) buffer.getLong();
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8));
        this.data = ByteBuffer.wrap(bytes, 8 + headerLength, bytes.length - 8 - headerLength).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        header.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("__metadata__")) {
                JsonNode description = field.getValue();
                long[] shape = new long[description.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = description.get("shape").get(i).asLong();
                }
                DType dtype = DType.valueOf(description.get("dtype").asText());
                entries.put(field.getKey(), new Entry(new TensorInfo(field.getKey(), dtype, shape),
                        description.get("data_offsets").get(0).asInt()));
            }
        });
    }

    public static TestSafetensors open(Path file) throws IOException {
        return new TestSafetensors(file);
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return entry(name).info();
    }

    @Override
    public float[] floats(String name) {
        Entry entry = entry(name, DType.F32);
        float[] values = new float[(int) entry.info().elements()];
        data.slice(entry.begin(), values.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    public int[] ints(String name) {
        Entry entry = entry(name, DType.I32);
        int[] values = new int[(int) entry.info().elements()];
        data.slice(entry.begin(), values.length * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
        return values;
    }

    private Entry entry(String name, DType dtype) {
        Entry entry = entry(name);
        if (entry.info().dtype() != dtype) {
            throw new IllegalArgumentException(name + " in " + file + " is " + entry.info().dtype() + ", not " + dtype);
        }
        return entry;
    }

    private Entry entry(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("no tensor " + name + " in " + file);
        }
        return entry;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
