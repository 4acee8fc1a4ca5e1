package io.stipple.worker.output;

import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a job's images under deterministic keys ({@code results/{tenant}/{job}/{index}.png} and
 * its {@code .json} sidecar), so a retried attempt overwrites rather than duplicates. The sidecar
 * is the same JSON document as the PNG's {@code stipple.parameters} tEXt chunk.
 */
@ApplicationScoped
public class ResultWriter {

    private final ObjectStore store;

    ResultWriter(ObjectStore store) {
        this.store = store;
    }

    /** Blocking. The PNG's output entry (the sidecar is found beside it). */
    public JobOutput write(GenerationWorkItem item, GeneratedImage image) {
        GenerationParameters parameters = image.parameters();
        String tenant = item.tenantId();
        String job = item.jobId().toString();
        String key = ObjectKeys.result(tenant, job, parameters.index());
        String sidecarKey = ObjectKeys.resultSidecar(tenant, job, parameters.index());
        store.put(sidecarKey, parameters.toPngText().get(GenerationParameters.KEYWORD).getBytes(StandardCharsets.UTF_8),
                "application/json");
        store.put(key, image.png(), "image/png");
        return new JobOutput(key, "image/png", image.png().length, Map.of(
                "index", Integer.toString(parameters.index()),
                "seed", Long.toString(parameters.seed()),
                "width", Integer.toString(parameters.width()),
                "height", Integer.toString(parameters.height()),
                "sidecar_key", sidecarKey));
    }
}
