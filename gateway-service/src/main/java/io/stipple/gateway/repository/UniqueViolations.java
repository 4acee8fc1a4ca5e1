package io.stipple.gateway.repository;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL's unique violation (SQLSTATE 23505): here, an Idempotency-Key stored twice. */
public final class UniqueViolations {

    private static final String UNIQUE_VIOLATION = "23505";

    private UniqueViolations() {
    }

    public static boolean is(Throwable e) {
        return e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }
}
