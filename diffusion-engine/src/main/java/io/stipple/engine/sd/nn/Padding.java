package io.stipple.engine.sd.nn;

/**
 * Zero padding of a convolution's input, in pixels per side, as PyTorch states it: {@code nn.Conv2d(padding=p)}
 * is {@link #all(int) all(p)}, and an explicit {@code F.pad(x, (left, right, top, bottom))} before a
 * convolution is {@link #of}. TensorFlow's "SAME" differs at stride 2 (it pads only bottom and
 * right), so only the cases that equal it are run as "SAME".
 */
public record Padding(int top, int bottom, int left, int right) {

    public Padding {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("negative padding " + this);
        }
    }

    public static Padding all(int pixels) {
        return new Padding(pixels, pixels, pixels, pixels);
    }

    public static Padding of(int top, int bottom, int left, int right) {
        return new Padding(top, bottom, left, right);
    }

    boolean none() {
        return top == 0 && bottom == 0 && left == 0 && right == 0;
    }

    /** Whether TensorFlow's "SAME" pads exactly like this for a square kernel at stride 1 (whatever the input size). */
    boolean sameAs(int kernelSize, int stride) {
        int half = (kernelSize - 1) / 2;
        return stride == 1 && kernelSize % 2 == 1 && equals(all(half));
    }

    /** {@code tf.pad}'s paddings for NHWC: (before, after) per dimension. */
    int[][] nhwcPairs() {
        return new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}};
    }
}
