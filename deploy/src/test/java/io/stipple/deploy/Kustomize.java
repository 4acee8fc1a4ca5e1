package io.stipple.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Renders a kustomization with kubectl's built-in kustomize (offline) and reads it strictly; once per folder. */
final class Kustomize {

    /** Every kustomization Stipple ships; each must render and validate on its own. */
    static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/cpu", "overlays/gpu", "overlays/dev");

    private static final Map<String, String> YAML = new ConcurrentHashMap<>();
    private static final Map<String, StrictManifests.Rendered> RENDERED = new ConcurrentHashMap<>();

    private Kustomize() {
    }

    /** The manifests read strictly into their API types. */
    static StrictManifests.Rendered rendered(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization,
                k -> new StrictManifests().read(yaml(k), "deploy/k8s/" + k));
    }

    /** What {@code kubectl kustomize} printed: the YAML stream kubectl apply -k would send. */
    static String yaml(String kustomization) {
        return YAML.computeIfAbsent(kustomization, Kustomize::render);
    }

    private static String render(String kustomization) {
        Path folder = DeployFiles.KUSTOMIZE.resolve(kustomization);
        ExternalTool.Result result = ExternalTool.kubectl().run(DeployFiles.KUSTOMIZE, "kustomize", folder.toString());
        if (!result.succeeded()) {
            throw new AssertionError("kubectl kustomize " + folder + " failed: " + result.describe());
        }
        return result.stdout();
    }
}
