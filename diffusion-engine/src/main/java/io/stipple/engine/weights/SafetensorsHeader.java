package io.stipple.engine.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The JSON header of a safetensors file, parsed and checked against the format
 * (github.com/huggingface/safetensors): every tensor has a known dtype, a non-negative shape, and
 * a byte range of exactly dtype x shape bytes inside the data region; the ranges tile the data
 * region with no gap and no overlap; {@code __metadata__} maps strings to strings; no name occurs
 * twice. Nothing here allocates in proportion to what the header claims.
 *
 * @param tensors  every tensor by name, with its byte range relative to the start of the data region
 * @param metadata the {@code __metadata__} entries (empty when absent)
 * @param dataStart the data region's first byte in the file ({@link #read}); -1 from {@link #parse} alone
 */
record SafetensorsHeader(SortedMap<String, Slot> tensors, Map<String, String> metadata, long dataStart) {

    /** The header length is a little-endian u64; the reference implementation caps it at 100 MB. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";

    /** Top-level names are checked for duplicates by {@link #parse}, nested ones by the tree reader. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    /**
     * One tensor's place in the file.
     *
     * @param info  name, dtype, shape
     * @param begin first byte, relative to the data region
     * @param end   one past the last byte, relative to the data region
     */
    record Slot(TensorInfo info, long begin, long end) {
        long bytes() {
            return end - begin;
        }
    }

    /** Reads {@code length} bytes of the file from {@code position}; called in file order. */
    interface Bytes {
        byte[] read(long position, int length) throws IOException;
    }

    /**
     * Reads and checks the header of {@code file}, {@code size} bytes long: its 8-byte length (capped, and
     * inside the file), then the JSON it frames, against the data region that follows.
     */
    static SafetensorsHeader read(Path file, long size, Bytes bytes) throws IOException {
        if (size < 8) {
            throw new CheckpointFormatException(file + ": " + size
                    + " bytes is too short for a safetensors file (it starts with an 8-byte header length)");
        }
        long headerBytes = ByteBuffer.wrap(bytes.read(0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (Long.compareUnsigned(headerBytes, MAX_HEADER_BYTES) > 0) {
            throw new CheckpointFormatException(file + ": header length " + Long.toUnsignedString(headerBytes)
                    + " exceeds the " + MAX_HEADER_BYTES + "-byte cap");
        }
        if (8 + headerBytes > size) {
            throw new CheckpointFormatException(file + ": header length " + headerBytes + " runs past the end of the "
                    + size + "-byte file");
        }
        SafetensorsHeader parsed = parse(file, bytes.read(8, (int) headerBytes), size - 8 - headerBytes);
        return new SafetensorsHeader(parsed.tensors(), parsed.metadata(), 8 + headerBytes);
    }

    /**
     * Parses {@code json} (the header bytes, space padding allowed) of {@code file}, whose data
     * region after the header holds {@code dataBytes} bytes.
     */
    static SafetensorsHeader parse(Path file, byte[] json, long dataBytes) {
        SortedMap<String, Slot> tensors = new TreeMap<>();
        Map<String, String> metadata = Map.of();
        // Streamed at the top level, so a name given twice is reported as such.
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new CheckpointFormatException(file + ": the safetensors header is not a JSON object");
            }
            Set<String> seen = new HashSet<>();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                if (!seen.add(name)) {
                    throw new CheckpointFormatException(file + ": tensor '" + name + "' is named twice in the header");
                }
                parser.nextToken();
                JsonNode value = JSON.readTree(parser);
                if (name.equals(METADATA)) {
                    metadata = metadata(file, value);
                } else {
                    tensors.put(name, slot(file, name, value, dataBytes));
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new CheckpointFormatException(file + ": the safetensors header has content after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(file + ": the safetensors header is not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new CheckpointFormatException(file + ": the safetensors header cannot be parsed (" + e.getMessage() + ")", e);
        }
        checkTiling(file, tensors.values(), dataBytes);
        return new SafetensorsHeader(Collections.unmodifiableSortedMap(tensors), metadata, -1);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw new CheckpointFormatException(file + ": " + METADATA + " is not a JSON object");
        }
        Map<String, String> metadata = new TreeMap<>();
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            if (!entry.getValue().isTextual()) {
                throw new CheckpointFormatException(file + ": " + METADATA + " entry '" + entry.getKey()
                        + "' is not a string (" + entry.getValue().getNodeType().name().toLowerCase() + ")");
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Slot slot(Path file, String name, JsonNode node, long dataBytes) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) {
            throw new CheckpointFormatException(where + ": its description is not a JSON object");
        }
        DType dtype = dtype(where, node.get("dtype"));
        long[] shape = longs(where, "shape", node.get("shape"));
        long[] offsets = longs(where, "data_offsets", node.get("data_offsets"));
        if (offsets.length != 2) {
            throw new CheckpointFormatException(where + ": data_offsets has " + offsets.length + " entries, not 2");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw new CheckpointFormatException(where + ": data_offsets " + Arrays.toString(offsets) + " end before they begin");
        }
        long bytes = byteSize(where, dtype, shape);
        if (end - begin != bytes) {
            throw new CheckpointFormatException(where + ": " + dtype + " x shape " + Arrays.toString(shape) + " is "
                    + bytes + " bytes but data_offsets " + Arrays.toString(offsets) + " span " + (end - begin));
        }
        if (end > dataBytes) {
            throw new CheckpointFormatException(where + ": data_offsets " + Arrays.toString(offsets)
                    + " end past the data region, which holds " + dataBytes + " bytes (is the file truncated?)");
        }
        return new Slot(new TensorInfo(name, dtype, shape), begin, end);
    }

    private static DType dtype(String where, JsonNode node) {
        if (node == null || !node.isTextual()) {
            throw new CheckpointFormatException(where + ": dtype is missing or not a string");
        }
        try {
            return DType.valueOf(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(where + ": unknown dtype '" + node.textValue() + "' (known: "
                    + Arrays.toString(DType.values()) + ")");
        }
    }

    /** A JSON array of non-negative integers that fit a long. */
    private static long[] longs(String where, String field, JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new CheckpointFormatException(where + ": " + field + " is missing or not an array");
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new CheckpointFormatException(where + ": " + field + " " + node
                        + " holds something other than a non-negative 64-bit integer: " + value);
            }
            values[i] = value.longValue();
        }
        return values;
    }

    /** dtype x shape in bytes, refusing a product that overflows a long. */
    private static long byteSize(String where, DType dtype, long[] shape) {
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            return Math.multiplyExact(elements, (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(where + ": shape " + Arrays.toString(shape) + " of " + dtype
                    + " overflows a 64-bit byte count");
        }
    }

    /** The byte ranges, in order, must cover [0, dataBytes) exactly once. */
    private static void checkTiling(Path file, Iterable<Slot> slots, long dataBytes) {
        List<Slot> ordered = new ArrayList<>();
        slots.forEach(ordered::add);
        ordered.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long covered = 0;
        Slot previous = null;
        for (Slot slot : ordered) {
            if (slot.begin() < covered) {
                throw new CheckpointFormatException(file + ": tensor '" + slot.info().name() + "' (bytes " + slot.begin()
                        + ".." + slot.end() + ") overlaps tensor '" + previous.info().name() + "' (bytes "
                        + previous.begin() + ".." + previous.end() + ")");
            }
            if (slot.begin() > covered) {
                throw new CheckpointFormatException(file + ": tensor '" + slot.info().name() + "' begins at byte "
                        + slot.begin() + " of the data region, leaving a gap of " + (slot.begin() - covered)
                        + " bytes after " + (previous == null ? "its start" : "tensor '" + previous.info().name() + "'"));
            }
            covered = slot.end();
            previous = slot;
        }
        if (covered != dataBytes) {
            throw new CheckpointFormatException(file + ": the tensors cover " + covered + " bytes of the data region but it holds "
                    + dataBytes + " (" + (dataBytes - covered) + " bytes after "
                    + (previous == null ? "the header" : "tensor '" + previous.info().name() + "'") + " belong to no tensor)");
        }
    }
}
