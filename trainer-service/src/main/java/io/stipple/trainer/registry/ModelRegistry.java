package io.stipple.trainer.registry;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Model versions in schema {@code registry} (plain JDBC: registration happens once per job on a
 * training thread, never on an event loop). Registration is idempotent per job: a retried attempt
 * that already registered finds its own row and succeeds; another job's row under the same
 * name@version is a conflict.
 */
@ApplicationScoped
public class ModelRegistry {

    private final AgroalDataSource dataSource;

    ModelRegistry(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void register(ModelVersion v) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into registry.model_versions
                            (name, version, tenant_id, job_id, base_model, method, object_prefix, size_bytes, card)
                        values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))
                        on conflict do nothing""")) {
            insert.setString(1, v.name());
            insert.setString(2, v.version());
            insert.setString(3, v.tenantId());
            insert.setObject(4, v.jobId());
            insert.setString(5, v.baseModel());
            insert.setString(6, v.method());
            insert.setString(7, v.objectPrefix());
            insert.setLong(8, v.sizeBytes());
            insert.setString(9, v.card());
            if (insert.executeUpdate() == 0) {
                UUID owner = find(v.name(), v.version()).map(ModelVersion::jobId).orElse(null);
                if (!v.jobId().equals(owner)) {
                    throw new IllegalStateException("model " + v.name() + "@" + v.version()
                            + " is already registered by job " + owner);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("registering " + v.name() + "@" + v.version() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Claims {@code name@version} for an import before any file is written: a row in state
     * {@code importing}. The same job claiming again (a retried attempt) is fine; a version any
     * other job holds is refused with {@link VersionTaken}.
     */
    public void reserve(String name, String version, String tenantId, UUID jobId, String method, String baseModel,
            String objectPrefix) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into registry.model_versions
                            (name, version, tenant_id, job_id, base_model, method, object_prefix, size_bytes, card, state)
                        values (?, ?, ?, ?, ?, ?, ?, 0, '{}'::jsonb, 'importing')
                        on conflict do nothing""")) {
            insert.setString(1, name);
            insert.setString(2, version);
            insert.setString(3, tenantId);
            insert.setObject(4, jobId);
            insert.setString(5, baseModel);
            insert.setString(6, method);
            insert.setString(7, objectPrefix);
            if (insert.executeUpdate() == 0 && !find(name, version).map(v -> v.jobId().equals(jobId)).orElse(false)) {
                throw new VersionTaken(name + "@" + version);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reserving " + name + "@" + version + " failed: " + e.getMessage(), e);
        }
    }

    /** Flips a reserved version to {@code ready} with its size and record: from here on it is registered. */
    public void publish(UUID jobId, long sizeBytes, String card) {
        update("""
                update registry.model_versions set state = 'ready', size_bytes = ?, card = cast(? as jsonb)
                 where job_id = ? and state = 'importing'""", jobId, statement -> {
            statement.setLong(1, sizeBytes);
            statement.setString(2, card);
            statement.setObject(3, jobId);
        });
    }

    /** Gives up a reservation that never became ready (a rejected import), so the name can be used again. */
    public void release(UUID jobId) {
        update("delete from registry.model_versions where job_id = ? and state = 'importing'", jobId,
                statement -> statement.setObject(1, jobId));
    }

    /** Whether the version is registered and ready (a reservation in progress is not). */
    public boolean ready(String name, String version) {
        return find(name, version).map(ModelVersion::ready).orElse(false);
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void update(String sql, UUID jobId, Binder binder) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("updating the version of job " + jobId + " failed: " + e.getMessage(), e);
        }
    }

    /** Another job holds the version an import asked for. */
    public static final class VersionTaken extends RuntimeException {
        public VersionTaken(String ref) {
            super("model version " + ref + " is already registered; choose another name or version");
        }
    }

    public Optional<ModelVersion> find(String name, String version) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select name, version, tenant_id, job_id, base_model, method, object_prefix, size_bytes, card::text, state
                          from registry.model_versions where name = ? and version = ?""")) {
            query.setString(1, name);
            query.setString(2, version);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ModelVersion(row.getString(1), row.getString(2), row.getString(3),
                        row.getObject(4, UUID.class), row.getString(5), row.getString(6), row.getString(7),
                        row.getLong(8), row.getString(9), row.getString(10)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + name + "@" + version + " failed: " + e.getMessage(), e);
        }
    }
}
