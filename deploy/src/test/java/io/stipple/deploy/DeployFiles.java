package io.stipple.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deployment files are, seen from this module's tests (Surefire runs them in {@code deploy/}). */
final class DeployFiles {

    static final Path DEPLOY = locateDeployFolder();
    static final Path REPOSITORY = DEPLOY.getParent();
    static final Path COMPOSE = DEPLOY.resolve("compose");
    static final Path KUSTOMIZE = DEPLOY.resolve("k8s");
    static final Path SCRIPTS = KUSTOMIZE.resolve("base/scripts");
    static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
    static final Path GRAFANA = DEPLOY.resolve("grafana");

    private DeployFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locateDeployFolder() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {here, here.resolve("deploy")}) {
            if (Files.isDirectory(candidate.resolve("k8s")) && Files.isDirectory(candidate.resolve("compose"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("run from the repository root or deploy/: no deploy/k8s below " + here);
    }
}
