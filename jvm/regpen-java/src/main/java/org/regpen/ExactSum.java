// Correctly rounded sums of non-negative terms (SPEC §2): a fast error-free pass with a proven
// error bound, and an exact fallback for the cases the bound cannot decide.
package org.regpen;

import java.math.BigInteger;
import java.util.concurrent.CompletableFuture;

/**
 * The reductions S1 = Σ f·|w|, S2 = Σ f·w² and SSE = Σ r², each rounded once to the working format.
 *
 * <p>The fast pass keeps {@value #LANES} independent TwoSum lanes (Ogita–Rump–Oishi Sum2/Dot2): a
 * running sum per lane and the exact rounding errors of every addition and product, summed into a
 * compensation. Because every term is non-negative, each partial sum is at most the final sum
 * {@code s}, so every error piece is at most {@code 2u·s} and the compensation's own rounding error
 * is at most {@code γ(m)·m·2u·s} for {@code m} pieces. A product that underflows loses at most
 * half a subnormal ulp per piece; that is added to the bound as an absolute term. The rounded result
 * is accepted only when the exact sum provably lies strictly inside its rounding interval; ties and
 * near-ties go to {@link #exact}, which adds the terms as big integers and rounds once.
 *
 * <p>The lanes live in small arrays (C2 in JDK 17 does not vectorize TwoSum, measured), except on
 * the hottest path, L1's value, where four lanes live in registers. With the Vector API, binary64
 * Σ|w| and Σw² without factors run in vector lanes instead ({@link LaneKernel}).
 */
final class ExactSum {
    /** Independent accumulators, so that additions overlap instead of waiting on one another. */
    static final int LANES = 16;

    private static final double U = 0x1p-53;

    /** From this length on, L1's sum runs on two threads (the machines have two or more cores). */
    static final int PARALLEL_MIN = 1 << 20;

    /**
     * A kernel that adds the terms of w over [from, to) into its {@link #lanes()} TwoSum lanes and
     * stores them at s[at..] and c[at..]: the scalar {@link #absLanes}, or a kernel set's.
     */
    @FunctionalInterface
    interface Lanes {
        void sum(double[] w, int from, int to, double[] s, double[] c, int at);
    }

    /**
     * The binary64 kernels without factors that have a Vector API form: |w_i| (L1) and the Dot2
     * square w_i² with its exact error (L2), each into {@link #lanes()} TwoSum lanes.
     */
    interface LaneKernel {
        int lanes();

        void abs(double[] w, int from, int to, double[] s, double[] c, int at);

        void squares(double[] w, int from, int to, double[] s, double[] c, int at);
    }

    /**
     * The Vector API kernels ({@code VectorLaneKernel}) when the JVM runs with
     * {@code --add-modules jdk.incubator.vector} and {@code regpen.vector} is not "false", else null.
     * They are loaded by name because without the module their class cannot even be linked.
     */
    static final LaneKernel VECTOR = loadVectorKernel();

    private static LaneKernel loadVectorKernel() {
        if ("false".equals(System.getProperty("regpen.vector"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (LaneKernel) Class.forName("org.regpen.VectorLaneKernel").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private ExactSum() {}

    /** What a reduction's terms are made of, for the slow paths. */
    enum Kind {
        /** f·|x|. */
        ABS,
        /** f·x·x. */
        SQUARE
    }

    // ---------------------------------------------------------------- binary64 reductions

    /** RN64(Σ f_i·|w_i|); {@code f} null means every factor is 1. */
    static double absSum(double[] w, PenaltyFactor f) {
        if (f == null) {
            return absSum(w);
        }
        int n = w.length;
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        double[] fv = f.values();
        for (int base = 0; base < n; base += LANES) {
            int len = Math.min(LANES, n - base);
            for (int j = 0; j < len; j++) {
                double x = Math.abs(w[base + j]);
                double fx = fv[base + j];
                double p = fx * x;
                double e = Math.fma(fx, x, -p);
                double sj = s[j];
                double t = sj + p;
                double z = t - sj;
                c[j] += ((sj - (t - z)) + (p - z)) + e;
                s[j] = t;
            }
        }
        double r = round64(s, c, 2L * n, 3.0 + f.max());
        return Double.isNaN(r) ? slow(w, fv, Kind.ABS) : r;
    }

    /** RN64(Σ |w_i|), the hot path of L1's value. */
    private static double absSum(double[] w) {
        double r = VECTOR != null ? laneSum(w, VECTOR::abs, VECTOR.lanes(), w.length, 0.0)
                : laneSum(w, ExactSum::absLanes, 4, w.length, 0.0);
        // Without factors no product is formed, so nothing can underflow.
        return Double.isNaN(r) ? slow(w, null, Kind.ABS) : r;
    }

    /**
     * Runs {@code kernel} (with {@code lanes} lanes) over w and rounds its lanes with the bound for
     * {@code pieces} error pieces; NaN when the bound cannot decide. Large inputs are split in two
     * halves summed on two threads; the result does not depend on the split, since it is the exact
     * sum rounded once.
     */
    private static double laneSum(double[] w, Lanes kernel, int lanes, long pieces, double underflow) {
        int n = w.length;
        double[] s = new double[2 * lanes];
        double[] c = new double[2 * lanes];
        if (n < PARALLEL_MIN) {
            kernel.sum(w, 0, n, s, c, 0);
        } else {
            CompletableFuture<Void> firstHalf = CompletableFuture.runAsync(() -> kernel.sum(w, 0, n / 2, s, c, 0));
            kernel.sum(w, n / 2, n, s, c, lanes);
            firstHalf.join();
        }
        return round64(s, c, pieces, underflow);
    }

    /**
     * Σ|w_i| over [from, to) into four TwoSum lanes kept in registers, stored at s[at..at+4) and
     * c[at..at+4). Some of TwoSum's additions are written as {@code fma(±1, a, b)}, which rounds
     * exactly like {@code ±a + b} but also runs on the FMA units (about 20% faster on Zen 4, C2).
     */
    private static void absLanes(double[] w, int from, int to, double[] s, double[] c, int at) {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            double a;
            double t;
            double z;
            a = Math.abs(w[i]);
            t = s0 + a;
            z = Math.fma(-1.0, s0, t);
            c0 += Math.fma(1.0, s0 - (t - z), a - z);
            s0 = t;
            a = Math.abs(w[i + 1]);
            t = s1 + a;
            z = Math.fma(-1.0, s1, t);
            c1 += Math.fma(1.0, s1 - (t - z), a - z);
            s1 = t;
            a = Math.abs(w[i + 2]);
            t = s2 + a;
            z = Math.fma(-1.0, s2, t);
            c2 += Math.fma(1.0, s2 - (t - z), a - z);
            s2 = t;
            a = Math.abs(w[i + 3]);
            t = s3 + a;
            z = Math.fma(-1.0, s3, t);
            c3 += Math.fma(1.0, s3 - (t - z), a - z);
            s3 = t;
        }
        for (; i < to; i++) {
            double a = Math.abs(w[i]);
            double t = s0 + a;
            double z = t - s0;
            c0 += (s0 - (t - z)) + (a - z);
            s0 = t;
        }
        store(s, c, at, s0, s1, s2, s3, c0, c1, c2, c3);
    }

    private static void store(double[] s, double[] c, int at, double s0, double s1, double s2, double s3,
            double c0, double c1, double c2, double c3) {
        s[at] = s0;
        s[at + 1] = s1;
        s[at + 2] = s2;
        s[at + 3] = s3;
        c[at] = c0;
        c[at + 1] = c1;
        c[at + 2] = c2;
        c[at + 3] = c3;
    }

    /** RN64(Σ f_i·w_i²); {@code f} null means every factor is 1. */
    static double squareSum(double[] w, PenaltyFactor f) {
        int n = w.length;
        if (f == null && VECTOR != null) {
            // Two pieces per term (the rounding errors of the addition and of the square), and
            // squares may underflow: the same bound as the scalar loop below.
            double r = laneSum(w, VECTOR::squares, VECTOR.lanes(), 2L * n, 4.0);
            return Double.isNaN(r) ? slow(w, null, Kind.SQUARE) : r;
        }
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        double[] fv = f == null ? null : f.values();
        for (int base = 0; base < n; base += LANES) {
            int len = Math.min(LANES, n - base);
            if (fv == null) {
                for (int j = 0; j < len; j++) {
                    double x = w[base + j];
                    double p = x * x;
                    double e = Math.fma(x, x, -p);
                    double sj = s[j];
                    double t = sj + p;
                    double z = t - sj;
                    c[j] += ((sj - (t - z)) + (p - z)) + e;
                    s[j] = t;
                }
            } else {
                for (int j = 0; j < len; j++) {
                    // f·x² = f·(p + e) = (a + b) + (g + h), each pair an exact product.
                    double x = w[base + j];
                    double fx = fv[base + j];
                    double p = x * x;
                    double e = Math.fma(x, x, -p);
                    double a = fx * p;
                    double b = Math.fma(fx, p, -a);
                    double g = fx * e;
                    double h = Math.fma(fx, e, -g);
                    double sj = s[j];
                    double t = sj + a;
                    double z = t - sj;
                    c[j] += ((sj - (t - z)) + (a - z)) + (b + (g + h));
                    s[j] = t;
                }
            }
        }
        long pieces = fv == null ? 2L * n : 5L * n;
        double underflow = 3.0 + (fv == null ? 1.0 : f.max());
        double r = round64(s, c, pieces, underflow);
        return Double.isNaN(r) ? slow(w, fv, Kind.SQUARE) : r;
    }

    /** RN64(Σ r_i²) with r_i = fl64(y_i − p_i); the arrays have equal lengths. */
    static double squaredErrorSum(double[] y, double[] yHat) {
        int n = y.length;
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        for (int base = 0; base < n; base += LANES) {
            int len = Math.min(LANES, n - base);
            for (int j = 0; j < len; j++) {
                double x = y[base + j] - yHat[base + j];
                double p = x * x;
                double e = Math.fma(x, x, -p);
                double sj = s[j];
                double t = sj + p;
                double z = t - sj;
                c[j] += ((sj - (t - z)) + (p - z)) + e;
                s[j] = t;
            }
        }
        double r = round64(s, c, 2L * n, 4.0);
        return Double.isNaN(r) ? slow(residuals(y, yHat), null, Kind.SQUARE) : r;
    }

    // ---------------------------------------------------------------- binary32 reductions

    /** RN32(Σ f_i·|w_i|) with binary32 factors. Every float product is exact in binary64. */
    static float absSum(float[] w, PenaltyFactor f) {
        int n = w.length;
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        if (f == null && n >= PARALLEL_MIN) {
            CompletableFuture<Void> firstHalf = CompletableFuture.runAsync(() -> absLanes(w, 0, n / 2, s, c, 0));
            absLanes(w, n / 2, n, s, c, 4);
            firstHalf.join();
        } else if (f == null) {
            absLanes(w, 0, n, s, c, 0);
        } else {
            float[] fv = f.values32();
            for (int base = 0; base < n; base += LANES) {
                int len = Math.min(LANES, n - base);
                for (int j = 0; j < len; j++) {
                    double a = Math.abs((double) w[base + j]) * fv[base + j];
                    double sj = s[j];
                    double t = sj + a;
                    double z = t - sj;
                    c[j] += (sj - (t - z)) + (a - z);
                    s[j] = t;
                }
            }
        }
        float r = round32(s, c, n);
        return Float.isNaN(r) ? slow32(widen(w), f == null ? null : widen(f.values32()), Kind.ABS) : r;
    }

    /** Σ|w_i| of binary32 weights over [from, to), written like the binary64 {@code absLanes}. */
    private static void absLanes(float[] w, int from, int to, double[] s, double[] c, int at) {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            double a;
            double t;
            double z;
            a = Math.abs((double) w[i]);
            t = s0 + a;
            z = Math.fma(-1.0, s0, t);
            c0 += Math.fma(1.0, s0 - (t - z), a - z);
            s0 = t;
            a = Math.abs((double) w[i + 1]);
            t = s1 + a;
            z = Math.fma(-1.0, s1, t);
            c1 += Math.fma(1.0, s1 - (t - z), a - z);
            s1 = t;
            a = Math.abs((double) w[i + 2]);
            t = s2 + a;
            z = Math.fma(-1.0, s2, t);
            c2 += Math.fma(1.0, s2 - (t - z), a - z);
            s2 = t;
            a = Math.abs((double) w[i + 3]);
            t = s3 + a;
            z = Math.fma(-1.0, s3, t);
            c3 += Math.fma(1.0, s3 - (t - z), a - z);
            s3 = t;
        }
        for (; i < to; i++) {
            double a = Math.abs((double) w[i]);
            double t = s0 + a;
            double z = t - s0;
            c0 += (s0 - (t - z)) + (a - z);
            s0 = t;
        }
        store(s, c, at, s0, s1, s2, s3, c0, c1, c2, c3);
    }

    /** RN32(Σ f_i·w_i²) with binary32 factors; w² is exact in binary64, f·w² needs one TwoProd. */
    static float squareSum(float[] w, PenaltyFactor f) {
        int n = w.length;
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        float[] fv = f == null ? null : f.values32();
        for (int base = 0; base < n; base += LANES) {
            int len = Math.min(LANES, n - base);
            for (int j = 0; j < len; j++) {
                double x = w[base + j];
                double p = x * x;
                double e = 0.0;
                if (fv != null) {
                    double fx = fv[base + j];
                    double q = fx * p;
                    e = Math.fma(fx, p, -q);
                    p = q;
                }
                double sj = s[j];
                double t = sj + p;
                double z = t - sj;
                c[j] += ((sj - (t - z)) + (p - z)) + e;
                s[j] = t;
            }
        }
        float r = round32(s, c, 2L * n);
        return Float.isNaN(r) ? slow32(widen(w), fv == null ? null : widen(fv), Kind.SQUARE) : r;
    }

    /** RN32(Σ r_i²) with r_i = fl32(y_i − p_i). */
    static float squaredErrorSum(float[] y, float[] yHat) {
        int n = y.length;
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        for (int base = 0; base < n; base += LANES) {
            int len = Math.min(LANES, n - base);
            for (int j = 0; j < len; j++) {
                double x = y[base + j] - yHat[base + j];
                double p = x * x;
                double sj = s[j];
                double t = sj + p;
                double z = t - sj;
                c[j] += (sj - (t - z)) + (p - z);
                s[j] = t;
            }
        }
        float r = round32(s, c, n);
        if (!Float.isNaN(r)) {
            return r;
        }
        double[] res = new double[n];
        for (int i = 0; i < n; i++) {
            res[i] = y[i] - yHat[i];
        }
        return slow32(res, null, Kind.SQUARE);
    }

    // ---------------------------------------------------------------- rounding with a proof

    /** Folds the lanes with TwoSum into {sum, compensation}; the sum stays the larger part. */
    private static double[] fold(double[] s, double[] c) {
        double hi = 0.0;
        double lo = 0.0;
        for (int j = 0; j < s.length; j++) {
            double t = hi + s[j];
            double z = t - hi;
            lo += ((hi - (t - z)) + (s[j] - z)) + c[j];
            hi = t;
        }
        return new double[] {hi, lo};
    }

    /**
     * The bound on |exact − (hi + lo)|: the compensation's rounding error for {@code m} pieces of at
     * most 2u·hi each, plus, where products may underflow, {@code underflow} subnormal ulps per piece
     * (a few half-ulp losses, one of them scaled by the largest factor).
     */
    private static double bound(double hi, long m, double underflow, int lanes) {
        // The lanes are folded with one TwoSum each: at most 2·lanes further pieces.
        double pieces = m + 2.0 * Math.max(lanes, LANES);
        double mu = pieces * U;
        double relative = mu / (1.0 - mu) * mu * 2.0 * 1.01;
        return hi * relative + pieces * underflow * Double.MIN_VALUE;
    }

    /**
     * Distance bound between the exact sum and candidate {@code r}, or NaN when the pass saw a
     * non-finite value. The residual hi − r + lo is formed exactly with two TwoSums.
     */
    private static double distance(double hi, double lo, double r, double bound) {
        double d = hi - r;
        double z = d - hi;
        double dErr = (hi - (d - z)) + (-r - z);
        double t = d + lo;
        double z2 = t - d;
        double tErr = (d - (t - z2)) + (lo - z2);
        return (Math.abs(t) + Math.abs(tErr) + Math.abs(dErr) + bound) * (1.0 + 0x1p-48);
    }

    /** The rounded sum, or NaN when the fast pass cannot prove it (the caller then goes exact). */
    private static double round64(double[] s, double[] c, long m, double underflow) {
        double[] folded = fold(s, c);
        double hi = folded[0];
        double lo = folded[1];
        double r = hi + lo;
        if (!Double.isFinite(hi) || !Double.isFinite(lo) || !Double.isFinite(r)) {
            return Double.NaN;
        }
        double dist = distance(hi, lo, r, bound(hi, m, underflow, s.length));
        return 2.0 * dist < gapBelow64(r) ? r : Double.NaN;
    }

    /**
     * As {@link #round64} with the candidate rounded to binary32. Products of binary32 numbers never
     * underflow in binary64, so there is no absolute term.
     */
    private static float round32(double[] s, double[] c, long m) {
        double[] folded = fold(s, c);
        double hi = folded[0];
        double lo = folded[1];
        float r = (float) (hi + lo);
        if (!Double.isFinite(hi) || !Double.isFinite(lo) || !Float.isFinite(r)) {
            return Float.NaN;
        }
        double dist = distance(hi, lo, r, bound(hi, m, 0.0, s.length));
        return 2.0 * dist < gapBelow32(r) ? r : Float.NaN;
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

    // ---------------------------------------------------------------- special values and the exact path

    /**
     * SPEC §2's special values: NaN if a weight is NaN or a term is 0·∞; otherwise +inf if a term
     * is infinite; otherwise null (every term is finite).
     */
    static Double special(double[] x, double[] f) {
        boolean infinite = false;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double fi = f == null ? 1.0 : f[i];
            if (Double.isNaN(xi)) {
                return Double.NaN;
            }
            boolean inf = Double.isInfinite(xi) || Double.isInfinite(fi);
            if (inf && (xi == 0.0 || fi == 0.0)) {
                return Double.NaN;
            }
            infinite |= inf;
        }
        return infinite ? Double.POSITIVE_INFINITY : null;
    }

    private static double slow(double[] x, double[] f, Kind kind) {
        Double sp = special(x, f);
        if (sp != null) {
            return sp;
        }
        if (kind == Kind.SQUARE && squareOverflows(x, f)) {
            return Double.POSITIVE_INFINITY;
        }
        return exact(x, f, kind).toDouble();
    }

    /**
     * True when one term alone reaches the overflow threshold, so the sum rounds to +inf without
     * the (slow) exact sum: fl(x·x) = +inf exactly when x² ≥ MAX + ulp(MAX)/2, and f ≥ 1 keeps it so.
     */
    private static boolean squareOverflows(double[] x, double[] f) {
        for (int i = 0; i < x.length; i++) {
            if (Double.isInfinite(x[i] * x[i]) && (f == null || f[i] >= 1.0)) {
                return true;
            }
        }
        return false;
    }

    private static float slow32(double[] x, double[] f, Kind kind) {
        Double sp = special(x, f);
        if (sp != null) {
            return sp.floatValue();
        }
        return exact(x, f, kind).toFloat();
    }

    /** The exact sum of the (finite) terms as a dyadic number, never rounded. */
    static Dyadic exact(double[] x, double[] f, Kind kind) {
        Dyadic.Sum sum = new Dyadic.Sum();
        for (int i = 0; i < x.length; i++) {
            Dyadic term = Dyadic.of(Math.abs(x[i]));
            if (kind == Kind.SQUARE) {
                term = term.times(term);
            }
            if (f != null) {
                term = term.times(Dyadic.of(f[i]));
            }
            sum.add(term);
        }
        return sum.result();
    }

    private static double[] residuals(double[] y, double[] yHat) {
        double[] r = new double[y.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = y[i] - yHat[i];
        }
        return r;
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** An exact non-negative number m·2^e with a big-integer mantissa. */
    record Dyadic(BigInteger mantissa, int exponent) {
        /** The exact value of a finite double ≥ 0. */
        static Dyadic of(double x) {
            long bits = Double.doubleToRawLongBits(x) & Long.MAX_VALUE;
            int biased = (int) (bits >>> 52);
            long fraction = bits & 0xFFFFFFFFFFFFFL;
            if (biased == 0) {
                return new Dyadic(BigInteger.valueOf(fraction), -1074);
            }
            return new Dyadic(BigInteger.valueOf(fraction | (1L << 52)), biased - 1075);
        }

        Dyadic times(Dyadic other) {
            return new Dyadic(mantissa.multiply(other.mantissa), exponent + other.exponent);
        }

        double toDouble() {
            return Math.scalb((double) roundedMantissa(53, -1074), lsbExponent(53, -1074));
        }

        float toFloat() {
            return Math.scalb((float) roundedMantissa(24, -149), lsbExponent(24, -149));
        }

        /** The exponent of the last kept bit for a format with p bits and smallest exponent lowest. */
        private int lsbExponent(int p, int lowest) {
            int top = exponent + mantissa.bitLength() - 1;
            return Math.max(top - (p - 1), lowest);
        }

        /**
         * The mantissa rounded to the bit at {@link #lsbExponent}, ties to even. It may carry to p + 1
         * bits; scaling it then still gives the right value, and values past the format's largest
         * finite number become +inf in {@code Math.scalb}, which is IEEE overflow.
         */
        private long roundedMantissa(int p, int lowest) {
            if (mantissa.signum() == 0) {
                return 0L;
            }
            int shift = lsbExponent(p, lowest) - exponent;
            if (shift <= 0) {
                return mantissa.shiftLeft(-shift).longValueExact();
            }
            BigInteger kept = mantissa.shiftRight(shift);
            boolean half = mantissa.testBit(shift - 1);
            boolean sticky = mantissa.getLowestSetBit() < shift - 1;
            long q = kept.longValueExact();
            if (half && (sticky || (q & 1L) == 1L)) {
                q++;
            }
            return q;
        }

        /** Adds dyadic numbers exactly, aligning them to the smallest exponent seen. */
        static final class Sum {
            private BigInteger mantissa = BigInteger.ZERO;
            private int exponent = Integer.MAX_VALUE;

            void add(Dyadic d) {
                if (d.mantissa.signum() == 0) {
                    return;
                }
                if (exponent == Integer.MAX_VALUE) {
                    mantissa = d.mantissa;
                    exponent = d.exponent;
                } else if (d.exponent >= exponent) {
                    mantissa = mantissa.add(d.mantissa.shiftLeft(d.exponent - exponent));
                } else {
                    mantissa = mantissa.shiftLeft(exponent - d.exponent).add(d.mantissa);
                    exponent = d.exponent;
                }
            }

            Dyadic result() {
                return exponent == Integer.MAX_VALUE ? new Dyadic(BigInteger.ZERO, 0) : new Dyadic(mantissa, exponent);
            }
        }
    }
}
