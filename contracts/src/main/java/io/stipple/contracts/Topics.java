package io.stipple.contracts;

import java.util.List;

/**
 * Kafka topic names, one per kind of message. Every message is keyed by its job id so that
 * all messages of one job stay in one partition, in order.
 */
public final class Topics {

    /**
     * {@code JobRequest}s (JobSubmitted, CancelRequested): the gateway's outbox relay to the
     * scheduler. One topic for both so that a cancel never overtakes its job's submission.
     */
    public static final String JOB_REQUESTS = "stipple.jobs.requests";
    /** Generation work items: the scheduler to gpu-workers. */
    public static final String WORK_GENERATION = "stipple.work.generation";
    /** Fine-tune work items: the scheduler to trainers. */
    public static final String WORK_FINETUNE = "stipple.work.finetune";
    /** Model-import work items: the scheduler to trainers (which own the model registry). */
    public static final String WORK_MODEL_IMPORT = "stipple.work.model-import";
    /** Job events from workers and trainers (running, progress, heartbeat, succeeded, failed, canceled). */
    public static final String JOBS_EVENTS = "stipple.jobs.events";
    /** Authoritative {@code JobStatus} snapshots published by the scheduler after each committed change. */
    public static final String JOBS_STATUS = "stipple.jobs.status";
    /** {@code JobControl} messages (cancel) from the scheduler to whichever worker holds the job. */
    public static final String JOBS_CONTROL = "stipple.jobs.control";
    /** Work items that exhausted their attempts. */
    public static final String WORK_DEAD_LETTER = "stipple.work.dead-letter";

    /** Every topic, so that the local stack and deployments can create them up front. */
    public static final List<String> ALL = List.of(
            JOB_REQUESTS, WORK_GENERATION, WORK_FINETUNE, WORK_MODEL_IMPORT, JOBS_EVENTS, JOBS_STATUS, JOBS_CONTROL, WORK_DEAD_LETTER);

    /**
     * Generation work items of a worker pool: the scheduler sends the work of tenants assigned to
     * {@code pool} here instead of {@link #WORK_GENERATION} (docs/architecture.md, worker pools).
     * Not in {@link #ALL}: a deployment that configures a pool creates its topic.
     */
    public static String generationPool(String pool) {
        if (pool == null || !pool.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("a pool name is lower-case letters, digits and '-', got " + pool);
        }
        return WORK_GENERATION + "." + pool;
    }

    private Topics() {
    }
}
