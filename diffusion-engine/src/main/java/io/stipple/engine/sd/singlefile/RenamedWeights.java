package io.stipple.engine.sd.singlefile;

import io.stipple.engine.weights.TensorInfo;
import io.stipple.engine.weights.WeightSource;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A view of some tensors of another {@link WeightSource} under new names, each optionally reshaped
 * (same elements, another shape) or cut to a block of rows (one of q/k/v out of a fused
 * {@code in_proj_weight}). Nothing is copied up front: values are read from the underlying source
 * when asked for, so a multi-gigabyte single file is read once, tensor by tensor.
 *
 * <p>Closing the view does not close the source it reads: several components share one file.
 */
final class RenamedWeights implements WeightSource {

    /**
     * Where one renamed tensor comes from.
     *
     * @param sourceKey the key in the underlying source
     * @param shape     the shape presented (its element count equals the rows taken)
     * @param rowBlock  which of {@code rowBlocks} equal blocks of the first dimension to take
     * @param rowBlocks into how many blocks the first dimension is cut (1: the whole tensor)
     */
    record Origin(String sourceKey, long[] shape, int rowBlock, int rowBlocks) {

        static Origin whole(String sourceKey, long[] shape) {
            return new Origin(sourceKey, shape, 0, 1);
        }
    }

    private final String label;
    private final WeightSource source;
    private final Map<String, Origin> origins;

    RenamedWeights(String label, WeightSource source, Map<String, Origin> origins) {
        this.label = label;
        this.source = source;
        this.origins = Collections.unmodifiableMap(new TreeMap<>(origins));
    }

    /** The source key behind a presented name. */
    String sourceKey(String name) {
        return origin(name).sourceKey();
    }

    @Override
    public Set<String> names() {
        return origins.keySet();
    }

    @Override
    public boolean contains(String name) {
        return origins.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        Origin origin = origin(name);
        return new TensorInfo(name, source.info(origin.sourceKey()).dtype(), origin.shape());
    }

    @Override
    public float[] floats(String name) {
        Origin origin = origin(name);
        float[] all = source.floats(origin.sourceKey());
        if (origin.rowBlocks() == 1) {
            return all;
        }
        int block = all.length / origin.rowBlocks();
        return Arrays.copyOfRange(all, origin.rowBlock() * block, (origin.rowBlock() + 1) * block);
    }

    @Override
    public void close() {
        // the underlying file belongs to the SingleFileCheckpoint that made this view
    }

    @Override
    public String toString() {
        return label;
    }

    private Origin origin(String name) {
        Origin origin = origins.get(name);
        if (origin == null) {
            throw new IllegalArgumentException(label + " has no tensor '" + name + "'");
        }
        return origin;
    }
}
