package io.stipple.engine.denoise;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The conditioning inputs of one batch, by name: for example {@code "text_embedding"} {@code [B, L,
 * D]}, {@code "low_res"} {@code [B, h, w, c]}, {@code "aug_level"} {@code [B]}. Every tensor has the
 * same batch size, row {@code i} belonging to sample row {@code i}.
 *
 * <p>Names are the model's input names, so a SavedModel with extra inputs can be fed without the
 * engine knowing what they mean. Guidance concatenates conditional and unconditional rows into one
 * batch with {@link #concat}; an empty conditioning is valid for unconditional models.
 */
public final class Conditioning {

    private final Map<String, Tensor> inputs;
    private final int batchSize;

    private Conditioning(Map<String, Tensor> inputs, int batchSize) {
        this.inputs = Collections.unmodifiableMap(inputs);
        this.batchSize = batchSize;
    }

    /** No conditioning inputs, for {@code batchSize} rows (an unconditional model). */
    public static Conditioning none(int batchSize) {
        return new Conditioning(new LinkedHashMap<>(), batchSize);
    }

    public static Conditioning of(String name, Tensor value) {
        return none(value.batchSize()).with(name, value);
    }

    /** A copy with one more (or a replaced) input; its batch size must match. */
    public Conditioning with(String name, Tensor value) {
        if (value.batchSize() != batchSize) {
            throw new IllegalArgumentException("input '" + name + "' has batch " + value.batchSize()
                    + " but this conditioning has batch " + batchSize);
        }
        Map<String, Tensor> copy = new LinkedHashMap<>(inputs);
        copy.put(name, value);
        return new Conditioning(copy, batchSize);
    }

    public int batchSize() {
        return batchSize;
    }

    public Set<String> names() {
        return inputs.keySet();
    }

    public Map<String, Tensor> inputs() {
        return inputs;
    }

    /** The named input; fails with the available names when it is missing. */
    public Tensor get(String name) {
        Tensor t = inputs.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no conditioning input '" + name + "'; have " + inputs.keySet());
        }
        return t;
    }

    /** Rows {@code [from, to)} of every input. */
    public Conditioning slice(int from, int to) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        inputs.forEach((name, t) -> out.put(name, t.slice(from, to)));
        return new Conditioning(out, to - from);
    }

    /** Stacks batches; all parts must have the same input names. */
    public static Conditioning concat(Conditioning... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        int batch = 0;
        for (Conditioning p : parts) {
            if (!p.names().equals(parts[0].names())) {
                throw new IllegalArgumentException("cannot concatenate conditionings with inputs "
                        + parts[0].names() + " and " + p.names());
            }
            batch += p.batchSize;
        }
        for (String name : parts[0].names()) {
            Tensor[] ts = new Tensor[parts.length];
            for (int i = 0; i < parts.length; i++) {
                ts[i] = parts[i].inputs.get(name);
            }
            out.put(name, Tensor.concat(ts));
        }
        return new Conditioning(out, batch);
    }

    @Override
    public String toString() {
        return "Conditioning" + inputs + " batch=" + batchSize;
    }
}
