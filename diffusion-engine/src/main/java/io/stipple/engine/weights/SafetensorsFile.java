package io.stipple.engine.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file as a {@link WeightSource}. Opening reads and validates only the header
 * ({@link SafetensorsHeader}); each tensor's bytes are read when asked for, through memory maps
 * of at most {@link #DEFAULT_WINDOW_BYTES} each, so files (and tensors) past 2 GiB work and
 * nothing but the returned array is allocated. Safe for concurrent reads.
 */
public final class SafetensorsFile implements WeightSource {

    /** The largest Java array the JVM reliably allocates. */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** Bytes mapped at once while reading a tensor; a multiple of every dtype's size. */
    static final int DEFAULT_WINDOW_BYTES = 64 << 20;

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long dataStart;
    private final int windowBytes;

    private SafetensorsFile(Path file, FileChannel channel, SafetensorsHeader header, long dataStart, int windowBytes) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.dataStart = dataStart;
        this.windowBytes = windowBytes;
    }

    /**
     * Opens and validates {@code file}.
     *
     * @throws CheckpointFormatException naming the file (and tensor) when it is not a valid safetensors file
     * @throws IOException               when it cannot be read
     */
    public static SafetensorsFile open(Path file) throws IOException {
        return open(file, DEFAULT_WINDOW_BYTES);
    }

    static SafetensorsFile open(Path file, int windowBytes) throws IOException {
        if (windowBytes <= 0 || windowBytes % 8 != 0) {
            throw new IllegalArgumentException("window must be a positive multiple of 8 bytes: " + windowBytes);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            SafetensorsHeader header = SafetensorsHeader.read(file, channel.size(),
                    (position, length) -> readFully(channel, position, length).array());
            return new SafetensorsFile(file, channel, header, header.dataStart(), windowBytes);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The file this source reads. */
    public Path file() {
        return file;
    }

    /** The header's {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    @Override
    public Set<String> names() {
        return header.tensors().keySet();
    }

    @Override
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        return slot(name).info();
    }

    @Override
    public float[] floats(String name) {
        SafetensorsHeader.Slot slot = slot(name);
        DType dtype = slot.info().dtype();
        if (!dtype.floating()) {
            throw new CheckpointFormatException(where(name) + ": stored as " + dtype + ", not a floating-point dtype");
        }
        float[] values = new float[arrayLength(slot)];
        forEachWindow(slot, (window, first, count) -> ElementDecoding.floats(dtype, window, values, first, count));
        return values;
    }

    @Override
    public int[] ints(String name) {
        SafetensorsHeader.Slot slot = slot(name);
        DType dtype = slot.info().dtype();
        requireInteger(slot);
        int[] values = new int[arrayLength(slot)];
        forEachWindow(slot, (window, first, count) -> {
            int outOfRange = ElementDecoding.ints(dtype, window, values, first, count);
            if (outOfRange >= 0) {
                throw new CheckpointFormatException(where(name) + ": I64 value " + window.getLong(window.position() - 8)
                        + " at index " + outOfRange + " does not fit an int (read it with longs)");
            }
        });
        return values;
    }

    @Override
    public long[] longs(String name) {
        SafetensorsHeader.Slot slot = slot(name);
        DType dtype = slot.info().dtype();
        requireInteger(slot);
        long[] values = new long[arrayLength(slot)];
        forEachWindow(slot, (window, first, count) -> ElementDecoding.longs(dtype, window, values, first, count));
        return values;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + file, e);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }

    private SafetensorsHeader.Slot slot(String name) {
        SafetensorsHeader.Slot slot = header.tensors().get(name);
        if (slot == null) {
            throw new CheckpointFormatException(file + ": no tensor named '" + name + "'");
        }
        return slot;
    }

    private int arrayLength(SafetensorsHeader.Slot slot) {
        long elements = slot.info().elements();
        if (elements > MAX_ARRAY_LENGTH) {
            throw new CheckpointFormatException(where(slot.info().name()) + ": " + elements
                    + " elements are more than one Java array holds (" + MAX_ARRAY_LENGTH + ")");
        }
        return (int) elements;
    }

    private void requireInteger(SafetensorsHeader.Slot slot) {
        if (slot.info().dtype().floating()) {
            throw new CheckpointFormatException(where(slot.info().name()) + ": stored as " + slot.info().dtype()
                    + ", not an integer dtype");
        }
    }

    /** Reads one window of a tensor: {@code count} elements from the window's position, the first being {@code first}. */
    @FunctionalInterface
    private interface WindowReader {
        void read(ByteBuffer window, int first, int count);
    }

    /** Hands the tensor's bytes to {@code reader} in consecutive little-endian windows of whole elements. */
    private void forEachWindow(SafetensorsHeader.Slot slot, WindowReader reader) {
        int elementBytes = slot.info().dtype().bytes();
        long position = dataStart + slot.begin();
        long end = dataStart + slot.end();
        int first = 0;
        try {
            while (position < end) {
                int length = (int) Math.min(windowBytes, end - position);
                ByteBuffer window = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
                int count = length / elementBytes;
                reader.read(window.order(ByteOrder.LITTLE_ENDIAN), first, count);
                first += count;
                position += length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(where(slot.info().name()) + ": cannot read bytes " + slot.begin() + ".."
                    + slot.end() + " of the data region", e);
        }
    }

    private String where(String name) {
        return file + ": tensor '" + name + "'";
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
