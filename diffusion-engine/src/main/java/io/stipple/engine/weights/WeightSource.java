package io.stipple.engine.weights;

import java.util.Set;

/**
 * Named tensors of a checkpoint, read one at a time on demand: a safetensors file, a sharded set
 * of them, or anything else that maps names to arrays. Network builders ask for the weights they
 * need by name; nothing is read before it is asked for, so a multi-gigabyte checkpoint never has
 * to fit in memory at once.
 *
 * <p>Shapes and values are in the file's own layout (for PyTorch checkpoints: conv kernels OIHW,
 * linear weights {@code [out, in]}); converting to TensorFlow's layout is the builder's job.
 */
public interface WeightSource extends AutoCloseable {

    /** Every tensor name, in a stable (sorted) order. */
    Set<String> names();

    /** Whether a tensor of this name exists. */
    default boolean contains(String name) {
        return names().contains(name);
    }

    /** The dtype and shape of one tensor; fails naming the source and tensor when it is absent. */
    TensorInfo info(String name);

    /**
     * The tensor's values as float32, row-major in the file's layout, converted from F16 or BF16
     * when stored so; fails with a message naming the source and tensor when it is absent, not a
     * floating-point dtype, or larger than one Java array.
     */
    float[] floats(String name);

    /**
     * The tensor's values as int32, row-major, widened from I16/I8/U8/BOOL and narrowed from I64
     * (failing on a value outside int's range); fails naming the source and tensor when it is
     * absent, not an integer dtype, or larger than one Java array.
     */
    default int[] ints(String name) {
        throw new UnsupportedOperationException(this + " does not read integer tensors ('" + name + "')");
    }

    /** Like {@link #ints}, as int64: I64 read as stored, narrower integer dtypes widened. */
    default long[] longs(String name) {
        throw new UnsupportedOperationException(this + " does not read integer tensors ('" + name + "')");
    }

    /** Releases the files or mappings behind the source; arrays already returned stay valid. */
    @Override
    void close();
}
