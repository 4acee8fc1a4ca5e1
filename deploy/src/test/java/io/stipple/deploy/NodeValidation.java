package io.stipple.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The Node.js side of the validation (deploy/validation): installs its pinned packages
 * once per build into target/, from the committed package-lock.json, then validates YAML streams.
 */
final class NodeValidation {

    private static final Path SOURCE = DeployFiles.DEPLOY.resolve("validation");
    private static final Path WORK = DeployFiles.DEPLOY.resolve("target/validation");
    private static final List<String> FILES =
            List.of("package.json", "package-lock.json", "validate-manifests.cjs", "validate-dockerfile.cjs");

    private static boolean installed;

    private NodeValidation() {
    }

    /** Validates the stream against the Kubernetes and KEDA schemas; stdout has one OK or INVALID line per document. */
    static synchronized ExternalTool.Result validateManifests(String yamlStream) {
        install();
        return ExternalTool.node().runWithInput(WORK, yamlStream, "validate-manifests.cjs");
    }

    /** Lints a Dockerfile with dockerfile-utils; fails on any error or warning. */
    static synchronized ExternalTool.Result lintDockerfile(Path dockerfile) {
        install();
        return ExternalTool.node().run(WORK, "validate-dockerfile.cjs", dockerfile.toAbsolutePath().toString());
    }

    private static void install() {
        if (installed) {
            return;
        }
        try {
            Files.createDirectories(WORK);
            for (String file : FILES) {
                Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalTool.Result install = ExternalTool.npm().run(WORK, "ci", "--no-audit", "--no-fund", "--loglevel=error");
        if (!install.succeeded()) {
            throw new AssertionError("npm ci in " + WORK + " failed (the npm registry must be reachable): " + install.describe());
        }
        installed = true;
    }
}
