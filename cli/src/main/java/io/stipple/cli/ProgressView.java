package io.stipple.cli;

import io.stipple.cli.api.JobEvent;
import io.stipple.cli.api.Progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;

/**
 * Shows a job's events as they come: one line per state change and a progress bar per stage
 * (with the loss for training). On a terminal the bar of the current stage is redrawn in place;
 * otherwise (a pipe, a log file, a test) every progress event is its own line. Another event that carries
 * a step not yet shown draws it first: a job's success carries its last step, which the worker sends with
 * it rather than as a progress event of its own.
 */
final class ProgressView {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean redraw;
    private String barStage;
    private Progress shown;

    ProgressView(PrintWriter out, boolean redraw) {
        this.out = out;
        this.redraw = redraw;
    }

    void show(JobEvent event) {
        if ("progress".equals(event.type()) && event.progress() != null) {
            bar(event.progress());
            return;
        }
        if (event.progress() != null && !sameStep(event.progress(), shown)) {
            bar(event.progress());
        }
        endBar();
        StringBuilder line = new StringBuilder(event.type().replace('_', ' '));
        if ("running".equals(event.type()) && event.attempt() > 1) {
            line.append(" (attempt ").append(event.attempt()).append(')');
        }
        if (event.error() != null) {
            line.append(": ").append(event.error().reason());
        } else if (event.detail() != null && !event.detail().isBlank()) {
            line.append(": ").append(event.detail());
        }
        out.println(line);
        out.flush();
    }

    private void bar(Progress progress) {
        String stage = progress.stage() == null ? "progress" : progress.stage();
        if (barStage != null && !barStage.equals(stage)) {
            endBar();
        }
        barStage = stage;
        shown = progress;
        out.print((redraw ? "\r" : "") + render(progress, stage));
        if (!redraw) {
            out.println();
        }
        out.flush();
    }

    static String render(Progress progress, String stage) {
        int filled = progress.total() == 0 ? 0 : (int) Math.round((double) WIDTH * progress.step() / progress.total());
        String text = String.format(Locale.ROOT, "%-12s [%s%s] %d/%d", stage, "#".repeat(filled), "-".repeat(WIDTH - filled),
                progress.step(), progress.total());
        if (progress.loss() != null) {
            text += String.format(Locale.ROOT, "  loss %.5f", progress.loss());
        }
        return text;
    }

    private static boolean sameStep(Progress a, Progress b) {
        return b != null && a.step() == b.step() && a.total() == b.total() && Objects.equals(a.stage(), b.stage());
    }

    /** Leaves the current bar's line as it is and moves on. */
    private void endBar() {
        if (barStage != null && redraw) {
            out.println();
        }
        barStage = null;
    }
}
