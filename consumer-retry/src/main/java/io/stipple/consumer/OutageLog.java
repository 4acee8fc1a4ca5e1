package io.stipple.consumer;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Logs an outage of something a periodic task needs (the database, the broker) once when it starts, at
 * WARN without a stack trace, and once when the task succeeds again, with how long it lasted and how many
 * tries failed. A task that runs every second would otherwise log the same failure every second for
 * the whole outage, drowning what else happened in it.
 */
public final class OutageLog {

    private final Logger log;
    private final String task;
    private long failures;
    private long firstFailureNanos;

    /** @param task what failed, as the log should name it ("the outbox relay") */
    public OutageLog(Logger log, String task) {
        this.log = log;
        this.task = task;
    }

    public synchronized void failed(Throwable failure) {
        if (failures++ == 0) {
            firstFailureNanos = System.nanoTime();
            log.warnf("%s failed and will retry until it succeeds (logged again on recovery): %s", task, failure.toString());
        } else {
            log.debugf("%s failed again (%d times): %s", task, failures, failure.toString());
        }
    }

    public synchronized void succeeded() {
        if (failures > 0) {
            Duration lasted = Duration.ofNanos(System.nanoTime() - firstFailureNanos);
            log.infof("%s works again after %d failed tries over %d s", task, failures, lasted.toSeconds());
            failures = 0;
        }
    }

    /** Whether the task's last try failed: the outage is still being waited out. */
    public synchronized boolean ongoing() {
        return failures > 0;
    }
}
