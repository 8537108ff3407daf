// The sums of non-negative terms behind value and loss (SPEC §2): a fast error-free pass that
// yields hi + lo with a proven error bound, and the exact terms for when the bound cannot decide.
package org.regpen;

import java.math.BigInteger;
import java.util.concurrent.CompletableFuture;

/**
 * The reductions S1 = Σ f·|w|, S2 = Σ f·w² and SSE = Σ (y − p)² (exact residuals), each as an
 * {@link Approx}: hi + lo with a bound on its distance to the exact sum. Nothing is rounded to the
 * working format here; {@link Objective} scales, combines and rounds once.
 *
 * <p>The fast pass keeps {@value #LANES} independent TwoSum lanes (Ogita–Rump–Oishi Sum2/Dot2): a
 * running sum per lane and the exact rounding errors of every addition and product, summed into a
 * compensation. Because every term is non-negative, each partial sum is at most the final sum
 * {@code s}, so every error piece is at most {@code 2u·s} and the compensation's own rounding error
 * is at most {@code γ(m)·m·2u·s} for {@code m} pieces. A product that underflows loses at most
 * half a subnormal ulp per piece; that is added to the bound as an absolute term. A pass that sees
 * a non-finite value returns null, and the caller takes the exact path ({@link #exact}).
 *
 * <p>The lanes live in small arrays (C2 in JDK 17 does not vectorize TwoSum, measured), except on
 * the hottest path, L1's value, where four lanes live in registers. With the Vector API, binary64
 * Σ|w| and Σw² without factors run in vector lanes instead ({@link LaneKernel}). Loops index with
 * {@code int} and stop at {@code n − LANES} before stepping, so no index passes
 * {@code Integer.MAX_VALUE} (Java arrays hold at most 2^31 − 1 elements).
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

        /** The loss's exact residual squares (y_i − p_i)², as {@link ExactSum#residualLanes}. */
        void residualSquares(double[] y, double[] p, int from, int to, double[] s, double[] c, int at);
    }

    /** A kernel over two arrays, like {@link Lanes}: the loss's residual squares. */
    @FunctionalInterface
    interface PairLanes {
        void sum(double[] y, double[] p, int from, int to, double[] s, double[] c, int at);
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

    /** Σ f_i·|w_i|; {@code f} null means every factor is 1. */
    static Approx absSum(double[] w, PenaltyFactor f) {
        if (f == null) {
            return absSum(w);
        }
        int n = w.length;
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        double[] fv = f.values();
        for (int base = 0, len; base < n; base += len) {
            len = Math.min(LANES, n - base);
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
        return approx(s, c, 2, perLane(n, LANES), 3.0 + f.max());
    }

    /** Σ |w_i|, the hot path of L1's value. Without factors no product is formed, so nothing underflows. */
    private static Approx absSum(double[] w) {
        return VECTOR != null ? laneSum(w, VECTOR::abs, VECTOR.lanes(), 1, 0.0)
                : laneSum(w, ExactSum::absLanes, 4, 1, 0.0);
    }

    /**
     * Runs {@code kernel} (with {@code lanes} lanes) over w and folds its lanes with the bound for
     * {@code pieces} error pieces. Large inputs are split in two halves summed on two threads; the
     * final result does not depend on the split, since it is the exact value rounded once.
     */
    private static Approx laneSum(double[] w, Lanes kernel, int lanes, int piecesPerTerm, double underflow) {
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
        // Each half fills its lanes evenly, and its last few terms (fewer than `lanes`) go to one lane.
        long perLane = (n < PARALLEL_MIN ? n : n - n / 2) / lanes + lanes;
        return approx(s, c, piecesPerTerm, perLane, underflow);
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
        for (; i <= to - 4; i += 4) {
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

    /** Σ f_i·w_i²; {@code f} null means every factor is 1. */
    static Approx squareSum(double[] w, PenaltyFactor f) {
        int n = w.length;
        if (f == null && VECTOR != null) {
            // Two pieces per term (the rounding errors of the addition and of the square), and
            // squares may underflow: the same bound as the scalar loop below.
            return laneSum(w, VECTOR::squares, VECTOR.lanes(), 2, 4.0);
        }
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        double[] fv = f == null ? null : f.values();
        for (int base = 0, len; base < n; base += len) {
            len = Math.min(LANES, n - base);
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
        double underflow = 3.0 + (fv == null ? 1.0 : f.max());
        return approx(s, c, fv == null ? 2 : 5, perLane(n, LANES), underflow);
    }

    /**
     * Σ (y_i − p_i)² with the residual exact: TwoSum gives y − p = x + xl, so the square is
     * x² + xl·(2x + xl) with x² = q + e split by one FMA. |xl| ≤ u·|x|, so the rounded extra term
     * is below 3u·x² and its own two roundings below 7u²·x²; each element counts as six pieces of
     * the bound, which covers both. The arrays have equal lengths. Large inputs run on two threads
     * (as {@link #laneSum}).
     */
    static Approx squaredErrorSum(double[] y, double[] yHat) {
        PairLanes kernel = VECTOR != null ? VECTOR::residualSquares : ExactSum::residualLanes;
        int lanes = VECTOR != null ? VECTOR.lanes() : 4;
        int n = y.length;
        double[] s = new double[2 * lanes];
        double[] c = new double[2 * lanes];
        if (n < PARALLEL_MIN) {
            kernel.sum(y, yHat, 0, n, s, c, 0);
        } else {
            CompletableFuture<Void> firstHalf = CompletableFuture.runAsync(() -> kernel.sum(y, yHat, 0, n / 2, s, c, 0));
            kernel.sum(y, yHat, n / 2, n, s, c, lanes);
            firstHalf.join();
        }
        long perLane = (n < PARALLEL_MIN ? n : n - n / 2) / lanes + lanes;
        return approx(s, c, 6, perLane, 6.0);
    }

    /** The residual squares over [from, to) in four TwoSum lanes kept in registers, stored at s[at..at+4). */
    private static void residualLanes(double[] y, double[] yHat, int from, int to, double[] s, double[] c, int at) {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
        int i = from;
        for (; i <= to - 4; i += 4) {
            double x;
            double xl;
            double q;
            double e;
            double t;
            double z;
            x = y[i] - yHat[i];
            z = x - y[i];
            xl = (y[i] - (x - z)) + (-yHat[i] - z);
            q = x * x;
            e = Math.fma(x, x, -q) + xl * (2.0 * x + xl);
            t = s0 + q;
            z = t - s0;
            c0 += ((s0 - (t - z)) + (q - z)) + e;
            s0 = t;
            x = y[i + 1] - yHat[i + 1];
            z = x - y[i + 1];
            xl = (y[i + 1] - (x - z)) + (-yHat[i + 1] - z);
            q = x * x;
            e = Math.fma(x, x, -q) + xl * (2.0 * x + xl);
            t = s1 + q;
            z = t - s1;
            c1 += ((s1 - (t - z)) + (q - z)) + e;
            s1 = t;
            x = y[i + 2] - yHat[i + 2];
            z = x - y[i + 2];
            xl = (y[i + 2] - (x - z)) + (-yHat[i + 2] - z);
            q = x * x;
            e = Math.fma(x, x, -q) + xl * (2.0 * x + xl);
            t = s2 + q;
            z = t - s2;
            c2 += ((s2 - (t - z)) + (q - z)) + e;
            s2 = t;
            x = y[i + 3] - yHat[i + 3];
            z = x - y[i + 3];
            xl = (y[i + 3] - (x - z)) + (-yHat[i + 3] - z);
            q = x * x;
            e = Math.fma(x, x, -q) + xl * (2.0 * x + xl);
            t = s3 + q;
            z = t - s3;
            c3 += ((s3 - (t - z)) + (q - z)) + e;
            s3 = t;
        }
        for (; i < to; i++) {
            double x = y[i] - yHat[i];
            double z = x - y[i];
            double xl = (y[i] - (x - z)) + (-yHat[i] - z);
            double q = x * x;
            double e = Math.fma(x, x, -q) + xl * (2.0 * x + xl);
            double t = s0 + q;
            z = t - s0;
            c0 += ((s0 - (t - z)) + (q - z)) + e;
            s0 = t;
        }
        store(s, c, at, s0, s1, s2, s3, c0, c1, c2, c3);
    }

    // ---------------------------------------------------------------- binary32 reductions

    /** Σ f_i·|w_i| with binary32 factors. Every float product is exact in binary64. */
    static Approx absSum(float[] w, PenaltyFactor f) {
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
            for (int base = 0, len; base < n; base += len) {
                len = Math.min(LANES, n - base);
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
        // Two threads fill four lanes each; one thread, four lanes; the loop with factors, all 16.
        long perLane = f != null ? perLane(n, LANES) : (n >= PARALLEL_MIN ? n - n / 2 : n) / 4 + 4;
        return approx(s, c, 1, perLane, 0.0);
    }

    /** Σ|w_i| of binary32 weights over [from, to), written like the binary64 {@code absLanes}. */
    private static void absLanes(float[] w, int from, int to, double[] s, double[] c, int at) {
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
        int i = from;
        for (; i <= to - 4; i += 4) {
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

    /** Σ f_i·w_i² with binary32 factors; w² is exact in binary64, f·w² needs one TwoProd. */
    static Approx squareSum(float[] w, PenaltyFactor f) {
        int n = w.length;
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        float[] fv = f == null ? null : f.values32();
        for (int base = 0, len; base < n; base += len) {
            len = Math.min(LANES, n - base);
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
        return approx(s, c, 2, perLane(n, LANES), 0.0);
    }

    /**
     * Σ (y_i − p_i)² of binary32 data in binary64, as the binary64 form (the residual split by
     * TwoSum, its square by one FMA). Nothing underflows: every residual part is a multiple of
     * 2^-149, so every square is at least 2^-298, and nothing overflows (squares stay below 2^258).
     */
    static Approx squaredErrorSum(float[] y, float[] yHat) {
        int n = y.length;
        double[] s = new double[LANES];
        double[] c = new double[LANES];
        for (int base = 0, len; base < n; base += len) {
            len = Math.min(LANES, n - base);
            for (int j = 0; j < len; j++) {
                double a = y[base + j];
                double b = yHat[base + j];
                double x = a - b;
                double bv = x - a;
                double xl = (a - (x - bv)) + (-b - bv);
                double p = x * x;
                double e = Math.fma(x, x, -p) + xl * (2.0 * x + xl);
                double sj = s[j];
                double t = sj + p;
                double z = t - sj;
                c[j] += ((sj - (t - z)) + (p - z)) + e;
                s[j] = t;
            }
        }
        return approx(s, c, 6, perLane(n, LANES), 0.0);
    }

    // ---------------------------------------------------------------- the bound

    /** The most terms one of {@code lanes} round-robin lanes receives from n terms. */
    private static long perLane(int n, int lanes) {
        return n / lanes + 1;
    }

    /**
     * Folds the lanes with TwoSum into hi + lo and bounds its distance to the exact sum.
     *
     * <p>Lane j adds at most {@code perLane} terms, each contributing at most {@code piecesPerTerm}
     * rounding-error pieces to its compensation c_j; every piece is at most 2u·s_j (s_j the lane's
     * final sum, which bounds its partial sums and terms as all terms are ≥ 0). Summing k = perLane
     * · piecesPerTerm such pieces in binary64 errs by at most γ(k)·k·2u·s_j, so over all lanes by
     * γ(k)·k·2u·Σs_j. The fold adds 2·lanes more pieces, each at most 2u·hi or a c_j, to lo: at
     * most γ(2·lanes)·(k + 2·lanes)·2u·hi. Σs_j ≤ hi·(1 + 2u·lanes), which the factor 1.01 covers.
     * Where products may underflow, each piece may also be off by {@code underflow} subnormal ulps.
     * Null when the pass saw a non-finite value.
     */
    private static Approx approx(double[] s, double[] c, int piecesPerTerm, long perLane, double underflow) {
        double hi = 0.0;
        double lo = 0.0;
        for (int j = 0; j < s.length; j++) {
            double t = hi + s[j];
            double z = t - hi;
            lo += ((hi - (t - z)) + (s[j] - z)) + c[j];
            hi = t;
        }
        if (!Double.isFinite(hi) || !Double.isFinite(lo)) {
            return null;
        }
        double k = (double) perLane * piecesPerTerm;
        double folds = 2.0 * s.length;
        double muLane = k * U;
        double muFold = folds * U;
        double relative = 2.0 * 1.01 * (muLane / (1.0 - muLane) * muLane + muFold / (1.0 - muFold) * (muLane + muFold));
        double absolute = k * s.length * underflow * Double.MIN_VALUE;
        return new Approx(hi, lo, hi * relative + absolute);
    }

    // ---------------------------------------------------------------- the exact path

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

    /** The exact Σ (y_i − p_i)² of finite data, residuals never rounded. */
    static Dyadic exactSquaredErrors(double[] y, double[] yHat) {
        Dyadic.Sum sum = new Dyadic.Sum();
        for (int i = 0; i < y.length; i++) {
            Dyadic.Sum r = new Dyadic.Sum();
            r.add(Dyadic.of(y[i]));
            r.add(Dyadic.of(-yHat[i]));
            Dyadic d = r.result();
            sum.add(d.times(d));
        }
        return sum.result();
    }

    static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** An exact number m·2^e of a finite double or sums and products of them (m may be negative). */
    record Dyadic(BigInteger mantissa, int exponent) {
        static final Dyadic ZERO = new Dyadic(BigInteger.ZERO, 0);

        /** The exact value of a finite double. */
        static Dyadic of(double x) {
            long bits = Double.doubleToRawLongBits(x) & Long.MAX_VALUE;
            int biased = (int) (bits >>> 52);
            long fraction = bits & 0xFFFFFFFFFFFFFL;
            BigInteger m = BigInteger.valueOf(biased == 0 ? fraction : fraction | (1L << 52));
            return new Dyadic(x < 0 ? m.negate() : m, biased == 0 ? -1074 : biased - 1075);
        }

        boolean isZero() {
            return mantissa.signum() == 0;
        }

        Dyadic times(Dyadic other) {
            return new Dyadic(mantissa.multiply(other.mantissa), exponent + other.exponent);
        }

        Dyadic plus(Dyadic other) {
            Sum sum = new Sum();
            sum.add(this);
            sum.add(other);
            return sum.result();
        }

        /**
         * This (≥ 0) divided by n ≥ 1, truncated to at least 60 significant bits with a sticky bit
         * below them (set when the division was inexact). Rounding that to 53 or 24 bits gives the
         * correctly rounded quotient, since the sticky bit lies below the round bit.
         */
        Dyadic dividedBy(long n) {
            if (isZero() || n == 1) {
                return this;
            }
            BigInteger divisor = BigInteger.valueOf(n);
            int shift = Math.max(0, divisor.bitLength() + 62 - mantissa.bitLength());
            BigInteger[] qr = mantissa.shiftLeft(shift).divideAndRemainder(divisor);
            BigInteger sticky = qr[1].signum() == 0 ? BigInteger.ZERO : BigInteger.ONE;
            return new Dyadic(qr[0].shiftLeft(1).or(sticky), exponent - shift - 1);
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
         * The mantissa (≥ 0) rounded to the bit at {@link #lsbExponent}, ties to even. It may carry
         * to p + 1 bits; scaling it then still gives the right value, and values past the format's
         * largest finite number become +inf in {@code Math.scalb}, which is IEEE overflow.
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
                return exponent == Integer.MAX_VALUE ? ZERO : new Dyadic(mantissa, exponent);
            }
        }
    }
}
