package io.stipple.storage.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.stipple.storage.StorageSettings;
import java.util.Optional;

/** The object store of a Quarkus service: {@code stipple.storage.*}, the names the local stack hands out. */
@ConfigMapping(prefix = "stipple.storage")
public interface StorageConfig {

    /** Base URL of the S3-compatible server, e.g. {@code http://127.0.0.1:19000}. */
    String endpoint();

    String accessKey();

    String secretKey();

    /** The bucket everything lives in. */
    @WithDefault("stipple")
    String bucket();

    @WithDefault("us-east-1")
    String region();

    /**
     * Base URL that clients outside the deployment reach the store at (e.g. {@code https://files.example.com},
     * MinIO's published port, an ingress), which presigned result URLs are signed for. Default: {@link #endpoint()},
     * right only where clients and services reach the store by the same name.
     */
    Optional<String> publicEndpoint();

    default StorageSettings settings() {
        return new StorageSettings(endpoint(), accessKey(), secretKey(), bucket(), region(), publicEndpoint().orElse(endpoint()));
    }
}
