package io.stipple.trainer.imports;

import io.stipple.contracts.event.Progress;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.work.ModelImportWorkItem;
import io.stipple.runtime.HeldJob;
import io.stipple.runtime.JobReporter;
import io.stipple.runtime.JobRunner;
import io.stipple.storage.ObjectStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One held model import from running to its terminal event: a progress event per stage, then
 * succeeded with the registered version as {@code produced_model}, or failed: for good when the
 * upload can never become a model ({@link ImportRejected}, the reason naming the entry, file or
 * tensor), retryable for anything else (the object store or database away, a crash).
 */
@ApplicationScoped
public class ModelImportJobRunner implements JobRunner<ModelImportWorkItem> {

    private static final Logger LOG = Logger.getLogger(ModelImportJobRunner.class);

    private final ModelImporter importer;
    private final JobReporter reporter;

    ModelImportJobRunner(ModelImporter importer, JobReporter reporter) {
        this.importer = importer;
        this.reporter = reporter;
    }

    @Override
    public void run(HeldJob<ModelImportWorkItem> job) {
        ModelImportWorkItem item = job.item();
        if (job.canceled()) {
            reporter.canceled(job);
            return;
        }
        reporter.running(job);
        try {
            ModelImporter.Imported imported = importer.run(item, (index, stage) ->
                    reporter.progress(job, new Progress(index, ModelImporter.STAGES.length, stage, null, null)));
            ImportedModel record = imported.record();
            reporter.succeeded(job, List.of(), imported.model(), Map.of("size_bytes", (double) record.sizeBytes(),
                    "native_resolution", (double) record.nativeResolution()));
        } catch (ImportRejected e) {
            LOG.infof("import %s rejected: %s", item.jobId(), e.getMessage());
            reporter.failed(job, e.getMessage(), false);
        } catch (Exception | OutOfMemoryError e) {
            LOG.errorf(e, "import %s attempt %d failed", item.jobId(), item.attempt());
            reporter.failed(job, "import failed: " + e, true, ObjectStoreException.isCauseOf(e));
        }
    }
}
