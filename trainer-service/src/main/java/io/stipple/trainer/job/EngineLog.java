package io.stipple.trainer.job;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The engine's training lines (resume, per-50-step loss) as service log records tagged with the job, one per line. */
final class EngineLog {

    private static final Logger LOG = Logger.getLogger(FineTuneRunner.class);

    private EngineLog() {
    }

    static PrintStream of(UUID jobId) {
        return new PrintStream(new ByteArrayOutputStream() {
            @Override
            public synchronized void flush() {
                String text = toString(StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                if (end < 0) {
                    return; // PrintStream flushes mid-line too; wait for the line's end
                }
                reset();
                byte[] rest = text.substring(end + 1).getBytes(StandardCharsets.UTF_8);
                write(rest, 0, rest.length);
                text.substring(0, end).lines().filter(line -> !line.isBlank())
                        .forEach(line -> LOG.infof("job %s: %s", jobId, line));
            }
        }, true, StandardCharsets.UTF_8);
    }
}
