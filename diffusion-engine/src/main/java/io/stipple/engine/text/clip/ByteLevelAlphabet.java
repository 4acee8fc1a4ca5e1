package io.stipple.engine.text.clip;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level alphabet (CLIP uses it too): each of the 256 byte values stands for one
 * printable character, so BPE works on characters while any UTF-8 text stays representable.
 * Printable Latin-1 bytes stand for themselves; the rest map to U+0100 onwards in byte order
 * ({@code bytes_to_unicode} in openai/CLIP and GPT-2).
 */
final class ByteLevelAlphabet {

    private static final char[] CHAR_OF_BYTE = new char[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            CHAR_OF_BYTE[b] = printable ? (char) b : (char) next++;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The text's UTF-8 bytes, one alphabet character per byte. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xff];
        }
        return new String(chars);
    }
}
