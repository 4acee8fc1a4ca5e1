package io.stipple.engine.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A checkpoint split over several safetensors files, described by a
 * {@code *.safetensors.index.json} whose {@code weight_map} names each tensor's shard. Opening
 * validates the index against the shards: every shard lies next to the index and is a valid
 * safetensors file, every mapped tensor is in its shard, and every tensor of a shard is mapped to
 * that shard (so no name is in two shards). Reads go to the shard that holds the tensor.
 */
public final class ShardedSafetensors implements WeightSource {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path index;
    private final SortedMap<String, SafetensorsFile> shardOf;
    private final Map<String, SafetensorsFile> shards;

    private ShardedSafetensors(Path index, SortedMap<String, SafetensorsFile> shardOf, Map<String, SafetensorsFile> shards) {
        this.index = index;
        this.shardOf = shardOf;
        this.shards = shards;
    }

    /**
     * Opens the index and every shard it names.
     *
     * @throws CheckpointFormatException naming the index, shard and tensor when they disagree or one is malformed
     */
    public static ShardedSafetensors open(Path index) throws IOException {
        Map<String, String> weightMap = weightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            for (String shardName : new java.util.TreeSet<>(weightMap.values())) {
                shards.put(shardName, SafetensorsFile.open(shardFile(index, shardName)));
            }
            SortedMap<String, SafetensorsFile> shardOf = new TreeMap<>();
            weightMap.forEach((tensor, shardName) -> {
                SafetensorsFile shard = shards.get(shardName);
                if (!shard.contains(tensor)) {
                    throw new CheckpointFormatException(index + ": tensor '" + tensor + "' is mapped to " + shardName
                            + ", which has no tensor of that name");
                }
                shardOf.put(tensor, shard);
            });
            shards.forEach((shardName, shard) -> {
                for (String tensor : shard.names()) {
                    String mapped = weightMap.get(tensor);
                    if (!shardName.equals(mapped)) {
                        throw new CheckpointFormatException(index + ": tensor '" + tensor + "' is in shard " + shardName
                                + " but the index maps it " + (mapped == null ? "nowhere" : "to " + mapped));
                    }
                }
            });
            return new ShardedSafetensors(index, Collections.unmodifiableSortedMap(shardOf), shards);
        } catch (RuntimeException | IOException e) {
            shards.values().forEach(SafetensorsFile::close);
            throw e;
        }
    }

    private static Map<String, String> weightMap(Path index) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(index));
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(index + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointFormatException(index + ": no weight_map object");
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) map::fields) {
            if (!entry.getValue().isTextual()) {
                throw new CheckpointFormatException(index + ": weight_map entry for tensor '" + entry.getKey()
                        + "' is not a file name");
            }
            weightMap.put(entry.getKey(), entry.getValue().textValue());
        }
        if (weightMap.isEmpty()) {
            throw new CheckpointFormatException(index + ": weight_map is empty");
        }
        return weightMap;
    }

    /** A shard must be a plain file name in the index's folder, never a path out of it. */
    private static Path shardFile(Path index, String shardName) {
        Path folder = index.toAbsolutePath().normalize().getParent();
        Path shard = folder.resolve(shardName).normalize();
        if (shardName.isEmpty() || !folder.equals(shard.getParent())) {
            throw new CheckpointFormatException(index + ": shard '" + shardName + "' is not a file name next to the index");
        }
        if (!Files.isRegularFile(shard)) {
            throw new CheckpointFormatException(index + ": shard " + shardName + " does not exist next to the index");
        }
        return shard;
    }

    /** The index file. */
    public Path index() {
        return index;
    }

    @Override
    public Set<String> names() {
        return shardOf.keySet();
    }

    @Override
    public boolean contains(String name) {
        return shardOf.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return shard(name).info(name);
    }

    @Override
    public float[] floats(String name) {
        return shard(name).floats(name);
    }

    @Override
    public int[] ints(String name) {
        return shard(name).ints(name);
    }

    @Override
    public long[] longs(String name) {
        return shard(name).longs(name);
    }

    @Override
    public void close() {
        UncheckedIOException failure = null;
        for (SafetensorsFile shard : shards.values()) {
            try {
                shard.close();
            } catch (UncheckedIOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return index.toString();
    }

    private SafetensorsFile shard(String name) {
        SafetensorsFile shard = shardOf.get(name);
        if (shard == null) {
            throw new CheckpointFormatException(index + ": no tensor named '" + name + "'");
        }
        return shard;
    }
}
