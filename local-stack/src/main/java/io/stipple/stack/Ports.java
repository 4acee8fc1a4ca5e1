package io.stipple.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Port probing on the loopback interface, where every part of the stack listens. */
public final class Ports {

    private Ports() {
    }

    /** Every port {@link #free()} has answered in this JVM. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port that was free a moment ago (another process may still grab it before we bind it), and that this JVM
     * has not handed out before. Without that memory two calls in a row could answer the same port, since the
     * probe's socket is closed at once and the kernel may hand its port out again before the first caller's
     * service binds it: a gateway given one port for both HTTP and HTTPS did not start (a CI run, 7 December 2026).
     */
    public static int free() {
        for (int probe = 0; probe < 1000; probe++) {
            int port = probe();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the kernel kept answering ports this JVM has already handed out");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
