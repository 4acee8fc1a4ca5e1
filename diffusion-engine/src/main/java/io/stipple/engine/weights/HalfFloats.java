package io.stipple.engine.weights;

/**
 * Exact conversions of 16-bit floats to float32 (Java 17 has no {@code Float.float16ToFloat}).
 * Every F16 and BF16 value, subnormals, infinities and NaN payloads included, is representable in
 * float32, so both conversions are exact.
 */
final class HalfFloats {

    private HalfFloats() {
    }

    /** IEEE 754 binary16 bits (the low 16 bits of {@code bits}) to float32. */
    static float f16ToFloat(int bits) {
        return F16Table.VALUES[bits & 0xffff];
    }

    /** bfloat16 bits (the low 16 bits of {@code bits}): the upper half of a float32. */
    static float bf16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** F16 by arithmetic; {@link F16Table} caches it for all 65,536 inputs. */
    static float f16ToFloatComputed(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            // Infinity or NaN; the NaN payload moves to the top of float32's mantissa.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float32 (a power of two times < 2^10).
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Built on first use only: models stored in F32 never pay for it. */
    private static final class F16Table {
        static final float[] VALUES = new float[1 << 16];

        static {
            for (int bits = 0; bits < VALUES.length; bits++) {
                VALUES[bits] = f16ToFloatComputed(bits);
            }
        }
    }
}
