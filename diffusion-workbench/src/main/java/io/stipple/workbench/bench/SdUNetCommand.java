package io.stipple.workbench.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.engine.sd.nn.ConvolutionKernel;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.sd.unet.UNet2DCondition;
import io.stipple.engine.sd.unet.UNetConfig;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.sd.vae.AutoencoderKL;
import io.stipple.engine.sd.vae.AutoencoderKLConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The full-size Stable Diffusion U-Net (SD 1.5's or 2.1's real {@code unet/config.json}) with random
 * weights, so no checkpoint download is needed: seconds per call at each image size and batch (2:
 * one classifier-free guidance step), and its GFLOP/s against a large fp32 matmul timed in
 * alternation with it in the same process ({@link Interleaved}). FLOPs are counted from the graph
 * ({@link ForwardFlops}). One graph holds every size over one set of weights. The last line is one
 * JSON object.
 */
@Command(name = "sd-unet", mixinStandardHelpOptions = true,
        description = "Seconds per call and GFLOP/s (vs a fp32 matmul in the same run) of the full-size SD U-Net "
                + "with random weights (--vae: also the VAE decoder and a whole image).")
public final class SdUNetCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LATENT_SCALE = 8;
    private static final int TEXT_LENGTH = 77;

    @Mixin
    SessionOptions session = new SessionOptions();

    @Option(names = "--release", defaultValue = "sd15", description = "Reference config: sd15 or sd21.")
    String release;

    @Option(names = "--sizes", defaultValue = "256,512", split = ",", description = "Image sizes in pixels (square).")
    List<Integer> sizes;

    @Option(names = "--batch", defaultValue = "2", description = "Rows per call (2: one CFG step of one image).")
    int batch;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed rounds (each: matmul, then every size once).")
    int rounds;

    @Option(names = "--warmups", defaultValue = "1")
    int warmups;

    @Option(names = "--matmul-size", defaultValue = "2048", description = "N of the NxN fp32 matmul ceiling.")
    int matmulSize;

    @Option(names = "--vae", description = "Also time SD 1.5's VAE decoder (one image) at each size, and report the"
            + " seconds of a whole image: --image-steps U-Net calls plus one decode.")
    boolean vae;

    @Option(names = "--image-steps", defaultValue = "20", description = "Sampling steps of the whole-image figure.")
    int imageSteps;

    @Option(names = "--profile", description = "After the timing, one traced U-Net call per size: time by op type"
            + " (run with --intra-op 1 for op times that add up to the wall time).")
    boolean profile;

    @Override
    public Integer call() throws Exception {
        UNetConfig config = UNetConfigReader.reference(release);
        ConfigProto sessionConfig = session.config();
        MachineLoad loadBefore = MachineLoad.now();
        System.out.printf(Locale.ROOT, "%s U-Net, random weights, batch %d; intra-op %d, inter-op %d, xla %s, %s; "
                + "%d rounds after %d warm-ups; load average %s%n", release, batch, session.intraOp, session.interOp,
                session.xla, session.precision, rounds, warmups, loadBefore);
        ObjectNode line = JSON.createObjectNode();
        line.put("benchmark", "sd-unet");
        line.put("release", release);
        line.put("batch", batch);
        line.put("intra_op", session.intraOp);
        line.put("inter_op", session.interOp);
        line.put("xla", session.xla);
        line.put("precision", session.precision.name());
        line.put("rounds", rounds);
        line.put("load_average_before", loadBefore.one());
        List<SizedGraph> graphs = new ArrayList<>();
        List<SizedDecoder> decoders = new ArrayList<>();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            TorchWeights weights = new TorchWeights(tf);
            weights.convolveWith(ConvolutionKernel.PATCH_MATMUL); // as UNetDenoiser samples
            TorchWeights vaeWeights = new TorchWeights(tf, "vae.", Set.of());
            AutoencoderKLConfig vaeConfig = vae ? AutoencoderKLConfig.reference("sd15") : null;
            long buildStart = System.nanoTime();
            for (int size : sizes) {
                graphs.add(SizedGraph.build(tf, weights, config, size));
                if (vae) {
                    decoders.add(SizedDecoder.build(tf, vaeWeights, vaeConfig, size));
                }
            }
            System.out.printf(Locale.ROOT, "graph built in %.1f s: %,d parameters%n",
                    (System.nanoTime() - buildStart) / 1e9, weights.parameterCount());
            line.put("parameters", weights.parameterCount());
            Map<Integer, FlopCount> flops = new LinkedHashMap<>();
            Map<Integer, FlopCount> decodeFlops = new LinkedHashMap<>();
            for (SizedGraph sized : graphs) {
                flops.put(sized.size(), ForwardFlops.count(graph.toGraphDef(), sized.output().op().name(), batch));
            }
            for (SizedDecoder decoder : decoders) {
                decodeFlops.put(decoder.size(), ForwardFlops.count(graph.toGraphDef(), decoder.image().op().name(), 1));
            }
            try (Session tfSession = new Session(graph, sessionConfig);
                    MatmulCeiling ceiling = new MatmulCeiling(matmulSize, sessionConfig, 0)) {
                long initStart = System.nanoTime();
                weights.randomize(tfSession, 0);
                if (vae) {
                    vaeWeights.randomize(tfSession, 1);
                }
                System.out.printf(Locale.ROOT, "random weights assigned in %.1f s%n", (System.nanoTime() - initStart) / 1e9);
                Interleaved timing = new Interleaved(0).add("matmul", ceiling::run);
                List<AutoCloseable> inputs = new ArrayList<>();
                try {
                    for (SizedGraph sized : graphs) {
                        timing.add("size" + sized.size(), sized.call(tfSession, config, batch, inputs));
                    }
                    for (SizedDecoder decoder : decoders) {
                        timing.add("decode" + decoder.size(), decoder.call(tfSession, vaeConfig, inputs));
                    }
                    Map<String, Interleaved.Times> times = timing.run(warmups, rounds);
                    report(line, ceiling.flops(), flops, times);
                    reportDecoder(line, ceiling.flops(), times, decodeFlops);
                    if (profile) {
                        profile(line, tfSession, config, graphs, inputs);
                    }
                } finally {
                    for (AutoCloseable input : inputs) {
                        input.close();
                    }
                }
            }
        }
        MachineLoad loadAfter = MachineLoad.now();
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAfter);
        line.put("load_average_after", loadAfter.one());
        System.out.println(JSON.writeValueAsString(line));
        return 0;
    }

    private void profile(ObjectNode line, Session tfSession, UNetConfig config, List<SizedGraph> graphs,
            List<AutoCloseable> owned) {
        ObjectNode bySize = line.putObject("profile_op_type_ms");
        for (SizedGraph sized : graphs) {
            OpTypeTimes opTimes = new OpTypeTimes();
            long start = System.nanoTime();
            try (Result result = sized.runner(tfSession, config, batch, owned)
                    .setOptions(OpTypeTimes.FULL_TRACE).runAndFetchMetadata()) {
                double wallMs = (System.nanoTime() - start) / 1e6;
                opTimes.add(result.getMetadata().orElseThrow().getStepStats());
                System.out.printf(Locale.ROOT, "profile of one traced call at %dx%d: %.1f ms wall, %.1f ms summed over ops%n",
                        sized.size(), sized.size(), wallMs, opTimes.totalMicros() / 1e3);
            }
            opTimes.report(1, bySize.putObject(Integer.toString(sized.size())));
        }
    }

    private void report(ObjectNode line, double matmulFlops, Map<Integer, FlopCount> flops,
            Map<String, Interleaved.Times> times) {
        Interleaved.Times matmul = times.get("matmul");
        double matmulGflops = matmulFlops / matmul.medianWall() / 1e6;
        double matmulCpuGflops = matmulFlops / matmul.cpuPerCall() / 1e6;
        line.put("matmul_size", matmulSize);
        line.put("matmul_gflops", matmulGflops);
        line.put("matmul_gflops_per_cpu_second", matmulCpuGflops);
        System.out.printf(Locale.ROOT, "fp32 matmul %dx%d: median %.1f ms = %.1f GFLOP/s wall, %.1f GFLOP per CPU-s%n",
                matmulSize, matmulSize, matmul.medianWall(), matmulGflops, matmulCpuGflops);
        // on a shared machine wall time includes waiting for a core; CPU time mostly does not
        System.out.printf(Locale.ROOT, "%6s %8s %11s %8s %8s %9s %10s %11s %9s%n", "size", "latent", "GFLOP/call",
                "s/call", "GFLOP/s", "% matmul", "CPU s/call", "GFLOP/CPUs", "% (CPU)");
        ArrayNode rows = line.putArray("sizes");
        for (var entry : flops.entrySet()) {
            int size = entry.getKey();
            FlopCount count = entry.getValue();
            Interleaved.Times call = times.get("size" + size);
            double seconds = call.medianWall() / 1000;
            double gflops = count.gigaFlops() / seconds;
            double share = EfficiencyCommand.share(matmul.wall(), call.wall(), matmulFlops, count.flops());
            double cpuGflops = count.flops() / call.cpuPerCall() / 1e6;
            System.out.printf(Locale.ROOT, "%6d %8s %11.1f %8.2f %8.1f %8.1f%% %10.2f %11.1f %8.1f%%%n", size,
                    size / LATENT_SCALE + "x" + size / LATENT_SCALE, count.gigaFlops(), seconds, gflops, 100 * share,
                    call.cpuPerCall() / 1000, cpuGflops, 100 * cpuGflops / matmulCpuGflops);
            ObjectNode row = rows.addObject();
            row.put("size", size);
            row.put("gflop_per_call", count.gigaFlops());
            row.put("seconds_per_call", seconds);
            row.put("cpu_seconds_per_call", call.cpuPerCall() / 1000);
            row.put("gflops", gflops);
            row.put("fraction_of_matmul", share);
            row.put("gflops_per_cpu_second", cpuGflops);
            row.put("fraction_of_matmul_cpu", cpuGflops / matmulCpuGflops);
            ObjectNode byType = row.putObject("flops_by_op");
            count.flopsByOpType().forEach(byType::put);
        }
    }

    /** The VAE decoder per size and the whole image: {@code imageSteps} U-Net calls plus one decode, from the medians. */
    private void reportDecoder(ObjectNode line, double matmulFlops, Map<String, Interleaved.Times> times,
            Map<Integer, FlopCount> decodeFlops) {
        if (decodeFlops.isEmpty()) {
            return;
        }
        Interleaved.Times matmul = times.get("matmul");
        double matmulCpuGflops = matmulFlops / matmul.cpuPerCall() / 1e6;
        System.out.printf(Locale.ROOT, "%6s %11s %8s %8s %9s %10s %9s %14s%n", "size", "decode GFLOP", "s/decode",
                "GFLOP/s", "% matmul", "CPU s", "% (CPU)", imageSteps + "-step image s");
        ArrayNode rows = line.putArray("vae_decode");
        line.put("image_steps", imageSteps);
        for (var entry : decodeFlops.entrySet()) {
            int size = entry.getKey();
            Interleaved.Times decode = times.get("decode" + size);
            double seconds = decode.medianWall() / 1000;
            double share = EfficiencyCommand.share(matmul.wall(), decode.wall(), matmulFlops, entry.getValue().flops());
            double cpuGflops = entry.getValue().flops() / decode.cpuPerCall() / 1e6;
            double image = imageSteps * times.get("size" + size).medianWall() / 1000 + seconds;
            System.out.printf(Locale.ROOT, "%6d %11.1f %8.2f %8.1f %8.1f%% %10.2f %8.1f%% %14.1f%n", size,
                    entry.getValue().gigaFlops(), seconds, entry.getValue().gigaFlops() / seconds, 100 * share,
                    decode.cpuPerCall() / 1000, 100 * cpuGflops / matmulCpuGflops, image);
            ObjectNode row = rows.addObject();
            row.put("size", size);
            row.put("gflop_per_decode", entry.getValue().gigaFlops());
            row.put("seconds_per_decode", seconds);
            row.put("cpu_seconds_per_decode", decode.cpuPerCall() / 1000);
            row.put("fraction_of_matmul", share);
            row.put("fraction_of_matmul_cpu", cpuGflops / matmulCpuGflops);
            row.put("seconds_per_image", image);
        }
    }

    /** SD 1.5's VAE decoder at one static latent size, one image per call (the pipeline decodes once per image). */
    private record SizedDecoder(int size, Placeholder<TFloat32> latents, Operand<TFloat32> image) {

        static SizedDecoder build(Ops tf, TorchWeights weights, AutoencoderKLConfig config, int size) {
            int latent = size / LATENT_SCALE;
            var latents = tf.placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, latent, latent, config.latentChannels())));
            return new SizedDecoder(size, latents, AutoencoderKL.decode(tf, weights, config, latents));
        }

        Runnable call(Session session, AutoencoderKLConfig config, List<AutoCloseable> owned) {
            int latent = size / LATENT_SCALE;
            TFloat32 z = SizedGraph.gaussian(new SplittableRandom(size + 1),
                    Shape.of(1, latent, latent, config.latentChannels()));
            owned.add(z);
            return () -> session.runner().feed(latents, z).fetch(image).run().close();
        }
    }

    /** The U-Net at one static latent size (static so that {@link ForwardFlops} can count it). */
    private record SizedGraph(int size, Placeholder<TFloat32> sample, Placeholder<TFloat32> timestep,
            Placeholder<TFloat32> context, Operand<TFloat32> output) {

        static SizedGraph build(Ops tf, TorchWeights weights, UNetConfig config, int size) {
            int latent = size / LATENT_SCALE;
            var sample = tf.placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, latent, latent, config.inChannels())));
            var timestep = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            var context = tf.placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, TEXT_LENGTH, config.crossAttentionDim())));
            return new SizedGraph(size, sample, timestep, context,
                    UNet2DCondition.build(tf, weights, config, sample, timestep, context).output());
        }

        /** One forward pass on seeded Gaussian latents and text states at t = 500; the tensors go into {@code owned}. */
        Runnable call(Session session, UNetConfig config, int batch, List<AutoCloseable> owned) {
            List<TFloat32> feeds = feeds(config, batch, owned);
            return () -> runner(session, feeds).run().close();
        }

        /** A runner of one forward pass on fresh inputs (as {@link #call}'s), e.g. to trace it. */
        Session.Runner runner(Session session, UNetConfig config, int batch, List<AutoCloseable> owned) {
            return runner(session, feeds(config, batch, owned));
        }

        private Session.Runner runner(Session session, List<TFloat32> feeds) {
            return session.runner().feed(sample, feeds.get(0)).feed(timestep, feeds.get(1)).feed(context, feeds.get(2))
                    .fetch(output);
        }

        /** Sample, timestep and context, seeded by the size. */
        private List<TFloat32> feeds(UNetConfig config, int batch, List<AutoCloseable> owned) {
            int latent = size / LATENT_SCALE;
            SplittableRandom random = new SplittableRandom(size);
            TFloat32 x = gaussian(random, Shape.of(batch, latent, latent, config.inChannels()));
            TFloat32 c = gaussian(random, Shape.of(batch, TEXT_LENGTH, config.crossAttentionDim()));
            float[] steps = new float[batch];
            Arrays.fill(steps, 500f);
            TFloat32 t = TFloat32.tensorOf(Shape.of(batch), DataBuffers.of(steps, true, false));
            owned.addAll(List.of(x, t, c));
            return List.of(x, t, c);
        }

        static TFloat32 gaussian(SplittableRandom random, Shape shape) {
            float[] values = new float[(int) shape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
        }
    }
}
