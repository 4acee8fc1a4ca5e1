package io.stipple.cli.api;

/**
 * The data of one event of {@code GET /v1/jobs/{id}/events}; {@code type} is also the SSE event name
 * (submitted, queued, running, progress, requeued, cancel_requested, succeeded, failed, canceled).
 */
public record JobEvent(String type, String status, int attempt, Progress progress, String detail, Job.JobError error,
        String at) {

    public boolean terminal() {
        return Job.TERMINAL.contains(type);
    }
}
