package io.stipple.workbench.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.sd.nn.PatchConvolution;
import io.stipple.engine.sd.nn.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Why the SD networks run their convolutions as patch matmuls ({@link PatchConvolution}): SD's 3x3
 * convolution shapes as TensorFlow's Conv2D and as one matmul over the input's patches, in the same
 * graph and session, on the same inputs, in alternation with a fp32 matmul (the ceiling). Prints
 * each one's share of the matmul's rate, their ratio and the largest difference of their outputs.
 * The last line is one JSON object.
 */
@Command(name = "sd-conv", mixinStandardHelpOptions = true,
        description = "SD's 3x3 convolution shapes: TensorFlow Conv2D vs one matmul over the input's patches"
                + " (what the engine runs), against a fp32 matmul in the same run.")
public final class SdConvCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    SessionOptions session = new SessionOptions();

    @Option(names = "--shapes", defaultValue = "64x320x320,64x640x320,32x640x640,16x1280x1280,8x1280x1280", split = ",",
            description = "size x in x out (square maps, 3x3 kernel, padding 1): SD 1.5's U-Net at 512x512.")
    List<String> shapes;

    @Option(names = "--batch", defaultValue = "2", description = "Rows per call (2: one CFG step of one image).")
    int batch;

    @Option(names = "--rounds", defaultValue = "5")
    int rounds;

    @Option(names = "--warmups", defaultValue = "1")
    int warmups;

    @Option(names = "--matmul-size", defaultValue = "2048", description = "N of the NxN fp32 matmul ceiling.")
    int matmulSize;

    private record ConvShape(int size, int in, int out) {

        static ConvShape parse(String text) {
            String[] parts = text.split("x");
            if (parts.length != 3) {
                throw new IllegalArgumentException("shape must be size x in x out, got " + text);
            }
            return new ConvShape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        }

        double flops(int batch) {
            return 2.0 * batch * size * size * 9.0 * in * out;
        }

        @Override
        public String toString() {
            return size + "x" + size + " " + in + "->" + out;
        }
    }

    private record Pair(ConvShape shape, Operand<TFloat32> conv2d, Operand<TFloat32> patches, Operand<TFloat32> gap) {
    }

    @Override
    public Integer call() throws Exception {
        ConfigProto config = session.config();
        MachineLoad loadBefore = MachineLoad.now();
        System.out.printf(Locale.ROOT, "batch %d; intra-op %d, inter-op %d, %s; %d rounds after %d warm-ups; load average %s%n",
                batch, session.intraOp, session.interOp, session.precision, rounds, warmups, loadBefore);
        ObjectNode line = JSON.createObjectNode();
        line.put("benchmark", "sd-conv");
        line.put("batch", batch);
        line.put("precision", session.precision.name());
        line.put("load_average_before", loadBefore.one());
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            List<Pair> pairs = new ArrayList<>();
            for (String text : shapes) {
                pairs.add(build(tf, ConvShape.parse(text)));
            }
            try (Session tfSession = new Session(graph, config);
                    MatmulCeiling ceiling = new MatmulCeiling(matmulSize, config, 0)) {
                tfSession.initialize();
                Interleaved timing = new Interleaved(0).add("matmul", ceiling::run);
                for (Pair pair : pairs) {
                    timing.add("conv2d " + pair.shape(), () -> tfSession.runner().fetch(pair.conv2d()).run().close());
                    timing.add("patches " + pair.shape(), () -> tfSession.runner().fetch(pair.patches()).run().close());
                }
                var times = timing.run(warmups, rounds);
                double matmulCpu = ceiling.flops() / times.get("matmul").cpuPerCall() / 1e6;
                line.put("matmul_gflops_per_cpu_second", matmulCpu);
                System.out.printf(Locale.ROOT, "fp32 matmul %dx%d: %.1f GFLOP per CPU-s%n", matmulSize, matmulSize, matmulCpu);
                System.out.printf(Locale.ROOT, "%-18s %7s %12s %9s %12s %9s %14s %10s%n", "shape", "GFLOP", "Conv2D CPU s",
                        "% matmul", "patch CPU s", "% matmul", "Conv2D/patch", "max diff");
                ArrayNode rows = line.putArray("shapes");
                for (Pair pair : pairs) {
                    Interleaved.Times conv = times.get("conv2d " + pair.shape());
                    Interleaved.Times patch = times.get("patches " + pair.shape());
                    double gflop = pair.shape().flops(batch) / 1e9;
                    double convShare = gflop / (conv.cpuPerCall() / 1000) / matmulCpu;
                    double patchShare = gflop / (patch.cpuPerCall() / 1000) / matmulCpu;
                    double wallRatio = Interleaved.medianRatio(conv.wall(), patch.wall());
                    float gap;
                    try (Result result = tfSession.runner().fetch(pair.gap()).run()) {
                        gap = ((TFloat32) result.get(0)).getFloat();
                    }
                    System.out.printf(Locale.ROOT, "%-18s %7.1f %12.3f %8.1f%% %12.3f %8.1f%% %7.2fx (wall %.2fx) %9.2e%n",
                            pair.shape(), gflop, conv.cpuPerCall() / 1000, 100 * convShare, patch.cpuPerCall() / 1000,
                            100 * patchShare, conv.cpuPerCall() / patch.cpuPerCall(), wallRatio, gap);
                    ObjectNode row = rows.addObject();
                    row.put("shape", pair.shape().toString());
                    row.put("gflop", gflop);
                    row.put("conv2d_cpu_seconds", conv.cpuPerCall() / 1000);
                    row.put("patches_cpu_seconds", patch.cpuPerCall() / 1000);
                    row.put("conv2d_fraction_of_matmul_cpu", convShare);
                    row.put("patches_fraction_of_matmul_cpu", patchShare);
                    row.put("median_wall_ratio", wallRatio);
                    row.put("max_abs_difference", gap);
                }
            }
        }
        MachineLoad loadAfter = MachineLoad.now();
        line.put("load_average_after", loadAfter.one());
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAfter);
        System.out.println(JSON.writeValueAsString(line));
        return 0;
    }

    /** Both forms over the same seeded input and He-scaled kernel, and the largest difference of their outputs. */
    private Pair build(Ops tf, ConvShape shape) {
        long seed = shape.size() * 31L + shape.in();
        Operand<TFloat32> x = tf.variable(tf.random.statelessRandomNormal(
                tf.constant(new long[] {batch, shape.size(), shape.size(), shape.in()}), tf.constant(new long[] {seed, 1}),
                TFloat32.class));
        Operand<TFloat32> kernel = tf.variable(tf.math.mul(tf.random.statelessRandomNormal(
                tf.constant(new long[] {3, 3, shape.in(), shape.out()}), tf.constant(new long[] {seed, 2}), TFloat32.class),
                tf.constant((float) Math.sqrt(2.0 / (9.0 * shape.in())))));
        Operand<TFloat32> bias = tf.constant(new float[shape.out()]);
        Operand<TFloat32> conv2d = tf.nn.biasAdd(tf.nn.conv2d(x, kernel, List.of(1L, 1L, 1L, 1L), "SAME"), bias);
        Operand<TFloat32> patches = PatchConvolution.apply(tf, x, kernel, bias, shape.in(), shape.out(), 3, 1, Padding.all(1));
        Operand<TFloat32> gap = tf.reduceMax(tf.math.abs(tf.math.sub(conv2d, patches)), tf.constant(new int[] {0, 1, 2, 3}));
        return new Pair(shape, conv2d, patches, gap);
    }
}
