package io.stipple.runtime;

import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.work.LeasedWorkItem;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Decoding work items off Kafka. */
public final class WorkItems {

    private static final Logger LOG = Logger.getLogger(WorkItems.class);

    private WorkItems() {
    }

    /**
     * The item, or empty for an unreadable one (logged): it would fail the same way on every
     * redelivery, so it is skipped rather than retried.
     */
    public static <W extends LeasedWorkItem> Optional<W> read(String json, Class<W> type) {
        try {
            return Optional.of(ContractsJson.read(json, type));
        } catch (RuntimeException e) {
            LOG.errorf("skipping an unreadable %s: %s", type.getSimpleName(), e.getMessage());
            return Optional.empty();
        }
    }
}
