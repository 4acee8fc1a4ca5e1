package io.stipple.gateway.rest.problem;

import io.stipple.storage.ObjectStoreException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

/**
 * Tells a failure caused by a dependency being away (PostgreSQL restarting, the object store down)
 * from a bug: the first is a 503 the client may retry, the second stays a 500.
 */
final class Outages {

    /** SQLSTATE classes and codes that mean "the server is not there right now", not "your query is wrong". */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    private static final java.util.Set<String> SERVER_GOING_AWAY = java.util.Set.of(
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03"); // cannot_connect_now (starting up or shutting down)

    private Outages() {
    }

    /** The dependency that is away ("the database", "the object store"), or null when this is not an outage. */
    static String dependencyAway(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ObjectStoreException) {
                return "the object store";
            }
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith(CONNECTION_EXCEPTION_CLASS) || SERVER_GOING_AWAY.contains(pg.getSqlState()))) {
                return "the database";
            }
            if (t instanceof ClosedConnectionException || t instanceof ConnectException || t instanceof ClosedChannelException
                    || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return "the database";
            }
        }
        return null;
    }
}
