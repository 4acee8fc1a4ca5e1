package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Uploads (sets of checked images) and their images. */
@ApplicationScoped
public class UploadRepository {

    private final Pool pool;

    public UploadRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(String id, String tenantId, List<StoredImage> images) {
        long total = images.stream().mapToLong(StoredImage::sizeBytes).sum();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        insert into gateway.uploads (id, tenant_id, image_count, total_bytes) values ($1, $2, $3, $4)""")
                .execute(Tuple.of(id, tenantId, images.size(), total))
                .chain(() -> conn.preparedQuery("""
                                insert into gateway.upload_images (upload_id, ordinal, object_key, content_type, size_bytes,
                                                                   width, height) values ($1, $2, $3, $4, $5, $6, $7)""")
                        .executeBatch(images.stream().map(i -> Tuple.tuple().addValue(id).addValue(i.ordinal())
                                .addValue(i.objectKey()).addValue(i.contentType()).addValue(i.sizeBytes())
                                .addValue(i.width()).addValue(i.height())).toList()))
                .replaceWithVoid());
    }

    /** Number of images in the tenant's upload, or null when the tenant has no such upload. */
    public Uni<Integer> imageCount(String tenantId, String id) {
        return pool.preparedQuery("select image_count from gateway.uploads where tenant_id = $1 and id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
    }

    /** One image as stored. */
    public record StoredImage(int ordinal, String objectKey, String contentType, long sizeBytes, int width, int height) {
    }
}
