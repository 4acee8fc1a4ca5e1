package io.stipple.scheduler.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.stipple.consumer.OutageLog;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The instant up to which the scheduler has applied every worker event: each event written to the events
 * topic before it has been handled and committed by the worker-event consumer. The lease reaper expires
 * only leases that ran out before it ({@code LeaseReaper}), so a lease is never given up while an event
 * that renewed it waits unread, or unapplied, behind a backlog.
 *
 * <p>How: a <em>fence</em> is the events topic's end offsets, read at an instant T. Once the consumer
 * group's committed offsets reach the fence on every partition, every event written before T is applied
 * (a committed offset means handled and committed to the database, the consumers acknowledge only then),
 * so the watermark moves to T and a new fence is read. With the consumer caught up, that is a round or two
 * (the reaper's period plus the channel's commit interval); with a backlog, it is the backlog's age.
 * <em>Why offsets, not lag or timestamps:</em> a consumer lag of 0 is rarely seen on a busy topic (the
 * reaper would never run), and the timestamp of the last record applied says nothing about a partition
 * that is idle. Committed offsets are the group's, so the same holds with replicas, whoever owns a
 * partition. Costs two or three small admin requests per round. While the broker cannot be asked (it is
 * away), the watermark stands still: the workers' heartbeats cannot reach the scheduler then either, so
 * their leases must not be judged.
 */
@ApplicationScoped
public class WorkerEventWatermark {

    private static final Logger LOG = Logger.getLogger(WorkerEventWatermark.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final String topic;
    private final String group;
    private final Clock clock;
    private final OutageLog outage = new OutageLog(LOG, "reading the worker events' offsets");
    private volatile Instant appliedUpTo;
    private Fence fence;

    public WorkerEventWatermark(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "mp.messaging.incoming.job-events.topic") String topic,
            @ConfigProperty(name = "mp.messaging.incoming.job-events.group.id") String group, Clock clock) {
        Map<String, Object> config = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        this.admin = Admin.create(config);
        this.topic = topic;
        this.group = group;
        this.clock = clock;
    }

    /** Every worker event written before this instant is applied; empty until the first fence is passed. */
    public Optional<Instant> appliedUpTo() {
        return Optional.ofNullable(appliedUpTo);
    }

    /** Moves the watermark when the consumer passed the fence, then sets the next one. Blocking: a worker thread. */
    @Scheduled(every = "${scheduler.lease.reaper-period}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "worker-event-watermark")
    void advance() {
        try {
            if (fence == null || fence.passedBy(committedOffsets())) {
                if (fence != null) {
                    appliedUpTo = fence.takenAt();
                }
                Instant takenAt = clock.instant();   // before reading: every record written before it is below the offsets
                fence = new Fence(takenAt, endOffsets());
            }
            outage.succeeded();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            outage.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<TopicPartition, Long> endOffsets() throws ExecutionException, InterruptedException, TimeoutException {
        List<TopicPartition> partitions = await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic)
                .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        return offsets(partitions, OffsetSpec.latest());
    }

    /**
     * The group's committed offset per partition of the events topic; for a partition it never committed, the
     * log's start (nothing there is unread; with {@code auto.offset.reset=earliest} the consumer starts there).
     */
    private Map<TopicPartition, Long> committedOffsets() throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (partition.topic().equals(topic) && offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        List<TopicPartition> neverCommitted = fence.endOffsets().keySet().stream()
                .filter(partition -> !offsets.containsKey(partition)).toList();
        if (!neverCommitted.isEmpty()) {
            offsets.putAll(offsets(neverCommitted, OffsetSpec.earliest()));
        }
        return offsets;
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        return await(admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec))).all())
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static <T> T await(KafkaFuture<T> future) throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ZERO);
    }

    /** The events topic's end offsets read at {@code takenAt}. */
    private record Fence(Instant takenAt, Map<TopicPartition, Long> endOffsets) {

        boolean passedBy(Map<TopicPartition, Long> committed) {
            return endOffsets.entrySet().stream()
                    .allMatch(end -> committed.getOrDefault(end.getKey(), -1L) >= end.getValue());
        }
    }
}
