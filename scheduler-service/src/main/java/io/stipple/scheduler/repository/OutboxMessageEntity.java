package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A message decided by a committed change and not yet acknowledged by Kafka: the exact record to send
 * (channel, topic when not the channel's, key = job id, JSON value, the job's trace).
 */
@Entity
@Table(name = "outbox")
public class OutboxMessageEntity extends PanacheEntityBase {

    /** Insertion order, which is commit order among one job's messages. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_id")
    public UUID jobId;
    public String channel;
    /** The worker pool's topic of a pooled work item; null: the channel's own topic. */
    public String topic;
    public String payload;
    @Column(name = "trace_parent")
    public String traceParent;
    @Column(name = "created_at")
    public Instant createdAt;
}
