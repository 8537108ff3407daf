// The scalar results of SPEC §2 (value, loss): the exact value rounded once, with the special values
// decided per product.
package org.regpen;

/**
 * value(w) = RN_F(Σ f_i·(c1·|w_i| + c2·w_i²)) and loss = RN_F(SSE/n + value formula), with exact
 * residuals and the exact integer n. The fast path scales and combines the sums' {@link Approx}
 * forms and rounds them with {@link Approx#round64()} / {@link Approx#round32()}; when that test
 * cannot decide, or a sum saw a non-finite value, the exact path classifies every product
 * (NaN, +inf or finite) and otherwise rounds the exact dyadic value once.
 */
final class Objective {
    private Objective() {}

    /**
     * A penalty as the spec's formula: the coefficients (c1, c2) of |w| and w², which of the two
     * products exist (L1 has no P2, L2 no P1, ElasticNet both even with a zero coefficient, since
     * 0·∞ is NaN) and the factors (null when every factor is 1).
     */
    record Terms(double c1, double c2, boolean abs, boolean square, PenaltyFactor factors) {
        static Terms of(Penalty p) {
            if (p instanceof L1 l1) {
                return new Terms(l1.lam(), 0.0, true, false, l1.penaltyFactor());
            } else if (p instanceof L2 l2) {
                return new Terms(0.0, l2.lam(), false, true, l2.penaltyFactor());
            } else if (p instanceof ElasticNet en) {
                return new Terms(en.l1(), en.l2(), true, true, en.penaltyFactor());
            }
            throw new AssertionError("Penalty is sealed, but got " + p.getClass());
        }
    }

    private static final int FINITE = 0;
    private static final int INFINITE = 1;
    private static final int NAN = 2;

    // ---------------------------------------------------------------- binary64

    static double value(Terms t, double[] w) {
        Approx a = approx(t, w);
        double r = a == null ? Double.NaN : a.round64();
        return Double.isNaN(r) ? exactValue(t, w, t.factors == null ? null : t.factors.values(), t.c1, t.c2, false) : r;
    }

    static double loss(Terms t, double[] y, double[] yHat, double[] w) {
        Approx sse = ExactSum.squaredErrorSum(y, yHat);
        Approx pen = approx(t, w);
        double r = sse == null || pen == null ? Double.NaN : sse.dividedBy(y.length).plus(pen).round64();
        if (!Double.isNaN(r)) {
            return r;
        }
        double[] f = t.factors == null ? null : t.factors.values();
        return exactLoss(t, y, yHat, w, f, t.c1, t.c2).toDouble();
    }

    /** The penalty's sum, scaled and combined but not rounded; null when a sum is not finite. */
    private static Approx approx(Terms t, double[] w) {
        Approx a = null;
        if (t.abs) {
            Approx s1 = ExactSum.absSum(w, t.factors);
            if (s1 == null) {
                return null;
            }
            a = s1.times(t.c1);
        }
        if (t.square) {
            Approx s2 = ExactSum.squareSum(w, t.factors);
            if (s2 == null) {
                return null;
            }
            a = a == null ? s2.times(t.c2) : a.plus(s2.times(t.c2));
        }
        return a;
    }

    // ---------------------------------------------------------------- binary32

    /** binary32: the coefficients and factors rounded once to binary32 (they may become +inf). */
    static float value(Terms t, float[] w) {
        double c1 = (float) t.c1;
        double c2 = (float) t.c2;
        Approx a = approx(t, w, c1, c2);
        float r = a == null ? Float.NaN : a.round32();
        if (!Float.isNaN(r)) {
            return r;
        }
        double[] f = t.factors == null ? null : ExactSum.widen(t.factors.values32());
        return (float) exactValue(t, ExactSum.widen(w), f, c1, c2, true);
    }

    static float loss(Terms t, float[] y, float[] yHat, float[] w) {
        double c1 = (float) t.c1;
        double c2 = (float) t.c2;
        Approx sse = ExactSum.squaredErrorSum(y, yHat);
        Approx pen = approx(t, w, c1, c2);
        float r = sse == null || pen == null ? Float.NaN : sse.dividedBy(y.length).plus(pen).round32();
        if (!Float.isNaN(r)) {
            return r;
        }
        double[] f = t.factors == null ? null : ExactSum.widen(t.factors.values32());
        return exactLoss(t, ExactSum.widen(y), ExactSum.widen(yHat), ExactSum.widen(w), f, c1, c2).toFloat();
    }

    private static Approx approx(Terms t, float[] w, double c1, double c2) {
        if (Double.isInfinite(c1) || Double.isInfinite(c2)) {
            return null;
        }
        Approx a = null;
        if (t.abs) {
            Approx s1 = ExactSum.absSum(w, t.factors);
            if (s1 == null) {
                return null;
            }
            a = s1.times(c1);
        }
        if (t.square) {
            Approx s2 = ExactSum.squareSum(w, t.factors);
            if (s2 == null) {
                return null;
            }
            a = a == null ? s2.times(c2) : a.plus(s2.times(c2));
        }
        return a;
    }

    // ---------------------------------------------------------------- the exact path

    /**
     * The value in binary64 (or, with {@code to32}, rounded once to binary32 and returned widened):
     * NaN or +inf when a product is, else the exact sum rounded once.
     */
    private static double exactValue(Terms t, double[] w, double[] f, double c1, double c2, boolean to32) {
        int kind = products(t, w, f, c1, c2);
        if (kind != FINITE) {
            return kind == NAN ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        ExactSum.Dyadic d = exactPenalty(t, w, f, c1, c2);
        return to32 ? d.toFloat() : d.toDouble();
    }

    /** The loss's exact value, or a dyadic stand-in of NaN/+inf rounded by the caller. */
    private static Rounded exactLoss(Terms t, double[] y, double[] yHat, double[] w, double[] f, double c1, double c2) {
        int kind = products(t, w, f, c1, c2);
        for (int i = 0; i < y.length && kind != NAN; i++) {
            kind = Math.max(kind, residual(y[i], yHat[i]));
        }
        if (kind != FINITE) {
            return new Rounded(null, kind == NAN ? Double.NaN : Double.POSITIVE_INFINITY);
        }
        long n = y.length;
        ExactSum.Dyadic sum = ExactSum.exactSquaredErrors(y, yHat)
                .plus(exactPenalty(t, w, f, c1, c2).times(ExactSum.Dyadic.of(n)));
        return new Rounded(sum.dividedBy(n), 0.0);
    }

    /** Either an exact value to round or a special value. */
    private record Rounded(ExactSum.Dyadic exact, double special) {
        double toDouble() {
            return exact == null ? special : exact.toDouble();
        }

        float toFloat() {
            return exact == null ? (float) special : exact.toFloat();
        }
    }

    /** c1·Σ f·|w| + c2·Σ f·w², exactly; every product is known to be finite. */
    private static ExactSum.Dyadic exactPenalty(Terms t, double[] w, double[] f, double c1, double c2) {
        ExactSum.Dyadic sum = ExactSum.Dyadic.ZERO;
        if (t.abs) {
            sum = sum.plus(scaled(c1, ExactSum.exact(w, f, ExactSum.Kind.ABS)));
        }
        if (t.square) {
            sum = sum.plus(scaled(c2, ExactSum.exact(w, f, ExactSum.Kind.SQUARE)));
        }
        return sum;
    }

    /** c·s; a zero sum stays zero even if c is +inf (then no product exists, as w is empty). */
    private static ExactSum.Dyadic scaled(double c, ExactSum.Dyadic s) {
        return s.isZero() ? s : s.times(ExactSum.Dyadic.of(c));
    }

    /** The worst class of the products P1_i = c1·f_i·|w_i| and P2_i = c2·f_i·w_i·w_i that exist. */
    private static int products(Terms t, double[] w, double[] f, double c1, double c2) {
        int kind = FINITE;
        for (int i = 0; i < w.length && kind != NAN; i++) {
            double fi = f == null ? 1.0 : f[i];
            if (t.abs) {
                kind = Math.max(kind, product(c1, fi, w[i]));
            }
            if (t.square) {
                kind = Math.max(kind, product(c2, fi, w[i]));
            }
        }
        return kind;
    }

    /** A product's class: NaN with a NaN factor or with both 0 and ∞ as factors, else ∞ or finite. */
    private static int product(double a, double b, double c) {
        if (Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(c)) {
            return NAN;
        }
        boolean zero = a == 0.0 || b == 0.0 || c == 0.0;
        boolean infinite = Double.isInfinite(a) || Double.isInfinite(b) || Double.isInfinite(c);
        return infinite ? (zero ? NAN : INFINITE) : FINITE;
    }

    /** (y − p)²'s class: NaN for a NaN or ∞ − ∞ of one sign, ∞ when one side is infinite. */
    private static int residual(double y, double p) {
        if (Double.isNaN(y) || Double.isNaN(p) || (Double.isInfinite(y) && y == p)) {
            return NAN;
        }
        return Double.isInfinite(y) || Double.isInfinite(p) ? INFINITE : FINITE;
    }
}
