package io.stipple.scheduler.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.CoalescedRuns;
import io.stipple.consumer.OutageLog;
import io.stipple.contracts.spec.JobKind;
import io.stipple.scheduler.config.SchedulerBeans;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.domain.Outcome;
import io.stipple.scheduler.messaging.OutboxRelay;
import io.stipple.scheduler.messaging.Publication;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.policy.BatchShare;
import io.stipple.scheduler.policy.DispatchPlanner;
import io.stipple.scheduler.policy.DispatchSlots;
import io.stipple.scheduler.policy.SlotGroup;
import io.stipple.scheduler.policy.WaitingJob;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Meters work out to the workers: each round, per job kind, it fills the free in-flight slots of each
 * {@link SlotGroup} (the shared topic, each worker pool) with the jobs that group's
 * {@link DispatchPlanner} chooses, granting each a lease, and writes their work items to the outbox in
 * that transaction; the outbox relay, started after the commit, sends them. Queued jobs wait in
 * Postgres, not in Kafka, so priority and fairness decide the order.
 *
 * <p>A transaction takes at most {@code scheduler.dispatch.batch-size} jobs and writes them set-wise: one
 * statement locks the batch's rows, one stores their leases, one their event log lines and work items,
 * whatever the batch's size. A full batch is followed at once by another transaction, so a burst goes
 * out batch by batch, each relayed while the next is chosen. One dispatch of a kind at a time across replicas:
 * the kind's advisory lock, taken first in every transaction; each chosen row is then locked and checked again
 * by {@link JobLifecycle#dispatch} (a cancel may have come in since the queue was read).
 */
@ApplicationScoped
public class Dispatcher {

    private static final String SOURCE = "scheduler";
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final JobRepository jobs;
    private final JobLifecycle lifecycle;
    private final TransitionRecorder recorder;
    private final OutboxRelay relay;
    private final SchedulerMetrics metrics;
    private final SchedulerConfig config;
    private final Clock clock;
    private final DispatchSlots slots;
    private final OwnContext context;
    /** One per slot group, kept across rounds: fairness state is per group, whose tenants are its own. */
    private final Map<SlotGroup, DispatchPlanner> planners = new ConcurrentHashMap<>();
    /**
     * One run at a time per kind in this process. A nudge that came while another dispatch of its kind
     * was running makes that one run again, instead of finding the lock taken and waiting for the timed
     * round (the running one may have read the queue before the nudge's job was committed).
     */
    private final Map<JobKind, CoalescedRuns> runs = new EnumMap<>(JobKind.class);
    private final OutageLog outage = new OutageLog(LOG, "the dispatcher's timed round");
    private final int batchSize;
    /** A run's own transaction: waits for the rows it chose, stores its dispatches. */
    private final Writes ownTransaction;

    public Dispatcher(JobRepository jobs, JobLifecycle lifecycle, TransitionRecorder recorder, OutboxRelay relay,
            SchedulerMetrics metrics, SchedulerConfig config, DispatchSlots slots, OwnContext context, Clock clock) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.recorder = recorder;
        this.relay = relay;
        this.metrics = metrics;
        this.config = config;
        this.slots = slots;
        this.context = context;
        this.clock = clock;
        this.batchSize = config.dispatch().batchSize();
        if (batchSize < 1) {
            throw new IllegalArgumentException("scheduler.dispatch.batch-size must be at least 1, was " + batchSize);
        }
        this.ownTransaction = new Writes(jobs::lockAllDetached,
                (dispatched, outcomes, now) -> recorder.recordDispatches(dispatched, outcomes, SOURCE, now));
        for (JobKind kind : JobKind.values()) {
            runs.put(kind, new CoalescedRuns(() -> dispatchOnce(kind)));
        }
    }

    /** The timed round; a failure (the database away) is logged once per outage, never passed on. */
    @Scheduled(every = "${scheduler.dispatch.period}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "dispatcher")
    public Uni<Void> dispatchRound() {
        return Multi.createFrom().items(JobKind.values())
                .onItem().transformToUniAndConcatenate(this::dispatch)
                .collect().last()
                .call(() -> Panache.withSession(() -> jobs.queueDepths()).invoke(metrics::queueDepths))
                .invoke(outage::succeeded)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * Fills the free slots of one kind; completes when the leases and work items are committed, or at
     * once when a dispatch of the kind is running here already (it runs once more for this request).
     */
    public Uni<Void> dispatch(JobKind kind) {
        return runs.get(kind).request();
    }

    /**
     * Takes the kind's run in this process for a dispatch inside the caller's transaction ({@link #dispatchHeld}), if
     * no dispatch of the kind is running here; a nudge that comes meanwhile runs once the holder has
     * {@link #release released} it. False when a run is in progress (it will run again for the caller's change).
     */
    public boolean tryHold(JobKind kind) {
        return runs.get(kind).tryHold();
    }

    /** Whether no dispatch of the kind is running, held or asked for in this process (for tests that need it quiet). */
    public boolean idle(JobKind kind) {
        return runs.get(kind).idle();
    }

    /**
     * Ends a {@link #tryHold hold} once the holder's transaction has ended (committed or not), and starts on a
     * context of its own the run that nudges during the hold asked for; returns at once.
     */
    public void release(JobKind kind) {
        context.start(runs.get(kind)::release,
                failure -> LOG.debugf(failure, "dispatch of %s after a hold failed; the next round retries", kind));
    }

    /**
     * One batch of the kind in the caller's transaction, right after a change that may have unblocked it (a
     * consumer's batch queued a job or freed a slot), chosen exactly as a run chooses it (the same slots, planners
     * and batch size), so that a lone job is queued and dispatched in one transaction. Call while holding the kind
     * ({@link #tryHold}). It waits for nobody: the kind's advisory lock is only tried (another replica may be
     * dispatching), and a chosen row that another transaction holds is left for a run instead of waited for, since
     * the caller holds rows of its own that the other might be waiting for. The dispatches' log lines and work
     * items are added to the caller's transitions, to be stored with its own (the job rows are written here).
     *
     * <p>The lock is tried with a look for waiting jobs in the same statement, and with none there the slots are not
     * counted nor the queue read: a finished job's result (the last hop before its client sees it) so commits after
     * one round trip of the dispatch's instead of three when nothing waits. A job committed between the statement's
     * snapshot and its lock was committed by a change that did not dispatch it: in this process one that could not
     * hold the kind while the caller held it, and which dispatches after its commit ({@link DispatchNudge}); in
     * another replica one whose own dispatch, in the instant before the lock passed here, found the slots full (the
     * caller's finishing job still held one): that job waits for the timed round, as one does today when it finds
     * the lock taken.
     *
     * @return whether a run may still find work: the lock was held elsewhere, the batch was full, or a chosen row
     *         was held by another transaction
     */
    public Uni<Boolean> dispatchHeld(JobKind kind, Transitions into) {
        Writes writes = new Writes(jobs::lockAvailableDetached, (dispatched, outcomes, now) -> {
            recorder.addDispatches(into, dispatched, outcomes, SOURCE, now);
            return Uni.createFrom().item(Publication.empty());
        });
        return jobs.tryDispatchLockIfWaiting(kind, clock.instant()).flatMap(lock -> !lock.locked()
                        ? Uni.createFrom().item(Batch.notRun())
                        : lock.anyJobs() ? fillFreeSlots(kind, writes) : Uni.createFrom().item(Batch.none()))
                .map(batch -> !batch.ran() || batch.chosen() >= batchSize || batch.skipped() > 0);
    }

    /** Batches, one transaction each, until one is not full: then the free slots or the waiting jobs ran out. */
    private Uni<Void> dispatchOnce(JobKind kind) {
        return Multi.createBy().repeating().uni(() -> dispatchBatch(kind))
                .whilst(batch -> batch.chosen() >= batchSize)
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Batch> dispatchBatch(JobKind kind) {
        return Panache.withTransaction(() -> jobs.tryDispatchLock(kind).flatMap(locked -> locked
                        ? fillFreeSlots(kind, ownTransaction)
                        : Uni.createFrom().item(Batch.notRun())))
                .invoke(batch -> relay.after(batch.published()));
    }

    private Uni<Batch> fillFreeSlots(JobKind kind, Writes writes) {
        return jobs.countLeasedByTenant(kind).flatMap(inFlight -> {
            metrics.inFlight(kind, inFlight.values().stream().mapToLong(Long::longValue).sum());
            Map<SlotGroup, Integer> free = slots.free(kind, inFlight);
            int mostFree = Math.min(batchSize, free.values().stream().mapToInt(Integer::intValue).max().orElse(0));
            if (mostFree == 0) {
                return Uni.createFrom().item(Batch.none());
            }
            // Each tenant's mostFree oldest per class: enough for any one group's planner.
            return jobs.oldestWaiting(kind, mostFree, clock.instant()).map(waiting -> plan(kind, waiting, free))
                    .flatMap(plan -> dispatchPlanned(plan, writes));
        });
    }

    /**
     * Each group's planner chooses among its own tenants' waiting jobs, for its share of the batch (at most its
     * free slots): in the order it would fill all its free slots, so a batch is a prefix of that order.
     */
    private List<WaitingJob> plan(JobKind kind, List<JobEntity> waiting, Map<SlotGroup, Integer> free) {
        Map<SlotGroup, List<WaitingJob>> byGroup = waiting.stream().map(Dispatcher::toWaiting)
                .collect(Collectors.groupingBy(job -> slots.groupOf(kind, job.tenant())));
        Map<SlotGroup, Integer> wanted = new LinkedHashMap<>();
        for (SlotGroup group : slots.groups(kind)) {
            wanted.put(group, Math.min(free.getOrDefault(group, 0), byGroup.getOrDefault(group, List.of()).size()));
        }
        List<WaitingJob> plan = new ArrayList<>();
        BatchShare.share(wanted, batchSize).forEach((group, share) -> {
            if (share > 0) {
                plan.addAll(planners.computeIfAbsent(group, g -> SchedulerBeans.planner(config.dispatch()))
                        .plan(byGroup.get(group), share));
            }
        });
        return plan;
    }

    /**
     * Locks the chosen rows and dispatches those still dispatchable, all with one statement per kind of write;
     * the work items go into the outbox in the planners' order.
     */
    private Uni<Batch> dispatchPlanned(List<WaitingJob> plan, Writes writes) {
        if (plan.isEmpty()) {
            return Uni.createFrom().item(Batch.none());
        }
        List<UUID> ids = plan.stream().map(WaitingJob::jobId).toList();
        return writes.lock().apply(ids).flatMap(locked -> {
            Instant now = clock.instant();
            Map<UUID, JobEntity> byId = locked.stream().collect(Collectors.toMap(job -> job.id, job -> job));
            List<JobEntity> dispatched = new ArrayList<>(ids.size());
            List<Outcome> outcomes = new ArrayList<>(ids.size());
            for (UUID id : ids) {
                JobEntity job = byId.get(id);
                Outcome outcome = job == null ? Outcome.ignored("job gone or held by another transaction")
                        : lifecycle.dispatch(job, now);
                if (outcome.effect() == Outcome.Effect.DISPATCHED) {
                    dispatched.add(job);
                    outcomes.add(outcome);
                } else {
                    // Changed since the queue was read (canceled, say): it stays as it is, nothing to publish.
                    LOG.debugf("job %s not dispatched: %s", id, outcome.detail());
                }
            }
            return jobs.writeDispatches(dispatched)
                    .chain(() -> writes.record().dispatches(dispatched, outcomes, now))
                    .map(published -> new Batch(true, plan.size(), ids.size() - locked.size(), published));
        });
    }

    /**
     * How a batch locks its chosen rows and records its dispatches.
     *
     * @param lock   locks the rows and detaches them from the session; leaves out those it did not lock
     * @param record stores or gathers the dispatches' log lines and work items; returns those it stored
     */
    private record Writes(Function<List<UUID>, Uni<List<JobEntity>>> lock, Recording record) {
    }

    private interface Recording {
        Uni<Publication> dispatches(List<JobEntity> dispatched, List<Outcome> outcomes, Instant now);
    }

    /**
     * What one dispatch transaction did.
     *
     * @param ran     whether it had the kind's dispatch lock
     * @param chosen  how many jobs the planners chose (some may have changed since and stayed undispatched)
     * @param skipped how many chosen rows were not locked (gone, or held by another transaction)
     */
    private record Batch(boolean ran, int chosen, int skipped, Publication published) {
        static Batch notRun() {
            return new Batch(false, 0, 0, Publication.empty());
        }

        static Batch none() {
            return new Batch(true, 0, 0, Publication.empty());
        }
    }

    private static WaitingJob toWaiting(JobEntity job) {
        return new WaitingJob(job.id, job.tenantId, job.priority, job.queuedAt, job.cost);
    }
}
