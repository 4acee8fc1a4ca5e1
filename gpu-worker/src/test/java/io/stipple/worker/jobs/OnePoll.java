package io.stipple.worker.jobs;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Work items produced so that the worker takes them in one poll, which is what lets jobs meet in its
 * batcher (a batch waits for the rest of its poll, never for later records). The producer lingers far
 * longer than the sends take, so it sends nothing until {@code flush()}, which puts every partition's
 * records into one request; the broker appends them all before that request answers the worker's waiting
 * fetch. (One send after the other, as the companion does, can split them over requests, and so over
 * polls, when the machine is slow.)
 */
final class OnePoll {

    private OnePoll() {
    }

    static void produce(KafkaCompanion kafka, List<ProducerRecord<String, String>> records) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 600_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
            producer.flush();
            for (Future<RecordMetadata> record : sent) {
                record.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("work items not produced", e);
        }
    }
}
