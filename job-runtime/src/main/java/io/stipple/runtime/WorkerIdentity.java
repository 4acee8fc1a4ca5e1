package io.stipple.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;

/** This process's worker id in job events: configured ({@code stipple.runtime.worker-id}), or the host name. */
@ApplicationScoped
public class WorkerIdentity {

    private final String id;

    @Inject
    WorkerIdentity(RuntimeConfig config) {
        this(config.workerId().orElseGet(WorkerIdentity::hostName));
    }

    public WorkerIdentity(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "worker";
        }
    }
}
