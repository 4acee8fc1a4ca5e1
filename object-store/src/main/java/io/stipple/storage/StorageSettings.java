package io.stipple.storage;

import java.util.Objects;

/**
 * Where the object store is and how to sign requests to it.
 *
 * @param endpoint base URL, e.g. {@code http://127.0.0.1:19000} (s3proxy) or a MinIO/S3 URL
 * @param bucket the one bucket Stipple keeps everything in (layout: {@link ObjectKeys})
 * @param region signing region; MinIO and s3proxy accept {@code us-east-1}
 */
public record StorageSettings(String endpoint, String accessKey, String secretKey, String bucket, String region) {

    public StorageSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "StorageSettings[endpoint=%s, accessKey=%s, bucket=%s, region=%s]".formatted(endpoint, accessKey, bucket, region);
    }
}
