package io.stipple.engine.data.user;

import io.stipple.engine.image.RgbImage;

/** One usable sample of a user's dataset, already at the training resolution. */
public record CaptionedImage(String file, String caption, RgbImage image) {
}
