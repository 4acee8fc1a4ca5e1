package io.stipple.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the validation needs (kubectl, docker-compose). A missing tool fails the
 * test with the command that installs it; never a silent skip, or CI would go green unchecked.
 */
final class ExternalTool {

    /** What one run printed; stdout and stderr apart, because stdout is often parsed. */
    record Result(int exitCode, String stdout, String stderr) {
        boolean succeeded() {
            return exitCode == 0;
        }

        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static final long TIMEOUT_SECONDS = 300;

    private final String executable;

    private ExternalTool(String executable) {
        this.executable = executable;
    }

    /** kubectl: preinstalled on the project's machines and CI; its bundled kustomize renders overlays. */
    static ExternalTool kubectl() {
        return onPath("kubectl").map(ExternalTool::new).orElseThrow(() -> new AssertionError(
                "kubectl is not on PATH: the deploy tests render the kustomize overlays with `kubectl kustomize`."
                        + " Install kubectl (https://kubernetes.io/docs/tasks/tools/) and run the build again."));
    }

    /** node and npm, for the schema check of deploy/validation (present on the project's machines and CI). */
    static ExternalTool node() {
        return required("node");
    }

    static ExternalTool npm() {
        return required("npm");
    }

    private static ExternalTool required(String name) {
        return onPath(name).map(ExternalTool::new).orElseThrow(() -> new AssertionError(name
                + " is not on PATH: the deploy tests validate the rendered manifests against the Kubernetes and KEDA"
                + " schemas with Node.js (deploy/validation). Install Node.js 18+ with npm (e.g. `apt-get install -y nodejs npm`)"
                + " and run the build again."));
    }

    /** The POSIX shell the images run the shared scripts with (dash on Debian), to syntax-check them. */
    static ExternalTool sh() {
        return onPath("sh").map(ExternalTool::new).orElseThrow(() -> new AssertionError("no sh on PATH"));
    }

    /**
     * docker-compose: Debian's 1.29 validates a compose file without a Docker engine. Installed
     * here with apt-get when missing and running as root (the project's machines and CI are),
     * so that a fresh machine needs nothing by hand; anywhere else the test says what to install.
     */
    static synchronized ExternalTool dockerCompose() {
        Optional<String> found = onPath("docker-compose");
        if (found.isPresent()) {
            return new ExternalTool(found.get());
        }
        String instruction = "docker-compose is not on PATH: the deploy tests check the compose files with"
                + " `docker-compose config`. Install it, e.g. `sudo apt-get install -y docker-compose`"
                + " (Debian/Ubuntu), and run the build again.";
        if (!isRoot() || onPath("apt-get").isEmpty()) {
            throw new AssertionError(instruction);
        }
        System.out.println("[deploy tests] docker-compose missing: installing Debian's package with apt-get");
        // Waits for dpkg's lock rather than failing when another install (a browser test's) runs.
        List<String> aptInstall = List.of("apt-get", "-o", "DPkg::Lock::Timeout=180", "install", "-y",
                "--no-install-recommends", "docker-compose");
        Result install = runQuietly(aptInstall);
        if (!install.succeeded()) {
            // A fresh machine may have no package lists yet.
            runQuietly(List.of("apt-get", "-o", "DPkg::Lock::Timeout=180", "update"));
            install = runQuietly(aptInstall);
        }
        Result attempt = install;
        return onPath("docker-compose").map(ExternalTool::new).orElseThrow(() -> new AssertionError(
                instruction + "\nThe automatic apt-get install failed: " + attempt.describe()));
    }

    Result run(Path workingDirectory, String... arguments) {
        return runWithInput(workingDirectory, "", arguments);
    }

    /** Runs with {@code input} as standard input. */
    Result runWithInput(Path workingDirectory, String input, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(arguments));
        return run(workingDirectory, command, input);
    }

    private static Result runQuietly(List<String> command) {
        return run(Path.of("").toAbsolutePath(), command, "");
    }

    private static Result run(Path workingDirectory, List<String> command, String input) {
        try {
            Path in = Files.writeString(Files.createTempFile("deploy-tool", ".in"), input);
            Path out = Files.createTempFile("deploy-tool", ".out");
            Path err = Files.createTempFile("deploy-tool", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workingDirectory.toFile())
                        .redirectInput(in.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process process = builder.start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                return new Result(process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static Optional<String> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(folder, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
