package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static io.stipple.scheduler.fixtures.TestWorkerFixture.progressEvent;
import static io.stipple.scheduler.fixtures.TestWorkerFixture.runningEvent;
import static io.stipple.scheduler.fixtures.TestWorkerFixture.succeededEvent;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.scheduler.messaging.Channels;
import io.stipple.scheduler.messaging.RecordHandling;
import io.stipple.scheduler.service.JobRequestService;
import io.stipple.scheduler.service.WorkerEventService;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A consumer's batch, handed to {@link RecordHandling} as the consumers hand it a poll's records (Kafka decides
 * how records fall into polls, so the test makes the batch itself): applied in one transaction in the batch's
 * order, with duplicates judged against what the batch did before them, and a record the database refuses
 * isolated by handling the batch again record by record.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class BatchedInputsTest {

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    @Inject
    RecordHandling handling;

    @Inject
    WorkerEventService events;

    @Inject
    JobRequestService requests;

    @Test
    void aBatchWithSeveralEventsOfOneJobAppliesThemInOrderInOneTransaction() throws Throwable {
        UUID jobId = UUID.randomUUID();
        bus.request(JobSubmitted.of(jobId, "tenant-batch-order", Instant.now(), Specs.generation()));
        GenerationWorkItem work = worker.awaitGenerationWork(jobId, 1);

        applyEvents(List.of(runningEvent(work, 1), progressEvent(work, 2, 5, 10), succeededEvent(work, 3)));

        assertEquals("SUCCEEDED", SchedulerDb.status(jobId));
        assertEquals(List.of("queued", "dispatched", "running", "progress", "succeeded"), SchedulerDb.eventTypes(jobId));
        List<String> transactions = SchedulerDb.eventTransactions(jobId);
        assertEquals(1, transactions.subList(2, 5).stream().distinct().count(),
                "the batch's three changes were not one transaction: " + transactions);
        List<JobStatus> statuses = await().atMost(PATIENCE).until(() -> bus.statuses(jobId), list -> list.size() >= 4);
        assertEquals(List.of(StatusTrigger.QUEUED, StatusTrigger.RUNNING, StatusTrigger.PROGRESS, StatusTrigger.SUCCEEDED),
                statuses.stream().map(JobStatus::trigger).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), statuses.stream().map(JobStatus::sequence).toList());
    }

    @Test
    void duplicatesInsideABatchAreIgnoredAgainstWhatTheBatchDidBeforeThem() throws Throwable {
        UUID jobId = UUID.randomUUID();
        bus.request(JobSubmitted.of(jobId, "tenant-batch-duplicates", Instant.now(), Specs.generation()));
        GenerationWorkItem work = worker.awaitGenerationWork(jobId, 1);

        applyEvents(List.of(runningEvent(work, 1), runningEvent(work, 1), succeededEvent(work, 2), succeededEvent(work, 2)));

        assertEquals("SUCCEEDED", SchedulerDb.status(jobId));
        assertEquals(List.of("queued", "dispatched", "running", "succeeded"), SchedulerDb.eventTypes(jobId));
        // Each duplicate republishes the job's snapshot as the change before it left it, never a new sequence.
        List<JobStatus> statuses = await().atMost(PATIENCE).until(() -> bus.statuses(jobId), list -> list.size() >= 5);
        assertEquals(List.of(1L, 2L, 2L, 3L, 3L), statuses.stream().map(JobStatus::sequence).toList());
    }

    @Test
    void aSubmissionItsDuplicateAndItsCancelInOneBatchQueueTheJobOnceAndCancelIt() throws Throwable {
        UUID jobId = UUID.randomUUID();
        String tenant = "tenant-batch-requests";
        JobSubmitted submitted = JobSubmitted.of(jobId, tenant, Instant.now(), Specs.generation());

        applyRequests(List.of(submitted, submitted, CancelRequested.of(jobId, tenant, 1, Instant.now(), "changed my mind")));

        assertEquals("CANCELED", SchedulerDb.status(jobId));
        assertEquals(List.of("queued", "canceled"), SchedulerDb.eventTypes(jobId));
        assertEquals(1, SchedulerDb.eventTransactions(jobId).stream().distinct().count(), "not one transaction");
        assertEquals(0, SchedulerDb.attempt(jobId), "canceled before any dispatch");
    }

    @Test
    void aRecordTheDatabaseRefusesIsIsolatedAndTheRecordsBeforeItCommit() throws Throwable {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID refused = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        List<JobSubmitted> batch = List.of(submission(first, "tenant-batch-good"), submission(second, "tenant-batch-good"),
                submission(refused, "tenant-batch-poison"), submission(after, "tenant-batch-good"));

        CompletableFuture<Void> handled;
        try (AutoCloseable refusal = SchedulerDb.refuseJobsOf("tenant-batch-poison")) {
            handled = CompletableFuture.runAsync(() -> {
                try {
                    applyRequests(batch);
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            });
            // In one transaction with the refused record, these could not commit while it is refused.
            await().atMost(PATIENCE).until(() -> "QUEUED".equals(SchedulerDb.status(first))
                    && "QUEUED".equals(SchedulerDb.status(second)));
            assertNull(SchedulerDb.status(refused));
            assertNull(SchedulerDb.status(after), "a record after the refused one went ahead of it");
            assertFalse(handled.isDone(), "the batch was acknowledged while a record of it was refused");
        }
        // The refused record is retried in place until the database takes it, then the rest follow.
        handled.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        for (UUID id : List.of(first, second, refused, after)) {
            assertEquals(List.of("queued"), SchedulerDb.eventTypes(id).subList(0, 1));
            assertEquals(1, SchedulerDb.eventTypes(id).stream().filter("queued"::equals).count(), "job " + id + " queued twice");
        }
    }

    private static JobSubmitted submission(UUID jobId, String tenant) {
        return JobSubmitted.of(jobId, tenant, Instant.now(), Specs.generation());
    }

    private void applyEvents(List<JobEvent> batch) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> handling.commitAll(Channels.JOB_EVENTS, batch, events::applyAll));
    }

    private void applyRequests(List<? extends JobRequest> batch) throws Throwable {
        List<JobRequestService.Received> received = batch.stream()
                .map(request -> new JobRequestService.Received(request, null)).toList();
        VertxContextSupport.subscribeAndAwait(() -> handling.commitAll(Channels.JOB_REQUESTS, received, requests::applyAll));
    }
}
