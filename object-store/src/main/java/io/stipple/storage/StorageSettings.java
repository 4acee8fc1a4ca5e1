package io.stipple.storage;

import java.util.Objects;

/**
 * Where the object store is and how to sign requests to it.
 *
 * @param endpoint base URL, e.g. {@code http://127.0.0.1:19000} (s3proxy) or a MinIO/S3 URL
 * @param bucket the one bucket Stipple keeps everything in (layout: {@link ObjectKeys})
 * @param region signing region; MinIO and s3proxy accept {@code us-east-1}
 * @param publicEndpoint base URL clients outside the deployment reach the same store at (a published
 *        port, an ingress), which presigned URLs are signed for: SigV4 signs the host, so a URL signed
 *        for the internal name cannot be rewritten afterwards. Often equal to {@code endpoint}.
 */
public record StorageSettings(String endpoint, String accessKey, String secretKey, String bucket, String region,
        String publicEndpoint) {

    public StorageSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(publicEndpoint, "publicEndpoint");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
    }

    /** A store whose clients all reach it at {@code endpoint}. */
    public StorageSettings(String endpoint, String accessKey, String secretKey, String bucket, String region) {
        this(endpoint, accessKey, secretKey, bucket, region, endpoint);
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "StorageSettings[endpoint=%s, publicEndpoint=%s, accessKey=%s, bucket=%s, region=%s]".formatted(endpoint,
                publicEndpoint, accessKey, bucket, region);
    }
}
