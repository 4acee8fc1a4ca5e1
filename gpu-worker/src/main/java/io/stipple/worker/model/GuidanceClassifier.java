package io.stipple.worker.model;

import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.worker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The noise-aware attribute classifier that classifier guidance follows
 * ({@code stipple.worker.guidance-classifier}), found like a model version and loaded on first use,
 * then kept: it is small and every guided job needs it.
 */
@ApplicationScoped
public class GuidanceClassifier {

    private static final Logger LOG = Logger.getLogger(GuidanceClassifier.class);

    private final ModelFolders folders;
    private final ModelRef ref;
    private NoiseAwareClassifier loaded;

    GuidanceClassifier(ModelFolders folders, WorkerConfig config) {
        this.folders = folders;
        this.ref = ModelRef.parse(config.guidanceClassifier());
    }

    /** The classifier; blocking on first use (download, TensorFlow load). */
    public synchronized NoiseAwareClassifier get() {
        if (loaded == null) {
            try {
                loaded = new NoiseAwareClassifier(folders.locate(ref));
            } catch (ModelUnavailableException | ModelDownloadException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelUnavailableException("guidance classifier " + ref + " cannot be loaded: " + e.getMessage(), e);
            }
            LOG.infof("loaded guidance classifier %s", ref);
        }
        return loaded;
    }

    @PreDestroy
    synchronized void close() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }
}
