package io.stipple.engine.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * 8-bit RGB PNG encoding and decoding with tEXt chunks, through javax.imageio's PNG plugin and its
 * native metadata tree ({@value #FORMAT}). tEXt keywords must be 1-79 printable Latin-1 characters
 * and values Latin-1; {@link GenerationParameters} stays within ASCII by escaping.
 */
public final class PngCodec {

    static final String FORMAT = "javax_imageio_png_1.0";

    private PngCodec() {
    }

    /** PNG bytes of the image with the given tEXt chunks (may be empty). */
    public static byte[] encode(RgbImage image, Map<String, String> text) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
            var buffered = image.toBufferedImage();
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromRenderedImage(buffered), writer.getDefaultWriteParam());
            addText(metadata, text);
            writer.setOutput(output);
            writer.write(new IIOImage(buffered, null, metadata));
            output.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    public static void write(Path file, RgbImage image, Map<String, String> text) throws IOException {
        Files.write(file, encode(image, text));
    }

    /** Decodes PNG bytes; throws IOException if they are not a readable PNG. */
    public static PngImage decode(byte[] png) throws IOException {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, false);
                var buffered = reader.read(0);
                Map<String, String> text = readText(reader.getImageMetadata(0));
                return new PngImage(RgbImage.fromBufferedImage(buffered), text);
            } catch (RuntimeException e) {
                // The PNG plugin throws unchecked exceptions on some corrupt chunks.
                throw new IOException("not a readable PNG: " + e.getMessage(), e);
            } finally {
                reader.dispose();
            }
        }
    }

    public static PngImage read(Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    private static void addText(IIOMetadata metadata, Map<String, String> text) throws IIOInvalidTreeException {
        if (text.isEmpty()) {
            return;
        }
        IIOMetadataNode textNode = new IIOMetadataNode("tEXt");
        text.forEach((keyword, value) -> {
            checkKeyword(keyword);
            if (!StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
                throw new IllegalArgumentException("tEXt value for " + keyword + " is not Latin-1");
            }
            IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
            entry.setAttribute("keyword", keyword);
            entry.setAttribute("value", value);
            textNode.appendChild(entry);
        });
        IIOMetadataNode root = new IIOMetadataNode(FORMAT);
        root.appendChild(textNode);
        metadata.mergeTree(FORMAT, root);
    }

    private static void checkKeyword(String keyword) {
        if (keyword.isEmpty() || keyword.length() > 79 || keyword.startsWith(" ") || keyword.endsWith(" ")
                || !keyword.chars().allMatch(c -> c >= 32 && c <= 126)) {
            throw new IllegalArgumentException("invalid PNG tEXt keyword: '" + keyword + "'");
        }
    }

    private static Map<String, String> readText(IIOMetadata metadata) {
        Map<String, String> text = new LinkedHashMap<>();
        Node root = metadata.getAsTree(FORMAT);
        for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
            if ("tEXt".equals(chunk.getNodeName())) {
                NodeList entries = chunk.getChildNodes();
                for (int i = 0; i < entries.getLength(); i++) {
                    var attributes = entries.item(i).getAttributes();
                    text.put(attributes.getNamedItem("keyword").getNodeValue(),
                            attributes.getNamedItem("value").getNodeValue());
                }
            }
        }
        return text;
    }
}
