package io.stipple.engine.image;

/**
 * Resampling of float images. Hand-written rather than through java.awt because the cascade needs
 * float precision (no 8-bit round trip) and exactly stated semantics:
 * <ul>
 * <li>{@link Method#BILINEAR} and {@link Method#BICUBIC} use half-pixel centres (source coordinate
 * = (out + 0.5) * in / out - 0.5, like TensorFlow 2's {@code tf.image.resize} and PIL when
 * upsampling) with edge pixels repeated; bicubic is Keys' kernel with a = -0.5. When shrinking
 * they sample without prefiltering, so use {@link Method#AREA} to downsample.</li>
 * <li>{@link Method#AREA} gives each output pixel the mean of the source area it covers
 * (fractional overlaps weighted), for any shrink factor; it only shrinks.</li>
 * </ul>
 */
public final class Resize {

    public enum Method {
        BILINEAR,
        BICUBIC,
        AREA
    }

    private static final double KEYS_A = -0.5;

    private Resize() {
    }

    public static RgbImage resize(RgbImage image, int height, int width, Method method) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("target size must be positive: " + height + "x" + width);
        }
        return switch (method) {
            case AREA -> area(image, height, width);
            case BILINEAR, BICUBIC -> separable(image, height, width, method);
        };
    }

    /**
     * Crops the centred largest square and scales it to size x size: {@link Method#AREA} when
     * shrinking (no aliasing), {@link Method#BICUBIC} when enlarging.
     */
    public static RgbImage toSquare(RgbImage image, int size) {
        return toFill(image, size, size);
    }

    /**
     * Crops the centred largest region of the target's aspect ratio and scales it to height x
     * width: {@link Method#AREA} when shrinking (no aliasing), {@link Method#BICUBIC} when enlarging.
     */
    public static RgbImage toFill(RgbImage image, int height, int width) {
        boolean wider = (long) image.width() * height >= (long) image.height() * width;
        int cropHeight = wider ? image.height() : Math.max(1, (int) ((long) image.width() * height / width));
        int cropWidth = wider ? Math.max(1, (int) ((long) image.height() * width / height)) : image.width();
        int top = (image.height() - cropHeight) / 2;
        int left = (image.width() - cropWidth) / 2;
        float[] crop = new float[cropHeight * cropWidth * RgbImage.CHANNELS];
        for (int y = 0; y < cropHeight; y++) {
            System.arraycopy(image.pixels(), ((top + y) * image.width() + left) * RgbImage.CHANNELS,
                    crop, y * cropWidth * RgbImage.CHANNELS, cropWidth * RgbImage.CHANNELS);
        }
        RgbImage cropped = new RgbImage(cropHeight, cropWidth, crop);
        if (cropHeight == height && cropWidth == width) {
            return cropped;
        }
        return resize(cropped, height, width, cropHeight > height ? Method.AREA : Method.BICUBIC);
    }

    /** Resizes every image of a square NHWC batch. */
    public static float[] resizeBatch(float[] nhwc, int count, int size, int newSize, Method method) {
        int stride = newSize * newSize * RgbImage.CHANNELS;
        float[] out = new float[count * stride];
        for (int i = 0; i < count; i++) {
            RgbImage resized = resize(RgbImage.fromBatch(nhwc, i, size, size), newSize, newSize, method);
            System.arraycopy(resized.pixels(), 0, out, i * stride, stride);
        }
        return out;
    }

    private static RgbImage area(RgbImage image, int height, int width) {
        if (height > image.height() || width > image.width()) {
            throw new IllegalArgumentException("area resize only shrinks, got "
                    + image.height() + "x" + image.width() + " -> " + height + "x" + width);
        }
        return separable(image, height, width, Method.AREA);
    }

    /** Horizontal pass then vertical pass, each a 1-D convolution with the method's kernel. */
    private static RgbImage separable(RgbImage image, int height, int width, Method method) {
        int channels = RgbImage.CHANNELS;
        Taps columns = taps(image.width(), width, method);
        Taps rows = taps(image.height(), height, method);
        float[] wide = new float[image.height() * width * channels];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int t = 0; t < columns.indices[x].length; t++) {
                        sum += columns.weights[x][t] * image.get(y, columns.indices[x][t], c);
                    }
                    wide[(y * width + x) * channels + c] = (float) sum;
                }
            }
        }
        float[] out = new float[height * width * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int t = 0; t < rows.indices[y].length; t++) {
                        sum += rows.weights[y][t] * wide[(rows.indices[y][t] * width + x) * channels + c];
                    }
                    out[(y * width + x) * channels + c] = (float) sum;
                }
            }
        }
        return new RgbImage(height, width, out);
    }

    /** For each output index, the source indices (edge-clamped) and weights that produce it. */
    private record Taps(int[][] indices, double[][] weights) {
    }

    private static Taps taps(int inSize, int outSize, Method method) {
        return method == Method.AREA ? areaTaps(inSize, outSize) : interpolationTaps(inSize, outSize, method);
    }

    private static Taps interpolationTaps(int inSize, int outSize, Method method) {
        int count = method == Method.BICUBIC ? 4 : 2;
        int[][] indices = new int[outSize][count];
        double[][] weights = new double[outSize][count];
        double scale = (double) inSize / outSize;
        for (int o = 0; o < outSize; o++) {
            double source = (o + 0.5) * scale - 0.5;
            int base = (int) Math.floor(source) - (count / 2 - 1);
            for (int t = 0; t < count; t++) {
                int index = base + t;
                double distance = Math.abs(source - index);
                indices[o][t] = Math.max(0, Math.min(inSize - 1, index));
                weights[o][t] = method == Method.BICUBIC ? keys(distance) : Math.max(0, 1 - distance);
            }
        }
        return new Taps(indices, weights);
    }

    /** Output pixel o covers source interval [o * s, (o + 1) * s); each source pixel weighs its overlap. */
    private static Taps areaTaps(int inSize, int outSize) {
        int[][] indices = new int[outSize][];
        double[][] weights = new double[outSize][];
        double scale = (double) inSize / outSize;
        for (int o = 0; o < outSize; o++) {
            double start = o * scale;
            double end = (o + 1) * scale;
            int first = (int) Math.floor(start);
            int last = Math.min(inSize - 1, (int) Math.ceil(end) - 1);
            indices[o] = new int[last - first + 1];
            weights[o] = new double[last - first + 1];
            for (int i = first; i <= last; i++) {
                double overlap = Math.min(end, i + 1) - Math.max(start, i);
                indices[o][i - first] = i;
                weights[o][i - first] = overlap / scale;
            }
        }
        return new Taps(indices, weights);
    }

    /** Keys' cubic convolution kernel. */
    private static double keys(double d) {
        if (d <= 1) {
            return ((KEYS_A + 2) * d - (KEYS_A + 3)) * d * d + 1;
        }
        if (d < 2) {
            return ((KEYS_A * d - 5 * KEYS_A) * d + 8 * KEYS_A) * d - 4 * KEYS_A;
        }
        return 0;
    }
}
