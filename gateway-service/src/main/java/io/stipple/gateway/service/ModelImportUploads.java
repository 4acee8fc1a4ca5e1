package io.stipple.gateway.service;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.stipple.gateway.service.rejection.TooLargeException;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Stores the file of a model import in the object store for the import job to read
 * ({@code imports/{tenant}/{id}/upload}), hashing it on the way. Only its size is judged here; what
 * it holds is the import job's to check (trainer-service), where the engine's readers are. Blocking.
 */
@ApplicationScoped
public class ModelImportUploads {

    private final ObjectStore store;
    private final long maxBytes;

    public ModelImportUploads(ObjectStore store, GatewayConfig config) {
        this.store = store;
        this.maxBytes = config.imports().maxBytes();
    }

    /** The stored file: its key, size and SHA-256. */
    public record Stored(String key, long size, String sha256) {
    }

    public Stored store(String tenantId, Path file, long size) {
        if (size == 0) {
            throw new InvalidFieldException("file", "is empty");
        }
        if (size > maxBytes) {
            throw new TooLargeException("file has " + size + " bytes; imports accept at most " + maxBytes);
        }
        String key = ObjectKeys.importUpload(tenantId, "im_" + UUID.randomUUID().toString().replace("-", ""));
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
            store.put(key, in, size, "application/octet-stream");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Stored(key, size, HexFormat.of().formatHex(sha256.digest()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
