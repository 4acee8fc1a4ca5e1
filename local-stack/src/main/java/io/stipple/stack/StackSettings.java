package io.stipple.stack;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What to start and where: the state directory, and per part either the port of a server this
 * stack runs itself or the address of an external one (any Kafka, PostgreSQL or S3 endpoint).
 *
 * @param home state directory holding every part's data, logs and pid files
 * @param detached whether started processes get their own session, so that they outlive this JVM
 *        and a Ctrl-C in the terminal reaches only the launcher, which then stops them in order
 * @param durable whether the data must survive crashes (fsync); off for throw-away test stacks
 */
public record StackSettings(Path home, boolean detached, boolean durable, Kafka kafka, Postgres postgres, S3 s3) {

    public static final int DEFAULT_KAFKA_PORT = 19092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_S3_PORT = 19000;

    /**
     * @param externalBootstrap bootstrap servers of a Kafka run elsewhere, or empty to run a broker here
     * @param partitions partitions of each topic created up front
     */
    public record Kafka(Optional<String> externalBootstrap, int port, int controllerPort, int partitions) {
    }

    /** @param externalJdbcUrl JDBC URL of a server run elsewhere, or empty to run PostgreSQL here */
    public record Postgres(Optional<String> externalJdbcUrl, int port, String database, String user, String password) {
    }

    /** @param externalEndpoint URL of an S3 endpoint run elsewhere (MinIO...), or empty to run s3proxy here */
    public record S3(Optional<String> externalEndpoint, int port, String accessKey, String secretKey, String bucket,
            String region) {
    }

    /** The fixed ports of a developer's stack under {@code home}. */
    public static StackSettings defaults(Path home) {
        return new StackSettings(home.toAbsolutePath(), true, true,
                new Kafka(Optional.empty(), DEFAULT_KAFKA_PORT, DEFAULT_KAFKA_CONTROLLER_PORT, 3),
                new Postgres(Optional.empty(), DEFAULT_POSTGRES_PORT, "stipple", "stipple", "stipple"),
                new S3(Optional.empty(), DEFAULT_S3_PORT, "stipple", "stipple-secret", "stipple", "us-east-1"));
    }

    /** A throw-away stack on free ports, owned by this JVM (tests). */
    public static StackSettings ephemeral(Path home) {
        StackSettings defaults = defaults(home);
        return new StackSettings(defaults.home(), false, false,
                new Kafka(Optional.empty(), Ports.free(), Ports.free(), defaults.kafka().partitions()),
                new Postgres(Optional.empty(), Ports.free(), "stipple", "stipple", "stipple"),
                new S3(Optional.empty(), Ports.free(), "stipple", "stipple-secret", "stipple", "us-east-1"));
    }

    /**
     * Applies the {@code STIPPLE_*} variables (see docs/local-stack.md) over these settings: ports of
     * the local servers, or the addresses of external ones, which are then used instead.
     */
    public StackSettings withEnvironment(Map<String, String> env) {
        Function<String, Optional<String>> get = name -> Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
        Kafka k = new Kafka(get.apply("STIPPLE_KAFKA_BOOTSTRAP").or(kafka::externalBootstrap),
                get.apply("STIPPLE_KAFKA_PORT").map(Integer::parseInt).orElse(kafka.port()),
                get.apply("STIPPLE_KAFKA_CONTROLLER_PORT").map(Integer::parseInt).orElse(kafka.controllerPort()),
                kafka.partitions());
        Postgres p = new Postgres(get.apply("STIPPLE_DB_URL").map(StackSettings::toJdbcUrl).or(postgres::externalJdbcUrl),
                get.apply("STIPPLE_POSTGRES_PORT").map(Integer::parseInt).orElse(postgres.port()),
                postgres.database(),
                get.apply("STIPPLE_DB_USER").orElse(postgres.user()),
                get.apply("STIPPLE_DB_PASSWORD").orElse(postgres.password()));
        S3 s = new S3(get.apply("STIPPLE_S3_ENDPOINT").or(s3::externalEndpoint),
                get.apply("STIPPLE_S3_PORT").map(Integer::parseInt).orElse(s3.port()),
                get.apply("STIPPLE_S3_ACCESS_KEY").orElse(s3.accessKey()),
                get.apply("STIPPLE_S3_SECRET_KEY").orElse(s3.secretKey()),
                get.apply("STIPPLE_S3_BUCKET").orElse(s3.bucket()),
                get.apply("STIPPLE_S3_REGION").orElse(s3.region()));
        return new StackSettings(home, detached, durable, k, p, s);
    }

    public StackSettings withKafka(Kafka kafka) {
        return new StackSettings(home, detached, durable, kafka, postgres, s3);
    }

    public StackSettings withPostgres(Postgres postgres) {
        return new StackSettings(home, detached, durable, kafka, postgres, s3);
    }

    public StackSettings withS3(S3 s3) {
        return new StackSettings(home, detached, durable, kafka, postgres, s3);
    }

    /** Accepts both {@code jdbc:postgresql://...} and the reactive client's {@code postgresql://...}. */
    static String toJdbcUrl(String url) {
        return url.startsWith("jdbc:") ? url : "jdbc:" + url;
    }
}
