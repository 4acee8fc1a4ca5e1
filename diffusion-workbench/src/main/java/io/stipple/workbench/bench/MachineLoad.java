package io.stipple.workbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Linux load averages (1, 5, 15 minutes), recorded next to every benchmark figure. */
public record MachineLoad(double one, double five, double fifteen) {

    public static MachineLoad now() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new MachineLoad(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
        } catch (IOException | RuntimeException e) {
            double one = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return new MachineLoad(one, Double.NaN, Double.NaN);
        }
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.2f %.2f %.2f", one, five, fifteen);
    }
}
