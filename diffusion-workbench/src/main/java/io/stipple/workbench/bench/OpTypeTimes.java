package io.stipple.workbench.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;

/**
 * Op time summed by op type from TensorFlow's own trace ({@code FULL_TRACE} step stats), after
 * grappler's rewrites, so fused kernels such as {@code _FusedConv2D} and the bfloat16 casts of mixed
 * precision show as what actually ran.
 */
final class OpTypeTimes {

    static final RunOptions FULL_TRACE = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

    private final Map<String, Long> microsByType = new TreeMap<>();

    /** Adds one traced run; the type is read from the trace's "name = Type(inputs)" label. */
    void add(StepStats stats) {
        stats.getDevStatsList().forEach(device -> {
            for (NodeExecStats node : device.getNodeStatsList()) {
                String label = node.getTimelineLabel();
                int eq = label.indexOf(" = ");
                int paren = label.indexOf('(', eq + 3);
                if (eq < 0 || paren < 0) {
                    continue;
                }
                String type = label.substring(eq + 3, paren);
                microsByType.merge(type, node.getOpEndRelMicros() - node.getOpStartRelMicros(), Long::sum);
            }
        });
    }

    long totalMicros() {
        return microsByType.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Prints op types from the most time to the least, per run, and puts them into {@code json} (ms per run). */
    void report(int runs, ObjectNode json) {
        long total = totalMicros();
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(microsByType.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (var entry : sorted) {
            double ms = entry.getValue() / 1e3 / runs;
            System.out.printf(Locale.ROOT, "%-28s %9.2f ms %6.1f%%%n", entry.getKey(), ms, 100.0 * entry.getValue() / total);
            json.put(entry.getKey(), ms);
        }
    }
}
