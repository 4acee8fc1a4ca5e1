package io.stipple.engine.pipeline;

/**
 * A request that starts from an image rather than from noise alone: image-to-image (SDEdit,
 * {@link ImageToImage}: the image noised to {@code strength} of the schedule, then denoised) or,
 * with a {@code keepMask}, inpainting ({@link Inpainting}: the whole schedule, the kept region
 * re-imposed after every step). Every image of the request starts from the same image, each with
 * its own noise.
 *
 * @param image     one RGB image at the request's size, {@code [H, W, 3]} in [-1, 1]
 * @param strength  image-to-image only: the part of the schedule that is run, in (0, 1]
 * @param keepMask  inpainting only: per value of {@code image}, 1 keeps it, 0 generates it; else null
 */
public record ImageStart(float[] image, double strength, float[] keepMask) {

    public ImageStart {
        if (image == null || image.length == 0) {
            throw new IllegalArgumentException("an image start needs an image");
        }
        if (keepMask == null && !(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("image-to-image strength must be in (0, 1], got " + strength);
        }
        if (keepMask != null && keepMask.length != image.length) {
            throw new IllegalArgumentException("the mask has " + keepMask.length + " values, the image " + image.length);
        }
    }

    public static ImageStart imageToImage(float[] image, double strength) {
        return new ImageStart(image, strength, null);
    }

    public static ImageStart inpainting(float[] image, float[] keepMask) {
        return new ImageStart(image, 1.0, keepMask);
    }

    public boolean inpaints() {
        return keepMask != null;
    }

    /** The image (or mask) repeated for {@code count} images: {@code [count, H, W, C]}. */
    static float[] repeated(float[] values, int count) {
        float[] out = new float[values.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(values, 0, out, i * values.length, values.length);
        }
        return out;
    }
}
