package io.stipple.engine.image;

import java.util.Map;

/** A decoded PNG: its pixels and its tEXt chunks (keyword to text, in file order). */
public record PngImage(RgbImage image, Map<String, String> text) {

    public PngImage {
        text = Map.copyOf(text);
    }
}
