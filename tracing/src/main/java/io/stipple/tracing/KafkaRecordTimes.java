package io.stipple.tracing;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * When Kafka's own client threads see a record, as DEBUG lines of category {@value #CATEGORY}: a producer's
 * send (on the thread that called it), the broker's acknowledgement (on the producer's network thread), and a
 * consumer's poll returning it (on the connector's polling thread, before the record is handed to the
 * application). The acknowledgement and the poll give the time since the record's timestamp, which the producer
 * set at the send; across machines that includes their clock skew. Lined up with a service's own log lines for
 * the same job (records are keyed by job id), these split a job's hop between two services into the sender's
 * time before the send, Kafka's share (send to poll) and the receiver's time after it
 * ({@code benchmarks/e2e-hops.py}).
 *
 * <p>Registered for both kinds of client with the connector-wide {@code interceptor.classes}; with DEBUG off
 * each call is one level check.
 */
public class KafkaRecordTimes implements ProducerInterceptor<Object, Object>, ConsumerInterceptor<Object, Object> {

    /** The log category, all lower case so that an environment variable can set its level. */
    public static final String CATEGORY = "io.stipple.tracing.kafka";

    private static final Logger LOG = Logger.getLogger(CATEGORY);

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("kafka sending %s key %s", record.topic(), record.key());
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (LOG.isDebugEnabled() && exception == null && metadata != null && metadata.hasOffset()) {
            LOG.debugf("kafka acknowledged %s-%d@%d, %d ms after its send", metadata.topic(), metadata.partition(),
                    metadata.offset(), System.currentTimeMillis() - metadata.timestamp());
        }
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        if (LOG.isDebugEnabled()) {
            long now = System.currentTimeMillis();
            for (ConsumerRecord<Object, Object> record : records) {
                LOG.debugf("kafka polled %s-%d@%d key %s, %d ms after its send", record.topic(), record.partition(),
                        record.offset(), record.key(), now - record.timestamp());
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
