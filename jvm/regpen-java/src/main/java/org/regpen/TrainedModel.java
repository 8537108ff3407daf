// The result of Model.trainModel (SPEC §7.6): coefficients, intercept and the convergence certificate.
package org.regpen;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A fitted linear model {@code ŷ = X·w + b}. Immutable: the arrays are copied in and out.
 *
 * @param coefficients w, one per feature
 * @param intercept b (+0 without an intercept)
 * @param nIter the iterations done (coordinate sweeps or proximal steps)
 * @param gap the final duality gap, in the objective's units (NaN if it was never computed)
 * @param converged whether {@code gap ≤ tolerance}
 * @param tolerance the gap tolerance τ = tol × twice the null model's mean squared error
 * @param trajectory w after every iteration when the model asked for it, else empty
 */
public record TrainedModel(double[] coefficients, double intercept, int nIter, double gap, boolean converged,
                           double tolerance, double[][] trajectory) {

    public TrainedModel {
        coefficients = coefficients.clone();
        trajectory = Arrays.stream(trajectory).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    @Override
    public double[][] trajectory() {
        return Arrays.stream(trajectory).map(double[]::clone).toArray(double[][]::new);
    }

    /** ŷ = RN(b + Σ_j x_j·w_j) for one row (SPEC §7.7). */
    public double predict(double[] row) {
        if (row.length != coefficients.length) {
            throw new RegpenException(ErrorCode.SHAPE_MISMATCH,
                    "a row has " + row.length + " features, the model " + coefficients.length);
        }
        double fast = ExactDot.fastDot(intercept, row, 0, 1, coefficients, 0, row.length, false, 0.0, 0.0);
        return fast == fast ? fast
                : new ExactDot().add(intercept).addDot(row, 0, 1, coefficients, 0, row.length, 1).rounded();
    }

    /** ŷ for every row. */
    public double[] predict(double[][] rows) {
        return Arrays.stream(rows).mapToDouble(this::predict).toArray();
    }

    /** The number of nonzero coefficients (L1's support size). */
    public int nonZeroCount() {
        return (int) Arrays.stream(coefficients).filter(c -> c != 0).count();
    }

    /** What the non-convergence warning says: the iterations, the gap and its ratio to the tolerance. */
    public String convergenceMessage() {
        double ratio = tolerance > 0 ? gap / tolerance : Double.POSITIVE_INFINITY;
        return String.format(Locale.ROOT, "not converged after %d iterations: duality gap %.3e is %.3g times the "
                + "tolerance %.3e; raise maxIter, loosen tol, or standardize the features", nIter, gap, ratio, tolerance);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainedModel t && Arrays.equals(coefficients, t.coefficients)
                && Double.compare(intercept, t.intercept) == 0 && nIter == t.nIter
                && Double.compare(gap, t.gap) == 0 && converged == t.converged
                && Double.compare(tolerance, t.tolerance) == 0 && Arrays.deepEquals(trajectory, t.trajectory);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(coefficients), intercept, nIter, gap, converged, tolerance,
                Arrays.deepHashCode(trajectory));
    }

    @Override
    public String toString() {
        return "TrainedModel[coefficients=" + Arrays.toString(coefficients) + ", intercept=" + intercept + ", nIter="
                + nIter + ", gap=" + gap + ", converged=" + converged + "]";
    }
}
