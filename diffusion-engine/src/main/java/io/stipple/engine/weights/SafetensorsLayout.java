package io.stipple.engine.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * A safetensors file known by its header alone: every tensor's name, dtype and shape, read from the
 * first bytes of a stream (an object-store download can stop there) and checked as {@link SafetensorsFile}
 * checks them against the whole file's size. For what needs a checkpoint's layout and not its values, such
 * as checking a LoRA against a multi-gigabyte single file; reading a value fails.
 */
public final class SafetensorsLayout implements WeightSource {

    private final String name;
    private final SafetensorsHeader header;

    private SafetensorsLayout(String name, SafetensorsHeader header) {
        this.name = name;
        this.header = header;
    }

    /**
     * Reads the header from {@code in}, positioned at the file's first byte; the rest of the stream is left unread.
     *
     * @param name how messages name the file
     * @param size the whole file's size in bytes
     * @throws CheckpointFormatException naming the file when the header is not a valid one for that size
     */
    public static SafetensorsLayout read(String name, InputStream in, long size) throws IOException {
        return new SafetensorsLayout(name, SafetensorsHeader.read(Path.of(name), size, (position, length) -> {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new CheckpointFormatException(name + ": the file ends at byte " + (position + bytes.length)
                        + ", inside its header");
            }
            return bytes;
        }));
    }

    @Override
    public Set<String> names() {
        return header.tensors().keySet();
    }

    @Override
    public TensorInfo info(String tensor) {
        SafetensorsHeader.Slot slot = header.tensors().get(tensor);
        if (slot == null) {
            throw new CheckpointFormatException(name + ": no tensor named '" + tensor + "'");
        }
        return slot.info();
    }

    @Override
    public float[] floats(String tensor) {
        throw new UnsupportedOperationException(name + ": only the header was read, not the values of '" + tensor + "'");
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return name;
    }
}
