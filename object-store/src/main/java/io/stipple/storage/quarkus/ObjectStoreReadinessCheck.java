package io.stipple.storage.quarkus;

import io.stipple.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the object store answers a signed request and the bucket exists. Blocking, which is
 * fine: Quarkus runs synchronous health checks on a worker thread.
 */
@Readiness
@ApplicationScoped
public class ObjectStoreReadinessCheck implements HealthCheck {

    @Inject
    ObjectStore store;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("object-store")
                .withData("endpoint", store.settings().endpoint())
                .withData("bucket", store.settings().bucket());
        try {
            return store.bucketExists() ? response.up().build() : response.down().withData("error", "bucket does not exist").build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
