package io.stipple.engine.classifier;

import io.stipple.engine.data.Attribute;

/**
 * A classifier's verdict on a batch.
 *
 * @param classes    {@code classes[image][attribute.ordinal()]}: the arg-max class per head
 * @param features   penultimate features, row-major [count, featureDim]
 * @param featureDim width of one feature row
 */
public record Classification(int[][] classes, float[] features, int featureDim) {

    public int count() {
        return classes.length;
    }

    public int classOf(int image, Attribute attribute) {
        return classes[image][attribute.ordinal()];
    }

    /** Features as double rows, the form the Fréchet distance takes. */
    public double[][] featureRows() {
        double[][] rows = new double[count()][featureDim];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < featureDim; j++) {
                rows[i][j] = features[i * featureDim + j];
            }
        }
        return rows;
    }

    /** Concatenates two row-major feature arrays (null head = empty). */
    public static float[] append(float[] head, float[] tail) {
        if (head == null) {
            return tail;
        }
        float[] joined = new float[head.length + tail.length];
        System.arraycopy(head, 0, joined, 0, head.length);
        System.arraycopy(tail, 0, joined, head.length, tail.length);
        return joined;
    }
}
