package io.stipple.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KafkaRecordTimesTest {

    private static final TopicPartition PARTITION = new TopicPartition("stipple.jobs.requests", 2);
    private static final String KEY = "9d3bd0ca-02a0-4217-bd0f-e5a52a4b76cb";

    private final KafkaRecordTimes times = new KafkaRecordTimes();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger category = Logger.getLogger(KafkaRecordTimes.CATEGORY);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(((ExtLogRecord) record).getFormattedMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheCategory() {
        category.addHandler(capture);
    }

    @AfterEach
    void release() {
        category.removeHandler(capture);
        category.setLevel(null);
    }

    @Test
    void aPolledRecordIsLoggedWithItsKeyAndTheTimeSinceItsSend() {
        category.setLevel(Level.DEBUG);
        long sentAt = System.currentTimeMillis() - 250;
        ConsumerRecords<Object, Object> records = polled(sentAt);

        assertSame(records, times.onConsume(records));

        assertEquals(1, lines.size(), lines.toString());
        Matcher line = Pattern.compile("kafka polled stipple\\.jobs\\.requests-2@11 key " + KEY + ", (\\d+) ms after its send")
                .matcher(lines.get(0));
        assertTrue(line.matches(), lines.get(0));
        long delay = Long.parseLong(line.group(1));
        assertTrue(delay >= 250 && delay < 60_000, "delay " + delay);
    }

    @Test
    void aSendAndItsAcknowledgementAreLogged() {
        category.setLevel(Level.DEBUG);
        ProducerRecord<Object, Object> record = new ProducerRecord<>(PARTITION.topic(), KEY, "{}");

        assertSame(record, times.onSend(record));
        times.onAcknowledgement(new RecordMetadata(PARTITION, 11, 0, System.currentTimeMillis() - 40, 36, 2), null);
        // a failed send has no offset: nothing to line up
        times.onAcknowledgement(new RecordMetadata(PARTITION, -1, 0, -1, -1, -1), new IllegalStateException("down"));

        assertEquals(2, lines.size(), lines.toString());
        assertEquals("kafka sending stipple.jobs.requests key " + KEY, lines.get(0));
        assertTrue(lines.get(1).matches("kafka acknowledged stipple\\.jobs\\.requests-2@11, \\d+ ms after its send"), lines.get(1));
    }

    @Test
    void withDebugOffNothingIsLogged() {
        category.setLevel(Level.INFO);

        times.onSend(new ProducerRecord<>(PARTITION.topic(), KEY, "{}"));
        times.onConsume(polled(System.currentTimeMillis()));

        assertEquals(List.of(), lines);
    }

    /** What the services configure: Kafka instantiates the class as either kind of interceptor (a wrong type throws). */
    @Test
    void kafkaTakesItAsProducerAndConsumerInterceptor() {
        Map<String, Object> common = Map.of("bootstrap.servers", "127.0.0.1:9",
                "interceptor.classes", KafkaRecordTimes.class.getName());
        try (var producer = new KafkaProducer<>(with(common, Map.of()), new StringSerializer(), new StringSerializer());
                var consumer = new KafkaConsumer<>(with(common, Map.of("group.id", "times-test")),
                        new StringDeserializer(), new StringDeserializer())) {
            assertTrue(producer.metrics() != null && consumer.metrics() != null);
        }
    }

    private static Map<String, Object> with(Map<String, Object> common, Map<String, Object> more) {
        var all = new java.util.HashMap<>(common);
        all.putAll(more);
        return all;
    }

    private static ConsumerRecords<Object, Object> polled(long sentAt) {
        ConsumerRecord<Object, Object> record = new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 11, sentAt,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 36, 2, KEY, "{}",
                new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
        return new ConsumerRecords<>(Map.of(PARTITION, List.of(record)), Map.of());
    }
}
