package io.stipple.cli.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseParserTest {

    @Test
    void parsesNamedEventsWithIdsCommentsAndMultiLineData() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        List.of(": keep-alive", "id: 7", "event: progress", "data: {\"a\":", "data:1}", "", "",
                "id: 8", "event: succeeded", "data: {}", "").forEach(parser::line);
        parser.line("data: tail without a blank line");
        parser.end();

        assertEquals(List.of(new SseEvent("7", "progress", "{\"a\":\n1}"), new SseEvent("8", "succeeded", "{}"),
                new SseEvent("8", "message", "tail without a blank line")), events);
    }
}
