package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.scheduler.service.Dispatcher;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A job whose dispatch nudge found the dispatch lock taken (another replica dispatching) is not lost:
 * its submission is still handled, and the timed round sends it. The test profile's round runs hourly,
 * so the test runs the round itself.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DispatchSafetyNetTest {

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    @Inject
    Dispatcher dispatcher;

    @Test
    void aJobWhoseNudgeFoundTheLockTakenGoesOutWithTheNextRound() throws Throwable {
        UUID missed = UUID.randomUUID();
        UUID sentinel = UUID.randomUUID();
        try (AutoCloseable lock = SchedulerDb.holdDispatchLock(JobKind.GENERATION)) {
            bus.request(JobSubmitted.of(missed, "tenant-net", Instant.now(), Specs.generation()));
            // Under the first's key, so in its partition: handled after the first. Each commit starts a
            // dispatch (it does not wait for it), and the lock is held until the check below, so those
            // dispatches find it taken.
            bus.rawRequest(missed.toString(), new String(ContractsJson.write(
                    JobSubmitted.of(sentinel, "tenant-net", Instant.now(), Specs.generation())), StandardCharsets.UTF_8));
            await().atMost(PATIENCE).until(() -> "QUEUED".equals(SchedulerDb.status(sentinel)));
            assertTrue(bus.generationWork(missed).isEmpty(), "dispatched although the lock was held");
        }

        VertxContextSupport.subscribeAndAwait(() -> dispatcher.dispatchRound());

        for (UUID jobId : new UUID[] {missed, sentinel}) {
            GenerationWorkItem work = worker.awaitGenerationWork(jobId, 1);
            worker.complete(work);
            await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(jobId)));
        }
    }
}
