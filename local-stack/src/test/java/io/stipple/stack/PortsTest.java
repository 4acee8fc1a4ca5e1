package io.stipple.stack;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PortsTest {

    @Test
    void freeNeverAnswersTheSamePortTwiceInOneJvm() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int port = Ports.free();
            assertTrue(port > 0 && port < 65536, "a port: " + port);
            assertTrue(seen.add(port), "port " + port + " answered twice, after " + i + " others");
        }
    }
}
