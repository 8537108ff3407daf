// The seed's Model.trainModel(trainingData, labels) (SPEC §7): an immutable training configuration.
package org.regpen;

import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * How to fit a linear model {@code ŷ = X·w + b}: a penalty, a {@link Solver}, whether to fit an
 * intercept, {@code maxIter} (≥ 1) and {@code tol} (finite, ≥ 0; the duality-gap tolerance relative
 * to the null model's error, scikit-learn's rule). Options are checked when the model is built, so a
 * bad option fails before any data is read (SPEC §7.6's order).
 *
 * <pre>{@code
 * TrainedModel fit = Model.builder().penalty(new L1(0.1)).build().trainModel(x, y);
 * }</pre>
 *
 * <p>A fit that reaches {@code maxIter} without converging is still returned, with
 * {@link TrainedModel#converged()} false, and logged as a {@code WARNING} on the
 * {@link System.Logger} named {@code org.regpen.Model}: Java has no warnings channel, the flag lets
 * a caller decide, and {@code System.Logger} reaches whatever logging backend the application uses
 * (java.util.logging by default) without a dependency.
 *
 * @param recordTrajectory keep the coefficients after every iteration in the result
 */
public record Model(Penalty penalty, Solver solver, boolean fitIntercept, int maxIter, double tol,
                    boolean recordTrajectory) {

    private static final System.Logger LOG = System.getLogger(Model.class.getName());

    public Model {
        Objects.requireNonNull(penalty, "penalty");
        Objects.requireNonNull(solver, "solver");
        if (maxIter < 1) {
            throw new RegpenException(ErrorCode.INVALID_ARGUMENT, "maxIter must be >= 1, got " + maxIter);
        }
        if (!Double.isFinite(tol) || tol < 0) {
            throw new RegpenException(ErrorCode.INVALID_ARGUMENT, "tol must be finite and >= 0, got " + tol);
        }
    }

    /** Defaults: coordinate descent, an intercept, 1000 iterations, tol 1e-4, no trajectory. */
    public static Builder builder() {
        return new Builder();
    }

    /** This configuration in a builder, to change one option. */
    public Builder toBuilder() {
        return new Builder().penalty(penalty).solver(solver).fitIntercept(fitIntercept).maxIter(maxIter)
                .tol(tol).recordTrajectory(recordTrajectory);
    }

    /** Fits rows of {@code trainingData} (n × p, rectangular) to {@code labels} (n). */
    public TrainedModel trainModel(double[][] trainingData, double[] labels) {
        return trainModel(trainingData, labels, null);
    }

    /** As {@link #trainModel(double[][], double[])}, warm-started from {@code initial} (p, or null). */
    public TrainedModel trainModel(double[][] trainingData, double[] labels, double[] initial) {
        Objects.requireNonNull(trainingData, "trainingData");
        int n = trainingData.length;
        int p = n == 0 ? 0 : trainingData[0].length;
        double[] flat = new double[n * p];
        for (int i = 0; i < n; i++) {
            if (trainingData[i].length != p) {
                throw new RegpenException(ErrorCode.SHAPE_MISMATCH,
                        "trainingData must be rectangular: row 0 has " + p + " values, row " + i + " has "
                                + trainingData[i].length);
            }
            System.arraycopy(trainingData[i], 0, flat, i * p, p);
        }
        return trainModel(flat, n, p, labels, initial);
    }

    /** Fits X given row-major ({@code x.length == n·p}) to {@code labels}; {@code initial} may be null. */
    public TrainedModel trainModel(double[] x, int n, int p, double[] labels, double[] initial) {
        checkData(x, n, p, labels, penalty);
        if (initial != null && initial.length != p) {
            throw new RegpenException(ErrorCode.SHAPE_MISMATCH,
                    "initial coefficients have length " + initial.length + " for " + p + " features");
        }
        Training problem = new Training(x, n, p, labels, penalty, fitIntercept, tol);
        return fit(problem, initial == null ? new double[p] : initial.clone(), null);
    }

    /**
     * A regularization path over the given strengths (SPEC §7.8): this model's penalty is P(1), the
     * fit at s uses P(s) (every parameter times s), warm-started from the previous fit.
     */
    public RegularizationPath path(double[] x, int n, int p, double[] labels, double[] strengths) {
        Objects.requireNonNull(strengths, "strengths");
        if (strengths.length == 0) {
            throw new RegpenException(ErrorCode.INVALID_LAMBDA, "strengths must not be empty");
        }
        for (int k = 0; k < strengths.length; k++) {
            if (!Double.isFinite(strengths[k]) || !(strengths[k] > 0)) {
                throw new RegpenException(ErrorCode.INVALID_LAMBDA,
                        "strengths must be finite and > 0, got " + strengths[k] + " at index " + k);
            }
        }
        checkData(x, n, p, labels, penalty);
        return runPath(new Training(x, n, p, labels, penalty, fitIntercept, tol), strengths.clone());
    }

    /**
     * A path over the default grid: {@code nStrengths} (≥ 1) strengths from lambda_max down by the
     * correctly rounded ratio eps^(1/(K−1)), eps in (0, 1) (scikit-learn's default is 100 and 1e-3).
     */
    public RegularizationPath path(double[] x, int n, int p, double[] labels, int nStrengths, double eps) {
        if (nStrengths < 1) {
            throw new RegpenException(ErrorCode.INVALID_ARGUMENT, "nStrengths must be >= 1, got " + nStrengths);
        }
        if (!(eps > 0 && eps < 1)) {
            throw new RegpenException(ErrorCode.INVALID_LAMBDA, "eps must be in (0, 1), got " + eps);
        }
        checkData(x, n, p, labels, penalty);
        Training problem = new Training(x, n, p, labels, penalty, fitIntercept, tol);
        double top = problem.lambdaMax(penalty);
        if (top == 0) {
            throw new RegpenException(ErrorCode.INVALID_LAMBDA,
                    "lambda_max is 0 (y is constant or orthogonal to X): give the strengths");
        }
        double[] grid = new double[nStrengths];
        grid[0] = top;
        double q = nStrengths > 1 ? Training.geometricRatio(eps, nStrengths) : 1.0;
        for (int k = 1; k < nStrengths; k++) {
            grid[k] = grid[k - 1] * q;
        }
        return runPath(problem, grid);
    }

    /** lambda_max of this model's penalty on (X, y): the smallest strength whose fit is all zero. */
    public double lambdaMax(double[] x, int n, int p, double[] labels) {
        checkData(x, n, p, labels, penalty);
        return new Training(x, n, p, labels, penalty, fitIntercept, tol).lambdaMax(penalty);
    }

    private RegularizationPath runPath(Training problem, double[] strengths) {
        int k = strengths.length;
        double[][] coefs = new double[k][];
        double[] intercepts = new double[k];
        int[] iters = new int[k];
        double[] gaps = new double[k];
        double[] warm = new double[problem.p];
        for (int s = 0; s < k; s++) {
            problem.retarget(Training.scaled(penalty, strengths[s]));
            TrainedModel fit = fit(problem, warm, strengths[s]);
            warm = fit.coefficients();
            coefs[s] = warm.clone();
            intercepts[s] = fit.intercept();
            iters[s] = fit.nIter();
            gaps[s] = fit.gap();
        }
        return new RegularizationPath(strengths, coefs, intercepts, iters, gaps);
    }

    private TrainedModel fit(Training problem, double[] w, Double strength) {
        Training.Outcome out = solver == Solver.CD
                ? problem.coordinateDescent(w, maxIter, recordTrajectory)
                : problem.proximalGradient(w, maxIter, solver == Solver.FISTA, recordTrajectory);
        TrainedModel fit = new TrainedModel(out.w(), problem.intercept(out.w()), out.nIter(), out.gap(),
                out.converged(), problem.tau, out.trajectory().toArray(double[][]::new));
        if (!fit.converged()) {
            LOG.log(Level.WARNING, () -> (strength == null ? "" : "strength " + strength + ": ")
                    + fit.convergenceMessage());
        }
        return fit;
    }

    /** SPEC §7.6's data checks, in order: shapes, empty input, non-finite values. */
    static void checkData(double[] x, int n, int p, double[] y, Penalty penalty) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "labels");
        if (n < 0 || p < 0 || (long) n * p != x.length || y.length != n) {
            throw new RegpenException(ErrorCode.SHAPE_MISMATCH, "X must be n × p = " + n + " × " + p
                    + " (" + x.length + " values given) and y must have n values, got " + y.length);
        }
        PenaltyFactor f = penalty.penaltyFactor();
        if (f != null && f.length() != p) {
            throw new RegpenException(ErrorCode.SHAPE_MISMATCH,
                    "penalty_factor has " + f.length() + " entries for " + p + " features");
        }
        if (n == 0 || p == 0) {
            throw new RegpenException(ErrorCode.EMPTY_INPUT,
                    "X has shape " + n + " × " + p + "; training needs at least one sample and one feature");
        }
        for (int k = 0; k < x.length; k++) {
            if (!Double.isFinite(x[k])) {
                throw new RegpenException(ErrorCode.NON_FINITE_INPUT, "X contains " + x[k] + " at (" + k / p
                        + ", " + k % p + "); training needs finite data");
            }
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(y[i])) {
                throw new RegpenException(ErrorCode.NON_FINITE_INPUT,
                        "y contains " + y[i] + " at index " + i + "; training needs finite data");
            }
        }
    }

    /** A mutable builder of the immutable {@link Model}. */
    public static final class Builder {
        private Penalty penalty;
        private Solver solver = Solver.CD;
        private boolean fitIntercept = true;
        private int maxIter = 1000;
        private double tol = 1e-4;
        private boolean recordTrajectory;

        private Builder() {}

        public Builder penalty(Penalty penalty) {
            this.penalty = penalty;
            return this;
        }

        public Builder solver(Solver solver) {
            this.solver = solver;
            return this;
        }

        /** The solver by its spec name ("cd", "ista", "fista"); invalid_argument otherwise. */
        public Builder solver(String name) {
            return solver(Solver.of(name));
        }

        public Builder fitIntercept(boolean fitIntercept) {
            this.fitIntercept = fitIntercept;
            return this;
        }

        public Builder maxIter(int maxIter) {
            this.maxIter = maxIter;
            return this;
        }

        public Builder tol(double tol) {
            this.tol = tol;
            return this;
        }

        public Builder recordTrajectory(boolean recordTrajectory) {
            this.recordTrajectory = recordTrajectory;
            return this;
        }

        public Model build() {
            return new Model(penalty, solver, fitIntercept, maxIter, tol, recordTrajectory);
        }
    }
}
