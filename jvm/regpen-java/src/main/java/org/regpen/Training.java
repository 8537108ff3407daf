// The training numerics of conformance/SPEC.md §7: centring, coordinate descent, ISTA/FISTA, the gap.
package org.regpen;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The centred problem (SPEC §7.2) and its solvers. Every reduction is one {@link ExactDot} rounded
 * once; every other step is the single IEEE operation the spec names, in its order (Java never
 * fuses {@code a * b + c}). The matrix is stored by columns, so the coordinate update's dot and the
 * residual update read one contiguous column.
 */
final class Training {
    final int n;
    final int p;
    /** Xc by columns: Xc_ij at xc[j·n + i]. */
    final double[] xc;
    final double[] yc;
    final double[] xMean;
    final double yMean;
    final double[] colSq;
    final double tau;
    final double tol;
    final boolean fitIntercept;
    // The penalty's per-coordinate constants (retarget replaces them along a path).
    Penalty penalty;
    double[] alpha;
    double[] beta;
    double[] denominator;

    private final ExactDot acc = new ExactDot();

    /** Centres X (row-major n × p) and y once (SPEC §7.2). */
    Training(double[] x, int n, int p, double[] y, Penalty penalty, boolean fitIntercept, double tol) {
        this.n = n;
        this.p = p;
        this.fitIntercept = fitIntercept;
        this.tol = tol;
        xc = new double[n * p];
        yc = new double[n];
        xMean = new double[p];
        for (int j = 0; j < p; j++) {
            if (fitIntercept) {
                acc.reset();
                for (int i = 0; i < n; i++) {
                    acc.add(x[i * p + j]);
                }
                xMean[j] = acc.rounded(1, n, false);
            }
            for (int i = 0; i < n; i++) {
                xc[j * n + i] = x[i * p + j] - xMean[j];
            }
        }
        if (fitIntercept) {
            acc.reset();
            for (double v : y) {
                acc.add(v);
            }
            yMean = acc.rounded(1, n, false);
        } else {
            yMean = 0.0;
        }
        for (int i = 0; i < n; i++) {
            yc[i] = y[i] - yMean;
        }
        colSq = new double[p];
        for (int j = 0; j < p; j++) {
            double fast = ExactDot.fastDot(0.0, xc, j * n, 1, xc, j * n, n, false, 0.0, 0.0);
            colSq[j] = fast == fast ? fast : acc.reset().addDot(xc, j * n, 1, xc, j * n, n, 1).rounded();
        }
        double twiceMse = acc.reset().addDot(yc, 0, 1, yc, 0, n, 1).rounded(2, n, false);
        tau = tol * twiceMse;
        retarget(penalty);
    }

    /** The L1 and L2 coefficients (c1, c2) of SPEC §7. */
    static double[] coefficients(Penalty penalty) {
        if (penalty instanceof L1 l1) {
            return new double[] {l1.lam(), 0.0};
        } else if (penalty instanceof L2 l2) {
            return new double[] {0.0, l2.lam()};
        } else {
            ElasticNet e = (ElasticNet) penalty;
            return new double[] {e.l1(), e.l2()};
        }
    }

    /** P(s): every parameter of P(1) times s, factors unchanged (SPEC §7.8). */
    static Penalty scaled(Penalty unit, double s) {
        PenaltyFactor f = unit.penaltyFactor();
        if (unit instanceof L1 l1) {
            return new L1(s * l1.lam(), f);
        } else if (unit instanceof L2 l2) {
            return new L2(s * l2.lam(), f);
        }
        ElasticNet e = (ElasticNet) unit;
        return new ElasticNet(s * e.l1(), s * e.l2(), f);
    }

    /** Installs another penalty's α_j, β_j and d_j on the same centred data. */
    void retarget(Penalty penalty) {
        this.penalty = penalty;
        double big = n;
        double half = big / 2.0;
        double[] c = coefficients(penalty);
        double[] f = penalty.penaltyFactor() == null ? null : penalty.penaltyFactor().values();
        alpha = new double[p];
        beta = new double[p];
        denominator = new double[p];
        for (int j = 0; j < p; j++) {
            double fj = f == null ? 1.0 : f[j];
            alpha[j] = (c[0] * fj) * half;
            beta[j] = (c[1] * fj) * big;
            denominator[j] = colSq[j] + beta[j];
        }
    }

    // ---------------------------------------------------------------- reductions

    /** r_i = RN(yc_i − Σ_j Xc_ij·w_j). */
    double[] residual(double[] w) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double fast = ExactDot.fastDot(yc[i], xc, i, n, w, 0, p, true, 0.0, 0.0);
            r[i] = fast == fast ? fast : acc.reset().add(yc[i]).addDot(xc, i, n, w, 0, p, -1).rounded();
        }
        return r;
    }

    /** u_j = RN(Σ_i Xc_ij·r_i). */
    double[] columnDots(double[] r) {
        double[] u = new double[p];
        for (int j = 0; j < p; j++) {
            double fast = ExactDot.fastDot(0.0, xc, j * n, 1, r, 0, n, false, 0.0, 0.0);
            u[j] = fast == fast ? fast : acc.reset().addDot(xc, j * n, 1, r, 0, n, 1).rounded();
        }
        return u;
    }

    /** SPEC §7.5: the Fenchel gap at w and θ = c·r, in F's units. */
    double gap(double[] w, double[] r, double[] u) {
        double c = 1.0;
        for (int j = 0; j < p; j++) {
            double a = Math.abs(u[j]);
            if (beta[j] == 0 && alpha[j] > 0 && a > alpha[j]) {
                c = Math.min(c, alpha[j] / a);
            }
        }
        acc.reset();
        for (int i = 0; i < n; i++) {
            acc.addProduct(1, 0.5, r[i], r[i]);
            acc.addProduct(1, 0.5, c, c, r[i], r[i]);
            acc.addProduct(-1, c, r[i], yc[i]);
        }
        for (int j = 0; j < p; j++) {
            acc.addProduct(alpha[j], Math.abs(w[j]));
            acc.addProduct(1, 0.5, beta[j], w[j], w[j]);
            double m = c * Math.abs(u[j]) - alpha[j];
            if (beta[j] > 0 && m > 0) {
                acc.add((m * m) / (2.0 * beta[j]));
            }
        }
        return acc.rounded(2, n, false);
    }

    /** b = RN(ȳ − Σ_j x̄_j·w_j), or +0 without an intercept. */
    double intercept(double[] w) {
        if (!fitIntercept) {
            return 0.0;
        }
        return acc.reset().add(yMean).addDot(xMean, 0, 1, w, 0, p, -1).rounded();
    }

    // ---------------------------------------------------------------- solvers

    /** What a solver returns: the final w, the iterations, the gap and the recorded trajectory. */
    record Outcome(double[] w, int nIter, double gap, boolean converged, List<double[]> trajectory) {}

    static double soft(double x, double t) {
        double d = Math.abs(x) - t;
        if (Double.isNaN(d)) {
            return Double.NaN;
        }
        return d > 0 ? Math.copySign(d, x) : Math.copySign(0.0, x);
    }

    /** Cyclic coordinate descent (SPEC §7.3). */
    Outcome coordinateDescent(double[] w, int maxIter, boolean record) {
        double[] r = residual(w);
        List<double[]> trajectory = new ArrayList<>();
        double gap = Double.NaN;
        boolean converged = false;
        int k = 0;
        while (k < maxIter) {
            k++;
            double dwMax = 0.0;
            double wMax = 0.0;
            for (int j = 0; j < p; j++) {
                double old = w[j];
                double next;
                if (colSq[j] == 0) {
                    next = 0.0;
                } else {
                    double rho = ExactDot.fastDot(0.0, xc, j * n, 1, r, 0, n, false, colSq[j], old);
                    if (rho != rho) { // NaN: the fast pass could not decide (or a special value)
                        rho = acc.reset().addDot(xc, j * n, 1, r, 0, n, 1).addProduct(colSq[j], old).rounded();
                    }
                    next = soft(rho, alpha[j]) / denominator[j];
                }
                double delta = old - next;
                if (delta != 0 && colSq[j] != 0) {
                    int base = j * n;
                    for (int i = 0; i < n; i++) {
                        r[i] = r[i] + xc[base + i] * delta;
                    }
                }
                w[j] = next;
                // As Python's max(): a NaN never replaces the running maximum.
                if (Math.abs(delta) > dwMax) {
                    dwMax = Math.abs(delta);
                }
                if (Math.abs(next) > wMax) {
                    wMax = Math.abs(next);
                }
            }
            if (record) {
                trajectory.add(w.clone());
            }
            if (wMax == 0 || dwMax / wMax <= tol || k == maxIter) {
                gap = gap(w, r, columnDots(r));
                if (gap <= tau) {
                    converged = true;
                    break;
                }
            }
        }
        return new Outcome(w, k, gap, converged, trajectory);
    }

    /** The step γ = 1/L with L = RN((2/n)·Σ Xc²), or 1 when L = 0 (SPEC §7.4). */
    double step() {
        double big = acc.reset().addDot(xc, 0, 1, xc, 0, n * p, 1).rounded(2, n, false);
        return big > 0 ? 1.0 / big : 1.0;
    }

    /** ISTA, or FISTA when {@code accelerated} (SPEC §7.4). */
    Outcome proximalGradient(double[] w, int maxIter, boolean accelerated, boolean record) {
        double gamma = step();
        double big = n;
        double[] v = w.clone();
        double t = 1.0;
        List<double[]> trajectory = new ArrayList<>();
        double gap = Double.NaN;
        boolean converged = false;
        int k = 0;
        double[] z = new double[p];
        while (k < maxIter) {
            k++;
            double[] u = columnDots(residual(v));
            for (int j = 0; j < p; j++) {
                double g = (-2.0 * u[j]) / big;
                z[j] = v[j] - gamma * g;
            }
            double[] next = penalty.prox(z, gamma);
            if (accelerated) {
                double tNext = (1.0 + Math.sqrt(1.0 + 4.0 * (t * t))) / 2.0;
                double m = (t - 1.0) / tNext;
                for (int j = 0; j < p; j++) {
                    v[j] = next[j] + m * (next[j] - w[j]);
                }
                t = tNext;
            } else {
                v = next.clone();
            }
            w = next;
            if (record) {
                trajectory.add(w.clone());
            }
            double[] r = residual(w);
            gap = gap(w, r, columnDots(r));
            if (gap <= tau) {
                converged = true;
                break;
            }
        }
        return new Outcome(w, k, gap, converged, trajectory);
    }

    // ---------------------------------------------------------------- the path (SPEC §7.8)

    /**
     * lambda_max = RU(max_j 2·|Σ_i Xc_ij·yc_i| / (n·f_j·c1)) over f_j > 0, compared and rounded
     * exactly: each candidate is the rational 2·|dot_j|·2^e / (n·f_j·c1).
     */
    double lambdaMax(Penalty unit) {
        double c1 = coefficients(unit)[0];
        if (c1 == 0) {
            throw new RegpenException(ErrorCode.INVALID_ARGUMENT,
                    "a penalty without an L1 part has no lambda_max: give the strengths");
        }
        double[] f = unit.penaltyFactor() == null ? null : unit.penaltyFactor().values();
        BigInteger bestNum = BigInteger.ZERO;
        BigInteger bestDen = BigInteger.ONE;
        int bestExp = 0;
        for (int j = 0; j < p; j++) {
            double fj = f == null ? 1.0 : f[j];
            if (!(fj > 0)) {
                continue;
            }
            BigInteger[] dot = acc.reset().addDot(xc, j * n, 1, yc, 0, n, 1).exactTotal();
            // denominator n·f_j·c1 as an exact dyadic: mantissa · 2^exp.
            BigInteger[] fe = ExactDot.exactOf(fj);
            BigInteger[] ce = ExactDot.exactOf(c1);
            BigInteger num = dot[0].abs().shiftLeft(1);
            BigInteger den = BigInteger.valueOf(n).multiply(fe[0]).multiply(ce[0]);
            int exp = dot[1].intValueExact() - fe[1].intValueExact() - ce[1].intValueExact();
            if (compare(num, den, exp, bestNum, bestDen, bestExp) > 0) {
                bestNum = num;
                bestDen = den;
                bestExp = exp;
            }
        }
        return ExactDot.round(bestNum, bestDen, bestExp, true);
    }

    /** Compares a/b·2^ea with c/d·2^ec (b, d > 0, a, c ≥ 0). */
    private static int compare(BigInteger a, BigInteger b, int ea, BigInteger c, BigInteger d, int ec) {
        BigInteger left = a.multiply(d);
        BigInteger right = c.multiply(b);
        if (ea >= ec) {
            left = left.shiftLeft(ea - ec);
        } else {
            right = right.shiftLeft(ec - ea);
        }
        return left.compareTo(right);
    }

    /** q = RN(eps^(1/(K−1))), decided by exact powers of the midpoints to q's neighbours. */
    static double geometricRatio(double eps, int k) {
        int steps = k - 1;
        double q = Math.pow(eps, 1.0 / steps);
        BigInteger[] target = ExactDot.exactOf(eps);
        for (int attempt = 0; attempt < 64; attempt++) {
            double down = Math.nextDown(q);
            double upper = Math.nextUp(q);
            if (comparePower(q, down, steps, target) > 0) {
                q = down;
            } else if (comparePower(q, upper, steps, target) < 0) {
                q = upper;
            } else {
                return q;
            }
        }
        throw new IllegalStateException("the root did not settle"); // pow is within a few ulps
    }

    /** Compares ((a + b)/2)^steps with the exact value target = m·2^e. */
    private static int comparePower(double a, double b, int steps, BigInteger[] target) {
        BigInteger[] mid = new ExactDot().add(a).add(b).exactTotal(); // (a + b) = m·2^e; mid = m·2^(e−1)
        BigInteger power = mid[0].pow(steps);
        long exp = (mid[1].longValueExact() - 1) * steps;
        BigInteger t = target[0];
        long te = target[1].longValueExact();
        if (exp >= te) {
            power = power.shiftLeft((int) (exp - te));
        } else {
            t = t.shiftLeft((int) (te - exp));
        }
        return power.compareTo(t);
    }
}
