package io.stipple.cli.api;

/** One Server-Sent Event: its id (for Last-Event-ID), name and data. */
public record SseEvent(String id, String name, String data) {
}
