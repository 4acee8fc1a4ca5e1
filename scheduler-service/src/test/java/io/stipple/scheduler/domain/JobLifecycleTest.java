package io.stipple.scheduler.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.consumer.RetryBackoff;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobRunning;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.scheduler.domain.Outcome.Effect;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.mapping.JobStatusMapper;
import io.stipple.scheduler.repository.JobEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-11-21T23:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final SchemaVersion V = SchemaVersion.CURRENT;

    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private final JobLifecycle lifecycle = new JobLifecycle(new LifecycleRules(LEASE, 3, 4,
            new RetryBackoff(FIRST_RETRY, Duration.ofSeconds(60), new SplittableRandom(7))));
    private final UUID jobId = UUID.randomUUID();

    private JobEntity queuedJob() {
        return lifecycle.queue(JobSubmitted.of(jobId, "acme", T0.minusSeconds(1), Specs.generation()), 1, T0);
    }

    private JobEntity dispatchedJob() {
        JobEntity job = queuedJob();
        assertEquals(Effect.DISPATCHED, lifecycle.dispatch(job, T0).effect());
        return job;
    }

    private JobRunning running(int attempt, long sequence) {
        return new JobRunning(V, jobId, "acme", attempt, sequence, T0, "w1");
    }

    private JobProgress progress(int attempt, long sequence, int step) {
        return new JobProgress(V, jobId, "acme", attempt, sequence, T0, "w1", new Progress(step, 10, "base", null, null));
    }

    private JobSucceeded succeeded(int attempt, long sequence) {
        JobOutput output = new JobOutput("results/acme/" + jobId + "/0.png", "image/png", 10, Map.of());
        return new JobSucceeded(V, jobId, "acme", attempt, sequence, T0, "w1", List.of(output), null, Map.of());
    }

    private JobFailed lostToTheStore(int attempt, long sequence) {
        return new JobFailed(V, jobId, "acme", attempt, sequence, T0, "w1", "ObjectStoreException: put refused", true, true);
    }

    private JobFailed failed(int attempt, long sequence, boolean retryable) {
        return new JobFailed(V, jobId, "acme", attempt, sequence, T0, "w1", "out of memory", retryable);
    }

    @Test
    void aSubmissionIsQueuedWithTheFirstSnapshot() {
        JobEntity job = queuedJob();
        assertEquals(JobState.QUEUED, job.status);
        assertEquals(0, job.attempt);
        assertEquals(1, job.statusSequence);
        assertEquals(StatusTrigger.QUEUED, job.trigger);
        assertEquals(T0.minusSeconds(1), job.submittedAt);
        assertEquals(T0, job.queuedAt);
        assertFalse(job.isLeased());
    }

    @Test
    void dispatchStartsTheNextAttemptWithALeaseAndNoVisibleChange() {
        JobEntity job = queuedJob();
        var snapshotBefore = JobStatusMapper.toStatus(job);
        Outcome outcome = lifecycle.dispatch(job, T0.plusSeconds(5));
        assertEquals(Effect.DISPATCHED, outcome.effect());
        assertEquals(snapshotBefore, JobStatusMapper.toStatus(job), "a republished snapshot is the one first sent");
        assertEquals(1, job.attempt);
        assertEquals(T0.plusSeconds(5).plus(LEASE), job.leaseExpiresAt);
        assertEquals(1, job.statusSequence);
        assertEquals(Effect.IGNORED, lifecycle.dispatch(job, T0.plusSeconds(6)).effect(), "already leased");
        assertEquals(1, job.attempt);
    }

    @Test
    void runningProgressAndSuccessEachPublishASnapshot() {
        JobEntity job = dispatchedJob();
        assertEquals(StatusTrigger.RUNNING, lifecycle.apply(job, running(1, 1), T0.plusSeconds(1)).trigger());
        assertEquals(JobState.RUNNING, job.status);
        assertEquals(T0.plusSeconds(1), job.startedAt);
        assertEquals(StatusTrigger.PROGRESS, lifecycle.apply(job, progress(1, 2, 5), T0.plusSeconds(2)).trigger());
        assertEquals(5, job.progressStep);
        assertEquals(StatusTrigger.SUCCEEDED, lifecycle.apply(job, succeeded(1, 3), T0.plusSeconds(3)).trigger());
        assertEquals(JobState.SUCCEEDED, job.status);
        assertEquals(4, job.statusSequence);
        assertFalse(job.isLeased());
        assertEquals(T0.plusSeconds(3), job.completedAt);
        assertEquals(1, JobStatusMapper.toStatus(job).outputs().size());
    }

    @Test
    void aSuccessCarryingItsLastStepShowsTheStageComplete() {
        JobEntity job = dispatchedJob();
        lifecycle.apply(job, running(1, 1), T0.plusSeconds(1));
        lifecycle.apply(job, progress(1, 2, 5), T0.plusSeconds(2));
        JobOutput output = new JobOutput("results/acme/" + jobId + "/0.png", "image/png", 10, Map.of());
        JobSucceeded withLastStep = new JobSucceeded(V, jobId, "acme", 1, 3, T0, "w1", List.of(output), null, Map.of(),
                new Progress(10, 10, "base", null, null));
        assertEquals(StatusTrigger.SUCCEEDED, lifecycle.apply(job, withLastStep, T0.plusSeconds(3)).trigger());
        assertEquals(new Progress(10, 10, "base", null, null), JobStatusMapper.toStatus(job).progress());

        JobEntity older = dispatchedJob();
        lifecycle.apply(older, progress(1, 1, 10), T0.plusSeconds(1));
        lifecycle.apply(older, succeeded(1, 2), T0.plusSeconds(2));
        assertEquals(new Progress(10, 10, "base", null, null), JobStatusMapper.toStatus(older).progress(),
                "a success without its last step (an older worker sent it as progress) keeps the progress it had");
    }

    @Test
    void everyWorkerEventExtendsTheLeaseAndAHeartbeatOnlyThat() {
        JobEntity job = dispatchedJob();
        lifecycle.apply(job, running(1, 1), T0.plusSeconds(10));
        Outcome heartbeat = lifecycle.apply(job, new JobHeartbeat(V, jobId, "acme", 1, 2, T0, "w1"), T0.plusSeconds(20));
        assertEquals(Effect.LEASE_EXTENDED, heartbeat.effect());
        assertEquals(T0.plusSeconds(20).plus(LEASE), job.leaseExpiresAt);
        assertEquals(2, job.statusSequence, "a heartbeat is no visible change");
    }

    @Test
    void aDuplicateEventChangesNothing() {
        JobEntity job = dispatchedJob();
        lifecycle.apply(job, running(1, 1), T0);
        lifecycle.apply(job, progress(1, 2, 3), T0);
        long sequence = job.statusSequence;
        Outcome again = lifecycle.apply(job, progress(1, 2, 3), T0.plusSeconds(1));
        assertEquals(Effect.IGNORED, again.effect());
        assertEquals(sequence, job.statusSequence);
    }

    @Test
    void aProgressThatOvertakesRunningStartsTheJobAndTheLateRunningIsIgnored() {
        JobEntity job = dispatchedJob();
        assertEquals(StatusTrigger.PROGRESS, lifecycle.apply(job, progress(1, 2, 1), T0).trigger());
        assertEquals(JobState.RUNNING, job.status);
        assertNotNull(job.startedAt);
        assertEquals(Effect.IGNORED, lifecycle.apply(job, running(1, 1), T0).effect());
        assertEquals(1, job.progressStep, "the older event did not overwrite the newer one");
    }

    @Test
    void aFinishedJobNeverMovesBackwards() {
        JobEntity job = dispatchedJob();
        lifecycle.apply(job, succeeded(1, 5), T0);
        for (JobEvent late : List.of(running(1, 1), progress(1, 2, 1), failed(1, 6, false), succeeded(1, 7))) {
            assertEquals(Effect.IGNORED, lifecycle.apply(job, late, T0).effect());
        }
        assertEquals(Effect.IGNORED, lifecycle.requestCancel(job, null, T0).effect());
        assertEquals(JobState.SUCCEEDED, job.status);
        assertEquals(2, job.statusSequence);
    }

    @Test
    void anExpiredLeaseRequeuesAndTellsTheLostWorkerToStop() {
        JobEntity job = dispatchedJob();
        lifecycle.apply(job, running(1, 1), T0);
        assertEquals(Effect.IGNORED, lifecycle.expireLease(job, T0.plus(LEASE).minusMillis(1)).effect(), "not yet");
        Outcome outcome = lifecycle.expireLease(job, T0.plus(LEASE));
        assertEquals(StatusTrigger.REQUEUED, outcome.trigger());
        assertTrue(outcome.cancelWorker());
        assertEquals(1, outcome.cancelAttempt());
        assertFalse(outcome.deadLetter());
        assertEquals(JobState.QUEUED, job.status);
        assertFalse(job.isLeased());
        assertNull(job.startedAt);
        assertNull(job.progressStep);
    }

    @Test
    void eventsOfALostAttemptAreIgnoredBeforeAndAfterTheNextDispatch() {
        JobEntity job = dispatchedJob();
        lifecycle.apply(job, running(1, 1), T0);
        lifecycle.expireLease(job, T0.plus(LEASE));
        assertEquals(Effect.IGNORED, lifecycle.apply(job, progress(1, 2, 4), T0.plus(LEASE)).effect(), "waiting in queue");
        lifecycle.dispatch(job, T0.plus(LEASE).plusSeconds(1));
        assertEquals(2, job.attempt);
        assertEquals(Effect.IGNORED, lifecycle.apply(job, succeeded(1, 9), T0.plus(LEASE)).effect(), "old attempt");
        assertEquals(StatusTrigger.RUNNING, lifecycle.apply(job, running(2, 1), T0.plus(LEASE)).trigger(),
                "the new attempt's sequence starts again at 1");
    }

    @Test
    void theLastLostLeaseFailsTheJobAndDeadLettersIt() {
        JobEntity job = queuedJob();
        Instant now = T0;
        for (int attempt = 1; attempt <= 3; attempt++) {
            lifecycle.dispatch(job, now);
            lifecycle.apply(job, new JobHeartbeat(V, job.id, "acme", attempt, 1, now, "w1"), now);
            now = now.plus(LEASE);
            Outcome outcome = lifecycle.expireLease(job, now);
            if (attempt < 3) {
                assertEquals(StatusTrigger.REQUEUED, outcome.trigger());
            } else {
                assertEquals(StatusTrigger.FAILED, outcome.trigger());
                assertTrue(outcome.deadLetter());
            }
        }
        assertEquals(JobState.FAILED, job.status);
        assertTrue(job.errorReason.contains("lease of attempt 3 expired"), job.errorReason);
        assertEquals("lease of attempt 3 expired (worker w1) on the last of 3 attempts",
                JobStatusMapper.toStatus(job).error().reason());
        assertEquals(Effect.IGNORED, lifecycle.dispatch(job, now).effect());
    }

    @Test
    void aLeaseThatRunsOutBeforeAnyWorkerTookTheItemDoesNotUseUpAnAttempt() {
        JobEntity job = queuedJob();
        Instant now = T0;
        for (int unclaimed = 1; unclaimed <= 5; unclaimed++) {
            lifecycle.dispatch(job, now);
            now = now.plus(LEASE);
            Outcome outcome = lifecycle.expireLease(job, now);
            assertEquals(StatusTrigger.REQUEUED, outcome.trigger(), "no worker was there: try again, for free");
            assertTrue(outcome.cancelWorker(), "a late copy must not run");
        }
        assertEquals(5, job.unclaimedAttempts);
        for (int claimed = 1; claimed <= 3; claimed++) {
            lifecycle.dispatch(job, now);
            lifecycle.apply(job, running(job.attempt, 1), now);
            now = now.plus(LEASE);
            lifecycle.expireLease(job, now);
        }
        assertEquals(JobState.FAILED, job.status, "three attempts a worker took, all lost");
        assertEquals(8, job.attempt);
    }

    @Test
    void aRetryableFailureRetriesUntilAttemptsRunOutAndABadInputFailsAtOnce() {
        JobEntity job = dispatchedJob();
        assertEquals(StatusTrigger.REQUEUED, lifecycle.apply(job, failed(1, 1, true), T0).trigger());
        assertEquals(JobState.QUEUED, job.status);
        assertNull(JobStatusMapper.toStatus(job).error(), "a re-queued job has not failed");
        lifecycle.dispatch(job, job.notBefore);
        lifecycle.apply(job, failed(2, 1, true), T0);
        lifecycle.dispatch(job, job.notBefore);
        Outcome last = lifecycle.apply(job, failed(3, 1, true), T0);
        assertEquals(StatusTrigger.FAILED, last.trigger());
        assertTrue(last.deadLetter());

        JobEntity other = dispatchedJob();
        Outcome bad = lifecycle.apply(other, failed(1, 1, false), T0);
        assertEquals(StatusTrigger.FAILED, bad.trigger());
        assertFalse(bad.deadLetter(), "nothing to retry: not a dead letter");
        assertEquals("out of memory", JobStatusMapper.toStatus(other).error().reason());
    }

    @Test
    void aRetryWaitsAnExponentialJitteredBackoffBeforeItIsDispatchedAgain() {
        JobEntity job = dispatchedJob();
        Instant failedAt = T0.plusSeconds(1);
        lifecycle.apply(job, failed(1, 1, true), failedAt);
        Duration first = Duration.between(failedAt, job.notBefore);
        assertTrue(first.compareTo(FIRST_RETRY.dividedBy(2)) >= 0 && first.compareTo(FIRST_RETRY) <= 0, first.toString());
        assertEquals(Effect.IGNORED, lifecycle.dispatch(job, job.notBefore.minusMillis(1)).effect(), "still backing off");
        assertEquals(Effect.DISPATCHED, lifecycle.dispatch(job, job.notBefore).effect());
        assertNull(job.notBefore);

        Instant failedAgainAt = T0.plusSeconds(60);
        lifecycle.apply(job, failed(2, 1, true), failedAgainAt);
        Duration second = Duration.between(failedAgainAt, job.notBefore);
        assertTrue(second.compareTo(FIRST_RETRY) >= 0 && second.compareTo(FIRST_RETRY.multipliedBy(2)) <= 0, second.toString());
    }

    @Test
    void attemptsLostToTheInfrastructureComeFromABudgetOfTheirOwn() {
        JobEntity job = dispatchedJob();
        // Three store outages: the job's own three attempts are all still there.
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertEquals(StatusTrigger.REQUEUED, lifecycle.apply(job, lostToTheStore(attempt, 1), T0).trigger());
            lifecycle.dispatch(job, job.notBefore);
        }
        assertEquals(3, job.infrastructureAttempts);
        assertEquals(StatusTrigger.REQUEUED, lifecycle.apply(job, failed(4, 1, true), T0).trigger(), "own attempt 1 of 3");
        lifecycle.dispatch(job, job.notBefore);
        assertEquals(StatusTrigger.REQUEUED, lifecycle.apply(job, failed(5, 1, true), T0).trigger(), "own attempt 2 of 3");
        lifecycle.dispatch(job, job.notBefore);

        Outcome spent = lifecycle.apply(job, lostToTheStore(6, 1), T0);
        assertEquals(StatusTrigger.FAILED, spent.trigger(), "the fourth loss spends the infrastructure budget of 4");
        assertTrue(spent.deadLetter());
        assertTrue(job.errorReason.contains("lost to the infrastructure"), job.errorReason);
    }

    @Test
    void cancelingAWaitingJobIsImmediate() {
        JobEntity job = queuedJob();
        Outcome outcome = lifecycle.requestCancel(job, "changed my mind", T0);
        assertEquals(StatusTrigger.CANCELED, outcome.trigger());
        assertFalse(outcome.cancelWorker());
        assertEquals(JobState.CANCELED, job.status);
        assertEquals("changed my mind", job.detail);
        assertEquals(Effect.IGNORED, lifecycle.dispatch(job, T0).effect());
    }

    @Test
    void cancelingARunningJobAsksItsWorkerAndTheWorkersConfirmationFinishesIt() {
        JobEntity job = dispatchedJob();
        lifecycle.apply(job, running(1, 1), T0);
        Outcome outcome = lifecycle.requestCancel(job, null, T0);
        assertEquals(StatusTrigger.CANCEL_REQUESTED, outcome.trigger());
        assertTrue(outcome.cancelWorker());
        assertEquals(1, outcome.cancelAttempt());
        assertEquals(JobState.RUNNING, job.status);
        assertTrue(JobStatusMapper.toStatus(job).cancelRequested());
        assertEquals(Effect.IGNORED, lifecycle.requestCancel(job, null, T0).effect(), "asked once is enough");

        Outcome confirmed = lifecycle.apply(job, new JobCanceled(V, jobId, "acme", 1, 2, T0, "w1", "stopped at step 3"), T0);
        assertEquals(StatusTrigger.CANCELED, confirmed.trigger());
        assertEquals(JobState.CANCELED, job.status);
        assertFalse(job.cancelRequested);
    }

    @Test
    void aCancelRequestedBeforeAnyWorkerStartedIsRepeatedWhenOneDoes() {
        JobEntity job = dispatchedJob();
        assertTrue(lifecycle.requestCancel(job, null, T0).cancelWorker());
        Outcome started = lifecycle.apply(job, running(1, 1), T0);
        assertEquals(StatusTrigger.RUNNING, started.trigger());
        assertTrue(started.cancelWorker(), "the worker that took it may have missed the first control message");
        assertEquals(1, started.cancelAttempt());
        assertFalse(lifecycle.apply(job, progress(1, 2, 1), T0).cancelWorker(), "once is enough after that");

        JobEntity other = dispatchedJob();
        lifecycle.requestCancel(other, null, T0);
        assertTrue(lifecycle.apply(other, progress(1, 1, 1), T0).cancelWorker(), "a progress that starts the job too");
        JobEntity untouched = dispatchedJob();
        assertFalse(lifecycle.apply(untouched, running(1, 1), T0).cancelWorker());
    }

    @Test
    void aCancelTheWorkerNeverConfirmsEndsWhenTheLeaseExpires() {
        JobEntity job = dispatchedJob();
        lifecycle.requestCancel(job, null, T0);
        Outcome outcome = lifecycle.expireLease(job, T0.plus(LEASE));
        assertEquals(StatusTrigger.CANCELED, outcome.trigger());
        assertEquals(JobState.CANCELED, job.status);
        assertFalse(outcome.deadLetter());
    }

    @Test
    void aRetryableFailureAfterACancelRequestCancels() {
        JobEntity job = dispatchedJob();
        lifecycle.requestCancel(job, null, T0);
        assertEquals(StatusTrigger.CANCELED, lifecycle.apply(job, failed(1, 1, true), T0).trigger());
    }

    /** Rank of a status along the only forward path of one attempt. */
    private static int rank(JobState state) {
        return switch (state) {
            case SUBMITTED -> 0;
            case QUEUED -> 1;
            case RUNNING -> 2;
            case SUCCEEDED, FAILED, CANCELED -> 3;
        };
    }

    @Test
    void anyShuffleWithDuplicatesOfOneAttemptsEventsOnlyMovesForward() {
        Random random = new Random(1121L);
        for (int trial = 0; trial < 500; trial++) {
            JobEntity job = dispatchedJob();
            List<JobEvent> events = new ArrayList<>(List.of(running(1, 1), progress(1, 2, 1), progress(1, 3, 2),
                    new JobHeartbeat(V, jobId, "acme", 1, 4, T0, "w1"), progress(1, 5, 3)));
            events.add(random.nextBoolean() ? succeeded(1, 6) : failed(1, 6, false));
            for (int duplicates = random.nextInt(4); duplicates > 0; duplicates--) {
                events.add(events.get(random.nextInt(events.size())));
            }
            Collections.shuffle(events, random);
            long appliedSequence = 0;
            for (JobEvent event : events) {
                int rankBefore = rank(job.status);
                long statusSequenceBefore = job.statusSequence;
                Outcome outcome = lifecycle.apply(job, event, T0);
                assertTrue(rank(job.status) >= rankBefore, "trial " + trial + ": moved backwards on " + event);
                assertTrue(job.statusSequence >= statusSequenceBefore);
                if (outcome.effect() == Effect.IGNORED) {
                    assertTrue(event.sequence() <= appliedSequence || job.status.isTerminal() && rankBefore == 3,
                            "trial " + trial + ": a newer event was ignored: " + event);
                } else {
                    assertTrue(event.sequence() > appliedSequence, "trial " + trial + ": an older event was applied");
                    appliedSequence = event.sequence();
                }
            }
        }
    }
}
