package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A job's row: its state, what it needs to be dispatched again, and its lease. Only
 * {@code io.stipple.scheduler.domain.JobLifecycle} changes its state; it never leaves the service
 * (see {@code StatusMapper} for what goes on the wire).
 */
@Entity
@Table(name = "jobs")
public class JobEntity extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "tenant_id")
    public String tenantId;
    @Enumerated(EnumType.STRING)
    public JobKind kind;
    @Enumerated(EnumType.STRING)
    public Priority priority;
    public int cost;
    /** The resolved {@code JobSpec} as submitted, in contracts JSON. */
    public String spec;

    @Enumerated(EnumType.STRING)
    public JobState status;
    /** The latest dispatched attempt; 0 before the first dispatch. */
    public int attempt;
    /** Attempts among {@link #attempt} that no worker took (their leases ran out without an event); they do not count against the limit. */
    @Column(name = "unclaimed_attempts")
    public int unclaimedAttempts;
    /** Attempts lost to the infrastructure (a worker's JobFailed with infrastructure true): not the job's own. */
    @Column(name = "infrastructure_attempts")
    public int infrastructureAttempts;
    /** A re-queued job is not dispatched before this (retry backoff); null: at once. */
    @Column(name = "not_before")
    public Instant notBefore;
    /** Sequence of the newest worker event applied within {@link #attempt}. */
    @Column(name = "event_sequence")
    public long eventSequence;
    /** Sequence of the newest {@code JobStatus} snapshot; grows by one per visible change. */
    @Column(name = "status_sequence")
    public long statusSequence;
    @Enumerated(EnumType.STRING)
    @Column(name = "status_trigger")
    public StatusTrigger trigger;
    /** The attempt of the newest snapshot; a dispatch alone does not change it. */
    @Column(name = "status_attempt")
    public int statusAttempt;
    /** When the newest snapshot's change happened. */
    @Column(name = "status_at")
    public Instant statusAt;
    public String detail;

    @Column(name = "progress_step")
    public Integer progressStep;
    @Column(name = "progress_total")
    public Integer progressTotal;
    @Column(name = "progress_stage")
    public String progressStage;
    @Column(name = "progress_loss")
    public Double progressLoss;
    @Column(name = "progress_preview_key")
    public String progressPreviewKey;
    /** The outputs of a successful job, a contracts-JSON list of {@code JobOutput}. */
    public String outputs;
    @Column(name = "produced_model")
    public String producedModel;
    @Column(name = "error_reason")
    public String errorReason;
    @Column(name = "error_retryable")
    public Boolean errorRetryable;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;

    @Column(name = "submitted_at")
    public Instant submittedAt;
    @Column(name = "queued_at")
    public Instant queuedAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "completed_at")
    public Instant completedAt;

    /** When the current attempt was dispatched; null while the job waits in the queue. */
    @Column(name = "dispatched_at")
    public Instant dispatchedAt;
    /** When the current attempt is given up unless a worker event extends it; null while waiting. */
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;
    @Column(name = "worker_id")
    public String workerId;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The traceparent the submission arrived with; every message about the job continues it (null: untraced). */
    @Column(name = "trace_parent")
    public String traceParent;

    /** True while a dispatched attempt holds the job (a worker runs it or is about to). */
    public boolean isLeased() {
        return leaseExpiresAt != null;
    }
}
