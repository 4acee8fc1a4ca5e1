package io.stipple.stack;

import io.stipple.contracts.Topics;
import io.stipple.stack.process.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/** A Kafka broker in KRaft mode (one process, broker and controller), or an external cluster. */
final class KafkaPart extends StackPart {

    private final StackSettings.Kafka kafka;
    private final Path dir;

    KafkaPart(StackSettings settings) {
        super(settings, "kafka", settings.home().resolve("kafka").toString());
        this.kafka = settings.kafka();
        this.dir = settings.home().resolve("kafka");
    }

    @Override
    protected boolean external() {
        return kafka.externalBootstrap().isPresent();
    }

    @Override
    public String address() {
        return kafka.externalBootstrap().orElse("127.0.0.1:" + kafka.port());
    }

    @Override
    protected List<Integer> ports() {
        return List.of(kafka.port(), kafka.controllerPort());
    }

    @Override
    protected void prepare() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("server.properties"), serverProperties());
        Files.writeString(dir.resolve("log4j2.properties"), """
                appender.out.type=Console
                appender.out.name=out
                appender.out.layout.type=PatternLayout
                appender.out.layout.pattern=[%d] %p %m (%c)%n
                rootLogger.level=INFO
                rootLogger.appenderRef.out.ref=out
                logger.kafka.name=kafka
                logger.kafka.level=INFO
                """);
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            format();
        }
    }

    private String serverProperties() {
        String dataDir = dir.resolve("data").toString();
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                num.partitions=%4$d
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=%4$d
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=false
                """.formatted(kafka.port(), kafka.controllerPort(), dataDir.replace("\\", "/"), kafka.partitions());
    }

    /** KRaft storage is formatted once per state directory; later starts reuse it. */
    private void format() throws Exception {
        List<String> command = List.of(ServerProcess.javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp", InfraClasspath.kafka(), "kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", dir.resolve("server.properties").toString());
        Path log = logFile();
        Files.createDirectories(log.getParent());
        Process format = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        format.getOutputStream().close();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new StackException("Formatting Kafka storage in %s failed; see %s".formatted(dir, log));
        }
    }

    @Override
    protected List<String> command() {
        return List.of(ServerProcess.javaExecutable(), "-Xms128m", "-Xmx512m",
                // C1 only and a serial collector: a quicker start and less CPU on a small shared machine.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp", InfraClasspath.kafka(), "kafka.Kafka", dir.resolve("server.properties").toString());
    }

    @Override
    protected boolean probe() throws Exception {
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).isEmpty();
        }
    }

    @Override
    protected void provision() throws Exception {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, kafka.partitions(), (short) 1))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private Admin admin() {
        Properties config = new Properties();
        config.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address(),
                // Generous: on a loaded 2-core machine a healthy broker took over 5 s to answer.
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000",
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500"));
        return Admin.create(config);
    }
}
