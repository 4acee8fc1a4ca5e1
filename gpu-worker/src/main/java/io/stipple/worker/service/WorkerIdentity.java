package io.stipple.worker.service;

import io.stipple.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;

/** This process's worker id: configured, or the host name (one worker per container). */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;

    WorkerIdentity(WorkerConfig config) {
        this.id = config.id().orElseGet(WorkerIdentity::hostName);
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "gpu-worker";
        }
    }
}
