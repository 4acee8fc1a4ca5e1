package io.stipple.engine.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes untrusted PNG or JPEG bytes. The format is sniffed from the content (not the file name)
 * and the pixel count is read from the header and checked before any pixel is decoded, so a small
 * file claiming a huge image (a decompression bomb) is refused without allocating it.
 */
public final class ImageDecoder {

    private static final Set<String> FORMATS = Set.of("png", "jpeg");

    private ImageDecoder() {
    }

    /** Thrown when the header announces more pixels than allowed. */
    public static final class TooManyPixelsException extends IOException {
        public TooManyPixelsException(long width, long height, long maxPixels) {
            super(width + "x" + height + " = " + width * height + " pixels exceeds the limit of " + maxPixels);
        }
    }

    public static RgbImage decode(byte[] bytes, long maxPixels) throws IOException {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new IOException("not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(format)) {
                    throw new IOException("unsupported image format " + format + " (PNG or JPEG only)");
                }
                reader.setInput(input, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new TooManyPixelsException(width, height, maxPixels);
                }
                return RgbImage.fromBufferedImage(reader.read(0));
            } catch (RuntimeException e) {
                // ImageIO plugins throw unchecked exceptions on some corrupt streams.
                throw new IOException("corrupt image: " + e, e);
            } finally {
                reader.dispose();
            }
        }
    }
}
