package io.stipple.storage.quarkus;

import io.quarkus.arc.DefaultBean;
import io.stipple.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Gives every Quarkus service that depends on object-store one {@link ObjectStore} built from
 * {@link StorageConfig}; a service can replace it by producing its own.
 */
@ApplicationScoped
public class ObjectStoreProducer {

    @Produces
    @Singleton
    @DefaultBean
    ObjectStore objectStore(StorageConfig config) {
        return new ObjectStore(config.settings());
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }
}
