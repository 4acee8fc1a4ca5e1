package io.stipple.engine.sd.nn;

import io.stipple.engine.weights.DType;
import io.stipple.engine.weights.TensorInfo;
import io.stipple.engine.weights.WeightSource;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A checkpoint held in arrays, in torch layout, for tests. */
public final class InMemoryWeights implements WeightSource {

    private record Stored(long[] shape, float[] values) {
    }

    private final Map<String, Stored> tensors = new TreeMap<>();

    public InMemoryWeights put(String name, float[] values, long... shape) {
        tensors.put(name, new Stored(shape, values));
        return this;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return new TensorInfo(name, DType.F32, stored(name).shape());
    }

    @Override
    public float[] floats(String name) {
        return stored(name).values().clone();
    }

    private Stored stored(String name) {
        Stored stored = tensors.get(name);
        if (stored == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return stored;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "in-memory weights";
    }
}
