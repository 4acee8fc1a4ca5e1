package io.stipple.workbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.workbench.metrics.FrechetDistance.Statistics;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    /** A rotation of the plane by angle t, embedded in 3-D (third axis fixed). */
    private static RealMatrix rotation(double t) {
        return new Array2DRowRealMatrix(new double[][] {
                {Math.cos(t), -Math.sin(t), 0}, {Math.sin(t), Math.cos(t), 0}, {0, 0, 1}});
    }

    private static RealMatrix rotatedDiagonal(RealMatrix rotation, double... variances) {
        return rotation.multiply(MatrixUtils.createRealDiagonalMatrix(variances)).multiply(rotation.transpose());
    }

    @Test
    void identicalSetsAreAtDistanceZero() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] features = new double[300][8];
        for (double[] row : features) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextDouble() * (j + 1);
            }
        }
        assertEquals(0.0, FrechetDistance.between(features, features.clone()), 1e-9);
    }

    @Test
    void matchesTheClosedFormForCommutingCovariances() {
        // Shared eigenvectors: d^2 = |mu1 - mu2|^2 + sum_i (sqrt(l1_i) - sqrt(l2_i))^2.
        RealMatrix r = rotation(0.7);
        Statistics a = new Statistics(new ArrayRealVector(new double[] {1, 2, 3}), rotatedDiagonal(r, 4, 1, 9));
        Statistics b = new Statistics(new ArrayRealVector(new double[] {0, 2, 5}), rotatedDiagonal(r, 1, 1, 16));
        double expected = (1 + 0 + 4) + (2 - 1) * (2 - 1) + 0 + (3 - 4) * (3 - 4);
        assertEquals(expected, FrechetDistance.between(a, b), 1e-9);
    }

    @Test
    void matchesTheClosedFormForNonCommutingCovariances() {
        // A 2x2 case computed by hand:
        // S1 = diag(4, 1), S2 = [[2, 1], [1, 2]]. Tr sqrt(S1^(1/2) S2 S1^(1/2)) = sqrt(tr M + 2 sqrt(det M))
        // for 2x2 PSD M, with M = [[8, 2], [2, 2]]: tr 10, det 12.
        Statistics a = new Statistics(new ArrayRealVector(2), MatrixUtils.createRealDiagonalMatrix(new double[] {4, 1}));
        Statistics b = new Statistics(new ArrayRealVector(2), new Array2DRowRealMatrix(new double[][] {{2, 1}, {1, 2}}));
        double expected = 5 + 4 - 2 * Math.sqrt(10 + 2 * Math.sqrt(12));
        assertEquals(expected, FrechetDistance.between(a, b), 1e-9);
    }

    @Test
    void samplesFromTwoGaussiansApproachTheirClosedForm() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 20_000;
        double[][] a = new double[n][2];
        double[][] b = new double[n][2];
        for (int i = 0; i < n; i++) {
            a[i][0] = 2 * gaussian(random);
            a[i][1] = 1 * gaussian(random) + 1;
            b[i][0] = 1 * gaussian(random) + 3;
            b[i][1] = 3 * gaussian(random);
        }
        // |(0,1) - (3,0)|^2 + (2 - 1)^2 + (1 - 3)^2 = 10 + 1 + 4
        double distance = FrechetDistance.between(a, b);
        assertEquals(15.0, distance, 0.3);
        assertTrue(FrechetDistance.between(a, a) < 1e-9);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller from the seeded generator, so the test is reproducible.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
