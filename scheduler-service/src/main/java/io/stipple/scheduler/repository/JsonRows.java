package io.stipple.scheduler.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Many rows as one statement parameter: a JSON array of objects, which the statement turns back into rows
 * with {@code jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as r(column type, ...)}. So writing N
 * rows is one statement with one text parameter and a fixed SQL text, whatever N, and nothing depends on
 * how Hibernate Reactive binds arrays. (Cast to text first: a string the reactive client binds to a jsonb
 * parameter arrives as one JSON string, not as the array it holds.) Values are strings, numbers, booleans
 * or null; UUIDs and instants go as their ISO text, which Postgres reads back exactly (instants to the
 * microsecond it keeps). Each row also carries its place in the list as column {@code place}, for
 * statements whose order matters: an insert that selects {@code order by r.place} assigns its serial ids in
 * the list's order.
 */
final class JsonRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, Object>> rows;

    JsonRows(int expected) {
        this.rows = new java.util.ArrayList<>(expected);
    }

    /** Starts a row; fill it with {@link Row#put}. */
    Row row() {
        Row row = new Row().put("place", rows.size());
        rows.add(row.columns);
        return row;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    int size() {
        return rows.size();
    }

    /** The parameter's value. */
    String json() {
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rows not writable as JSON", e);
        }
    }

    /** One row's columns, by the names the statement's record definition gives them. */
    static final class Row {
        private final Map<String, Object> columns = new LinkedHashMap<>();

        Row put(String column, Object value) {
            columns.put(column, value instanceof UUID || value instanceof Instant ? value.toString() : value);
            return this;
        }
    }
}
