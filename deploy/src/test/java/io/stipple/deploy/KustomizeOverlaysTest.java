package io.stipple.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.stipple.contracts.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kustomization renders with {@code kubectl kustomize}, reads strictly into the Kubernetes
 * types, and is wired together: probes on the Quarkus health endpoints, references that resolve,
 * selectors that select, autoscalers that fit the scheduler and the topics, GPUs where asked.
 */
class KustomizeOverlaysTest {

    static final List<String> KUSTOMIZATIONS = Kustomize.KUSTOMIZATIONS;

    /** Service name -> HTTP port, as agreed for the four Quarkus services. */
    static final Map<String, Integer> SERVICES = Map.of(
            "gateway-service", 8080, "scheduler-service", 8081, "gpu-worker", 8082, "trainer-service", 8083);

    /** A service's management interface (health, metrics): its HTTP port + 1000, as the services' defaults pair them. */
    static int managementPort(int port) {
        return port + 1000;
    }

    /** Services that run TensorFlow, which allocates outside the Java heap. */
    static final Set<String> TENSORFLOW_SERVICES = Set.of("gpu-worker", "trainer-service");

    /** Created out of band in production (docs/deployment.md); the dev overlay generates them. */
    static final Set<String> EXTERNAL_SECRETS = Set.of("stipple-secrets", "stipple-webhooks", "stipple-admin");

    static final Set<String> CONFIG_KEYS = Set.of("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_DATASOURCE_REACTIVE_URL",
            "QUARKUS_DATASOURCE_JDBC_URL", "STIPPLE_STORAGE_ENDPOINT", "STIPPLE_STORAGE_BUCKET", "STIPPLE_STORAGE_REGION",
            "STIPPLE_STORAGE_PUBLIC_ENDPOINT");
    static final Set<String> SECRET_KEYS = Set.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "STIPPLE_STORAGE_ACCESS_KEY", "STIPPLE_STORAGE_SECRET_KEY");

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void rendersTheFourServicesWithTheirConfiguration(String kustomization) {
        StrictManifests.Rendered rendered = Kustomize.rendered(kustomization);
        SERVICES.keySet().forEach(name -> rendered.named(Deployment.class, name));
        ConfigMap config = configMap(rendered, "stipple-config");
        assertTrue(config.getData().keySet().containsAll(CONFIG_KEYS),
                kustomization + ": stipple-config lacks " + missing(CONFIG_KEYS, config.getData().keySet()));
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void matchesTheKubernetesAndKedaSchemas(String kustomization) {
        String yaml = Kustomize.yaml(kustomization);
        ExternalTool.Result result = NodeValidation.validateManifests(yaml);
        assertTrue(result.succeeded(), kustomization + " fails schema validation:\n" + result.describe());
        long documents = result.stdout().lines().filter(line -> line.startsWith("OK ")).count();
        assertEquals(Kustomize.rendered(kustomization).objects().size() + Kustomize.rendered(kustomization).scaledObjects().size(),
                documents, "every rendered document was validated: " + result.stdout());
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyServiceProbesTheQuarkusHealthEndpointsOnItsManagementPort(String kustomization) {
        StrictManifests.Rendered rendered = Kustomize.rendered(kustomization);
        SERVICES.forEach((name, port) -> {
            Deployment deployment = rendered.named(Deployment.class, name);
            Container app = container(deployment.getSpec().getTemplate(), "app");
            String where = kustomization + " " + name + ": ";
            int management = managementPort(port);
            assertProbe(app, app.getStartupProbe(), "/q/health/started", management, where + "startup probe");
            assertProbe(app, app.getLivenessProbe(), "/q/health/live", management, where + "liveness probe");
            assertProbe(app, app.getReadinessProbe(), "/q/health/ready", management, where + "readiness probe");
            assertEquals(String.valueOf(port), env(app, "QUARKUS_HTTP_PORT").map(EnvVar::getValue).orElse(null),
                    where + "QUARKUS_HTTP_PORT must equal the container port named http");
            assertEquals(String.valueOf(management), env(app, "QUARKUS_MANAGEMENT_PORT").map(EnvVar::getValue).orElse(null),
                    where + "QUARKUS_MANAGEMENT_PORT must equal the container port the probes use");
            Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
            assertEquals(String.valueOf(management), annotations.get("prometheus.io/port"), where + "Prometheus scrapes the management port");
            assertEquals("/q/metrics", annotations.get("prometheus.io/path"), where + "metrics path");
            assertNotNull(app.getResources().getRequests().get("cpu"), where + "no CPU request");
            assertNotNull(app.getResources().getRequests().get("memory"), where + "no memory request");
            assertNotNull(app.getResources().getLimits().get("memory"), where + "no memory limit");
            assertTrue(Boolean.TRUE.equals(rendered.named(Deployment.class, name).getSpec().getTemplate().getSpec()
                    .getSecurityContext().getRunAsNonRoot()), where + "must run as non-root");
            // The root filesystem is read-only: a folder the service writes must be on a volume.
            var mounts = app.getVolumeMounts().stream().map(m -> m.getMountPath() + "/").toList();
            app.getEnv().stream().filter(e -> e.getName().endsWith("_DIR")).forEach(e -> assertTrue(
                    mounts.stream().anyMatch(mount -> (e.getValue() + "/").startsWith(mount)),
                    where + e.getName() + "=" + e.getValue() + " is on the read-only root filesystem, not on " + mounts));
            if (TENSORFLOW_SERVICES.contains(name)) {
                int heapPercent = Integer.parseInt(env(app, "JAVA_MAX_RAM_PERCENTAGE").orElseThrow(
                        () -> new AssertionError(where + "sets no JAVA_MAX_RAM_PERCENTAGE")).getValue());
                assertTrue(heapPercent <= 50, where + "TensorFlow needs memory outside the heap, not " + heapPercent + "% heap");
            }
        });
        for (StatefulSet infrastructure : rendered.all(StatefulSet.class)) {
            for (Container container : infrastructure.getSpec().getTemplate().getSpec().getContainers()) {
                assertNotNull(container.getReadinessProbe(), kustomization + " " + infrastructure.getMetadata().getName() + ": no readiness probe");
                assertNotNull(container.getLivenessProbe(), kustomization + " " + infrastructure.getMetadata().getName() + ": no liveness probe");
            }
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyConfigMapAndSecretReferenceResolves(String kustomization) {
        StrictManifests.Rendered rendered = Kustomize.rendered(kustomization);
        Set<String> configMaps = names(rendered.all(ConfigMap.class));
        Set<String> secrets = names(rendered.all(Secret.class));
        boolean selfContained = kustomization.endsWith("dev");
        List<String> dangling = new ArrayList<>();
        for (Map.Entry<String, PodTemplateSpec> pod : podTemplates(rendered).entrySet()) {
            var spec = pod.getValue().getSpec();
            Stream.concat(spec.getContainers().stream(), spec.getInitContainers().stream()).forEach(container -> {
                container.getEnvFrom().forEach(source -> {
                    if (source.getConfigMapRef() != null && !configMaps.contains(source.getConfigMapRef().getName())) {
                        dangling.add(pod.getKey() + " ConfigMap " + source.getConfigMapRef().getName());
                    }
                    if (source.getSecretRef() != null) {
                        checkSecret(source.getSecretRef().getName(), secrets, selfContained, pod.getKey(), dangling);
                    }
                });
                container.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e -> checkSecret(e.getValueFrom().getSecretKeyRef().getName(), secrets, selfContained, pod.getKey(), dangling));
            });
            spec.getVolumes().stream().filter(v -> v.getConfigMap() != null && !configMaps.contains(v.getConfigMap().getName()))
                    .forEach(v -> dangling.add(pod.getKey() + " volume ConfigMap " + v.getConfigMap().getName()));
        }
        assertEquals(List.of(), dangling, kustomization + ": references to objects that are neither rendered nor documented as external");
        if (selfContained) {
            Map<String, String> keys = new HashMap<>();
            rendered.all(Secret.class).forEach(secret -> secret.getData().keySet().forEach(key -> keys.put(key, secret.getMetadata().getName())));
            assertTrue(keys.keySet().containsAll(SECRET_KEYS), "dev secrets lack " + missing(SECRET_KEYS, keys.keySet()));
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void everyServiceSelectsPodsThatHaveItsTargetPorts(String kustomization) {
        StrictManifests.Rendered rendered = Kustomize.rendered(kustomization);
        for (Service service : rendered.all(Service.class)) {
            String where = kustomization + " Service " + service.getMetadata().getName();
            List<PodTemplateSpec> selected = selected(rendered, service.getSpec().getSelector());
            assertFalse(selected.isEmpty(), where + " selects no pods");
            for (var port : service.getSpec().getPorts()) {
                assertFalse("management".equals(port.getTargetPort().getStrVal()),
                        where + " routes to the management port: health and metrics are for probes and Prometheus only");
                for (PodTemplateSpec pod : selected) {
                    assertTrue(hasPort(pod, port.getTargetPort()), where + ": target port " + port.getTargetPort() + " not in the pod");
                }
            }
        }
        for (PodDisruptionBudget budget : rendered.all(PodDisruptionBudget.class)) {
            assertFalse(selected(rendered, budget.getSpec().getSelector().getMatchLabels()).isEmpty(),
                    kustomization + " PodDisruptionBudget " + budget.getMetadata().getName() + " selects no pods");
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void autoscalersTargetDeploymentsThatLeaveTheReplicaCountToThem(String kustomization) {
        StrictManifests.Rendered rendered = Kustomize.rendered(kustomization);
        HorizontalPodAutoscaler gateway = rendered.named(HorizontalPodAutoscaler.class, "gateway-service");
        assertEquals("gateway-service", gateway.getSpec().getScaleTargetRef().getName());
        assertTrue(gateway.getSpec().getMetrics().stream().anyMatch(m -> m.getResource() != null && "cpu".equals(m.getResource().getName())),
                "the gateway scales on CPU");
        List<String> autoscaled = new ArrayList<>(List.of(gateway.getSpec().getScaleTargetRef().getName()));
        rendered.scaledObjects().forEach(scaled -> autoscaled.add(scaled.spec().scaleTargetRef().name()));
        assertEquals(Set.of("gpu-worker", "trainer-service"),
                Set.copyOf(rendered.scaledObjects().stream().map(s -> s.spec().scaleTargetRef().name()).toList()));
        for (String target : autoscaled) {
            assertNull(rendered.named(Deployment.class, target).getSpec().getReplicas(),
                    kustomization + " " + target + ": spec.replicas would fight the autoscaler on every apply");
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void workersScaleOnTheLagOfTheirTopicWithinWhatTheSchedulerDispatches(String kustomization) {
        StrictManifests.Rendered rendered = Kustomize.rendered(kustomization);
        Deployment scheduler = rendered.named(Deployment.class, "scheduler-service");
        Container createTopics = scheduler.getSpec().getTemplate().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("create-topics")).findFirst()
                .orElseThrow(() -> new AssertionError("the scheduler creates the topics before it starts"));
        int partitions = Integer.parseInt(env(createTopics, "STIPPLE_WORK_PARTITIONS").orElseThrow().getValue());
        Map<String, String> inFlightVariable = Map.of(
                Topics.WORK_GENERATION, "SCHEDULER_DISPATCH_GENERATION_IN_FLIGHT",
                Topics.WORK_FINETUNE, "SCHEDULER_DISPATCH_FINETUNE_IN_FLIGHT");
        Container schedulerApp = container(scheduler.getSpec().getTemplate(), "app");

        for (KedaScaledObject scaled : rendered.scaledObjects()) {
            String target = scaled.spec().scaleTargetRef().name();
            String where = kustomization + " ScaledObject " + scaled.metadata().getName() + ": ";
            assertFalse(scaled.spec().triggers() == null || scaled.spec().triggers().isEmpty(), where + "no triggers");
            KedaScaledObject.Trigger kafka = scaled.spec().triggers().stream().filter(t -> "kafka".equals(t.type())).findFirst()
                    .orElseThrow(() -> new AssertionError(where + "no kafka trigger"));
            Map<String, String> metadata = kafka.metadata();
            String topic = metadata.get("topic");
            assertTrue(inFlightVariable.containsKey(topic), where + "topic " + topic + " is not a work topic of " + Topics.ALL);
            // KEDA computes the lag of this group: a group nobody consumes with has everything as lag.
            assertEquals(ServiceConfiguration.of(target).consumerGroupOf(topic).orElse(metadata.get("consumerGroup")),
                    metadata.get("consumerGroup"), where + "the consumer group KEDA watches is not the one " + target
                            + " consumes " + topic + " with: set mp.messaging.incoming.<channel>.group.id="
                            + metadata.get("consumerGroup") + " in " + target + "'s application.properties, or change"
                            + " consumerGroup in deploy/k8s/base/autoscaling.yaml");

            String bootstrapVariable = metadata.get("bootstrapServersFromEnv");
            assertNotNull(bootstrapVariable, where + "bootstrapServersFromEnv: one source of truth for the Kafka address");
            Container worker = container(rendered.named(Deployment.class, target).getSpec().getTemplate(), "app");
            assertTrue(providesVariable(rendered, worker, bootstrapVariable),
                    where + target + "'s container does not define " + bootstrapVariable + ", which KEDA reads from it");

            int maxReplicas = scaled.spec().maxReplicaCount();
            int lagThreshold = Integer.parseInt(metadata.get("lagThreshold"));
            assertTrue(maxReplicas <= partitions, where + maxReplicas + " replicas but only " + partitions + " partitions");
            int inFlight = Integer.parseInt(env(schedulerApp, inFlightVariable.get(topic)).orElseThrow(
                    () -> new AssertionError("scheduler sets no " + inFlightVariable.get(topic))).getValue());
            assertTrue(maxReplicas * lagThreshold <= inFlight, where + "the scheduler dispatches at most " + inFlight
                    + " jobs, so the lag never reaches " + maxReplicas + " x " + lagThreshold + " and the last replicas never start");
            assertTrue(scaled.spec().minReplicaCount() <= maxReplicas, where + "minReplicaCount > maxReplicaCount");
        }
    }

    @ParameterizedTest
    @FieldSource("KUSTOMIZATIONS")
    void gpusAreRequestedExactlyInTheGpuOverlay(String kustomization) {
        StrictManifests.Rendered rendered = Kustomize.rendered(kustomization);
        boolean gpu = kustomization.endsWith("gpu");
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            var pod = deployment.getSpec().getTemplate().getSpec();
            Container app = container(deployment.getSpec().getTemplate(), "app");
            Quantity limit = app.getResources().getLimits().get("nvidia.com/gpu");
            boolean wantsGpu = gpu && Set.of("gpu-worker", "trainer-service").contains(name);
            if (!wantsGpu) {
                assertNull(limit, kustomization + " " + name + " must not request a GPU");
                continue;
            }
            assertEquals(new Quantity("1"), limit, name + ": one nvidia.com/gpu limit");
            assertEquals(limit, app.getResources().getRequests().get("nvidia.com/gpu"), name + ": GPU request equals limit");
            assertTrue(pod.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())), name + ": tolerates the GPU taint");
            assertFalse(pod.getNodeSelector().isEmpty(), name + ": selects GPU nodes");
            assertTrue(app.getImage().endsWith("-gpu"), name + ": runs the CUDA image, not " + app.getImage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = "overlays/dev")
    void devInfrastructureAnswersAtTheAddressesInTheConfiguration(String kustomization) {
        StrictManifests.Rendered rendered = Kustomize.rendered(kustomization);
        Map<String, String> config = configMap(rendered, "stipple-config").getData();
        for (String address : List.of(config.get("KAFKA_BOOTSTRAP_SERVERS"),
                config.get("QUARKUS_DATASOURCE_REACTIVE_URL"), config.get("STIPPLE_STORAGE_ENDPOINT"))) {
            String hostPort = address.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
            String host = hostPort.substring(0, hostPort.indexOf(':'));
            int port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
            Service service = rendered.named(Service.class, host);
            assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port),
                    "Service " + host + " does not listen on " + port + " (" + address + ")");
        }
        assertEquals(config.get("QUARKUS_DATASOURCE_JDBC_URL"), "jdbc:" + config.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        Job bucket = rendered.named(Job.class, "minio-init");
        assertTrue(bucket.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand().stream()
                .anyMatch(part -> part.endsWith("create-bucket.sh")), "minio-init runs the shared bucket script");
    }

    private static void assertProbe(Container container, Probe probe, String path, int port, String what) {
        assertNotNull(probe, what + " missing");
        assertNotNull(probe.getHttpGet(), what + " is not an HTTP probe");
        assertEquals(path, probe.getHttpGet().getPath(), what + " path");
        assertEquals(port, resolvePort(container, probe.getHttpGet().getPort()), what + " port");
    }

    private static int resolvePort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()));
    }

    private static boolean hasPort(PodTemplateSpec pod, IntOrString port) {
        return pod.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
                .anyMatch(p -> port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort()) : port.getStrVal().equals(p.getName()));
    }

    private static boolean providesVariable(StrictManifests.Rendered rendered, Container container, String variable) {
        if (env(container, variable).isPresent()) {
            return true;
        }
        return container.getEnvFrom().stream().filter(s -> s.getConfigMapRef() != null)
                .map(s -> rendered.named(ConfigMap.class, s.getConfigMapRef().getName()))
                .anyMatch(map -> map.getData().containsKey(variable));
    }

    private static Optional<EnvVar> env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    private static Container container(PodTemplateSpec pod, String name) {
        return pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    /** kustomize appends a content hash to generated names: find "stipple-config-<hash>". */
    private static ConfigMap configMap(StrictManifests.Rendered rendered, String generatorName) {
        List<ConfigMap> matching = rendered.all(ConfigMap.class).stream()
                .filter(map -> map.getMetadata().getName().matches(generatorName + "-[a-z0-9]{10}")).toList();
        if (matching.size() != 1) {
            fail("expected one generated ConfigMap " + generatorName + ", found " + names(matching));
        }
        return matching.get(0);
    }

    private static void checkSecret(String name, Set<String> secrets, boolean selfContained, String pod, List<String> dangling) {
        boolean generated = secrets.contains(name);
        boolean external = !selfContained && EXTERNAL_SECRETS.contains(name);
        if (!generated && !external) {
            dangling.add(pod + " Secret " + name);
        }
    }

    private static Map<String, PodTemplateSpec> podTemplates(StrictManifests.Rendered rendered) {
        Map<String, PodTemplateSpec> pods = new HashMap<>();
        rendered.all(Deployment.class).forEach(d -> pods.put("Deployment " + d.getMetadata().getName(), d.getSpec().getTemplate()));
        rendered.all(StatefulSet.class).forEach(s -> pods.put("StatefulSet " + s.getMetadata().getName(), s.getSpec().getTemplate()));
        rendered.all(Job.class).forEach(j -> pods.put("Job " + j.getMetadata().getName(), j.getSpec().getTemplate()));
        return pods;
    }

    private static List<PodTemplateSpec> selected(StrictManifests.Rendered rendered, Map<String, String> selector) {
        assertFalse(selector == null || selector.isEmpty(), "an empty selector selects everything");
        return podTemplates(rendered).values().stream()
                .filter(pod -> pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
    }

    private static Set<String> names(List<? extends HasMetadata> objects) {
        return Set.copyOf(objects.stream().map(o -> o.getMetadata().getName()).toList());
    }

    private static Set<String> missing(Set<String> wanted, Set<String> present) {
        return Set.copyOf(wanted.stream().filter(key -> !present.contains(key)).toList());
    }
}
