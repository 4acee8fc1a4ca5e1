package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.cli.api.JobEvent;
import io.stipple.cli.api.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

    private final StringWriter text = new StringWriter();
    private final ProgressView view = new ProgressView(new PrintWriter(text), false);

    private static JobEvent event(String type, Progress progress) {
        return new JobEvent(type, type, 1, progress, null, null, "2026-12-07T08:00:00Z", null);
    }

    @Test
    void aSuccessCarryingTheLastStepFinishesTheBarBeforeItsLine() {
        view.show(event("running", null));
        view.show(event("progress", new Progress(12, 20, "base", null, null)));
        view.show(event("succeeded", new Progress(20, 20, "base", null, null)));

        List<String> lines = text.toString().lines().toList();
        assertEquals(4, lines.size(), text::toString);
        assertEquals("running", lines.get(0));
        assertEquals("base         [" + "#".repeat(18) + "-".repeat(12) + "] 12/20", lines.get(1));
        assertEquals("base         [" + "#".repeat(30) + "] 20/20", lines.get(2));
        assertEquals("succeeded", lines.get(3));
    }

    @Test
    void aStepAlreadyShownIsNotDrawnAgain() {
        view.show(event("progress", new Progress(20, 20, "base", null, null)));
        view.show(event("succeeded", new Progress(20, 20, "base", null, null)));

        assertEquals(List.of("base         [" + "#".repeat(30) + "] 20/20", "succeeded"), text.toString().lines().toList());
    }
}
