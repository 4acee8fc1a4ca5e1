package io.stipple.engine.sd.nn;

import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
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
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The weights of a network built after a PyTorch module (diffusers, transformers), named by the
 * module's checkpoint keys ({@code encoder.down_blocks.0.resnets.0.conv1.weight}).
 *
 * <p>Building a network through this class records each key with its <em>torch</em> shape
 * ({@link #torchShapes()}: compared with the checkpoint, or with a manifest of the real model,
 * without any weights) and creates one uninitialised graph variable per key in TensorFlow's
 * layout. {@link #load} then fills them from a {@link WeightSource} through feeds and assigns, at
 * most 256 MB of tensors per run, converting the layout inside the graph: a multi-gigabyte
 * checkpoint is never a constant in the GraphDef, nor in memory twice. Graphs for several input sizes can read
 * the same variables, since the layers built on them take inputs of unknown batch and spatial size.
 */
public final class TorchWeights {

    private static final int NAMES_SHOWN = 20;
    /**
     * Elements assigned per session run (256 MB of float32): every run with new feeds makes
     * TensorFlow prune and optimise the whole graph again, which cost ~0.4 s per tensor (two
     * minutes for the 305 tensors of a tiny U-Net) when each tensor had its own run.
     */
    private static final long LOAD_CHUNK_ELEMENTS = 64L << 20;

    private record Entry(TorchLayout layout, long[] torchShape, Variable<TFloat32> variable) {
    }

    private final Ops tf;
    private final String opPrefix;
    private final Set<String> ignoredKeys;
    private final Map<String, Entry> byKey = new LinkedHashMap<>();
    private LinearAdapter linearAdapter = LinearAdapter.NONE;
    private ConvolutionKernel convolutions = ConvolutionKernel.CONV2D;

    /**
     * @param opPrefix prepended to each key to name its graph variable, so that several modules
     *        (VAE, text encoder) can share one graph; may be empty
     * @param ignoredKeys checkpoint keys that are not weights (buffers such as CLIP's
     *        {@code position_ids}) and may be present or absent
     */
    public TorchWeights(Ops tf, String opPrefix, Set<String> ignoredKeys) {
        this.tf = tf;
        this.opPrefix = opPrefix;
        this.ignoredKeys = Set.copyOf(ignoredKeys);
    }

    public TorchWeights(Ops tf) {
        this(tf, "", Set.of());
    }

    /**
     * Linear layers built after this call pass through {@code adapter} (LoRA branches over these
     * shared weights); call it before building the network.
     */
    public void adaptLinears(LinearAdapter adapter) {
        this.linearAdapter = adapter;
    }

    /** Convolutions built after this call run as {@code kernel}; call it before building the network. */
    public void convolveWith(ConvolutionKernel kernel) {
        this.convolutions = kernel;
    }

    /** How convolutions built now run ({@link ConvolutionKernel#CONV2D} unless {@link #convolveWith} was called). */
    public ConvolutionKernel convolutions() {
        return convolutions;
    }

    /** What linear layers built now pass through ({@link LinearAdapter#NONE} unless {@link #adaptLinears} was called). */
    public LinearAdapter linearAdapter() {
        return linearAdapter;
    }

    /** The weight {@code key} of torch shape {@code torchShape} in TensorFlow's layout; the same variable when asked again. */
    public Operand<TFloat32> get(String key, TorchLayout layout, long... torchShape) {
        Entry known = byKey.get(key);
        if (known != null) {
            if (known.layout() != layout || !Arrays.equals(known.torchShape(), torchShape)) {
                throw new IllegalArgumentException("weight " + key + " asked for as " + layout + Arrays.toString(torchShape)
                        + " after " + known.layout() + Arrays.toString(known.torchShape()));
            }
            return known.variable();
        }
        Variable<TFloat32> variable = tf.withName(opPrefix + key)
                .variable(Shape.of(layout.tensorFlowShape(torchShape)), TFloat32.class);
        byKey.put(key, new Entry(layout, torchShape.clone(), variable));
        return variable;
    }

    /** An {@code nn.Linear} weight, torch [out, in], as [in, out]. */
    public Operand<TFloat32> linear(String key, long in, long out) {
        return get(key, TorchLayout.LINEAR, out, in);
    }

    /** An {@code nn.Conv2d} weight, torch [out, in, k, k], as HWIO. */
    public Operand<TFloat32> conv(String key, long in, long out, int kernelSize) {
        return get(key, TorchLayout.CONV, out, in, kernelSize, kernelSize);
    }

    /** A bias or norm parameter of {@code size} elements. */
    public Operand<TFloat32> vector(String key, long size) {
        return get(key, TorchLayout.AS_IS, size);
    }

    /** Every key built so far with its torch shape, sorted by key. */
    public Map<String, List<Long>> torchShapes() {
        Map<String, List<Long>> shapes = new TreeMap<>();
        byKey.forEach((key, entry) -> shapes.put(key, Arrays.stream(entry.torchShape()).boxed().toList()));
        return Collections.unmodifiableMap(shapes);
    }

    /** Number of weight elements. */
    public long parameterCount() {
        return byKey.values().stream().mapToLong(e -> Shape.of(e.torchShape()).size()).sum();
    }

    /**
     * Assigns every variable from {@code source}. Fails before assigning anything, naming the
     * keys, when the checkpoint lacks a weight, has one this network does not use (a different
     * architecture or a wrong config), or has one of another shape.
     */
    public void load(Session session, WeightSource source) {
        checkMatches(source);
        List<TFloat32> fed = new ArrayList<>();
        Session.Runner runner = session.runner();
        long fedElements = 0;
        try {
            for (var item : byKey.entrySet()) {
                Entry entry = item.getValue();
                Shape torchShape = Shape.of(entry.torchShape());
                Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(torchShape));
                int[] permutation = entry.layout().permutation();
                Operand<TFloat32> value = permutation == null ? input : tf.linalg.transpose(input, tf.constant(permutation));
                TFloat32 tensor = TFloat32.tensorOf(torchShape, DataBuffers.of(source.floats(item.getKey()), true, false));
                fed.add(tensor);
                runner.feed(input, tensor).addTarget(tf.assign(entry.variable(), value));
                fedElements += torchShape.size();
                if (fedElements >= LOAD_CHUNK_ELEMENTS) {
                    runner.run().close();
                    closeAll(fed);
                    runner = session.runner();
                    fedElements = 0;
                }
            }
            if (!fed.isEmpty()) {
                runner.run().close();
            }
        } finally {
            closeAll(fed);
        }
    }

    /**
     * Assigns every variable stateless-random values, N(0, 1 / fan-in) with the fan-in every axis
     * but the torch layout's first (1 for vectors): weights of the right size and a sane scale
     * for timing a full-size network without its checkpoint. The same seed gives the same values.
     */
    public void randomize(Session session, long seed) {
        Session.Runner runner = session.runner();
        long index = 0;
        for (Entry entry : byKey.values()) {
            long[] torchShape = entry.torchShape();
            long fanIn = torchShape.length > 1 ? Shape.of(torchShape).size() / torchShape[0] : 1;
            Operand<TFloat32> normal = tf.random.statelessRandomNormal(
                    tf.constant(entry.layout().tensorFlowShape(torchShape)), tf.constant(new long[] {seed, index++}));
            runner.addTarget(tf.assign(entry.variable(),
                    tf.math.mul(normal, tf.constant((float) (1 / Math.sqrt(fanIn))))));
        }
        runner.run().close();
    }

    private static void closeAll(List<TFloat32> tensors) {
        tensors.forEach(TFloat32::close);
        tensors.clear();
    }

    private void checkMatches(WeightSource source) {
        Set<String> names = source.names();
        List<String> missing = byKey.keySet().stream().filter(key -> !names.contains(key)).sorted().toList();
        List<String> unknown = new TreeSet<>(names).stream()
                .filter(name -> !byKey.containsKey(name) && !ignoredKeys.contains(name)).toList();
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " weights missing from the checkpoint: " + shown(missing));
        }
        if (!unknown.isEmpty()) {
            problems.add(unknown.size() + " checkpoint tensors this network does not use: " + shown(unknown));
        }
        if (missing.isEmpty()) {
            List<String> misshapen = byKey.entrySet().stream()
                    .filter(e -> !Arrays.equals(source.info(e.getKey()).shape(), e.getValue().torchShape()))
                    .map(e -> e.getKey() + " is " + Arrays.toString(source.info(e.getKey()).shape()) + ", expected "
                            + Arrays.toString(e.getValue().torchShape()))
                    .toList();
            if (!misshapen.isEmpty()) {
                problems.add(misshapen.size() + " weights of the wrong shape: " + shown(misshapen));
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelFormatException("checkpoint " + source + " does not fit the network: "
                    + String.join("; ", problems));
        }
    }

    private static String shown(List<String> names) {
        if (names.size() <= NAMES_SHOWN) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMES_SHOWN)) + ", ... (" + (names.size() - NAMES_SHOWN) + " more)";
    }
}
