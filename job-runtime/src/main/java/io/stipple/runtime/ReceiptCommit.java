package io.stipple.runtime;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Commit strategy {@value #STRATEGY} of the work channels: an acknowledged work item's offset is
 * committed at once, and the acknowledgement completes when the broker has confirmed the commit.
 * {@link WorkItemReceiver} acknowledges an item when it is held, and {@link JobReporter} sends the
 * attempt's terminal event only after that confirmation: a process that dies after reporting a job's
 * end can no longer leave its item uncommitted, so Kafka never hands a finished attempt to the next
 * process to run again. (SmallRye's {@code throttled} strategy commits every 5 s: a worker killed
 * within that time of a job's end had the job run twice on the same attempt.) Work items are few
 * and each runs for a while, so a commit per item costs nothing that matters.
 */
@ApplicationScoped
@Identifier(ReceiptCommit.STRATEGY)
public class ReceiptCommit implements KafkaCommitHandler.Factory {

    /** The value of a channel's {@code commit-strategy} attribute that selects this strategy. */
    public static final String STRATEGY = "receipt";

    @Override
    public KafkaCommitHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        return new Handler(consumer);
    }

    /** One consumer's commits: per partition, the highest offset asked for and the commit that carries it. */
    static final class Handler implements KafkaCommitHandler {

        private final KafkaConsumer<?, ?> consumer;
        private final Map<TopicPartition, Commit> latest = new HashMap<>();

        Handler(KafkaConsumer<?, ?> consumer) {
            this.consumer = consumer;
        }

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
            TopicPartition partition = new TopicPartition(record.getTopic(), record.getPartition());
            long next = record.getOffset() + 1;
            Commit commit;
            // Asked for in offset order under the lock, and the polling thread runs them in that order, so a
            // partition's committed offset never goes back; an item below the latest is covered by its commit.
            synchronized (this) {
                commit = latest.get(partition);
                if (commit == null || commit.offset() < next) {
                    commit = new Commit(next, consumer.commitAsync(Map.of(partition, new OffsetAndMetadata(next)))
                            .subscribeAsCompletionStage());
                    latest.put(partition, commit);
                }
            }
            return Uni.createFrom().completionStage(commit.done());
        }

        @Override
        public synchronized void partitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(latest::remove);
        }

        private record Commit(long offset, CompletionStage<Void> done) {
        }
    }
}
