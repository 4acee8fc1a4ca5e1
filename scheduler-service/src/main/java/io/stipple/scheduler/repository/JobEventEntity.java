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

/** One line of a job's append-only history: a visible change (one per status snapshot) or a dispatch. */
@Entity
@Table(name = "job_events")
public class JobEventEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "status_sequence")
    public long statusSequence;
    public int attempt;
    /** The snapshot's trigger in lower case, or {@code dispatched}. */
    public String type;
    /** The job's status after the change. */
    public String status;
    public String detail;
    /** Who caused it: {@code gateway}, {@code worker:<id>} or {@code scheduler}. */
    public String source;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}
