package io.stipple.engine.model;

/**
 * Which image sizes a model can sample: a pixel-space network only its one native size, a latent
 * model any size whose sides are multiples of its VAE's downscaling factor within bounds.
 */
public interface ImageSizes {

    boolean accepts(ImageSize size);

    /** What {@link #accepts} allows, in words for an error message ("16x16 only"). */
    String describe();

    /** Fails with a message naming the model, the size and what it accepts. */
    default void require(ImageSize size, String model) {
        if (!accepts(size)) {
            throw new UnsupportedImageSizeException(model + " cannot make " + size + " images (" + describe() + ")");
        }
    }

    /** Exactly one size (today's pixel-space models: the resolution they were trained at). */
    static ImageSizes exactly(ImageSize only) {
        return new ImageSizes() {
            @Override
            public boolean accepts(ImageSize size) {
                return only.equals(size);
            }

            @Override
            public String describe() {
                return only + " only";
            }
        };
    }

    /** Widths and heights that are multiples of {@code multiple} in {@code [min, max]} (latent models). */
    static ImageSizes multiplesOf(int multiple, int min, int max) {
        if (multiple < 1 || min < multiple || max < min) {
            throw new IllegalArgumentException("bad size rule: multiples of " + multiple + " in [" + min + ", " + max + "]");
        }
        return new ImageSizes() {
            @Override
            public boolean accepts(ImageSize size) {
                return fits(size.width()) && fits(size.height());
            }

            private boolean fits(int side) {
                return side % multiple == 0 && side >= min && side <= max;
            }

            @Override
            public String describe() {
                return "width and height multiples of " + multiple + " from " + min + " to " + max;
            }
        };
    }
}
