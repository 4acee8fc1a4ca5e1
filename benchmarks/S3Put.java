import io.stipple.storage.ObjectStore;
import io.stipple.storage.StorageSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The yardstick of a job's upload (benchmarks/e2e-overhead.sh): what the worker's `upload` step would cost if it were
 * nothing but the store's. Through the services' own client ({@link ObjectStore}, the MinIO client on our OkHttp
 * client), one object of a 16x16 PNG's size at a time, then two side by side as the worker writes an image and its
 * sidecar: both on a pool ("pair", the worker before the workerpath session), and one on the pool while the calling
 * thread puts the other ("pair_caller", the worker's ResultWriter since), 50 ms apart, in turn; medians in ms.
 * Prints one JSON line.
 *
 * <p>Usage: java -cp GPU_WORKER_LIBS benchmarks/S3Put.java ENDPOINT ACCESS_KEY SECRET_KEY BUCKET REGION [PUTS=100]
 */
public class S3Put {

    public static void main(String[] args) throws Exception {
        StorageSettings settings = new StorageSettings(args[0], args[1], args[2], args[3], args[4], args[0]);
        int puts = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        int warmup = args.length > 6 ? Integer.parseInt(args[6]) : 20;
        byte[] image = new byte[900];
        byte[] sidecar = new byte[600];
        new Random(7).nextBytes(image);
        new Random(8).nextBytes(sidecar);
        String prefix = "bench/put-" + UUID.randomUUID() + "/";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ObjectStore store = new ObjectStore(settings)) {
            List<Double> lone = new ArrayList<>();
            List<Double> pair = new ArrayList<>();
            List<Double> pairCaller = new ArrayList<>();
            for (int i = 0; i < warmup + puts; i++) {
                long start = System.nanoTime();
                store.put(prefix + "lone-" + i + ".png", image, "image/png");
                double loneMillis = (System.nanoTime() - start) / 1e6;
                Thread.sleep(50);
                int n = i;
                start = System.nanoTime();
                CompletableFuture<Void> first = CompletableFuture.runAsync(
                        () -> store.put(prefix + "pair-" + n + ".png", image, "image/png"), pool);
                CompletableFuture<Void> second = CompletableFuture.runAsync(
                        () -> store.put(prefix + "pair-" + n + ".json", sidecar, "application/json"), pool);
                CompletableFuture.allOf(first, second).join();
                double pairMillis = (System.nanoTime() - start) / 1e6;
                Thread.sleep(50);
                start = System.nanoTime();
                CompletableFuture<Void> onPool = CompletableFuture.runAsync(
                        () -> store.put(prefix + "caller-" + n + ".json", sidecar, "application/json"), pool);
                store.put(prefix + "caller-" + n + ".png", image, "image/png");
                onPool.join();
                double pairCallerMillis = (System.nanoTime() - start) / 1e6;
                Thread.sleep(50);
                if (i >= warmup) {
                    lone.add(loneMillis);
                    pair.add(pairMillis);
                    pairCaller.add(pairCallerMillis);
                }
            }
            System.out.printf("{\"s3_put\":{\"puts\":%d,\"lone_ms_p50\":%.2f,\"lone_ms_p90\":%.2f,"
                            + "\"pair_ms_p50\":%.2f,\"pair_ms_p90\":%.2f,\"pair_caller_ms_p50\":%.2f,"
                            + "\"pair_caller_ms_p90\":%.2f}}%n",
                    puts, percentile(lone, 50), percentile(lone, 90), percentile(pair, 50), percentile(pair, 90),
                    percentile(pairCaller, 50), percentile(pairCaller, 90));
        } finally {
            pool.shutdown();
        }
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
