package io.stipple.gateway.service;

import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.stipple.gateway.service.rejection.RequestRejectedException;
import io.stipple.gateway.service.rejection.UnsupportedMediaException;
import jakarta.enterprise.context.ApplicationScoped;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Decides what an uploaded file really is. The type comes from the file's first bytes (never
 * from its name or Content-Type header); the dimensions come from the image header and are
 * checked against the pixel limit <em>before</em> any pixel is decoded, so a small file that
 * would inflate to gigabytes (a decompression bomb) is refused cheaply; only then is the image
 * fully decoded, which proves it is not truncated or corrupt.
 */
@ApplicationScoped
public class ImageInspector {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    /** What a checked image is. */
    public record Inspected(String contentType, String extension, int width, int height) {
    }

    /**
     * Reads the file where the HTTP layer spooled it, never whole into memory: the decoder reads it from
     * disk, so the heap holds the decoded image and the decoder's buffers only.
     *
     * @param field    how the problem names the file, e.g. {@code file[2]}
     * @param maxPixels largest width x height accepted
     */
    public Inspected inspect(Path file, String field, long maxPixels) {
        String[] type = sniff(head(file));
        if (type == null) {
            throw new UnsupportedMediaException(field, "is neither a PNG nor a JPEG image (judged by its content)");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type[0]);
            if (!readers.hasNext()) {
                throw new IllegalStateException("no ImageIO reader for " + type[0]);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > maxPixels) {
                    throw new InvalidFieldException(field, "is " + width + "x" + height + " pixels; at most " + maxPixels
                            + " pixels are accepted");
                }
                if (reader.read(0) == null) {
                    throw new InvalidFieldException(field, "could not be decoded");
                }
                return new Inspected(type[0], type[1], width, height);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof RequestRejectedException rejected) {
                throw rejected;
            }
            throw new InvalidFieldException(field, "is not a readable " + type[1].toUpperCase() + " image: " + e.getMessage());
        }
    }

    /** The file's first bytes, enough for the magic numbers. */
    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(PNG.length);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    private static String[] sniff(byte[] bytes) {
        if (startsWith(bytes, PNG)) {
            return new String[] {"image/png", "png"};
        }
        if (startsWith(bytes, JPEG)) {
            return new String[] {"image/jpeg", "jpg"};
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, byte[] magic) {
        return bytes.length >= magic.length && Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length);
    }
}
