package io.stipple.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboard is importable Grafana JSON, shows what issue 9 asks for, and queries only metrics
 * listed in deploy/grafana/metrics.tsv; the ones listed as exposed must really be registered by
 * their service, so a renamed meter breaks this test instead of leaving an empty panel.
 */
class GrafanaDashboardTest {

    /** Every metric family the dashboard may query starts with one of these. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:stipple|http_server|kafka|jvm|process)_[a-z0-9_]+\\b");

    private record Metric(String prometheusName, String micrometerName, String type, String service, String status) {

        /** The series names Micrometer's Prometheus registry exports for this meter. */
        Set<String> series() {
            return switch (type) {
                case "gauge" -> Set.of(prometheusName);
                case "counter" -> Set.of(prometheusName + "_total");
                case "timer" -> suffixed(prometheusName + "_seconds");
                case "summary" -> suffixed(prometheusName);
                default -> throw new AssertionError("unknown metric type " + type + " in metrics.tsv");
            };
        }

        private static Set<String> suffixed(String base) {
            return Set.of(base + "_bucket", base + "_sum", base + "_count", base + "_max");
        }
    }

    private final JsonNode dashboard = readJson(DeployFiles.GRAFANA.resolve("stipple.json"));
    private final Map<String, Metric> catalogue = catalogue();

    @Test
    void isAGrafanaDashboardWithAPrometheusDatasourceVariable() {
        assertEquals("stipple-overview", dashboard.path("uid").asText());
        assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "schemaVersion of Grafana 9+");
        JsonNode variable = dashboard.path("templating").path("list").path(0);
        assertEquals("datasource", variable.path("type").asText());
        assertEquals("prometheus", variable.path("query").asText());
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
            for (String field : List.of("h", "w", "x", "y")) {
                assertTrue(panel.path("gridPos").path(field).isInt(), panel.path("title") + " gridPos." + field);
            }
            if (!panel.path("type").asText().equals("row")) {
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title") + " datasource");
                assertFalse(panel.path("targets").isEmpty(), panel.path("title") + " has no query");
            }
        }
    }

    @Test
    void showsQueueDepthJobLatencyThroughputBatchSizesAndCacheHits() {
        Map<String, String> expressions = expressions();
        for (String series : List.of("stipple_scheduler_queue_depth", "stipple_scheduler_job_duration_seconds_bucket",
                "stipple_worker_images_total", "stipple_worker_batch_size_sum", "stipple_worker_model_cache_total")) {
            assertTrue(expressions.values().stream().anyMatch(e -> e.contains(series)), "no panel queries " + series);
        }
    }

    @Test
    void queriesOnlyCataloguedMetricsWithBalancedBrackets() {
        Set<String> known = new HashSet<>();
        catalogue.values().forEach(metric -> known.addAll(metric.series()));
        List<String> problems = new ArrayList<>();
        expressions().forEach((where, expression) -> {
            List<String> used = METRIC.matcher(expression).results().map(m -> m.group()).toList();
            if (used.isEmpty()) {
                problems.add(where + ": queries no known metric family: " + expression);
            }
            used.stream().filter(name -> !known.contains(name))
                    .forEach(name -> problems.add(where + ": " + name + " is not in metrics.tsv"));
            if (!balanced(expression)) {
                problems.add(where + ": unbalanced brackets in " + expression);
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void exposedMetricsAreRegisteredByTheirService() {
        List<String> missing = new ArrayList<>();
        catalogue.values().stream().filter(metric -> metric.status().equals("exposed")).forEach(metric -> {
            if (!sourcesOf(metric.service()).contains("\"" + metric.micrometerName() + "\"")) {
                missing.add(metric.micrometerName() + " (" + metric.service() + ")");
            }
        });
        assertEquals(List.of(), missing, "metrics.tsv says these are exposed, but their service registers no such meter");
        Set<String> statuses = new TreeSet<>(catalogue.values().stream().map(Metric::status).toList());
        assertTrue(Set.of("exposed", "assumed", "standard").containsAll(statuses), "statuses: " + statuses);
    }

    private Map<String, String> expressions() {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.put(panel.path("title").asText() + "/" + target.path("refId").asText(), target.path("expr").asText());
            }
        }
        return expressions;
    }

    private static boolean balanced(String expression) {
        StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (char c : expression.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(c) >= 0) {
                open.append(c);
            } else if (!quoted && ")]}".indexOf(c) >= 0) {
                if (open.isEmpty() || "([{".indexOf(open.charAt(open.length() - 1)) != ")]}".indexOf(c)) {
                    return false;
                }
                open.setLength(open.length() - 1);
            }
        }
        return open.isEmpty() && !quoted;
    }

    private static Map<String, Metric> catalogue() {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(DeployFiles.GRAFANA.resolve("metrics.tsv"))) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] column = line.split("\t");
                assertTrue(column.length >= 5, "metrics.tsv line needs 5+ tab-separated columns: " + line);
                metrics.put(column[0], new Metric(column[0], column[1], column[2], column[3], column[4]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return metrics;
    }

    private static String sourcesOf(String module) {
        Path sources = DeployFiles.REPOSITORY.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return "";
        }
        try (Stream<Path> files = Files.walk(sources)) {
            StringBuilder all = new StringBuilder();
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> all.append(DeployFiles.read(file)));
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " is not JSON: " + e.getMessage(), e);
        }
    }
}
