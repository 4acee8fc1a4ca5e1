package io.stipple.stack;

import io.stipple.stack.process.Directories;
import io.stipple.stack.process.ServerProcess;
import io.stipple.stack.process.ServerProcess.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL run from zonky's embedded binaries (initdb once, then the postmaster as a child
 * process), or an external server given by JDBC URL.
 */
final class PostgresPart extends StackPart {

    private final StackSettings.Postgres postgres;
    private final Path dir;
    private final Path dataDir;
    private Path binaries;

    PostgresPart(StackSettings settings) {
        super(settings, "postgres", settings.home().resolve("postgres").resolve("data").toString());
        this.postgres = settings.postgres();
        this.dir = settings.home().resolve("postgres");
        this.dataDir = dir.resolve("data");
    }

    @Override
    protected boolean external() {
        return postgres.externalJdbcUrl().isPresent();
    }

    @Override
    public String address() {
        return postgres.externalJdbcUrl().orElse("jdbc:postgresql://127.0.0.1:%d/%s".formatted(postgres.port(), postgres.database()));
    }

    @Override
    protected List<Integer> ports() {
        return List.of(postgres.port());
    }

    @Override
    protected void prepare() throws Exception {
        binaries = PostgresBinaries.unpacked();
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(dir);
        Path passwordFile = dir.resolve("initdb.pw");
        Files.writeString(passwordFile, postgres.password());
        try {
            List<String> initdb = asUnprivilegedUser(List.of(binaries.resolve("bin/initdb").toString(),
                    "-D", dataDir.toString(), "-U", postgres.user(), "--pwfile=" + passwordFile,
                    "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-instructions"));
            Process process = new ProcessBuilder(initdb).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                Directories.deleteRecursively(dataDir);
                throw new StackException("initdb failed for %s; see %s".formatted(dataDir, logFile()));
            }
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>(List.of(binaries.resolve("bin/postgres").toString(),
                "-D", dataDir.toString(),
                "-p", Integer.toString(postgres.port()),
                "-c", "listen_addresses=127.0.0.1",
                // TCP only: a socket path under a deep state directory can exceed the 107-byte limit.
                "-c", "unix_socket_directories=",
                "-c", "max_connections=200",
                "-c", "shared_buffers=64MB"));
        if (!settings.durable()) {
            command.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        return asUnprivilegedUser(command);
    }

    /**
     * PostgreSQL refuses to run as root; as root (containers, CI) run it in a fresh user namespace,
     * where it is an unprivileged user that still owns the files it creates (zonky does the same).
     */
    private static List<String> asUnprivilegedUser(List<String> command) {
        if (!isRoot()) {
            return command;
        }
        if (!ServerProcess.onPath("unshare")) {
            throw new StackException("PostgreSQL cannot run as root and 'unshare' (util-linux) is not installed;"
                    + " run as a normal user or give an external server with STIPPLE_DB_URL");
        }
        List<String> wrapped = new ArrayList<>(List.of("unshare", "-U"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    protected StopSignal stopSignal() {
        return StopSignal.INT;
    }

    @Override
    protected boolean probe() throws Exception {
        try (Connection connection = connect(external() ? address() : adminUrl());
             Statement statement = connection.createStatement()) {
            return statement.execute("SELECT 1");
        }
    }

    @Override
    protected void provision() throws Exception {
        if (external()) {
            return;
        }
        try (Connection connection = connect(adminUrl());
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, postgres.database());
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + postgres.database().replace("\"", "\"\"") + "\"");
            }
        }
    }

    /** The maintenance database, which exists before ours does. */
    private String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:%d/postgres".formatted(postgres.port());
    }

    private Connection connect(String url) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", postgres.user());
        properties.setProperty("password", postgres.password());
        properties.setProperty("connectTimeout", "5");
        return new org.postgresql.Driver().connect(url, properties);
    }
}
