package io.stipple.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The bucket Stipple keeps images, uploads and models in, over any S3-compatible server (MinIO in
 * production, s3proxy locally). Every call blocks: call it from a worker thread, never from the
 * event loop. Thread-safe; build one per process and close it at shutdown.
 */
public final class ObjectStore implements AutoCloseable {

    /** S3 caps part sizes at 5 GiB; 16 MiB parts keep the memory per upload small. */
    private static final long PART_SIZE = 16L * 1024 * 1024;

    private final StorageSettings settings;
    private final OkHttpClient http;
    private final MinioClient client;
    /** Signs presigned URLs for the public endpoint; sends no request (the region is given, so none is looked up). */
    private final MinioClient publicSigner;
    /** Signs them faster where it gives the same URLs as {@link #publicSigner} (checked against it once, here). */
    private final Optional<PresignedGets> fastSigner;

    public ObjectStore(StorageSettings settings) {
        this.settings = settings;
        // Our own HTTP client: MinIO's default one parses every certificate under $SSL_CERT_DIR or
        // /etc/ssl/certs when it is built, which took 14 s on a loaded machine.
        this.http = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.MINUTES)
                .writeTimeout(5, TimeUnit.MINUTES)
                .build();
        this.client = client(settings.endpoint());
        this.publicSigner = settings.publicEndpoint().equals(settings.endpoint()) ? client : client(settings.publicEndpoint());
        this.fastSigner = fastSigner(settings);
    }

    private Optional<PresignedGets> fastSigner(StorageSettings settings) {
        String key = "presign-check/0.png";
        int expirySeconds = 300;
        try {
            return PresignedGets.matching(settings, key, expirySeconds, presignedByClient(key, expirySeconds));
        } catch (RuntimeException e) {
            // settings the client cannot sign for fail at the first presignedGet, as they did before this check
            return Optional.empty();
        }
    }

    private MinioClient client(String endpoint) {
        return MinioClient.builder()
                .endpoint(endpoint)
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region())
                .httpClient(http, false)
                .build();
    }

    public StorageSettings settings() {
        return settings;
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket() {
        call("ensure bucket", "", () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(settings.bucket()).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(settings.bucket()).region(settings.region()).build());
            }
            return null;
        });
    }

    /** Whether the server answers a signed request for the bucket and the bucket exists (readiness). */
    public boolean bucketExists() {
        return call("check bucket", "",
                () -> client.bucketExists(BucketExistsArgs.builder().bucket(settings.bucket()).build()));
    }

    public void put(String key, byte[] bytes, String contentType) {
        call("put", key, () -> client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).object(key)
                .data(bytes, bytes.length).contentType(contentType).build()));
    }

    /**
     * Streams {@code size} bytes, or an unknown length when {@code size} is negative (then uploaded
     * in multipart chunks); the stream is read, not closed.
     */
    public void put(String key, InputStream in, long size, String contentType) {
        call("put", key, () -> client.putObject(PutObjectArgs.builder().bucket(settings.bucket()).object(key)
                .stream(in, size >= 0 ? size : null, size >= 0 ? null : PART_SIZE).contentType(contentType).build()));
    }

    /** The whole object in memory; use {@link #open} for large ones. */
    public byte[] get(String key) {
        try (InputStream in = open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + key, e);
        }
    }

    /** A stream over the object's bytes; the caller closes it. */
    public InputStream open(String key) {
        return call("get", key, () -> client.getObject(GetObjectArgs.builder().bucket(settings.bucket()).object(key).build()));
    }

    /** The object's metadata, or empty when there is no such object. */
    public Optional<ObjectInfo> stat(String key) {
        return call("stat", key, () -> {
            try {
                StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(settings.bucket()).object(key).build());
                return Optional.of(new ObjectInfo(key, stat.size(), stat.etag(), stat.lastModified().toInstant()));
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    public boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Removes the object; removing a missing object is not an error (S3 semantics). */
    public void delete(String key) {
        call("delete", key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(settings.bucket()).object(key).build());
            return null;
        });
    }

    /** Every object whose key starts with {@code prefix}, at any depth, in key order. */
    public List<ObjectInfo> list(String prefix) {
        return call("list", prefix, () -> {
            List<ObjectInfo> objects = new ArrayList<>();
            for (Result<Item> result : client.listObjects(
                    ListObjectsArgs.builder().bucket(settings.bucket()).prefix(prefix).recursive(true).build())) {
                Item item = result.get();
                objects.add(new ObjectInfo(item.objectName(), item.size(), item.etag(),
                        item.lastModified() == null ? null : item.lastModified().toInstant()));
            }
            return objects;
        });
    }

    /**
     * A URL anyone can GET the object with until {@code expiry} passes, at the settings' public endpoint;
     * the signature covers the host, the key and the expiry, so an edited URL is refused.
     */
    public URI presignedGet(String key, Duration expiry) {
        if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("S3 presigned URLs expire after 1 s to 7 days, not " + expiry);
        }
        int seconds = (int) expiry.toSeconds();
        return fastSigner.flatMap(signer -> signer.sign(key, seconds, Instant.now()))
                .orElseGet(() -> presignedByClient(key, seconds));
    }

    /** The URL MinIO's client signs now (package-private for the test that holds {@link PresignedGets} to it). */
    URI presignedByClient(String key, int expirySeconds) {
        return call("presign", key, () -> URI.create(publicSigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Http.Method.GET).bucket(settings.bucket()).object(key)
                .expiry(expirySeconds, TimeUnit.SECONDS).build())));
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private interface MinioCall<T> {
        T call() throws MinioException;
    }

    private <T> T call(String operation, String key, MinioCall<T> call) {
        try {
            return call.call();
        } catch (MinioException e) {
            throw failed(operation, key, e.getMessage(), e);
        } catch (IllegalStateException e) {
            // MinIO reports a failure that is not the server's answer (connection refused, or cut
            // off) as an IllegalStateException around the IOException: the same outage to callers.
            if (e.getCause() instanceof IOException cause) {
                throw failed(operation, key, cause.toString(), e);
            }
            throw e;
        }
    }

    private ObjectStoreException failed(String operation, String key, String why, Exception e) {
        String what = key.isEmpty() ? operation : operation + " " + key;
        return new ObjectStoreException("%s in bucket %s at %s failed: %s".formatted(what, settings.bucket(),
                settings.endpoint(), why), e);
    }
}
