package io.stipple.stack.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Assertions;

/**
 * Collects the lines one logger writes while a test runs, so a test can assert on what an operator would
 * read (an outage logged once when it starts and once when it ends, not every round). A handler added to
 * that logger alone: the service's own handlers and levels are untouched. Close it to remove it.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** One logged line: its level and its message with the parameters filled in. */
    public record Line(Level level, String message) {

        boolean is(Level wanted) {
            return level.intValue() == wanted.intValue();
        }
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    /** Starts collecting what the logger named after {@code loggerClass} writes at its enabled levels. */
    public static LogCapture of(Class<?> loggerClass) {
        LogCapture capture = new LogCapture(Logger.getLogger(loggerClass.getName()));
        capture.logger.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        // JBoss Logging's printf-style lines keep their pattern in getMessage(); the record formats itself.
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        lines.add(new Line(record.getLevel(), message));
    }

    /** Every line so far, in order. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /**
     * The messages logged at {@code level} (JBoss or {@code java.util.logging} levels, compared by value:
     * JBoss's WARN is JUL's WARNING).
     */
    public List<String> messages(Level level) {
        return lines.stream().filter(line -> line.is(level)).map(Line::message).toList();
    }

    /**
     * Asserts that exactly one line was logged at {@code level} and that it starts with {@code start}
     * (an outage logged once when it begins, once when it ends); returns it.
     */
    public String onlyLine(Level level, String start) {
        List<String> messages = messages(level);
        Assertions.assertEquals(1, messages.size(), "one line at " + level + ", got: " + messages);
        Assertions.assertTrue(messages.get(0).startsWith(start), "expected \"" + start + "...\", got: " + messages.get(0));
        return messages.get(0);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
