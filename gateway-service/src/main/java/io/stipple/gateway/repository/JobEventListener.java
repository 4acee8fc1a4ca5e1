package io.stipple.gateway.repository;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;
import java.util.function.ObjLongConsumer;

/**
 * LISTENs on {@link JobViewRepository#EVENTS_CHANNEL}, where every event appended to a job's log is announced
 * when its transaction commits ({@code pg_notify} in the insert's statement), so that each gateway replica
 * hears of a job's events whichever replica's status projection wrote them. One connection of its own,
 * opened when a stream first needs it (an administration command never opens it) and reopened every second
 * after a loss. Notifications sent while it was away are lost, so it reports every (re)subscription to
 * {@code onListening}: whoever waits for one looks again then.
 *
 * <p>A notification's payload is the job id and the event's id ({@code "<job> <id>"}); a payload of the job id alone
 * (from a gateway before that) is reported with {@link #UNKNOWN_EVENT}.
 */
@ApplicationScoped
public class JobEventListener {

    private static final Logger LOG = Logger.getLogger(JobEventListener.class);
    private static final long RECONNECT_MILLIS = 1000;
    /** The event id reported for a notification that names none: above any id a stream has read. */
    public static final long UNKNOWN_EVENT = Long.MAX_VALUE;

    private final Vertx vertx;
    private final PgConnectOptions options;
    /** The open subscription, or null until the first {@link #start}; guarded by this. */
    private PgSubscriber subscriber;

    public JobEventListener(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        // Quarkus takes a comma-separated list of servers and a "vertx-reactive:" prefix; one server is enough here.
        this.options = PgConnectOptions.fromUri(url.split(",")[0].trim().replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
    }

    /**
     * Starts listening unless it does already; returns at once.
     *
     * @param onEvent called with the job id and the event's id for each notification
     */
    public synchronized void start(ObjLongConsumer<UUID> onEvent, Runnable onListening) {
        if (subscriber != null) {
            return;
        }
        PgSubscriber opened = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> RECONNECT_MILLIS);
        opened.channel(JobViewRepository.EVENTS_CHANNEL)
                .subscribeHandler(ignored -> onListening.run())
                .handler(payload -> {
                    int space = payload.indexOf(' ');
                    if (space < 0) {
                        onEvent.accept(UUID.fromString(payload), UNKNOWN_EVENT);
                    } else {
                        onEvent.accept(UUID.fromString(payload.substring(0, space)),
                                Long.parseLong(payload.substring(space + 1)));
                    }
                });
        subscriber = opened;
        opened.connect().onFailure(e -> {
            LOG.warnf("cannot listen for job events (%s); event streams poll until a later stream tries again",
                    e.getMessage());
            forget(opened);
        });
    }

    private synchronized void forget(PgSubscriber failed) {
        if (subscriber == failed) {
            subscriber = null;
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (subscriber != null) {
            subscriber.close();
            subscriber = null;
        }
    }
}
