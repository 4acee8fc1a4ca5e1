package io.stipple.workbench.metrics;

/**
 * Mean pairwise cosine similarity between two sets of feature rows: DreamBooth's subject-fidelity
 * measure (Ruiz et al. 2022 use DINO ViT features; Stipple uses the attribute classifier's
 * penultimate features), every generated image against every real image of the subject.
 */
public final class FeatureSimilarity {

    private FeatureSimilarity() {
    }

    /** @param a row-major [countA, dim]; @param b row-major [countB, dim] */
    public static double meanPairwiseCosine(float[] a, float[] b, int dim) {
        if (dim < 1 || a.length % dim != 0 || b.length % dim != 0 || a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("feature sets must be non-empty rows of " + dim);
        }
        double[][] na = normalised(a, dim);
        double[][] nb = normalised(b, dim);
        double sum = 0;
        for (double[] x : na) {
            for (double[] y : nb) {
                double dot = 0;
                for (int k = 0; k < dim; k++) {
                    dot += x[k] * y[k];
                }
                sum += dot;
            }
        }
        return sum / ((double) na.length * nb.length);
    }

    /**
     * Mean cosine similarity of matched rows: row i of {@code a} against row i of {@code b} only
     * (each generated image against the real image of its own context).
     */
    public static double meanMatchedCosine(float[] a, float[] b, int dim) {
        if (dim < 1 || a.length != b.length || a.length == 0 || a.length % dim != 0) {
            throw new IllegalArgumentException("matched feature sets must be equally many non-empty rows of " + dim);
        }
        double[][] na = normalised(a, dim);
        double[][] nb = normalised(b, dim);
        double sum = 0;
        for (int i = 0; i < na.length; i++) {
            for (int k = 0; k < dim; k++) {
                sum += na[i][k] * nb[i][k];
            }
        }
        return sum / na.length;
    }

    private static double[][] normalised(float[] rows, int dim) {
        double[][] out = new double[rows.length / dim][dim];
        for (int i = 0; i < out.length; i++) {
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                norm += (double) rows[i * dim + k] * rows[i * dim + k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < dim; k++) {
                // An all-zero row has no direction; it counts as dissimilar to everything.
                out[i][k] = norm == 0 ? 0 : rows[i * dim + k] / norm;
            }
        }
        return out;
    }
}
