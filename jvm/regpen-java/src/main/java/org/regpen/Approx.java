// A double-double approximation with a proven error bound, and the one rounding test (Ziv's) that
// turns it into a correctly rounded binary64 or binary32 result.
package org.regpen;

/**
 * A non-negative real x known as {@code hi + lo} with {@code |x − (hi + lo)| ≤ err}. The operations
 * below keep that invariant; each adds the rounding errors it commits to {@code err}, which is
 * then enlarged by 2^-40 relative (more than the few roundings of the bound arithmetic itself) and,
 * where a product or quotient may underflow, by a few subnormal ulps (an underflowed result or an
 * FMA error term is off by at most half of one).
 *
 * <p>{@link #round64()} and {@link #round32()} accept r = RN(hi + lo) only when the whole interval
 * [hi + lo − err, hi + lo + err] lies strictly inside r's rounding interval (half the smaller
 * neighbouring gap on each side); then RN(x) = r, whatever x is in the interval. Otherwise they
 * return NaN and the caller computes x exactly. A tie can never pass, so ties are always decided
 * exactly.
 */
record Approx(double hi, double lo, double err) {
    private static final double U = 0x1p-53;
    private static final double SAFETY = 1.0 + 0x1p-40;
    private static final double TINY = 4 * Double.MIN_VALUE;

    /** x·c for a finite c ≥ 0: c·hi = p + e exactly by one FMA, c·lo rounded once, then p + e + q. */
    Approx times(double c) {
        double p = c * hi;
        double e = Math.fma(c, hi, -p);
        double q = c * lo;
        double l = e + q;
        boolean exactZero = c == 0.0 || (hi == 0.0 && lo == 0.0);
        double bound = (c * err + U * (Math.abs(q) + Math.abs(l))) * SAFETY + (exactZero ? 0.0 : TINY);
        return new Approx(p, l, bound);
    }

    /** x + y: TwoSum of the high parts (exact), then the low parts added with two roundings. */
    Approx plus(Approx y) {
        double s = hi + y.hi;
        double z = s - hi;
        double t = (hi - (s - z)) + (y.hi - z);
        double l1 = t + lo;
        double l2 = l1 + y.lo;
        double bound = (err + y.err + U * (Math.abs(l1) + Math.abs(l2))) * SAFETY;
        return new Approx(s, l2, bound);
    }

    /**
     * x / n for an integer n ≥ 1 (exact in binary64 below 2^53): q = hi / n rounded, the remainder
     * hi − q·n exact by one FMA, and (remainder + lo) / n with two roundings.
     */
    Approx dividedBy(long n) {
        double d = n;
        double q = hi / d;
        double rem = Math.fma(-q, d, hi);
        double t = rem + lo;
        double l = t / d;
        boolean exactZero = hi == 0.0 && lo == 0.0;
        double bound = (err / d + U * (Math.abs(t) / d + Math.abs(l))) * SAFETY + (exactZero ? 0.0 : TINY);
        return new Approx(q, l, bound);
    }

    /** RN64(x), or NaN when the bound cannot prove it (or the parts are not finite). */
    double round64() {
        double r = hi + lo;
        if (!Double.isFinite(r) || !Double.isFinite(err)) {
            return Double.NaN;
        }
        return 2.0 * distance(r) < gapBelow64(r) ? r : Double.NaN;
    }

    /** RN32(x) directly (a test against binary32 gaps, so no double rounding), or NaN. */
    float round32() {
        float r = (float) (hi + lo);
        if (!Float.isFinite(r) || !Double.isFinite(hi + lo) || !Double.isFinite(err)) {
            return Float.NaN;
        }
        return 2.0 * distance(r) < gapBelow32(r) ? r : Float.NaN;
    }

    /**
     * An upper bound on |x − r|: |hi − r + lo| formed exactly with two TwoSums, plus err, enlarged
     * for the few roundings of this sum of magnitudes.
     */
    private double distance(double r) {
        double d = hi - r;
        double z = d - hi;
        double dErr = (hi - (d - z)) + (-r - z);
        double t = d + lo;
        double z2 = t - d;
        double tErr = (d - (t - z2)) + (lo - z2);
        return (Math.abs(t) + Math.abs(tErr) + Math.abs(dErr) + err) * (1.0 + 0x1p-48);
    }

    /** The smaller of the two gaps around r ≥ 0 (below a power of two the spacing halves). */
    private static double gapBelow64(double r) {
        double ulp = Math.ulp(r);
        boolean powerOfTwo = (Double.doubleToRawLongBits(r) & 0xFFFFFFFFFFFFFL) == 0;
        return powerOfTwo && r > Double.MIN_NORMAL ? ulp / 2 : ulp;
    }

    private static double gapBelow32(float r) {
        double ulp = Math.ulp(r);
        boolean powerOfTwo = (Float.floatToRawIntBits(r) & 0x7FFFFF) == 0;
        return powerOfTwo && r > Float.MIN_NORMAL ? ulp / 2 : ulp;
    }
}
