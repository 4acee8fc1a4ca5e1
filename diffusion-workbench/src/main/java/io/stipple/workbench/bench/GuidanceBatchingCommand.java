package io.stipple.workbench.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.guidance.ClassifierFreeGuidance;
import io.stipple.engine.guidance.GuidanceSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Classifier-free guidance as the engine runs it (one denoise call on the conditional and
 * unconditional rows stacked, {@link ClassifierFreeGuidance}) against the same network work as two
 * calls of half the rows. The two-call side times only the two network calls: it leaves out the
 * guidance arithmetic the batched side includes, so the ratio slightly understates the gain.
 * The last line is one JSON object.
 */
@Command(name = "cfg", mixinStandardHelpOptions = true,
        description = "Guided step: one batched [uncond; cond] call vs two calls, timed in alternation.")
public final class GuidanceBatchingCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    SessionOptions session = new SessionOptions();

    @Option(names = "--model", defaultValue = BundledModels.BASE)
    Path modelDir;

    @Option(names = "--batches", defaultValue = "1,4,16", split = ",", description = "Images per guided step.")
    List<Integer> batches;

    @Option(names = "--rounds", defaultValue = "15")
    int rounds;

    @Option(names = "--warmups", defaultValue = "2")
    int warmups;

    @Option(names = "--min-turn-ms", defaultValue = "150")
    double minTurnMillis;



    @Override
    public Integer call() throws Exception {
        MachineLoad before = MachineLoad.now();
        ObjectNode line = JSON.createObjectNode();
        line.put("benchmark", "cfg");
        line.put("rounds", rounds);
        line.put("load_average_before", before.one());
        System.out.printf(Locale.ROOT, "%d rounds after %d warm-ups; load average %s%n", rounds, warmups, before);
        try (StippleModel model = StippleModel.load(modelDir, session.config())) {
            line.put("model", model.card().name() + "@" + model.card().version());
            System.out.printf(Locale.ROOT, "%6s %14s %14s %10s %12s%n", "images", "batched ms", "two calls ms",
                    "speed-up", "(CPU time)");
            ArrayNode rows = line.putArray("batches");
            for (int batch : batches) {
                BenchmarkInputs cond = BenchmarkInputs.random(model.denoiser(), batch, 1);
                BenchmarkInputs uncond = BenchmarkInputs.random(model.denoiser(), batch, 2);
                Conditioning unconditional = uncond.conditioning();
                var guidance = new ClassifierFreeGuidance(model.denoiser(), cond.conditioning(), unconditional,
                        GuidanceSettings.scale(3));
                Map<String, Interleaved.Times> times = new Interleaved(minTurnMillis)
                        .add("batched", () -> guidance.predict(cond.sample(), 500f))
                        .add("two calls", () -> {
                            cond.run(model.denoiser());
                            model.denoiser().predict(cond.sample(), cond.timesteps(), unconditional);
                        })
                        .run(warmups, rounds);
                Interleaved.Times batched = times.get("batched");
                Interleaved.Times twoCalls = times.get("two calls");
                double speedUp = Interleaved.medianRatio(twoCalls.wall(), batched.wall());
                double cpuSpeedUp = twoCalls.cpuPerCall() / batched.cpuPerCall();
                System.out.printf(Locale.ROOT, "%6d %14.2f %14.2f %9.2fx %11.2fx%n", batch, batched.medianWall(),
                        twoCalls.medianWall(), speedUp, cpuSpeedUp);
                ObjectNode row = rows.addObject();
                row.put("images", batch);
                row.put("batched_ms", batched.medianWall());
                row.put("two_calls_ms", twoCalls.medianWall());
                row.put("speed_up", speedUp);
                row.put("speed_up_cpu", cpuSpeedUp);
            }
        }
        MachineLoad after = MachineLoad.now();
        System.out.printf(Locale.ROOT, "load average after: %s%n", after);
        line.put("load_average_after", after.one());
        System.out.println(JSON.writeValueAsString(line));
        return 0;
    }
}
