package io.stipple.gateway.service;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.UploadRepository;
import io.stipple.gateway.repository.UploadRepository.StoredImage;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Checks uploaded images and stores them in the object store, then records the upload. Blocking
 * (file reads, image decoding, the MinIO client): call it from a worker thread.
 *
 * <p>Objects are written before the row: if the row insert fails, the objects are orphans under
 * an id nobody knows (harmless, and a bucket lifecycle rule can sweep {@code uploads/}), whereas
 * the other order could record an upload whose images are missing.
 */
@ApplicationScoped
public class UploadService {

    static final int MAX_FILES = 10;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final ImageInspector inspector;
    private final ObjectStore store;
    private final UploadRepository uploads;
    private final GatewayConfig.Uploads limits;

    public UploadService(ImageInspector inspector, ObjectStore store, UploadRepository uploads, GatewayConfig config) {
        this.inspector = inspector;
        this.store = store;
        this.uploads = uploads;
        this.limits = config.uploads();
    }

    /** A file as received: where the HTTP layer spooled it and its size. */
    public record Received(Path file, long size) {
    }

    /**
     * Checks and stores the files from where the HTTP layer spooled them, one at a time and streamed to the
     * store: the heap holds at most one decoded image and one object-store part, whatever the upload's size.
     * The caller holds one of the gateway's {@link UploadSlots}, taken before the body was read.
     */
    public StoredUpload store(String tenantId, List<Received> files) {
        if (files.isEmpty()) {
            throw new InvalidFieldException("file", "send at least one image as a multipart part named \"file\"");
        }
        if (files.size() > MAX_FILES) {
            throw new InvalidFieldException("file", "at most " + MAX_FILES + " images per upload, got " + files.size());
        }
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).size() > limits.maxBytes()) {
                throw new TooLargeException("file[" + i + "] has " + files.get(i).size() + " bytes; at most "
                        + limits.maxBytes() + " are accepted");
            }
        }
        return checkAndStore(tenantId, files);
    }

    private StoredUpload checkAndStore(String tenantId, List<Received> files) {
        List<ImageInspector.Inspected> inspected = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            inspected.add(inspector.inspect(files.get(i).file(), "file[" + i + "]", limits.maxPixels()));
        }
        String id = "up_" + UUID.randomUUID().toString().replace("-", "");
        List<StoredImage> images = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ImageInspector.Inspected image = inspected.get(i);
            String key = ObjectKeys.upload(tenantId, id, i + "." + image.extension());
            Received file = files.get(i);
            try (InputStream in = Files.newInputStream(file.file())) {
                store.put(key, in, file.size(), image.contentType());
            } catch (IOException e) {
                throw new UncheckedIOException("read " + file.file(), e);
            }
            images.add(new StoredImage(i, key, image.contentType(), file.size(), image.width(), image.height()));
        }
        uploads.insert(id, tenantId, images).await().atMost(DB_TIMEOUT);
        return new StoredUpload(id, images);
    }

    /** The stored upload. */
    public record StoredUpload(String id, List<StoredImage> images) {
    }
}
