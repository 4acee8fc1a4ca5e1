package io.stipple.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.event.JobRunning;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.work.GenerationWorkItem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeldJobsTest {

    private final List<JobEvent> sent = new CopyOnWriteArrayList<>();
    private final JobReporter reporter = new JobReporter(sent::add, new WorkerIdentity("w-1"), Duration.ofSeconds(30));
    private final HeldJobs held = new HeldJobs(reporter, 2, Duration.ofMillis(10), Duration.ofMinutes(1));

    @AfterEach
    void stop() {
        held.close();
    }

    private static GenerationWorkItem item(long heartbeatMs) {
        return item(heartbeatMs, Instant.now().plusSeconds(60));
    }

    private static GenerationWorkItem item(long heartbeatMs, Instant leaseExpiresAt) {
        GenerationSpec spec = new GenerationSpec("a red circle", "", 1, 1, Sampler.DDIM, null, 4, 3.0, 0.0, null, null, null,
                null, null, ModelRef.parse("tiny@1"), null, null, null);
        return new GenerationWorkItem(SchemaVersion.CURRENT, UUID.randomUUID(), "acme", 2, 1, Instant.now(), spec,
                "results/acme/x/", heartbeatMs, leaseExpiresAt);
    }

    /** The item as the work channel delivers it; its acknowledgement completes with {@code commit}. */
    private static Message<String> message(GenerationWorkItem item, CompletableFuture<Void> commit) {
        return Message.of(new String(ContractsJson.write(item), StandardCharsets.UTF_8), () -> commit);
    }

    private static Message<String> message(GenerationWorkItem item) {
        return message(item, CompletableFuture.completedFuture(null));
    }

    private List<JobEvent> eventsOf(UUID jobId) {
        return sent.stream().filter(e -> e.jobId().equals(jobId)).toList();
    }

    @Test
    void aHeldJobIsHeartbeatedUntilReleasedAndItsEventsAreNumberedPerAttempt() {
        GenerationWorkItem item = item(30);
        HeldJob<GenerationWorkItem> job = held.hold(item).orElseThrow();
        reporter.running(job);
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(item.jobId()).size() >= 3);
        reporter.succeeded(job, List.of(), null, Map.of());
        reporter.heartbeat(job);
        held.release(job);

        List<JobEvent> events = eventsOf(item.jobId());
        assertInstanceOf(JobHeartbeat.class, events.get(0), "taking the job is news: its first heartbeat");
        assertInstanceOf(JobRunning.class, events.get(1));
        assertInstanceOf(JobHeartbeat.class, events.get(2));
        assertInstanceOf(JobSucceeded.class, events.get(events.size() - 1), "nothing after the terminal event");
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).sequence());
            assertEquals(2, events.get(i).attempt());
        }
        assertEquals("w-1", ((JobRunning) events.get(1)).workerId());
        assertEquals(0, held.size());
    }

    @Test
    void aJobWaitingUnstartedIsHeartbeatedFromTheMomentItIsTaken() {
        // A long interval: only the heartbeat of the receipt can be there within the wait.
        GenerationWorkItem item = item(60_000);
        held.hold(item).orElseThrow();
        List<JobEvent> events = eventsOf(item.jobId());
        assertEquals(1, events.size(), events.toString());
        assertInstanceOf(JobHeartbeat.class, events.get(0));

        GenerationWorkItem often = item(20);
        held.hold(often).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(often.jobId()).size() >= 4);
        assertTrue(eventsOf(often.jobId()).stream().allMatch(JobHeartbeat.class::isInstance), "held, never started");
    }

    @Test
    void anItemWhoseLeaseRanOutBeforeItArrivedIsNotTaken() {
        GenerationWorkItem stale = item(1000, Instant.now().minusSeconds(1));
        assertFalse(held.hold(stale).isPresent());
        assertEquals(0, held.size());
        assertEquals(List.of(), eventsOf(stale.jobId()), "no heartbeat for an attempt the scheduler gave up");
    }

    @Test
    void beyondItsCapacityAnItemIsTakenOnlyWhenAHeldOneIsReleasedInArrivalOrder() {
        HeldJob<GenerationWorkItem> first = held.holdWhenRoom(item(60_000)).toCompletableFuture().join().orElseThrow();
        held.holdWhenRoom(item(60_000)).toCompletableFuture().join().orElseThrow();
        GenerationWorkItem third = item(60_000);
        GenerationWorkItem fourth = item(60_000);
        var thirdTaken = held.holdWhenRoom(third).toCompletableFuture();
        var fourthTaken = held.holdWhenRoom(fourth).toCompletableFuture();
        assertFalse(thirdTaken.isDone(), "capacity 2: the third waits");
        assertEquals(List.of(), eventsOf(third.jobId()), "a waiting item is not held: no heartbeat, not acknowledged");

        held.release(first);
        assertEquals(third.jobId(), thirdTaken.join().orElseThrow().item().jobId());
        assertFalse(fourthTaken.isDone(), "one release, one item taken");
        assertEquals(2, held.size());
    }

    @Test
    void aReceivedJobStartsBeforeItsFirstHeartbeatAndItsAcknowledgementWhichFollowAtOnce() {
        GenerationWorkItem item = item(60_000);
        AtomicBoolean acknowledged = new AtomicBoolean();
        CompletableFuture<Void> commit = new CompletableFuture<>();
        List<String> atStart = new CopyOnWriteArrayList<>();
        AtomicReference<HeldJob<GenerationWorkItem>> started = new AtomicReference<>();
        WorkItemReceiver<GenerationWorkItem> receiver = new WorkItemReceiver<>(GenerationWorkItem.class, held, job -> {
            atStart.add(eventsOf(job.item().jobId()).size() + " events sent, acknowledged: " + acknowledged.get());
            started.set(job);
        });
        receiver.receive(Message.of(new String(ContractsJson.write(item), StandardCharsets.UTF_8), () -> {
            acknowledged.set(true);
            return commit;
        })).toCompletableFuture().join();

        assertEquals(List.of("0 events sent, acknowledged: false"), atStart, "the job is handed on first");
        List<JobEvent> events = eventsOf(item.jobId());
        assertEquals(1, events.size(), events.toString());
        assertInstanceOf(JobHeartbeat.class, events.get(0), "then its first heartbeat, before the receive returns");
        assertTrue(acknowledged.get(), "and its acknowledgement");
        assertFalse(started.get().receipt().toCompletableFuture().isDone(), "its receipt is that commit");
        commit.complete(null);
        assertTrue(started.get().receipt().toCompletableFuture().isDone());
    }

    @Test
    void aJobThatEndedBeforeItsFirstHeartbeatGetsNone() {
        GenerationWorkItem item = item(60_000);
        WorkItemReceiver<GenerationWorkItem> receiver = new WorkItemReceiver<>(GenerationWorkItem.class, held,
                held::release);
        receiver.receive(message(item)).toCompletableFuture().join();
        assertEquals(List.of(), eventsOf(item.jobId()), "released: the scheduler hears nothing more of this attempt");
        assertEquals(0, held.size());
    }

    @Test
    void aDuplicateDeliveryOfAHeldAttemptIsIgnored() {
        GenerationWorkItem item = item(60_000);
        assertTrue(held.hold(item).isPresent());
        assertFalse(held.hold(item).isPresent());
    }

    @Test
    void aCancelThatOvertakesItsWorkItemIsApplied() {
        GenerationWorkItem item = item(60_000);
        held.cancel(item.jobId(), item.attempt(), "client asked");
        HeldJob<GenerationWorkItem> job = held.hold(item).orElseThrow();
        assertTrue(job.canceled());
        assertEquals("client asked", job.cancelReason());

        GenerationWorkItem other = item(60_000);
        held.cancel(other.jobId(), other.attempt() + 1, "for a later attempt");
        assertFalse(held.hold(other).orElseThrow().canceled(), "a cancel names its attempt");
    }

    @Test
    void theExecutorRunsJobsOffTheCallerAndReleasesThem() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        JobRunner<GenerationWorkItem> runner = job -> {
            if (job.canceled()) {
                reporter.canceled(job);
            }
            ran.countDown();
        };
        try (JobExecutor<GenerationWorkItem> executor = new JobExecutor<>(GenerationWorkItem.class, "test", 1, held,
                runner)) {
            GenerationWorkItem item = item(60_000);
            held.cancel(item.jobId(), item.attempt(), "early");
            executor.receive(message(item));
            AtomicBoolean unreadableAcknowledged = new AtomicBoolean();
            executor.receive(Message.of("{not json", () -> {
                unreadableAcknowledged.set(true);
                return CompletableFuture.completedFuture(null);
            }));
            assertTrue(unreadableAcknowledged.get(), "an unreadable item is acknowledged (skipped for good)");
            assertTrue(ran.await(30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(30)).until(() -> held.size() == 0);
            assertInstanceOf(JobCanceled.class, eventsOf(item.jobId()).get(0));
        }
    }

    @Test
    void theExecutorAcknowledgesAnItemBeyondItsCapacityOnlyWhenAHeldJobEnds() throws Exception {
        CountDownLatch finish = new CountDownLatch(1);
        List<UUID> run = new CopyOnWriteArrayList<>();
        JobRunner<GenerationWorkItem> runner = job -> {
            run.add(job.item().jobId());
            try {
                finish.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        // Two threads for a capacity of two: the third item is refused room, not a thread.
        try (JobExecutor<GenerationWorkItem> executor = new JobExecutor<>(GenerationWorkItem.class, "test", 2, held,
                runner)) {
            List<GenerationWorkItem> items = List.of(item(60_000), item(60_000), item(60_000));
            var received = items.stream().map(item -> executor.receive(message(item)).toCompletableFuture()).toList();
            assertTrue(received.get(0).isDone() && received.get(1).isDone(), "room for two: acknowledged on receipt");
            assertFalse(received.get(2).isDone(), "capacity 2: the third is not acknowledged while two run");
            assertEquals(List.of(), eventsOf(items.get(2).jobId()), "nor held: no heartbeat");
            await().atMost(Duration.ofSeconds(30)).until(() -> run.size() == 2);

            finish.countDown();
            received.get(2).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> run.size() == 3);
            assertEquals(items.get(2).jobId(), run.get(2));
        }
    }

    @Test
    void aJobsEndIsReportedOnlyOnceItsWorkItemIsCommittedAsConsumed() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        JobRunner<GenerationWorkItem> runner = job -> {
            reporter.running(job);
            reporter.succeeded(job, List.of(), null, Map.of());
            reported.countDown();
        };
        try (JobExecutor<GenerationWorkItem> executor = new JobExecutor<>(GenerationWorkItem.class, "test", 1, held,
                runner)) {
            GenerationWorkItem item = item(60_000);
            CompletableFuture<Void> commit = new CompletableFuture<>();
            executor.receive(message(item, commit)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf(item.jobId()).stream().anyMatch(JobRunning.class::isInstance));
            // Without the wait the success follows the running event at once, on the same thread.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30))
                    .until(() -> eventsOf(item.jobId()).stream().noneMatch(JobSucceeded.class::isInstance));
            assertEquals(1, reported.getCount(), "the runner waits in succeeded()");

            commit.complete(null);
            assertTrue(reported.await(30, TimeUnit.SECONDS));
            assertInstanceOf(JobSucceeded.class, eventsOf(item.jobId()).get(eventsOf(item.jobId()).size() - 1));
        }
    }

    @Test
    void aJobsEndIsReportedAllTheSameWhenItsCommitFailed() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        JobRunner<GenerationWorkItem> runner = job -> {
            reporter.succeeded(job, List.of(), null, Map.of());
            reported.countDown();
        };
        try (JobExecutor<GenerationWorkItem> executor = new JobExecutor<>(GenerationWorkItem.class, "test", 1, held,
                runner)) {
            GenerationWorkItem item = item(60_000);
            executor.receive(message(item, CompletableFuture.failedFuture(new IllegalStateException("rebalanced"))));
            assertTrue(reported.await(30, TimeUnit.SECONDS));
            assertTrue(eventsOf(item.jobId()).stream().anyMatch(JobSucceeded.class::isInstance));
        }
    }

    @Test
    void aJobsEndIsReportedOnceItsCommitOutlastedThePatience() throws Exception {
        JobReporter impatient = new JobReporter(sent::add, new WorkerIdentity("w-1"), Duration.ofMillis(300));
        CountDownLatch reported = new CountDownLatch(1);
        JobRunner<GenerationWorkItem> runner = job -> {
            impatient.succeeded(job, List.of(), null, Map.of());
            reported.countDown();
        };
        HeldJobs impatientHeld = new HeldJobs(impatient, 2, Duration.ofMillis(10), Duration.ofMinutes(1));
        try (JobExecutor<GenerationWorkItem> executor = new JobExecutor<>(GenerationWorkItem.class, "test", 1,
                impatientHeld, runner)) {
            GenerationWorkItem item = item(60_000);
            executor.receive(message(item, new CompletableFuture<>())); // a commit the broker never answers
            assertTrue(reported.await(30, TimeUnit.SECONDS));
            assertTrue(eventsOf(item.jobId()).stream().anyMatch(JobSucceeded.class::isInstance));
        } finally {
            impatientHeld.close();
        }
    }
}
