package io.stipple.scheduler.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.scheduler.config.SchedulerBeans;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.messaging.MessagePublisher;
import io.stipple.scheduler.messaging.Publication;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.policy.DispatchPlanner;
import io.stipple.scheduler.policy.WaitingJob;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Meters work out to the workers: each round, per job kind, it fills the free in-flight slots with the
 * jobs the {@link DispatchPlanner} chooses, granting each a lease, and publishes their work items after
 * the commit. Queued jobs wait in Postgres, not in Kafka, so priority and fairness decide the order.
 */
@ApplicationScoped
public class Dispatcher {

    private static final String SOURCE = "scheduler";

    private final JobRepository jobs;
    private final JobLifecycle lifecycle;
    private final TransitionRecorder recorder;
    private final MessagePublisher publisher;
    private final SchedulerMetrics metrics;
    private final SchedulerConfig config;
    private final Clock clock;
    private final Map<JobKind, DispatchPlanner> planners = new EnumMap<>(JobKind.class);

    public Dispatcher(JobRepository jobs, JobLifecycle lifecycle, TransitionRecorder recorder, MessagePublisher publisher,
            SchedulerMetrics metrics, SchedulerConfig config, Clock clock) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.recorder = recorder;
        this.publisher = publisher;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        for (JobKind kind : JobKind.values()) {
            planners.put(kind, SchedulerBeans.planner(config.dispatch()));
        }
    }

    @Scheduled(every = "${scheduler.dispatch.period}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "dispatcher")
    public Uni<Void> dispatchRound() {
        return Multi.createFrom().items(JobKind.values())
                .onItem().transformToUniAndConcatenate(this::dispatch)
                .collect().last()
                .call(() -> Panache.withSession(() -> jobs.queueDepths()).invoke(metrics::queueDepths))
                .replaceWithVoid();
    }

    /** Fills the free slots of one kind; completes when the work items are on Kafka. */
    public Uni<Void> dispatch(JobKind kind) {
        return Panache.withTransaction(() -> jobs.tryDispatchLock(kind).flatMap(locked -> locked
                        ? fillFreeSlots(kind)
                        : Uni.createFrom().item(Publication.empty())))
                .flatMap(publisher::publish);
    }

    private Uni<Publication> fillFreeSlots(JobKind kind) {
        return jobs.countLeased(kind).flatMap(inFlight -> {
            metrics.inFlight(kind, inFlight);
            int free = (int) Math.max(0, limit(kind) - inFlight);
            if (free == 0) {
                return Uni.createFrom().item(Publication.empty());
            }
            return jobs.oldestWaiting(kind, free).flatMap(waiting -> dispatchPlanned(kind, waiting, free));
        });
    }

    private Uni<Publication> dispatchPlanned(JobKind kind, List<JobEntity> waiting, int free) {
        List<WaitingJob> plan = planners.get(kind).plan(waiting.stream().map(Dispatcher::toWaiting).toList(), free);
        Publication publication = Publication.empty();
        return Multi.createFrom().iterable(plan)
                .onItem().transformToUniAndConcatenate(chosen -> jobs.lockById(chosen.jobId())
                        .flatMap(job -> recorder.record(job, lifecycle.dispatch(job, clock.instant()), SOURCE, clock.instant())))
                .onItem().invoke(publication::addAll)
                .collect().last()
                .replaceWith(publication);
    }

    private int limit(JobKind kind) {
        return kind == JobKind.GENERATION ? config.dispatch().generationInFlight() : config.dispatch().finetuneInFlight();
    }

    private static WaitingJob toWaiting(JobEntity job) {
        return new WaitingJob(job.id, job.tenantId, job.priority, job.queuedAt, job.cost);
    }
}
