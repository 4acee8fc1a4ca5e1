package io.stipple.engine.sd.nn;

/**
 * How a PyTorch checkpoint lays out one kind of weight, and the axis permutation that turns it
 * into the layout TensorFlow's ops want.
 */
public enum TorchLayout {
    /** Biases, norm scales, embedding tables: the same in both. */
    AS_IS(null),
    /** {@code nn.Linear} weight [out, in]; {@code matMul} wants [in, out]. */
    LINEAR(new int[] {1, 0}),
    /** {@code nn.Conv2d} weight [out, in, kh, kw] (OIHW); {@code conv2d} wants [kh, kw, in, out] (HWIO). */
    CONV(new int[] {2, 3, 1, 0});

    private final int[] toTensorFlow;

    TorchLayout(int[] toTensorFlow) {
        this.toTensorFlow = toTensorFlow;
    }

    /** The permutation from the torch layout to TensorFlow's, or null when they agree. */
    int[] permutation() {
        return toTensorFlow == null ? null : toTensorFlow.clone();
    }

    /** The TensorFlow shape of a weight of this torch shape. */
    long[] tensorFlowShape(long[] torchShape) {
        if (toTensorFlow == null) {
            return torchShape.clone();
        }
        if (torchShape.length != toTensorFlow.length) {
            throw new IllegalArgumentException(this + " weight needs " + toTensorFlow.length + " dimensions, not "
                    + torchShape.length);
        }
        long[] shape = new long[torchShape.length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = torchShape[toTensorFlow[i]];
        }
        return shape;
    }
}
