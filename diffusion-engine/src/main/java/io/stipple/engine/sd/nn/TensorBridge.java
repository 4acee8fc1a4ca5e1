package io.stipple.engine.sd.nn;

import io.stipple.engine.denoise.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Copies between the engine's Java {@link Tensor}s and TensorFlow tensors (the caller closes the latter). */
public final class TensorBridge {

    private TensorBridge() {
    }

    public static TFloat32 toTensorFlow(Tensor tensor) {
        long[] dims = new long[tensor.shape().length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = tensor.shape()[i];
        }
        return TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(tensor.data(), true, false));
    }

    public static Tensor fromTensorFlow(org.tensorflow.Tensor tensor) {
        long[] dims = tensor.shape().asArray();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Math.toIntExact(dims[i]);
        }
        float[] values = new float[Math.toIntExact(tensor.size())];
        ((TFloat32) tensor).asRawTensor().data().asFloats().read(values);
        return new Tensor(shape, values);
    }

    /** Rows of int ids, all of one length, as an int32 [rows, length] tensor. */
    public static TInt32 ids(int[][] rows) {
        int length = rows.length == 0 ? 0 : rows[0].length;
        int[] flat = new int[rows.length * length];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != length) {
                throw new IllegalArgumentException("token id rows differ in length: " + rows[r].length + " and " + length);
            }
            System.arraycopy(rows[r], 0, flat, r * length, length);
        }
        return TInt32.tensorOf(Shape.of(rows.length, length), DataBuffers.of(flat, true, false));
    }
}
