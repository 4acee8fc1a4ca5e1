package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.gateway.mapping.WireNames;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.stipple.gateway.repository.JobRepository.instant;

/**
 * Model versions the gateway has seen being produced: the {@code produced_model} of a tenant's
 * succeeded fine-tunes and model imports in the read model. (The trainer's registry is its own schema; the gateway
 * learns about versions only through the status snapshots.)
 */
@ApplicationScoped
public class ModelRepository {

    private final Pool pool;

    public ModelRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<ProducedModel>> producedFor(String tenantId) {
        return pool.preparedQuery("""
                        select v.produced_model, v.job_id, j.kind, v.completed_at,
                               case when (j.kind = 'finetune' and j.spec->>'method' = 'lora')
                                      or (j.kind = 'model_import' and j.spec->>'format' = 'lora')
                                    then j.spec->>'base_model' end as lora_base
                          from gateway.job_views v
                          join gateway.jobs j on j.id = v.job_id
                         where v.tenant_id = $1 and v.status = 'succeeded' and v.produced_model is not null
                         order by v.completed_at desc""")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<ProducedModel> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new ProducedModel(r.getString("produced_model"),
                            r.getUUID("job_id"), WireNames.parse(JobKind.class, r.getString("kind")),
                            instant(r, "completed_at"), r.getString("lora_base"))));
                    return out;
                });
    }

    /**
     * A model version and the job (a fine-tune or a model import) that produced it.
     *
     * @param loraBase for a LoRA version (a LoRA fine-tune, an imported LoRA file), the {@code name@version} it
     *                 adapts, as its job's spec named it; null for a complete model
     */
    public record ProducedModel(String ref, java.util.UUID jobId, JobKind kind, Instant completedAt, String loraBase) {

        public boolean isLora() {
            return loraBase != null;
        }
    }
}
