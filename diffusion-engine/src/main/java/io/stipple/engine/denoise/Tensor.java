package io.stipple.engine.denoise;

import java.util.Arrays;

/**
 * A dense float tensor, row-major, whose first axis is the batch: the unit in which samples and
 * conditioning inputs travel between the sampling loop and a {@link Denoiser}.
 *
 * <p>Images are NHWC ({@code [batch, height, width, channels]}), sequences {@code [batch, length,
 * dim]}, per-example scalars {@code [batch]}. The array is not copied: treat it as immutable once
 * it is wrapped.
 */
public record Tensor(int[] shape, float[] data) {

    public Tensor {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a tensor needs at least the batch axis");
        }
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " values but the data has " + data.length);
        }
        shape = shape.clone();
    }

    public static Tensor of(float[] data, int... shape) {
        return new Tensor(shape, data);
    }

    public int batchSize() {
        return shape[0];
    }

    /** Number of values in one example (the product of all axes but the batch axis). */
    public int exampleSize() {
        return shape[0] == 0 ? 0 : data.length / shape[0];
    }

    /** The same shape with a different batch size. */
    public int[] shapeWithBatch(int batch) {
        int[] s = shape.clone();
        s[0] = batch;
        return s;
    }

    /** Same shape, new values (for a model output or a scheduler step result). */
    public Tensor withData(float[] values) {
        return new Tensor(shape, values);
    }

    /** Examples {@code [from, to)} as a new tensor (copied). */
    public Tensor slice(int from, int to) {
        if (from < 0 || to > batchSize() || from > to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of batch " + batchSize());
        }
        int n = exampleSize();
        return new Tensor(shapeWithBatch(to - from), Arrays.copyOfRange(data, from * n, to * n));
    }

    /** Stacks tensors along the batch axis; all other axes must agree. */
    public static Tensor concat(Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        int batch = 0;
        int total = 0;
        for (Tensor p : parts) {
            if (!Arrays.equals(p.shape, 1, p.shape.length, parts[0].shape, 1, parts[0].shape.length)) {
                throw new IllegalArgumentException("cannot concatenate shapes " + Arrays.toString(parts[0].shape)
                        + " and " + Arrays.toString(p.shape) + " along the batch axis");
            }
            batch += p.batchSize();
            total += p.data.length;
        }
        float[] out = new float[total];
        int at = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.data, 0, out, at, p.data.length);
            at += p.data.length;
        }
        return new Tensor(parts[0].shapeWithBatch(batch), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
