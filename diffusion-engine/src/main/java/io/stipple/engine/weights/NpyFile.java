package io.stipple.engine.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (numpy.org/neps/nep-0001-npy-format), the plainest way to hand the
 * engine an array made elsewhere (fixed starting latents from a reference run) and to hand back
 * raw float images for an exact comparison. Reads little-endian {@code <f4} and {@code <f8}
 * arrays in C order (format versions 1 to 3); writes {@code <f4} version 1.
 */
public final class NpyFile {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 64 * 1024;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** An array read from a file: its shape and float32 values in C order. */
    public record Array(long[] shape, float[] values) {
        public Array {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    private NpyFile() {
    }

    public static Array read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
            throw new ModelFormatException(file + " is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buffer.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new ModelFormatException(file + " is truncated in its header");
            }
            long length = Integer.toUnsignedLong(buffer.getInt(8));
            if (length > MAX_HEADER) {
                throw new ModelFormatException(file + " declares a header of " + length + " bytes (at most " + MAX_HEADER + ")");
            }
            headerLength = (int) length;
            headerStart = 12;
        } else {
            throw new ModelFormatException(file + " has .npy format version " + major + " (1 to 3 are read)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw new ModelFormatException(file + " is truncated in its header");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, header, "descr");
        if (group(file, ORDER, header, "fortran_order").equals("True")) {
            throw new ModelFormatException(file + " is in Fortran order; save it in C order (np.ascontiguousarray)");
        }
        long[] shape = shape(file, group(file, SHAPE, header, "shape"));
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        int elementBytes = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new ModelFormatException(file + " has dtype '" + descr + "'; little-endian float arrays"
                    + " (<f4, <f8) are read");
        };
        int dataStart = headerStart + headerLength;
        if (count > Integer.MAX_VALUE || (long) dataStart + count * elementBytes != bytes.length) {
            throw new ModelFormatException(file + " holds " + (bytes.length - dataStart) + " data bytes but its header says "
                    + Arrays.toString(shape) + " x " + elementBytes + " bytes");
        }
        float[] values = new float[(int) count];
        buffer.position(dataStart);
        for (int i = 0; i < values.length; i++) {
            values[i] = elementBytes == 4 ? buffer.getFloat() : (float) buffer.getDouble();
        }
        return new Array(shape, values);
    }

    /** Writes float32 values in C order as {@code <f4}. */
    public static void write(Path file, long[] shape, float[] values) throws IOException {
        long count = 1;
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            count *= d;
            dims.append(d).append(", ");
        }
        if (count != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values, not " + values.length);
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }");
        // The format pads the header with spaces and a newline so the data starts on a 64-byte boundary.
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] text = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buffer = ByteBuffer.allocate(10 + text.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        for (float v : values) {
            buffer.putFloat(v);
        }
        Files.write(file, buffer.array());
    }

    private static String group(Path file, Pattern pattern, String header, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new ModelFormatException(file + " has no '" + key + "' in its header " + header.strip());
        }
        return m.group(1);
    }

    private static long[] shape(Path file, String tuple) {
        String[] parts = tuple.split(",");
        return Arrays.stream(parts).map(String::strip).filter(s -> !s.isEmpty()).mapToLong(s -> {
            try {
                long d = Long.parseLong(s);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new ModelFormatException(file + " has an invalid shape (" + tuple + ")");
            }
        }).toArray();
    }
}
