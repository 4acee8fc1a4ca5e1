package io.stipple.scheduler.messaging;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.ControlAction;
import io.stipple.contracts.work.JobControl;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rows a committed change wrote go to Kafka right after its commit, from the writer, in the job's order: the
 * first of a job at once, the next one right after the one before it was acknowledged, and a row whose earlier
 * row is not being sent here with a relay round, after it. The test profile's relay timer is hourly; a test row
 * held locked keeps every relay round away from it and from its job's later rows, so what arrives while it is
 * held was sent by its writer.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AfterCommitSendTest {

    private final KafkaBus bus = KafkaBus.get();

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Test
    void aJobsRowsGoRightAfterTheirCommitsOneAfterTheOtherWithoutARelayRound() throws Throwable {
        UUID job = UUID.randomUUID();
        Publication first = write(job, 1);
        long firstRow = first.written().get(0).row().id;
        assertNull(first.written().get(0).followsId(), "a job's first row follows none");

        try (AutoCloseable held = SchedulerDb.holdOutboxRow(firstRow)) {
            relay.after(first);
            await().atMost(PATIENCE).until(() -> sequences(job).equals(List.of(1L)));

            // The first row is acknowledged, not deleted (its delete waits for the lock): the second follows it.
            Publication second = write(job, 2);
            assertEquals(firstRow, second.written().get(0).followsId());
            relay.after(second);
            await().atMost(PATIENCE).until(() -> sequences(job).equals(List.of(1L, 2L)));
        }
        await().atMost(PATIENCE).until(() -> SchedulerDb.outbox(job).isEmpty());
        assertEquals(List.of(1L, 2L), sequences(job), "each sent once");
    }

    @Test
    void aRowWhoseEarlierRowIsNotBeingSentHereGoesWithARoundAfterIt() throws Throwable {
        UUID job = UUID.randomUUID();
        // Written and never handed to the sender: as if the writer had stopped between its commit and the send.
        Publication first = write(job, 1);
        Publication second = write(job, 2);
        assertEquals(first.written().get(0).row().id, second.written().get(0).followsId());

        relay.after(second);

        await().atMost(PATIENCE).until(() -> SchedulerDb.outbox(job).isEmpty());
        assertEquals(List.of(1L, 2L), sequences(job), "in the job's order, each once");
    }

    @Test
    void aChangesStatusSnapshotIsWrittenAndSentAfterItsOtherMessagesOfTheJob() throws Throwable {
        UUID job = UUID.randomUUID();
        // As a lone job's request commits its queued snapshot and then its work item: the snapshot, for the
        // gateway, must not hold the worker's message back by its acknowledgement.
        Publication publication = Publication.inTrace(null).status(status(job, 1))
                .control(new JobControl(SchemaVersion.CURRENT, job, "tenant-after-commit", 1, 1, Instant.now(),
                        ControlAction.CANCEL, "order test"));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> outbox.store(publication, List.of())));

        List<String> channels = publication.written().stream().map(row -> row.row().channel).toList();
        assertEquals(List.of(Channels.JOB_CONTROL, Channels.JOB_STATUS), channels, "rows in id order");
        relay.after(publication);
        await().atMost(PATIENCE).until(() -> SchedulerDb.outbox(job).isEmpty());
    }

    /** Commits a status snapshot of the job as a change would: its outbox row in the change's transaction. */
    private Publication write(UUID job, long sequence) throws Throwable {
        Publication publication = Publication.inTrace(null).status(status(job, sequence));
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> outbox.store(publication, List.of()))
                .replaceWith(publication));
    }

    private static JobStatus status(UUID job, long sequence) {
        return new JobStatus(SchemaVersion.CURRENT, job, "tenant-after-commit", 1, sequence, Instant.now(),
                JobKind.GENERATION, JobState.QUEUED, StatusTrigger.QUEUED, null, null, null, null, null, null, false);
    }

    private List<Long> sequences(UUID job) {
        return bus.statuses(job).stream().map(JobStatus::sequence).toList();
    }
}
