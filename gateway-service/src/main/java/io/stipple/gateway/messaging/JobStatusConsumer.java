package io.stipple.gateway.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.MalformedMessageException;
import io.stipple.contracts.UnsupportedSchemaVersionException;
import io.stipple.contracts.status.JobStatus;
import io.stipple.consumer.ConsumerRetry;
import io.stipple.gateway.service.StatusProjection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Feeds the scheduler's {@link JobStatus} snapshots into the read model.
 *
 * <ul>
 *   <li>Unreadable message: logged and skipped; no retry can ever read it.</li>
 *   <li>Newer major schema version: fails the channel (the gateway must be upgraded; skipping
 *       would silently lose job states). Readiness then reports the channel down.</li>
 *   <li>Database trouble: retried with backoff, without skipping, so no state is lost, however long
 *       it lasts ({@link ConsumerRetry}).</li>
 * </ul>
 */
@ApplicationScoped
public class JobStatusConsumer {

    /** Channel name, shared with the configuration and the tests. */
    public static final String CHANNEL = "job-status";

    private static final Logger LOG = Logger.getLogger(JobStatusConsumer.class);

    private final StatusProjection projection;
    private final ConsumerRetry retry;

    public JobStatusConsumer(StatusProjection projection, ConsumerRetry retry) {
        this.projection = projection;
        this.retry = retry;
    }

    @Incoming(CHANNEL)
    public Uni<Void> onStatus(String payload) {
        JobStatus status;
        try {
            status = ContractsJson.read(payload, JobStatus.class);
        } catch (UnsupportedSchemaVersionException e) {
            LOG.error("stopping the job-status channel: " + e.getMessage());
            return Uni.createFrom().failure(e);
        } catch (MalformedMessageException e) {
            LOG.warnf("skipping an unreadable JobStatus: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        return retry.untilHandled(CHANNEL, () -> projection.apply(status)).replaceWithVoid();
    }
}
