package io.stipple.stack;

import io.stipple.stack.StackEndpoints.Client;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The four services ({@code stipple run} and the e2e tests start them over a stack) and what each
 * connects to, so that each is given only the settings it reads ({@link #config}).
 */
public enum StippleService {
    GATEWAY("gateway", "gateway-service", EnumSet.of(Client.KAFKA, Client.POSTGRES_JDBC, Client.POSTGRES_REACTIVE, Client.S3)),
    SCHEDULER("scheduler", "scheduler-service", EnumSet.of(Client.KAFKA, Client.POSTGRES_JDBC, Client.POSTGRES_REACTIVE)),
    GPU_WORKER("gpu-worker", "gpu-worker", EnumSet.of(Client.KAFKA, Client.S3)),
    /** Plain JDBC for its registry (and Flyway), no reactive client. */
    TRAINER("trainer", "trainer-service", EnumSet.of(Client.KAFKA, Client.POSTGRES_JDBC, Client.S3));

    private final String displayName;
    private final String module;
    private final Set<Client> clients;

    StippleService(String displayName, String module, Set<Client> clients) {
        this.displayName = displayName;
        this.module = module;
        this.clients = clients;
    }

    /** Its short name, as in logs ({@code <name>.log}) and the run's listing. */
    public String displayName() {
        return displayName;
    }

    /** Its Maven module, which builds {@code <module>/target/quarkus-app/quarkus-run.jar}. */
    public String module() {
        return module;
    }

    public Set<Client> clients() {
        return EnumSet.copyOf(clients);
    }

    /** The stack's settings this service reads. */
    public Map<String, String> config(StackEndpoints endpoints) {
        return endpoints.quarkusConfig(clients);
    }

    public static StippleService ofModule(String module) {
        return Arrays.stream(values()).filter(s -> s.module.equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Stipple service in module " + module));
    }
}
