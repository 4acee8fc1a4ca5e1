package io.stipple.scheduler.domain;

import io.stipple.contracts.status.StatusTrigger;

/**
 * What applying one input to a job did, so that the caller knows what to store and publish.
 *
 * @param effect       the kind of change
 * @param trigger      for {@link Effect#STATUS_CHANGED}: the trigger of the new snapshot, else null
 * @param detail       a line for the event log: what changed, or why nothing did
 * @param cancelWorker tell the worker of {@code cancelAttempt} to stop (a {@code JobControl} cancel)
 * @param cancelAttempt the attempt the cancel is meant for
 * @param deadLetter   the job exhausted its attempts: its work item goes to the dead-letter topic
 */
public record Outcome(Effect effect, StatusTrigger trigger, String detail, boolean cancelWorker, int cancelAttempt,
        boolean deadLetter) {

    public enum Effect {
        /** A visible change: a new JobStatus snapshot (sequence + 1) is due. */
        STATUS_CHANGED,
        /** The attempt was handed to a worker: a work item is due, the visible state is unchanged. */
        DISPATCHED,
        /** Only the lease moved (a heartbeat): nothing to publish. */
        LEASE_EXTENDED,
        /** A duplicate, late, stale or inapplicable input: nothing changed. */
        IGNORED
    }

    public static Outcome changed(StatusTrigger trigger, String detail) {
        return new Outcome(Effect.STATUS_CHANGED, trigger, detail, false, 0, false);
    }

    public static Outcome ignored(String why) {
        return new Outcome(Effect.IGNORED, null, why, false, 0, false);
    }

    Outcome withCancelOf(int attempt) {
        return new Outcome(effect, trigger, detail, true, attempt, deadLetter);
    }

    Outcome withDeadLetter() {
        return new Outcome(effect, trigger, detail, cancelWorker, cancelAttempt, true);
    }

    public boolean changedStatus() {
        return effect == Effect.STATUS_CHANGED;
    }
}
