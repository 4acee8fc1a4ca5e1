package io.stipple.engine.image;

/** Conversions between the engine's [-1, 1] floats and 8-bit channel values. */
public final class Pixels {

    private Pixels() {
    }

    /** [-1, 1] to 0..255: clamped, rounded to nearest. */
    public static int toByte(float value) {
        float clamped = Math.max(-1f, Math.min(1f, value));
        return Math.round((clamped + 1f) * 127.5f);
    }

    /** 0..255 to [-1, 1]. */
    public static float toFloat(int value) {
        return value / 127.5f - 1f;
    }
}
