package io.stipple.cli.api;

import java.util.function.Consumer;

/**
 * Turns the lines of a {@code text/event-stream} into events, as the HTML standard's event-stream
 * interpretation says: {@code field: value} lines accumulate, a blank line dispatches, lines
 * starting with {@code :} are comments, several {@code data} lines join with a newline.
 */
final class SseParser {

    private final Consumer<SseEvent> sink;
    private String id;
    private String name;
    private StringBuilder data;

    SseParser(Consumer<SseEvent> sink) {
        this.sink = sink;
    }

    void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> name = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // retry and unknown fields: nothing to do for a client that reconnects on its own terms
            }
        }
    }

    /** Dispatches what is pending (a stream may end without the final blank line). */
    void end() {
        dispatch();
    }

    private void dispatch() {
        if (data != null) {
            sink.accept(new SseEvent(id, name == null ? "message" : name, data.toString()));
        }
        name = null;
        data = null;
        // the id persists: it is the stream's last event id, not the event's own field only
    }
}
