package io.stipple.cli.api;

/**
 * The data of one event of {@code GET /v1/jobs/{id}/events}; {@code type} is also the SSE event name
 * (submitted, queued, running, progress, requeued, cancel_requested, succeeded, failed, canceled).
 *
 * @param job on the terminal event, the job as {@code GET /v1/jobs/{id}} answers it then (null from a gateway
 *            that does not send it)
 */
public record JobEvent(String type, String status, int attempt, Progress progress, String detail, Job.JobError error,
        String at, Job job) {

    public boolean terminal() {
        return Job.TERMINAL.contains(type);
    }
}
