package io.stipple.workbench.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.unet.ModelInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.StepStats;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a forward pass spends its time: TensorFlow's own per-op trace ({@code FULL_TRACE}
 * step stats) summed by op type, after grappler's rewrites (so fused kernels such as
 * {@code _FusedConv2D} show as what actually ran). Run it with {@code --intra-op 1} to make the op
 * times add up to the wall time. The last line is one JSON object.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Per-op-type time of the denoise forward pass from TensorFlow's trace.")
public final class ProfileCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    SessionOptions session = new SessionOptions();

    @Option(names = "--model", defaultValue = BundledModels.BASE)
    Path modelDir;

    @Option(names = "--batch", defaultValue = "32")
    int batch;

    @Option(names = "--runs", defaultValue = "10")
    int runs;



    @Override
    public Integer call() throws Exception {
        try (StippleModel model = StippleModel.load(modelDir, session.config())) {
            SignatureDef signature = model.metaGraph().getSignatureDefMap().get(ModelInputs.DENOISE);
            BenchmarkInputs inputs = BenchmarkInputs.random(model.denoiser(), batch, 1);
            Map<String, TFloat32> feeds = new LinkedHashMap<>();
            signature.getInputsMap().forEach((key, info) -> feeds.put(info.getName(), tensor(input(inputs, key))));
            String output = signature.getOutputsMap().get(ModelInputs.OUTPUT).getName();
            OpTypeTimes opTimes = new OpTypeTimes();
            long wallMicros = 0;
            try {
                for (int run = -1; run < runs; run++) { // one untraced-in-the-sum warm-up run
                    Session.Runner runner = model.session().runner().setOptions(OpTypeTimes.FULL_TRACE).fetch(output);
                    feeds.forEach(runner::feed);
                    long start = System.nanoTime();
                    try (Result result = runner.runAndFetchMetadata()) {
                        long micros = (System.nanoTime() - start) / 1000;
                        if (run >= 0) {
                            wallMicros += micros;
                            opTimes.add(result.getMetadata().orElseThrow().getStepStats());
                        }
                    }
                }
            } finally {
                feeds.values().forEach(TFloat32::close);
            }
            long opMicros = opTimes.totalMicros();
            System.out.printf(Locale.ROOT, "batch %d, %d traced runs, intra-op %d: %.1f ms wall per run (traced), "
                    + "%.1f ms summed over ops%n", batch, runs, session.intraOp, wallMicros / 1e3 / runs, opMicros / 1e3 / runs);
            ObjectNode line = JSON.createObjectNode();
            line.put("benchmark", "profile");
            line.put("model", model.card().name() + "@" + model.card().version());
            line.put("batch", batch);
            line.put("intra_op", session.intraOp);
            line.put("wall_ms", wallMicros / 1e3 / runs);
            line.put("op_ms", opMicros / 1e3 / runs);
            opTimes.report(runs, line.putObject("op_type_ms"));
            System.out.println(JSON.writeValueAsString(line));
        }
        return 0;
    }

    private static Tensor input(BenchmarkInputs inputs, String key) {
        return switch (key) {
            case ModelInputs.SAMPLE -> inputs.sample();
            case ModelInputs.TIMESTEP -> Tensor.of(inputs.timesteps(), inputs.timesteps().length);
            default -> inputs.conditioning().get(key);
        };
    }

    private static TFloat32 tensor(Tensor value) {
        long[] dims = Arrays.stream(value.shape()).asLongStream().toArray();
        return TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(value.data(), true, false));
    }
}
