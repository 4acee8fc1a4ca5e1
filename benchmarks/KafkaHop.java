import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The yardstick of a job's hop between two services (benchmarks/e2e-overhead.sh): one lone record at a time, keyed,
 * through the broker with the services' client settings (acks=all, idempotence, linger.ms=0, a group consumer
 * polling with the connector's 100 ms poll-timeout): the time from the send to the broker's acknowledgement and to
 * the consumer's poll returning the record. Prints one JSON line.
 *
 * <p>Usage: java -cp KAFKA_CLIENT_JARS benchmarks/KafkaHop.java BOOTSTRAP [RECORDS=100] [GAP_MS=50]
 */
public class KafkaHop {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long gapMillis = args.length > 2 ? Long.parseLong(args[2]) : 50;
        int warmup = 20;
        String topic = "stipple.bench.hop-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                run(bootstrap, topic, records, warmup, gapMillis);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void run(String bootstrap, String topic, int records, int warmup, long gapMillis) throws Exception {
        Properties producerConfig = new Properties();
        producerConfig.putAll(Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", "true",
                "linger.ms", "0", "key.serializer", StringSerializer.class.getName(),
                "value.serializer", StringSerializer.class.getName()));
        Properties consumerConfig = new Properties();
        consumerConfig.putAll(Map.of("bootstrap.servers", bootstrap, "group.id", topic, "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", StringDeserializer.class.getName()));
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> polled = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch assigned = new CountDownLatch(1);
        Thread polling = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
                consumer.subscribe(List.of(topic));
                while (!Thread.currentThread().isInterrupted()) {
                    var batch = consumer.poll(Duration.ofMillis(100));
                    long now = System.nanoTime();
                    if (!consumer.assignment().isEmpty()) {
                        assigned.countDown();
                    }
                    for (ConsumerRecord<String, String> record : batch) {
                        Long sent = sentAt.remove(record.value());
                        if (sent != null) {
                            polled.add(now - sent);
                        }
                    }
                }
            } catch (InterruptException e) {
                // asked to stop
            }
        }, "hop-consumer");
        polling.start();
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the consumer got no partitions within 60 s");
        }
        List<Long> acknowledged = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            for (int i = 0; i < warmup + records; i++) {
                String value = (i < warmup ? "warm-up " : "record ") + i;
                long start = System.nanoTime();
                if (i >= warmup) {
                    sentAt.put(value, start);
                }
                producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString(), value)).get();
                if (i >= warmup) {
                    acknowledged.add(System.nanoTime() - start);
                }
                Thread.sleep(gapMillis);
            }
        }
        Thread.sleep(500);
        polling.interrupt();
        polling.join();
        System.out.printf("{\"kafka_hop\":{\"records\":%d,\"send_to_ack\":%s,\"send_to_polled\":%s}}%n", records,
                summary(acknowledged), summary(polled));
    }

    private static String summary(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return "null";
        }
        return String.format("{\"median_ms\":%.2f,\"p90_ms\":%.2f,\"max_ms\":%.2f,\"records\":%d}",
                sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 9 / 10) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }
}
