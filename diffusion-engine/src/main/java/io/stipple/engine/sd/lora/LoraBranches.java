package io.stipple.engine.sd.lora;

import io.stipple.engine.sd.nn.LinearAdapter;
import io.stipple.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * LoRA branches over a component's shared base weights: every adaptable linear layer gets
 * {@code y = x W^T + (x D^T) U^T}, where {@code D} {@code [R, in]} and {@code U} {@code [out, R]}
 * are fed per session run ({@link #feeds}) and default to rank 0 (no change, nothing fed). Several
 * LoRAs at once are their matrices concatenated along the rank axis, each {@code up} pre-multiplied
 * by its user scale times alpha / rank: the sum of their updates. Switching LoRAs or scales is a
 * different feed, never a different graph, and the base weights are never copied.
 *
 * <p>Install on the component's {@code TorchWeights} with {@code adaptLinears} before building it.
 */
public final class LoraBranches implements LinearAdapter {

    private record Slot(PlaceholderWithDefault<TFloat32> down, PlaceholderWithDefault<TFloat32> up, long in, long out) {
    }

    private final String component;
    private final Set<String> modules;
    private final Map<String, Slot> slots = new TreeMap<>();

    /**
     * @param component the diffusers component these layers are in ({@code unet}, {@code text_encoder})
     * @param modules   the module keys that get a branch (those a LoRA may target)
     */
    public LoraBranches(String component, Set<String> modules) {
        this.component = component;
        this.modules = Set.copyOf(modules);
    }

    @Override
    public Operand<TFloat32> adapt(Ops tf, String key, Operand<TFloat32> x, Operand<TFloat32> y, long in, long out) {
        if (!modules.contains(key)) {
            return y;
        }
        // a layer built again (graphs for several sizes over the same weights) reads the same feeds
        Slot slot = slots.computeIfAbsent(key, k -> new Slot(
                tf.placeholderWithDefault(tf.fill(tf.constant(new long[] {0, in}), tf.constant(0f)), Shape.of(-1, in)),
                tf.placeholderWithDefault(tf.fill(tf.constant(new long[] {out, 0}), tf.constant(0f)), Shape.of(out, -1)),
                in, out));
        if (slot.in() != in || slot.out() != out) {
            throw new IllegalStateException("linear layer " + key + " built as " + in + " -> " + out + " after " + slot.in()
                    + " -> " + slot.out());
        }
        Operand<TFloat32> reduced = tf.linalg.matMul(x, slot.down(), MatMul.transposeB(true));
        return tf.math.add(y, tf.linalg.matMul(reduced, slot.up(), MatMul.transposeB(true)));
    }

    /**
     * Branches on every linear layer of {@code weights} (every 2-D {@code *.weight}; only those
     * built as linear layers get one): any LoRA a file may bring on them applies, at the cost of
     * two rank-0 matrix products per layer when none is fed.
     */
    public static LoraBranches onEveryLinear(String component, WeightSource weights) {
        Set<String> modules = new TreeSet<>();
        for (String name : weights.names()) {
            if (name.endsWith(".weight") && weights.info(name).shape().length == 2) {
                modules.add(name.substring(0, name.length() - ".weight".length()));
            }
        }
        return new LoraBranches(component, modules);
    }

    /** The modules that got a branch while the network was built. */
    public Set<String> branched() {
        return Collections.unmodifiableSet(slots.keySet());
    }

    /**
     * The feeds that apply these LoRAs at their scales to one run; an empty list applies none.
     *
     * @throws IllegalArgumentException naming the layer when a LoRA targets a layer of this
     *         component that has no branch (a convolution, or one left out of {@code modules})
     */
    public Feeds feeds(List<ScaledLora> loras) {
        Map<String, List<float[]>> downs = new TreeMap<>();
        Map<String, List<float[]>> ups = new TreeMap<>();
        for (ScaledLora lora : loras) {
            for (LoraLayer layer : lora.file().layers()) {
                if (!layer.component().equals(component)) {
                    continue;
                }
                Slot slot = slots.get(layer.module());
                if (slot == null) {
                    throw new IllegalArgumentException(lora.file() + " changes " + component + "." + layer.module()
                            + ", which has no LoRA branch in this network");
                }
                if (layer.downShape().length != 2 || layer.downShape()[1] != slot.in() || layer.upShape()[0] != slot.out()) {
                    throw new IllegalArgumentException(lora.file() + " changes " + component + "." + layer.module()
                            + " with " + layer + ", which does not fit the layer's " + slot.in() + " -> " + slot.out());
                }
                downs.computeIfAbsent(layer.module(), k -> new ArrayList<>()).add(lora.file().down(layer));
                ups.computeIfAbsent(layer.module(), k -> new ArrayList<>())
                        .add(scaled(lora.file().up(layer), (float) (lora.scale() * layer.fileScale())));
            }
        }
        Feeds feeds = new Feeds();
        downs.forEach((module, parts) -> {
            Slot slot = slots.get(module);
            float[] down = concatenate(parts);
            float[] up = interleave(ups.get(module), slot.out());
            long rank = down.length / slot.in();
            feeds.add(slot.down(), TFloat32.tensorOf(Shape.of(rank, slot.in()), DataBuffers.of(down, true, false)));
            feeds.add(slot.up(), TFloat32.tensorOf(Shape.of(slot.out(), rank), DataBuffers.of(up, true, false)));
        });
        return feeds;
    }

    /** Tensors to feed to one or more runs; close after the last. */
    public static final class Feeds implements AutoCloseable {
        /** No LoRA: every branch at its rank-0 default, the base network exactly. */
        public static final Feeds NONE = new Feeds();

        private final Map<Operand<TFloat32>, TFloat32> tensors = new java.util.LinkedHashMap<>();

        private void add(Operand<TFloat32> placeholder, TFloat32 tensor) {
            tensors.put(placeholder, tensor);
        }

        /** Adds the feeds to a run. */
        public Session.Runner feed(Session.Runner runner) {
            tensors.forEach(runner::feed);
            return runner;
        }

        @Override
        public void close() {
            tensors.values().forEach(TFloat32::close);
        }
    }

    private static float[] scaled(float[] values, float factor) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * factor;
        }
        return out;
    }

    /** Row blocks {@code [r_i, in]} stacked into {@code [sum r_i, in]}. */
    private static float[] concatenate(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Column blocks {@code [out, r_i]} side by side as {@code [out, sum r_i]}. */
    private static float[] interleave(List<float[]> parts, long rows) {
        int rowCount = (int) rows;
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int width = out.length / rowCount;
        int column = 0;
        for (float[] part : parts) {
            int rank = part.length / rowCount;
            for (int row = 0; row < rowCount; row++) {
                System.arraycopy(part, row * rank, out, row * width + column, rank);
            }
            column += rank;
        }
        return out;
    }
}
