// Correctly rounded SIGNED sums of products (SPEC §7): the training's dots, residuals and gap.
package org.regpen;

import java.math.BigInteger;

/**
 * An accumulator of signed products of binary64 numbers whose exact total is rounded once, by
 * {@link #rounded()} (RN64) or {@link #rounded(long, long, boolean)} (the total times num/den, RN or
 * RU). {@link ExactSum} covers only non-negative terms; training needs cancellation.
 *
 * <p><b>Fast path, and why it is exact.</b> A product a·b is split into {@code p = a*b} and
 * {@code e = fma(a, b, -p)}, which is exactly {@code a·b − p} when {@code 2^-968 ≤ |p| ≤ 2^960}: the
 * exact product has at most 106 bits, its last bit is at least 2^(E−105) ≥ 2^-1074 for
 * |a·b| ≥ 2^-969, so the error of one rounding is a representable number and FMA returns it. Longer
 * products are split factor by factor the same way (each step checked). The pieces go into
 * Shewchuk's non-overlapping expansion ({@code grow}, the algorithm of Python's {@code math.fsum}),
 * which is exact while no addition overflows: every piece is at most 2^960 in magnitude, so every
 * partial sum stays below 2^1023 for fewer than 2^62 pieces. The final rounding is fsum's: the
 * top partials are added and a half-way result is corrected by the sign of the next partial.
 *
 * <p><b>Exact fallback.</b> A product outside that range (underflow, near overflow) or a piece
 * above 2^960 is added exactly to a big integer times a power of two. Rounding then takes the exact
 * total (big integer plus the expansion) and divides it exactly ({@link #round}).
 *
 * <p><b>Special values</b> (SPEC §7.1): a NaN factor or 0 × ∞ makes the total NaN; infinite terms of
 * both signs make it NaN; else the infinity of the infinite terms' sign. An exact zero is +0.
 */
final class ExactDot {
    private static final double PRODUCT_MIN = 0x1p-968;
    private static final double PIECE_MAX = 0x1p960;

    private double[] partials = new double[8];
    private int count;
    private BigInteger big; // the exact part: big · 2^bigExp, null when unused
    private int bigExp;
    private boolean nan;
    private boolean positiveInfinity;
    private boolean negativeInfinity;

    /** Starts a new total; {@code reset} lets a hot loop reuse one accumulator. */
    ExactDot reset() {
        count = 0;
        big = null;
        nan = positiveInfinity = negativeInfinity = false;
        return this;
    }

    /** Adds x. */
    ExactDot add(double x) {
        if (!Double.isFinite(x)) {
            special(x);
        } else if (x != 0.0) {
            piece(x);
        }
        return this;
    }

    /** Adds a·b. */
    ExactDot addProduct(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            specialProduct(1, a, b);
            return this;
        }
        if (a == 0.0 || b == 0.0) {
            return this;
        }
        double p = a * b;
        double m = Math.abs(p);
        if (m >= PRODUCT_MIN && m <= PIECE_MAX) {
            grow(p);
            double e = Math.fma(a, b, -p);
            if (e != 0.0) {
                grow(e);
            }
        } else {
            exact(1, a, b);
        }
        return this;
    }

    /** Adds sign·Π factors (sign ±1), exactly. */
    ExactDot addProduct(int sign, double... factors) {
        for (double f : factors) {
            if (!Double.isFinite(f)) {
                specialProduct(sign, factors);
                return this;
            }
        }
        for (double f : factors) {
            if (f == 0.0) {
                return this;
            }
        }
        // Split the product factor by factor into exact pieces; any unsafe step goes exact.
        double[] parts = {sign * factors[0]};
        int size = 1;
        for (int k = 1; k < factors.length; k++) {
            double f = factors[k];
            double[] next = new double[2 * size];
            int m = 0;
            for (int i = 0; i < size; i++) {
                double p = parts[i] * f;
                double mag = Math.abs(p);
                if (!(mag >= PRODUCT_MIN && mag <= PIECE_MAX)) {
                    exact(sign, factors);
                    return this;
                }
                next[m++] = p;
                double e = Math.fma(parts[i], f, -p);
                if (e != 0.0) {
                    next[m++] = e;
                }
            }
            parts = next;
            size = m;
        }
        for (int i = 0; i < size; i++) {
            piece(parts[i]);
        }
        return this;
    }

    /** Adds Σ a[i]·b[i] over one row or column: a at aFrom + i·aStride, b at bFrom + i. */
    ExactDot addDot(double[] a, int aFrom, int aStride, double[] b, int bFrom, int n, int sign) {
        for (int i = 0; i < n; i++) {
            double x = a[aFrom + i * aStride];
            addProduct(sign > 0 ? x : -x, b[bFrom + i]);
        }
        return this;
    }

    // ---------------------------------------------------------------- the fast Dot2 pass

    private static final double U = 0x1p-53;
    private static final double SUM_MAX = 0x1p1020;

    /**
     * RN64(c + Σ_i ±a[aFrom + i·aStride]·b[bFrom + i] + x·y) (minus when {@code negate}), or NaN
     * when the fast pass cannot prove its answer; callers then use the exact accumulator.
     *
     * <p>Ogita–Rump–Oishi's Dot2: TwoProduct (one FMA) and TwoSum give the running sum s and the sum
     * c' of the exact errors; s + c' misses the exact total T by at most γ(m)²·Σ|terms| for m terms
     * (their Theorem 5.3 before its final rounding), and an underflowed product or error adds at most
     * 2^-1074 per term. (hi, lo) = TwoSum(s, c') is exact, so T = hi + lo + δ with |δ| ≤ err, where err
     * is taken with γ(2m), doubled, ×1.01 for the rounding of err itself and of Σ|terms|. RN(T) = hi
     * whenever |lo| + 2·err < (the smaller gap from |hi| to its neighbours)/2: both neighbours'
     * midpoints are then strictly farther than T. Overflow anywhere (Σ|terms| above 2^1020, where
     * TwoSum's intermediates could overflow) or a non-finite value returns NaN, as does an exact
     * zero (it cannot be told from a tiny value here), so +0 and the special values come from the
     * exact accumulator.
     */
    static double fastDot(double c, double[] a, int aFrom, int aStride, double[] b, int bFrom, int n,
                          boolean negate, double x, double y) {
        double s = c;
        double comp = 0.0;
        double abs = Math.abs(c);
        for (int i = 0; i < n; i++) {
            double ai = a[aFrom + i * aStride];
            double bi = b[bFrom + i];
            double p = (negate ? -ai : ai) * bi;
            double e = Math.fma(negate ? -ai : ai, bi, -p);
            double t = s + p;
            double z = t - s;
            comp += ((s - (t - z)) + (p - z)) + e;
            s = t;
            abs += Math.abs(p);
        }
        double p = x * y;
        double e = Math.fma(x, y, -p);
        double t = s + p;
        double z = t - s;
        comp += ((s - (t - z)) + (p - z)) + e;
        s = t;
        abs += Math.abs(p);
        if (!(abs <= SUM_MAX) || !Double.isFinite(comp)) {
            return Double.NaN;
        }
        double hi = s + comp;
        double bz = hi - s;
        double lo = (s - (hi - bz)) + (comp - bz);
        double m = n + 2.0;
        double gamma = 2 * m * U / (1 - 2 * m * U);
        double err = (gamma * gamma * abs * 2.0 + m * Double.MIN_VALUE) * 1.01;
        double ah = Math.abs(hi);
        double gap = Math.min(Math.nextUp(ah) - ah, ah - Math.nextDown(ah));
        return Math.abs(lo) + 2.0 * err < gap * 0.5 && hi != 0.0 ? hi : Double.NaN;
    }

    // ---------------------------------------------------------------- results

    /** RN64 of the exact total (+0 for an exact zero). */
    double rounded() {
        if (nan || positiveInfinity || negativeInfinity) {
            return specialResult();
        }
        if (big == null) {
            return roundPartials();
        }
        return rounded(1, 1, false);
    }

    /** The exact total times num/den (num, den > 0) rounded once: to nearest, or upward if {@code up}. */
    double rounded(long num, long den, boolean up) {
        if (nan || positiveInfinity || negativeInfinity) {
            return specialResult();
        }
        BigInteger[] total = exactTotal();
        return round(total[0].multiply(BigInteger.valueOf(num)), BigInteger.valueOf(den),
                total[1].intValueExact(), up);
    }

    /** The exact finite total as {mantissa, exponent}: mantissa · 2^exponent. */
    BigInteger[] exactTotal() {
        BigInteger m = big == null ? BigInteger.ZERO : big;
        int e = big == null ? 0 : bigExp;
        for (int i = 0; i < count; i++) {
            long bits = Double.doubleToRawLongBits(partials[i]);
            int be = (int) ((bits >>> 52) & 0x7ff);
            long mant = bits & 0xfffffffffffffL;
            int pe;
            if (be == 0) {
                pe = -1074;
            } else {
                mant |= 1L << 52;
                pe = be - 1075;
            }
            BigInteger pm = BigInteger.valueOf(partials[i] < 0 ? -mant : mant);
            if (m.signum() == 0) {
                m = pm;
                e = pe;
            } else if (pe >= e) {
                m = m.add(pm.shiftLeft(pe - e));
            } else {
                m = m.shiftLeft(e - pe).add(pm);
                e = pe;
            }
        }
        return new BigInteger[] {m, BigInteger.valueOf(e)};
    }

    boolean isSpecial() {
        return nan || positiveInfinity || negativeInfinity;
    }

    double specialResult() {
        if (nan || (positiveInfinity && negativeInfinity)) {
            return Double.NaN;
        }
        return positiveInfinity ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    // ---------------------------------------------------------------- internals

    private void piece(double x) {
        if (Math.abs(x) <= PIECE_MAX) {
            grow(x);
        } else {
            exact(1, x);
        }
    }

    /** Shewchuk's grow-expansion: partials stay non-overlapping, increasing in magnitude, exact. */
    private void grow(double x) {
        int i = 0;
        double[] ps = partials;
        for (int j = 0; j < count; j++) {
            double y = ps[j];
            if (Math.abs(x) < Math.abs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                ps[i++] = lo;
            }
            x = hi;
        }
        if (i == ps.length) {
            partials = ps = java.util.Arrays.copyOf(ps, 2 * i);
        }
        ps[i++] = x;
        count = i;
    }

    /** fsum's final rounding of the expansion. */
    private double roundPartials() {
        int n = count;
        if (n == 0) {
            return 0.0;
        }
        double hi = partials[--n];
        double lo = 0.0;
        while (n > 0) {
            double x = hi;
            double y = partials[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        // A half-way hi + lo rounds by the sign of the rest.
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0;
            double x = hi + y;
            double yr = x - hi;
            if (y == yr) {
                hi = x;
            }
        }
        return hi + 0.0;
    }

    private void exact(int sign, double... factors) {
        BigInteger m = BigInteger.valueOf(sign);
        int e = 0;
        for (double f : factors) {
            long bits = Double.doubleToRawLongBits(f);
            int be = (int) ((bits >>> 52) & 0x7ff);
            long mant = bits & 0xfffffffffffffL;
            if (be == 0) {
                e -= 1074;
            } else {
                mant |= 1L << 52;
                e += be - 1075;
            }
            m = m.multiply(BigInteger.valueOf(f < 0 ? -mant : mant));
        }
        if (big == null || big.signum() == 0) {
            big = m;
            bigExp = e;
        } else if (e >= bigExp) {
            big = big.add(m.shiftLeft(e - bigExp));
        } else {
            big = big.shiftLeft(bigExp - e).add(m);
            bigExp = e;
        }
    }

    private void special(double x) {
        if (Double.isNaN(x)) {
            nan = true;
        } else if (x > 0) {
            positiveInfinity = true;
        } else {
            negativeInfinity = true;
        }
    }

    private void specialProduct(int sign, double... factors) {
        boolean negative = sign < 0;
        boolean zero = false;
        for (double f : factors) {
            if (Double.isNaN(f)) {
                nan = true;
                return;
            }
            zero |= f == 0.0;
            negative ^= f < 0.0;
        }
        if (zero) {
            nan = true;
        } else {
            special(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
    }

    /**
     * RN64 (or RU64 when {@code up}) of num/den · 2^exp, for den > 0: the quotient is taken to 53
     * significant bits (fewer in the subnormal range) and the remainder decides the rounding.
     */
    static double round(BigInteger num, BigInteger den, int exp, boolean up) {
        int sign = num.signum();
        if (sign == 0) {
            return 0.0;
        }
        BigInteger a = num.abs();
        // floor(log2(a/den)) is bitLength(a) − bitLength(den) or one less.
        int log2 = a.bitLength() - den.bitLength() - 1 + exp;
        int q = Math.max(log2 - 52, -1074);
        while (true) {
            int shift = exp - q;
            BigInteger n = shift >= 0 ? a.shiftLeft(shift) : a;
            BigInteger d = shift >= 0 ? den : den.shiftLeft(-shift);
            BigInteger[] qr = n.divideAndRemainder(d);
            if (qr[0].bitLength() > 53) {
                q++;
                continue;
            }
            long m = qr[0].longValueExact();
            int cmp = qr[1].shiftLeft(1).compareTo(d);
            boolean away;
            if (up) {
                // Upward: away from zero for positive values, toward zero for negative ones.
                away = sign > 0 && qr[1].signum() != 0;
            } else {
                away = cmp > 0 || (cmp == 0 && (m & 1) == 1);
            }
            if (away) {
                m++;
            }
            double r = Math.scalb((double) m, q);
            return sign > 0 ? r : -r;
        }
    }

    /** The exact value of a finite double as {mantissa, exponent}. */
    static BigInteger[] exactOf(double x) {
        return new ExactDot().add(x).exactTotal();
    }
}
