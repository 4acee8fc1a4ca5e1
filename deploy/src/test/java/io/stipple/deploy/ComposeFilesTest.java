package io.stipple.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.contracts.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose files pass docker-compose's own validation (1.29, offline, strict about unknown keys
 * and types), and their resolved form is wired as the services need: health checks on the
 * endpoints, start order, the GPU reservation only in the override, the same configuration keys as
 * Kubernetes, secrets only from .env.
 */
class ComposeFilesTest {

    private static final Path ENV_EXAMPLE = Compose.ENV_EXAMPLE;
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?");
    private static final Pattern ANY_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)");

    @Test
    void docker_composeAcceptsTheCpuAndTheGpuVariant() {
        for (List<String> files : List.of(Compose.CPU, Compose.GPU)) {
            assertTrue(Compose.resolved(files).path("services").size() >= 9, "services of " + files);
        }
    }

    @Test
    void refusesToStartWithoutTheSecrets(@TempDir Path empty) throws IOException {
        Path noSecrets = Files.writeString(empty.resolve(".env"), "COMPOSE_PROJECT_NAME=stipple\n");
        ExternalTool.Result result = Compose.run(noSecrets, Compose.CPU, "config", "-q");
        assertFalse(result.succeeded(), "compose must not fall back to a default password");
        assertTrue(result.stderr().contains("POSTGRES_PASSWORD"), result.describe());
    }

    @Test
    void everyServiceWaitsForItsInfrastructureAndReportsReadiness() {
        JsonNode services = Compose.resolved(Compose.CPU).path("services");
        KustomizeOverlaysTest.SERVICES.forEach((name, port) -> {
            JsonNode service = services.path(name);
            assertEquals("deploy/docker/Dockerfile", service.path("build").path("dockerfile").asText(), name);
            assertEquals(name, service.path("build").path("args").path("SERVICE").asText(), name + " builds its own module");
            assertEquals(String.valueOf(port), service.path("build").path("args").path("PORT").asText(), name + " port");
            int management = KustomizeOverlaysTest.managementPort(port);
            assertEquals(String.valueOf(management), service.path("build").path("args").path("MANAGEMENT_PORT").asText(),
                    name + " management port");
            String healthcheck = service.path("healthcheck").path("test").toString();
            assertTrue(healthcheck.contains(":" + management + "/q/health/ready"), name + " health check: " + healthcheck);
            assertFalse(service.path("ports").toString().contains(String.valueOf(management)),
                    name + " publishes its management port: " + service.path("ports"));
            JsonNode dependsOn = service.path("depends_on");
            assertEquals("service_healthy", dependsOn.path("postgres").path("condition").asText(), name);
            assertEquals("service_completed_successfully", dependsOn.path("kafka-init").path("condition").asText(), name);
            assertEquals("service_completed_successfully", dependsOn.path("minio-init").path("condition").asText(), name);
            if (KustomizeOverlaysTest.TENSORFLOW_SERVICES.contains(name)) {
                int heapPercent = service.path("environment").path("JAVA_MAX_RAM_PERCENTAGE").asInt(100);
                assertTrue(heapPercent <= 50, name + ": TensorFlow needs memory outside the heap, not " + heapPercent + "% heap");
            }
        });
        for (String infrastructure : List.of("kafka", "postgres", "minio")) {
            assertFalse(services.path(infrastructure).path("healthcheck").path("test").isMissingNode(), infrastructure + " has no health check");
        }
    }

    @Test
    void workersScaleAndTensorFlowServicesGetAGpuOnlyWithTheOverride() {
        JsonNode cpuWorker = Compose.resolved(Compose.CPU).path("services").path("gpu-worker");
        assertTrue(cpuWorker.path("container_name").isMissingNode(), "a fixed container name breaks --scale");
        assertTrue(cpuWorker.path("ports").isMissingNode(), "a published port breaks --scale");
        Compose.resolved(Compose.CPU).path("services").fields().forEachRemaining(service -> assertTrue(
                service.getValue().path("deploy").path("resources").path("reservations").isMissingNode(),
                service.getKey() + ": without compose.gpu.yaml everything must start on a machine without a GPU"));

        for (String name : KustomizeOverlaysTest.TENSORFLOW_SERVICES) {
            JsonNode gpu = Compose.resolved(Compose.GPU).path("services").path(name);
            JsonNode device = gpu.path("deploy").path("resources").path("reservations").path("devices").path(0);
            assertEquals("nvidia", device.path("driver").asText(), name + ": " + gpu);
            assertTrue(device.path("capabilities").toString().contains("gpu"), name + ": " + device);
            assertEquals("gpu", gpu.path("build").path("args").path("MAVEN_PROFILES").asText(), name + ": TensorFlow's CUDA build");
            assertEquals("cuda-runtime", gpu.path("build").path("args").path("RUNTIME_BASE").asText(), name + ": the CUDA runtime image");
            assertEquals(name, gpu.path("build").path("args").path("SERVICE").asText(), name + " still builds its own module");
            assertTrue(gpu.path("image").asText().endsWith("-gpu"), name + ": a tag of its own for the CUDA image");
            assertEquals("service_healthy", gpu.path("depends_on").path("postgres").path("condition").asText(),
                    name + " keeps its start order under the override");
        }
        assertTrue(Compose.resolved(Compose.GPU).path("services").path("gateway-service").path("deploy")
                .path("resources").path("reservations").isMissingNode(), "only the TensorFlow services get a GPU");
    }

    @Test
    void aWorkerPoolRunsItsTenantsJobsFromATopicOfItsOwnOnlyWithTheOverride() {
        JsonNode services = Compose.resolved(Compose.POOL).path("services");
        JsonNode kafkaInit = services.path("kafka-init").path("environment");
        String pool = kafkaInit.path("STIPPLE_WORKER_POOLS").asText();
        assertEquals("dedicated", pool, "kafka-init creates the pool's topic (.env.example's STIPPLE_POOL)");
        JsonNode scheduler = services.path("scheduler-service").path("environment");
        assertEquals(pool, scheduler.path("SCHEDULER_DISPATCH_TENANT_POOLS_acme").asText(),
                "scheduler.dispatch.tenant-pools.<tenant> routes .env.example's STIPPLE_POOL_TENANT: " + scheduler);
        assertTrue(scheduler.path("SCHEDULER_DISPATCH_POOL_IN_FLIGHT_" + pool).asInt() > 0, "the pool's own slots: " + scheduler);

        JsonNode worker = services.path("gpu-worker-pool");
        JsonNode shared = services.path("gpu-worker");
        assertEquals(Topics.generationPool(pool), worker.path("environment").path("MP_MESSAGING_INCOMING_WORK_GENERATION_TOPIC").asText());
        String sharedGroup = ServiceConfiguration.of("gpu-worker").consumerGroupOf(Topics.WORK_GENERATION).orElseThrow();
        String poolGroup = worker.path("environment").path("MP_MESSAGING_INCOMING_WORK_GENERATION_GROUP_ID").asText();
        assertFalse(poolGroup.isEmpty() || poolGroup.equals(sharedGroup), "the pool's workers need a consumer group of their own: " + poolGroup);
        assertEquals(shared.path("healthcheck"), worker.path("healthcheck"), "the pool worker is gpu-worker otherwise");
        assertEquals(shared.path("depends_on"), worker.path("depends_on"));
        assertEquals(shared.path("build"), worker.path("build"));
        assertFalse(worker.path("volumes").equals(shared.path("volumes")), "two workers must not share a model cache folder");
        assertEquals("[\"worker-pool\"]", worker.path("profiles").toString(), "the pool worker is opt-in");
        assertTrue(shared.path("environment").path("MP_MESSAGING_INCOMING_WORK_GENERATION_TOPIC").isMissingNode());

        Compose.resolved(Compose.CPU).path("services").path("scheduler-service").path("environment").fieldNames()
                .forEachRemaining(name -> assertFalse(name.startsWith("SCHEDULER_DISPATCH_TENANT_POOLS"),
                        "without the override no tenant is routed to a pool: " + name));
        assertFalse(Compose.resolved(Compose.GPU).path("services").path("gpu-worker-pool").path("deploy").path("resources")
                .path("reservations").isMissingNode(), "with compose.gpu.yaml the pool's workers get a GPU too");
    }

    @Test
    void servicesGetTheSameConfigurationKeysAsOnKubernetes() {
        Set<String> kubernetesKeys = new TreeSet<>(KustomizeOverlaysTest.CONFIG_KEYS);
        kubernetesKeys.addAll(KustomizeOverlaysTest.SECRET_KEYS);
        JsonNode services = Compose.resolved(Compose.CPU).path("services");
        for (String name : KustomizeOverlaysTest.SERVICES.keySet()) {
            Set<String> composeKeys = new TreeSet<>();
            services.path(name).path("environment").fieldNames().forEachRemaining(composeKeys::add);
            Set<String> missing = new TreeSet<>(kubernetesKeys);
            missing.removeAll(composeKeys);
            assertEquals(Set.of(), missing, name + " lacks configuration that Kubernetes gives it");
        }
    }

    /** Result URLs are presigned for the public endpoint: compose must publish the port it names (issue 18). */
    @Test
    void resultUrlsPointAtAPublishedPortOfTheStore() {
        JsonNode services = Compose.resolved(Compose.CPU).path("services");
        java.net.URI publicEndpoint = java.net.URI.create(services.path("gateway-service").path("environment")
                .path("STIPPLE_STORAGE_PUBLIC_ENDPOINT").asText());
        String ports = services.path("minio").path("ports").toString();
        assertTrue(ports.contains(String.valueOf(publicEndpoint.getPort())) && ports.contains("9000"),
                "MinIO's S3 port must be published where " + publicEndpoint + " points: " + ports);
    }

    @Test
    void theMonitoringProfileScrapesEveryServiceAndProvisionsTheDashboard() throws IOException {
        JsonNode prometheus = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readTree(DeployFiles.COMPOSE.resolve("monitoring/prometheus.yml").toFile());
        JsonNode job = prometheus.path("scrape_configs").path(0);
        assertEquals("/q/metrics", job.path("metrics_path").asText());
        Map<String, Integer> scraped = new java.util.TreeMap<>();
        job.path("dns_sd_configs").forEach(sd -> sd.path("names").forEach(n -> scraped.put(n.asText(), sd.path("port").asInt())));
        Map<String, Integer> managementPorts = new java.util.TreeMap<>();
        KustomizeOverlaysTest.SERVICES.forEach((name, port) -> managementPorts.put(name, KustomizeOverlaysTest.managementPort(port)));
        assertEquals(managementPorts, scraped, "Prometheus scrapes each service on its management port");

        JsonNode services = Compose.resolved(Compose.CPU).path("services");
        assertEquals("[\"monitoring\"]", services.path("grafana").path("profiles").toString(), "monitoring is opt-in");
        assertTrue(services.path("grafana").path("volumes").toString().contains("/grafana/stipple.json:"),
                "Grafana mounts deploy/grafana/stipple.json");
    }

    @Test
    void bindMountedFilesExist() {
        List<String> missing = new ArrayList<>();
        Compose.resolved(Compose.CPU).path("services").fields().forEachRemaining(service ->
                service.getValue().path("volumes").forEach(volume -> {
                    String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                    boolean bind = volume.isTextual() ? source.startsWith("/") || source.startsWith(".") : "bind".equals(volume.path("type").asText());
                    if (bind && !Files.exists(DeployFiles.COMPOSE.resolve(source))) {
                        missing.add(service.getKey() + ": " + source);
                    }
                }));
        assertEquals(List.of(), missing);
    }

    @Test
    void envExampleNamesEveryRequiredVariableAndNothingUnused() throws IOException {
        String composeText = DeployFiles.read(DeployFiles.COMPOSE.resolve("compose.yaml"))
                + DeployFiles.read(DeployFiles.COMPOSE.resolve("compose.gpu.yaml"))
                + DeployFiles.read(DeployFiles.COMPOSE.resolve("compose.worker-pool.yaml"));
        Set<String> required = new TreeSet<>(REQUIRED_VARIABLE.matcher(composeText).results().map(m -> m.group(1)).toList());
        Set<String> used = new HashSet<>(ANY_VARIABLE.matcher(composeText).results().map(m -> m.group(1)).toList());
        used.add("COMPOSE_PROJECT_NAME");
        Map<String, String> example = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(ENV_EXAMPLE)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                example.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(example.keySet());
        assertEquals(Set.of(), missing, ".env.example must name every variable compose requires");
        Set<String> unused = new TreeSet<>(example.keySet());
        unused.removeAll(used);
        assertEquals(Set.of(), unused, ".env.example names variables no compose file reads");
        example.forEach((key, value) -> {
            if (key.endsWith("PASSWORD") || key.endsWith("SECRET_KEY") || key.endsWith("SECRET") || key.endsWith("TOKEN")) {
                assertTrue(value.startsWith("change-me"), key + " in .env.example must be a placeholder, not a secret");
            }
        });
    }
}
