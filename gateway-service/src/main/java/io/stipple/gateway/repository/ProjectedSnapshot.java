package io.stipple.gateway.repository;

/**
 * What {@link JobViewRepository#project} did with a status snapshot.
 *
 * @param applied whether the snapshot was newer than the view's and is now stored
 * @param webhookJson the job's webhook ({@code spec.webhook}) as JSON, or null when it has none or the job is unknown
 * @param eventId the id of the event appended to the job's log, or null when none was
 */
public record ProjectedSnapshot(boolean applied, String webhookJson, Long eventId) {

    /**
     * For a statement run without {@code evenWithWebhook}: nothing was written, maybe only because the job has a
     * webhook, so the snapshot must be applied again in a transaction that can record the notification.
     */
    public boolean heldForWebhook() {
        return !applied && webhookJson != null;
    }
}
