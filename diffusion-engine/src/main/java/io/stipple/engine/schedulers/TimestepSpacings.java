package io.stipple.engine.schedulers;

/** The integer inference timesteps of DDPM, DDIM and PNDM for each {@code timestep_spacing}. */
final class TimestepSpacings {

    private TimestepSpacings() {
    }

    /** Descending timesteps, as diffusers' {@code set_timesteps} computes them. */
    static int[] descending(SchedulerConfig c, int n) {
        int train = c.numTrainTimesteps();
        int[] out = new int[n];
        switch (c.timestepSpacing()) {
            case LINSPACE -> {
                for (int i = 0; i < n; i++) {
                    out[n - 1 - i] = (int) Math.rint(NoiseSchedule.linspace(0, train - 1, n, i));
                }
            }
            case LEADING -> {
                int ratio = train / n;
                for (int i = 0; i < n; i++) {
                    out[n - 1 - i] = i * ratio + c.stepsOffset();
                }
            }
            case TRAILING -> {
                // np.round(np.arange(train, 0, -train / n)) - 1
                double ratio = train / (double) n;
                int count = (int) Math.ceil(train / ratio);
                out = new int[count];
                for (int i = 0; i < count; i++) {
                    out[i] = (int) Math.rint(train - i * ratio) - 1;
                }
            }
            default -> throw new IllegalArgumentException("unsupported timestep_spacing " + c.timestepSpacing());
        }
        return out;
    }

    static float[] toFloat(int[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
