package io.stipple.worker.output;

import io.opentelemetry.context.Context;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.runtime.Threads;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.worker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a job's images under deterministic keys ({@code results/{tenant}/{job}/{index}.png} and
 * its {@code .json} sidecar), so a retried attempt overwrites rather than duplicates. The sidecar
 * is the same JSON document as the PNG's {@code stipple.parameters} tEXt chunk.
 *
 * <p>The puts of a job run side by side ({@code stipple.worker.upload-concurrency} at once on a pool shared by the
 * whole worker, and the job's last put on the calling thread, which would only wait for it otherwise: one hand-off
 * and one wake-up fewer before the job's success), not one round trip after the other. No result is half-written for a client: a job's outputs are
 * named only by its {@code succeeded} event, which is sent after every put returned; when one put fails, the
 * others are waited for before the failure is thrown, so no put of a failed attempt is still under way when
 * the attempt is reported (the next attempt writes the same bytes under the same keys anyway).
 */
@ApplicationScoped
public class ResultWriter {

    private final ObjectStore store;
    private final ExecutorService uploads;

    ResultWriter(ObjectStore store, WorkerConfig config) {
        this.store = store;
        this.uploads = Executors.newFixedThreadPool(config.uploadConcurrency(), Threads.named("result-upload"));
    }

    /**
     * Blocking: every image's PNG and sidecar. The PNGs' output entries, in the images' order (each
     * names its sidecar); the first failure of a put, as it was thrown, once none is running.
     */
    public List<JobOutput> write(GenerationWorkItem item, List<GeneratedImage> images) {
        String tenant = item.tenantId();
        String job = item.jobId().toString();
        List<Runnable> puts = new ArrayList<>(2 * images.size());
        List<JobOutput> outputs = new ArrayList<>(images.size());
        for (GeneratedImage image : images) {
            GenerationParameters parameters = image.parameters();
            String key = ObjectKeys.result(tenant, job, parameters.index());
            String sidecarKey = ObjectKeys.resultSidecar(tenant, job, parameters.index());
            byte[] sidecar = parameters.toPngText().get(GenerationParameters.KEYWORD).getBytes(StandardCharsets.UTF_8);
            puts.add(put(sidecarKey, sidecar, "application/json"));
            puts.add(put(key, image.png(), "image/png"));
            outputs.add(new JobOutput(key, "image/png", image.png().length, Map.of(
                    "index", Integer.toString(parameters.index()),
                    "seed", Long.toString(parameters.seed()),
                    "width", Integer.toString(parameters.width()),
                    "height", Integer.toString(parameters.height()),
                    "sidecar_key", sidecarKey)));
        }
        if (puts.isEmpty()) {
            return outputs;
        }
        List<Future<?>> started = puts.subList(0, puts.size() - 1).stream().<Future<?>>map(uploads::submit).toList();
        Throwable last = null;
        try {
            puts.get(puts.size() - 1).run();
        } catch (RuntimeException | Error e) {
            last = e;
        }
        awaitAll(started, last);
        return outputs;
    }

    /** One put, to run in the caller's trace wherever it runs. */
    private Runnable put(String key, byte[] bytes, String contentType) {
        return Context.current().wrap(() -> store.put(key, bytes, contentType));
    }

    /**
     * Waits for every put on the pool, then throws the first failure (unwrapped) if any failed, the calling thread's
     * own put ({@code last}, null when it succeeded) coming last.
     */
    private static void awaitAll(List<Future<?>> puts, Throwable last) {
        Throwable first = null;
        boolean interrupted = false;
        for (Future<?> put : puts) {
            while (true) {
                try {
                    put.get();
                    break;
                } catch (ExecutionException e) {
                    first = first == null ? e.getCause() : first;
                    break;
                } catch (CancellationException e) {
                    first = first == null ? e : first;
                    break;
                } catch (InterruptedException e) {
                    // the puts are short and bounded by the store client's timeouts: finish waiting, then re-interrupt
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        first = first == null ? last : first;
        // a put is a Runnable: it fails with an unchecked exception or an error only
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw (RuntimeException) first;
        }
    }

    @PreDestroy
    void close() {
        uploads.shutdown();
    }
}
