package io.stipple.workbench.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.unet.ModelInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tensorflow.proto.ConfigProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Engine efficiency: the U-Net forward pass's FLOPs (counted from the exported graph, see
 * {@link ForwardFlops}) per second, as a fraction of a large fp32 matmul's FLOPs per second measured
 * in the same process, with the same session settings, in alternation with it. The last line is
 * one JSON object.
 */
@Command(name = "efficiency", mixinStandardHelpOptions = true,
        description = "Forward-pass GFLOP/s of models vs a large fp32 matmul, measured in alternation in one run.")
public final class EfficiencyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    SessionOptions session = new SessionOptions();

    @Option(names = "--model", defaultValue = BundledModels.BASE, split = ",",
            description = "Model folders (comma-separated).")
    List<Path> models;

    @Option(names = "--batches", defaultValue = "1,8,32", split = ",")
    List<Integer> batches;

    @Option(names = "--rounds", defaultValue = "15", description = "Timed rounds (each: matmul, then every batch once).")
    int rounds;

    @Option(names = "--warmups", defaultValue = "2")
    int warmups;

    @Option(names = "--min-turn-ms", defaultValue = "150",
            description = "Each task repeats within its turn until the turn lasts about this long.")
    double minTurnMillis;

    @Option(names = "--matmul-size", defaultValue = "1024", description = "N of the NxN fp32 matmul ceiling.")
    int matmulSize;




    @Override
    public Integer call() throws Exception {
        ConfigProto config = session.config();
        MachineLoad loadBefore = MachineLoad.now();
        String settings = String.format(Locale.ROOT, "intra-op %s, inter-op %s, xla %s%s",
                session.intraOp == 0 ? "default" : session.intraOp, session.interOp == 0 ? "default" : session.interOp, session.xla,
                session.xla ? " (TF_XLA_FLAGS=" + System.getenv().getOrDefault("TF_XLA_FLAGS", "") + ")" : "");
        System.out.printf(Locale.ROOT, "settings: %s; %d rounds after %d warm-ups; load average %s%n",
                settings, rounds, warmups, loadBefore);
        ObjectNode line = JSON.createObjectNode();
        line.put("benchmark", "efficiency");
        line.put("intra_op", session.intraOp);
        line.put("inter_op", session.interOp);
        line.put("xla", session.xla);
        line.put("rounds", rounds);
        line.put("matmul_size", matmulSize);
        line.put("load_average_before", loadBefore.one());
        ArrayNode results = line.putArray("models");
        List<StippleModel> loaded = new ArrayList<>();
        try (MatmulCeiling ceiling = new MatmulCeiling(matmulSize, config, 0)) {
            for (Path modelDir : models) {
                loaded.add(StippleModel.load(modelDir, config));
            }
            // one set of rounds for everything: matmul, then every model at every batch
            Interleaved timing = new Interleaved(minTurnMillis).add("matmul", ceiling::run);
            Map<String, FlopCount> counts = new LinkedHashMap<>();
            for (int m = 0; m < loaded.size(); m++) {
                StippleModel model = loaded.get(m);
                String output = model.metaGraph().getSignatureDefMap().get(ModelInputs.DENOISE)
                        .getOutputsMap().get(ModelInputs.OUTPUT).getName();
                for (int batch : batches) {
                    String key = m + "/" + batch;
                    counts.put(key, ForwardFlops.count(model.metaGraph().getGraphDef(), output, batch));
                    BenchmarkInputs inputs = BenchmarkInputs.random(model.denoiser(), batch, batch);
                    timing.add(key, () -> inputs.run(model.denoiser()));
                }
            }
            Map<String, Interleaved.Times> times = timing.run(warmups, rounds);
            Interleaved.Times matmul = times.get("matmul");
            double matmulGflops = ceiling.flops() / matmul.medianWall() / 1e6;
            double matmulCpuGflops = ceiling.flops() / matmul.cpuPerCall() / 1e6;
            line.put("matmul_gflops", matmulGflops);
            line.put("matmul_gflops_per_cpu_second", matmulCpuGflops);
            System.out.printf(Locale.ROOT, "fp32 matmul %dx%d: median %.1f ms = %.1f GFLOP/s wall, %.1f GFLOP per CPU-s%n",
                    matmulSize, matmulSize, matmul.medianWall(), matmulGflops, matmulCpuGflops);
            for (int m = 0; m < loaded.size(); m++) {
                results.add(report(m, models.get(m), loaded.get(m), counts, times, ceiling.flops(), matmulCpuGflops));
            }
        } finally {
            loaded.forEach(StippleModel::close);
        }
        MachineLoad loadAfter = MachineLoad.now();
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAfter);
        line.put("load_average_after", loadAfter.one());
        System.out.println(JSON.writeValueAsString(line));
        return 0;
    }

    /** Median over rounds of (model FLOPs per ms) / (matmul FLOPs per ms), each round's pair measured back to back. */
    static double share(double[] matmulMs, double[] modelMs, double matmulFlops, double modelFlops) {
        double[] matmulPerFlop = new double[matmulMs.length];
        double[] modelPerFlop = new double[modelMs.length];
        for (int r = 0; r < matmulMs.length; r++) {
            matmulPerFlop[r] = matmulMs[r] / matmulFlops;
            modelPerFlop[r] = modelMs[r] / modelFlops;
        }
        return Interleaved.medianRatio(matmulPerFlop, modelPerFlop);
    }

    private ObjectNode report(int index, Path dir, StippleModel model, Map<String, FlopCount> counts,
            Map<String, Interleaved.Times> times, double matmulFlops, double matmulCpuGflops) {
        ObjectNode result = JSON.createObjectNode();
        String name = model.card().name() + "@" + model.card().version();
        result.put("model", name);
        result.put("folder", dir.toString());
        Interleaved.Times matmul = times.get("matmul");
        System.out.printf(Locale.ROOT, "%s (%s)%n", name, dir);
        System.out.printf(Locale.ROOT, "%6s %11s %9s %9s %9s %10s %10s %11s %9s%n", "batch", "GFLOP/call",
                "ms/call", "GFLOP/s", "% matmul", "GFLOP/CPUs", "% (CPU)", "other Melem", "images/s");
        ArrayNode rows = result.putArray("batches");
        for (int batch : batches) {
            FlopCount count = counts.get(index + "/" + batch);
            Interleaved.Times call = times.get(index + "/" + batch);
            double wallShare = share(matmul.wall(), call.wall(), matmulFlops, count.flops());
            double gflops = count.flops() / call.medianWall() / 1e6;
            double cpuGflops = count.flops() / call.cpuPerCall() / 1e6;
            double cpuShare = cpuGflops / matmulCpuGflops;
            System.out.printf(Locale.ROOT, "%6d %11.4f %9.2f %9.1f %8.1f%% %10.1f %9.1f%% %11.2f %9.1f%n",
                    count.batch(), count.gigaFlops(), call.medianWall(), gflops, 100 * wallShare, cpuGflops,
                    100 * cpuShare, count.otherElements() / 1e6, count.batch() * 1000 / call.medianWall());
            ObjectNode row = rows.addObject();
            row.put("batch", count.batch());
            row.put("gflop_per_call", count.gigaFlops());
            row.put("ms_per_call", call.medianWall());
            row.put("cpu_ms_per_call", call.cpuPerCall());
            row.put("calls_per_turn", call.callsPerTurn());
            row.put("gflops", gflops);
            row.put("fraction_of_matmul", wallShare);
            row.put("gflops_per_cpu_second", cpuGflops);
            row.put("fraction_of_matmul_cpu", cpuShare);
            row.put("other_elements", count.otherElements());
            row.put("ops", count.opCount());
            ObjectNode byType = row.putObject("flops_by_op");
            count.flopsByOpType().forEach(byType::put);
        }
        return result;
    }
}
