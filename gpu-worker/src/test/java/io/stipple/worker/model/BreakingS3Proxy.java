package io.stipple.worker.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of the real S3 server that breaks off downloads the way a network blip or a
 * restarting store does: while it is breaking, the response to a request that starts with
 * {@code brokenRequest} (e.g. {@code GET /bucket/models/m/1/}) is cut after {@code keptBytes}, so
 * the client has the headers and part of the body, then the connection ends. Everything else, the
 * listing included, passes through untouched.
 */
final class BreakingS3Proxy implements AutoCloseable {

    private final ServerSocket server;
    private final URI upstream;
    private final String brokenRequest;
    private final int keptBytes;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "breaking-s3-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean breaking = true;

    BreakingS3Proxy(URI upstream, String brokenRequest, int keptBytes) throws IOException {
        this.upstream = upstream;
        this.brokenRequest = brokenRequest;
        this.keptBytes = keptBytes;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** From now on every request passes through whole. */
    void heal() {
        breaking = false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> relay(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Requests client -> store on this thread, responses store -> client on another. */
    private void relay(Socket client) {
        try (client; Socket store = new Socket(upstream.getHost(), upstream.getPort())) {
            AtomicLong relayed = new AtomicLong();
            AtomicLong cutAt = new AtomicLong(Long.MAX_VALUE);
            threads.execute(() -> relayResponses(store, client, relayed, cutAt));
            InputStream in = client.getInputStream();
            OutputStream out = store.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                // HTTP/1.1 without pipelining: a request is sent once the previous response has
                // arrived, so this request's response starts at the bytes relayed so far.
                if (breaking && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).startsWith(brokenRequest)) {
                    cutAt.set(relayed.get() + keptBytes);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side closed the connection: the relay ends with it.
        }
    }

    private static void relayResponses(Socket store, Socket client, AtomicLong relayed, AtomicLong cutAt) {
        try (store; client) {
            InputStream in = store.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                long allowed = cutAt.get() - relayed.get();
                if (allowed < n) {
                    out.write(buffer, 0, (int) Math.max(0, allowed));
                    out.flush();
                    return; // closing both ends the download partway
                }
                out.write(buffer, 0, n);
                out.flush();
                relayed.addAndGet(n);
            }
        } catch (IOException e) {
            // One side closed the connection: the relay ends with it.
        }
    }
}
