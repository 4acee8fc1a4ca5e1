package io.stipple.scheduler.repository;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

/**
 * Tells a failure caused by PostgreSQL being away (restarting, unreachable) from one caused by what a
 * transaction wrote: the first fails any transaction alike and passes, the second may be one input's fault.
 */
public final class DatabaseOutages {

    /** SQLSTATE class "connection exception". */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    /** admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down). */
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");

    private DatabaseOutages() {
    }

    /** True when the failure, or one of its causes, says the database cannot be reached or is going away. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith(CONNECTION_EXCEPTION_CLASS) || SERVER_GOING_AWAY.contains(pg.getSqlState()))) {
                return true;
            }
            if (t instanceof ClosedConnectionException || t instanceof ConnectException || t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }
}
