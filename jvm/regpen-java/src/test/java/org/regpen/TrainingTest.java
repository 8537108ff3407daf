// End-to-end training through the public API: sparsity, prediction, errors.
package org.regpen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingTest {
    /** y depends on features 0 and 1 only; features 2..5 are noise. */
    private static double[][] x = new double[60][6];
    private static double[] y = new double[60];

    static {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 6; j++) {
                x[i][j] = rng.nextGaussian();
            }
            y[i] = 3.0 * x[i][0] - 2.0 * x[i][1] + 0.5 + 0.01 * rng.nextGaussian();
        }
    }

    @Test
    void lassoDrivesIrrelevantWeightsToExactlyZero() {
        TrainedModel fit = Model.builder().penalty(new L1(0.1)).build().trainModel(x, y);
        assertTrue(fit.converged(), fit::convergenceMessage);
        double[] w = fit.coefficients();
        assertTrue(w[0] > 2.5 && w[1] < -1.5, "the true features survive");
        for (int j = 2; j < 6; j++) {
            assertEquals(0L, Double.doubleToRawLongBits(w[j]) & Long.MAX_VALUE, "feature " + j + " is exactly 0");
        }
        assertEquals(2, fit.nonZeroCount());
        assertTrue(Math.abs(fit.intercept() - 0.5) < 0.2);
        assertEquals(0, fit.trajectory().length, "no trajectory unless asked");
        // Prediction is b + x·w; ridge keeps every weight nonzero.
        assertEquals(fit.intercept() + w[0], fit.predict(new double[] {1, 0, 0, 0, 0, 0}), 1e-15);
        TrainedModel ridge = Model.builder().penalty(new L2(0.1)).build().trainModel(x, y);
        assertEquals(6, ridge.nonZeroCount());
    }

    @Test
    void everySolverReachesTheSameSupport() {
        for (Solver s : Solver.values()) {
            TrainedModel fit = Model.builder().penalty(new ElasticNet(0.1, 0.01)).solver(s).maxIter(5000).build()
                    .trainModel(x, y);
            assertTrue(fit.converged(), s + ": " + fit.convergenceMessage());
            assertEquals(2, fit.nonZeroCount(), s.id());
        }
    }

    @Test
    void nonConvergenceIsReportedNotThrown() {
        TrainedModel fit = Model.builder().penalty(new L1(0.01)).solver(Solver.ISTA).maxIter(2).tol(0.0)
                .recordTrajectory(true).build().trainModel(x, y);
        assertFalse(fit.converged());
        assertEquals(2, fit.nIter());
        assertEquals(2, fit.trajectory().length);
        assertTrue(fit.convergenceMessage().contains("after 2 iterations"));
    }

    @Test
    void badInputHasTheSpecCodes() {
        Model model = Model.builder().penalty(new L1(0.1)).build();
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> Model.builder().penalty(new L1(0.1)).solver("newton"));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> model.toBuilder().maxIter(0).build());
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> model.toBuilder().tol(Double.NaN).build());
        assertCode(ErrorCode.SHAPE_MISMATCH, () -> model.trainModel(new double[][] {{1, 2}, {3}}, new double[] {1, 2}));
        assertCode(ErrorCode.SHAPE_MISMATCH, () -> model.trainModel(new double[][] {{1}, {3}}, new double[] {1}));
        assertCode(ErrorCode.EMPTY_INPUT, () -> model.trainModel(new double[0][], new double[0]));
        assertCode(ErrorCode.NON_FINITE_INPUT,
                () -> model.trainModel(new double[][] {{1}, {Double.POSITIVE_INFINITY}}, new double[] {1, 2}));
        assertCode(ErrorCode.NON_FINITE_INPUT, () -> model.trainModel(new double[][] {{1}, {2}}, new double[] {1, Double.NaN}));
        assertCode(ErrorCode.INVALID_LAMBDA, () -> model.path(new double[] {1, 2}, 2, 1, new double[] {1, 2}, new double[] {1, -1}));
    }

    @Test
    void pathStartsAtZeroAndGrowsTheSupport() {
        double[] flat = new double[60 * 6];
        for (int i = 0; i < 60; i++) {
            System.arraycopy(x[i], 0, flat, 6 * i, 6);
        }
        Model model = Model.builder().penalty(new L1(1.0)).build();
        RegularizationPath path = model.path(flat, 60, 6, y, 20, 1e-3);
        assertEquals(model.lambdaMax(flat, 60, 6, y), path.strengths()[0]);
        assertEquals(0, java.util.Arrays.stream(path.coefs()[0]).filter(c -> c != 0).count(), "all zero at lambda_max");
        assertEquals(2, java.util.Arrays.stream(path.coefs()[19]).filter(c -> c != 0).count());
    }

    private static void assertCode(ErrorCode code, org.junit.jupiter.api.function.Executable call) {
        RegpenException e = assertThrows(RegpenException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }
}
