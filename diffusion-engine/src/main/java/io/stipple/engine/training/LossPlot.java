package io.stipple.engine.training;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a loss curve as a PNG: the raw per-step loss in light grey and its running mean
 * (window of ~2% of the run) in blue, on a log-scaled loss axis with labelled ticks.
 */
public final class LossPlot {

    private static final int WIDTH = 800;
    private static final int HEIGHT = 480;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 36;
    private static final int MARGIN_BOTTOM = 50;

    private LossPlot() {
    }

    public static void write(List<StepResult> rows, String title, Path file) throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no loss rows to plot");
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            double[] smoothed = runningMean(rows, Math.max(1, rows.size() / 50));
            double minLoss = Double.MAX_VALUE;
            double maxLoss = -Double.MAX_VALUE;
            for (StepResult row : rows) {
                if (row.loss() > 0 && Double.isFinite(row.loss())) {
                    minLoss = Math.min(minLoss, row.loss());
                    maxLoss = Math.max(maxLoss, row.loss());
                }
            }
            double logMin = Math.floor(Math.log10(minLoss) * 4) / 4;
            double logMax = Math.ceil(Math.log10(maxLoss) * 4) / 4;
            if (logMax - logMin < 0.25) {
                logMax = logMin + 0.25;
            }
            long firstStep = rows.get(0).step();
            long lastStep = Math.max(firstStep + 1, rows.get(rows.size() - 1).step());
            Axes axes = new Axes(firstStep, lastStep, logMin, logMax);

            drawAxes(g, axes, title);
            g.setColor(new Color(200, 200, 200));
            polyline(g, axes, rows, null);
            g.setColor(new Color(30, 90, 200));
            g.setStroke(new BasicStroke(2f));
            polyline(g, axes, rows, smoothed);
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private record Axes(long firstStep, long lastStep, double logMin, double logMax) {
        int x(long step) {
            return MARGIN_LEFT + (int) Math.round((step - firstStep) * (double) (WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
                    / (lastStep - firstStep));
        }

        int y(double loss) {
            double t = (Math.log10(Math.max(loss, 1e-12)) - logMin) / (logMax - logMin);
            return HEIGHT - MARGIN_BOTTOM - (int) Math.round(t * (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM));
        }
    }

    private static void drawAxes(Graphics2D g, Axes axes, String title) {
        g.setColor(Color.BLACK);
        g.drawString(title, MARGIN_LEFT, 22);
        g.drawLine(MARGIN_LEFT, HEIGHT - MARGIN_BOTTOM, WIDTH - MARGIN_RIGHT, HEIGHT - MARGIN_BOTTOM);
        g.drawLine(MARGIN_LEFT, MARGIN_TOP, MARGIN_LEFT, HEIGHT - MARGIN_BOTTOM);
        for (int i = 0; i <= 4; i++) {
            double log = axes.logMin() + (axes.logMax() - axes.logMin()) * i / 4;
            int y = axes.y(Math.pow(10, log));
            g.setColor(new Color(235, 235, 235));
            g.drawLine(MARGIN_LEFT + 1, y, WIDTH - MARGIN_RIGHT, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3g", Math.pow(10, log)), 8, y + 4);
        }
        for (int i = 0; i <= 5; i++) {
            long step = axes.firstStep() + (axes.lastStep() - axes.firstStep()) * i / 5;
            int x = axes.x(step);
            g.drawLine(x, HEIGHT - MARGIN_BOTTOM, x, HEIGHT - MARGIN_BOTTOM + 4);
            g.drawString(Long.toString(step), x - 10, HEIGHT - MARGIN_BOTTOM + 18);
        }
        g.drawString("step", WIDTH / 2, HEIGHT - 10);
        g.drawString("loss (log)", 8, MARGIN_TOP - 8);
    }

    private static void polyline(Graphics2D g, Axes axes, List<StepResult> rows, double[] values) {
        int[] xs = new int[rows.size()];
        int[] ys = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            xs[i] = axes.x(rows.get(i).step());
            ys[i] = axes.y(values == null ? rows.get(i).loss() : values[i]);
        }
        g.drawPolyline(xs, ys, rows.size());
    }

    private static double[] runningMean(List<StepResult> rows, int window) {
        double[] out = new double[rows.size()];
        double sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            sum += rows.get(i).loss();
            if (i >= window) {
                sum -= rows.get(i - window).loss();
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }
}
