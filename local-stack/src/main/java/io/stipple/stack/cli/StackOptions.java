package io.stipple.stack.cli;

import io.stipple.stack.StackSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the stack lives and which ports it binds; flags win over {@code STIPPLE_*} variables. */
final class StackOptions {

    @Option(names = "--home", description = "State directory (default: $STIPPLE_HOME, else <repo>/.stipple).")
    Path home;

    @Option(names = "--kafka-port", description = "Kafka client port (default ${DEFAULT-VALUE} or $STIPPLE_KAFKA_PORT).")
    Integer kafkaPort;

    @Option(names = "--kafka-controller-port", description = "KRaft controller port (default 19093 or $STIPPLE_KAFKA_CONTROLLER_PORT).")
    Integer kafkaControllerPort;

    @Option(names = "--postgres-port", description = "PostgreSQL port (default 15432 or $STIPPLE_POSTGRES_PORT).")
    Integer postgresPort;

    @Option(names = "--s3-port", description = "s3proxy port (default 19000 or $STIPPLE_S3_PORT).")
    Integer s3Port;

    Path home() {
        if (home != null) {
            return home.toAbsolutePath();
        }
        return Optional.ofNullable(System.getenv("STIPPLE_HOME")).filter(h -> !h.isBlank()).map(Path::of)
                .orElseGet(() -> Main.repositoryRoot().resolve(".stipple")).toAbsolutePath();
    }

    StackSettings settings() {
        StackSettings s = StackSettings.defaults(home()).withEnvironment(System.getenv());
        StackSettings.Kafka k = s.kafka();
        StackSettings.Postgres p = s.postgres();
        StackSettings.S3 s3 = s.s3();
        return s.withKafka(new StackSettings.Kafka(k.externalBootstrap(), or(kafkaPort, k.port()),
                        or(kafkaControllerPort, k.controllerPort()), k.partitions()))
                .withPostgres(new StackSettings.Postgres(p.externalJdbcUrl(), or(postgresPort, p.port()), p.database(), p.user(),
                        p.password()))
                .withS3(new StackSettings.S3(s3.externalEndpoint(), or(s3Port, s3.port()), s3.accessKey(), s3.secretKey(),
                        s3.bucket(), s3.region()));
    }

    private static int or(Integer flag, int fallback) {
        return flag != null ? flag : fallback;
    }
}
