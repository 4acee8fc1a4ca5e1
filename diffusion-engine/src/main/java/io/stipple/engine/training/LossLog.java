package io.stipple.engine.training;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loss curve as CSV ({@code step,loss,gradient_norm,learning_rate}), appended one row per
 * step. Opening it for a resumed run drops rows at or after the resume step, so the file matches
 * an uninterrupted run.
 */
public final class LossLog implements AutoCloseable {

    static final String HEADER = "step,loss,gradient_norm,learning_rate";

    private final BufferedWriter writer;
    private final List<StepResult> rows;

    private LossLog(BufferedWriter writer, List<StepResult> rows) {
        this.writer = writer;
        this.rows = rows;
    }

    /** Opens {@code file}, keeping the rows of steps before {@code resumeStep}. */
    public static LossLog open(Path file, long resumeStep) throws IOException {
        List<StepResult> kept = new ArrayList<>();
        if (Files.exists(file)) {
            for (StepResult row : read(file)) {
                if (row.step() < resumeStep) {
                    kept.add(row);
                }
            }
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        LossLog log = new LossLog(writer, new ArrayList<>());
        writer.write(HEADER);
        writer.newLine();
        for (StepResult row : kept) {
            log.append(row);
        }
        return log;
    }

    public static List<StepResult> read(Path file) throws IOException {
        List<StepResult> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("step")) {
                continue;
            }
            String[] f = line.split(",");
            rows.add(new StepResult(Long.parseLong(f[0]), Float.parseFloat(f[1]), Float.parseFloat(f[2]),
                    Float.parseFloat(f[3])));
        }
        return rows;
    }

    public void append(StepResult row) {
        try {
            writer.write(String.format(Locale.ROOT, "%d,%.6g,%.6g,%.6g", row.step(), row.loss(), row.gradientNorm(),
                    row.learningRate()));
            writer.newLine();
            rows.add(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() throws IOException {
        writer.flush();
    }

    /** Every row of this run, including those kept from before a resume. */
    public List<StepResult> rows() {
        return List.copyOf(rows);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
