package io.stipple.engine.weights;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;

/**
 * Little-endian tensor elements to Java arrays, per dtype: floating types to float32 (F16 and
 * BF16 exactly, F64 rounded), integer types to int or long. Each method decodes {@code count}
 * elements from the buffer's position into {@code out[first..]}.
 */
final class ElementDecoding {

    private static final int HALF_CHUNK = 1 << 14;

    private ElementDecoding() {
    }

    static void floats(DType dtype, ByteBuffer in, float[] out, int first, int count) {
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(out, first, count);
            case F16, BF16 -> halves(dtype == DType.F16, in, out, first, count);
            case F64 -> {
                for (int i = first; i < first + count; i++) {
                    out[i] = (float) in.getDouble();
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not read as floats");
        }
    }

    /** Bulk-copies the 16-bit words in chunks, then converts: about 3x faster than one getShort per element. */
    private static void halves(boolean f16, ByteBuffer in, float[] out, int first, int count) {
        ShortBuffer words = in.asShortBuffer();
        short[] chunk = new short[Math.min(count, HALF_CHUNK)];
        for (int done = 0; done < count; done += chunk.length) {
            int n = Math.min(chunk.length, count - done);
            words.get(chunk, 0, n);
            int at = first + done;
            for (int i = 0; i < n; i++) {
                out[at + i] = f16 ? HalfFloats.f16ToFloat(chunk[i]) : HalfFloats.bf16ToFloat(chunk[i]);
            }
        }
    }

    /** Like {@link #floats}; returns the index of the first I64 value outside int's range (left just read), or -1. */
    static int ints(DType dtype, ByteBuffer in, int[] out, int first, int count) {
        if (dtype == DType.I32) {
            in.asIntBuffer().get(out, first, count);
            return -1;
        }
        for (int i = first; i < first + count; i++) {
            long value = integer(dtype, in);
            if (value != (int) value) {
                return i;
            }
            out[i] = (int) value;
        }
        return -1;
    }

    static void longs(DType dtype, ByteBuffer in, long[] out, int first, int count) {
        if (dtype == DType.I64) {
            in.asLongBuffer().get(out, first, count);
            return;
        }
        for (int i = first; i < first + count; i++) {
            out[i] = integer(dtype, in);
        }
    }

    private static long integer(DType dtype, ByteBuffer in) {
        return switch (dtype) {
            case I64 -> in.getLong();
            case I32 -> in.getInt();
            case I16 -> in.getShort();
            case I8 -> in.get();
            case U8, BOOL -> in.get() & 0xff;
            default -> throw new IllegalArgumentException(dtype + " is not read as integers");
        };
    }
}
