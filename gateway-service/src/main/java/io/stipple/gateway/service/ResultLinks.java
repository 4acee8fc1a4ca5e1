package io.stipple.gateway.service;

import io.stipple.contracts.event.JobOutput;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.rest.model.ResultLink;
import io.stipple.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;

/**
 * Links to job outputs as short-lived presigned GET URLs, so clients download straight from the
 * object store without credentials of their own. Signing is a local computation (no request to
 * the store), so it is fine on the event loop.
 */
@ApplicationScoped
public class ResultLinks {

    private final ObjectStore store;
    private final Duration ttl;
    private final Clock clock;

    public ResultLinks(ObjectStore store, GatewayConfig config, Clock clock) {
        this.store = store;
        this.ttl = config.uploads().presignTtl();
        this.clock = clock;
    }

    public ResultLink link(JobOutput output) {
        return new ResultLink(output.key(), output.contentType(), output.sizeBytes(), output.metadata(),
                store.presignedGet(output.key(), ttl).toString(), clock.instant().plus(ttl));
    }
}
