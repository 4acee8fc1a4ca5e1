package io.stipple.scheduler.messaging;

import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.UnsupportedSchemaVersionException;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads an incoming message, or rejects it for good: a message that cannot be read now will not be
 * readable on redelivery either (malformed JSON, a broken envelope, a newer major schema version), so it is logged, counted and skipped instead of stopping the channel.
 */
@ApplicationScoped
public class InboundDecoder {

    private static final Logger LOG = Logger.getLogger(InboundDecoder.class);

    private final SchedulerMetrics metrics;

    public InboundDecoder(SchedulerMetrics metrics) {
        this.metrics = metrics;
    }

    public <T> Optional<T> decode(String channel, String json, Class<T> type) {
        try {
            return Optional.of(ContractsJson.read(json, type));
        } catch (UnsupportedSchemaVersionException e) {
            LOG.errorf("%s: rejected a message of a newer schema version, upgrade this scheduler: %s", channel, e.getMessage());
        } catch (IllegalArgumentException e) {
            LOG.errorf("%s: rejected an unreadable message: %s", channel, e.getMessage());
        }
        metrics.rejected(channel);
        return Optional.empty();
    }
}
