package io.stipple.workbench.metrics;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.correlation.Covariance;

/**
 * The Fréchet distance between two Gaussians fitted to feature sets (the FID formula, here in the
 * attribute classifier's feature space rather than Inception's):
 * <pre>  d^2 = |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))</pre>
 * Covariances are unbiased (n - 1), as numpy's {@code np.cov}. The trace of the matrix square
 * root is computed as Tr((S1^(1/2) S2 S1^(1/2))^(1/2)), which has the same eigenvalues as
 * (S1 S2)^(1/2) but only needs square roots of symmetric PSD matrices (eigendecompositions,
 * negative round-off eigenvalues clamped to 0), so it stays real and stable for singular S.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** A Gaussian fitted to features: mean and covariance. */
    public record Statistics(RealVector mean, RealMatrix covariance) {
    }

    /** Mean and covariance of {@code features[sample][dimension]} (at least 2 samples). */
    public static Statistics statistics(double[][] features) {
        if (features.length < 2) {
            throw new IllegalArgumentException("need at least 2 feature vectors, got " + features.length);
        }
        RealMatrix data = new Array2DRowRealMatrix(features, false);
        double[] mean = new double[data.getColumnDimension()];
        for (int j = 0; j < mean.length; j++) {
            for (double[] row : features) {
                mean[j] += row[j];
            }
            mean[j] /= features.length;
        }
        return new Statistics(new ArrayRealVector(mean, false), new Covariance(data, true).getCovarianceMatrix());
    }

    /** Statistics of row-major {@code float[count * dimension]} features. */
    public static Statistics statistics(float[] features, int count) {
        if (count < 1 || features.length % count != 0) {
            throw new IllegalArgumentException(count + " rows do not divide " + features.length + " values");
        }
        int dimension = features.length / count;
        double[][] rows = new double[count][dimension];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dimension; j++) {
                rows[i][j] = features[i * dimension + j];
            }
        }
        return statistics(rows);
    }

    public static double between(double[][] featuresA, double[][] featuresB) {
        return between(statistics(featuresA), statistics(featuresB));
    }

    /** The squared Fréchet distance between two Gaussians (what FID reports). */
    public static double between(Statistics a, Statistics b) {
        if (a.mean().getDimension() != b.mean().getDimension()) {
            throw new IllegalArgumentException("feature dimensions differ: "
                    + a.mean().getDimension() + " vs " + b.mean().getDimension());
        }
        double meanTerm = a.mean().subtract(b.mean()).dotProduct(a.mean().subtract(b.mean()));
        RealMatrix rootA = symmetricSqrt(a.covariance());
        RealMatrix inner = rootA.multiply(b.covariance()).multiply(rootA);
        double crossTrace = traceOfSqrt(symmetrise(inner));
        double value = meanTerm + a.covariance().getTrace() + b.covariance().getTrace() - 2 * crossTrace;
        // Round-off can leave identical sets a hair below zero.
        return Math.max(0, value);
    }

    private static RealMatrix symmetrise(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }

    private static RealMatrix symmetricSqrt(RealMatrix m) {
        EigenDecomposition eigen = new EigenDecomposition(symmetrise(m));
        double[] values = eigen.getRealEigenvalues();
        RealMatrix v = eigen.getV();
        RealMatrix scaled = v.copy();
        for (int j = 0; j < values.length; j++) {
            scaled.setColumnVector(j, v.getColumnVector(j).mapMultiply(Math.sqrt(Math.max(0, values[j]))));
        }
        return scaled.multiply(v.transpose());
    }

    private static double traceOfSqrt(RealMatrix symmetricPsd) {
        double sum = 0;
        for (double value : new EigenDecomposition(symmetricPsd).getRealEigenvalues()) {
            sum += Math.sqrt(Math.max(0, value));
        }
        return sum;
    }
}
