// ExactDot against exact BigDecimal arithmetic on adversarial signed dots.
package org.regpen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reference is the exact BigDecimal total; a result is accepted only if it is the correctly
 * rounded value: it lies between the exact midpoints to its neighbours, and on a midpoint it is the
 * even one. Families: massive cancellation, underflowing and subnormal products, products beyond
 * binary64's range that cancel back into it, and sums a hair off a rounding midpoint.
 */
class ExactDotTest {
    private static final int TRIALS = 400;
    private static int fastAnswers;

    @Test
    void cancellation() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int t = 0; t < TRIALS; t++) {
            int n = 1 + rng.nextInt(40);
            double[] a = new double[2 * n + 2];
            double[] b = new double[2 * n + 2];
            for (int i = 0; i < n; i++) {
                a[i] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-40, 40));
                b[i] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-40, 40));
                // The same product with the opposite sign, split differently: cancels exactly.
                a[n + i] = -2 * a[i];
                b[n + i] = b[i] / 2;
            }
            a[2 * n] = Math.scalb(rng.nextDouble(), rng.nextInt(-300, 0));
            b[2 * n] = rng.nextBoolean() ? 1.0 : -1.0;
            a[2 * n + 1] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-60, 60));
            b[2 * n + 1] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-60, 60));
            check(a, b, 2 * n);
        }
    }

    @Test
    void underflowAndSubnormals() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int t = 0; t < TRIALS; t++) {
            int n = 1 + rng.nextInt(30);
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-1080, -400));
                b[i] = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-600, 60));
                if (rng.nextInt(4) == 0) {
                    a[i] = Double.MIN_VALUE * rng.nextInt(-1000, 1000);
                }
            }
            check(a, b, n);
        }
    }

    @Test
    void fastPassAnswersOrdinaryDots() {
        SplittableRandom rng = new SplittableRandom(6);
        int answered = 0;
        for (int t = 0; t < TRIALS; t++) {
            int n = 1 + rng.nextInt(200);
            double[] a = new double[n + 2];
            double[] b = new double[n + 2];
            for (int i = 0; i < n + 2; i++) {
                a[i] = rng.nextDouble() - 0.5;
                b[i] = rng.nextDouble() - 0.5;
            }
            b[n] = 1.0;
            int before = fastAnswers;
            check(a, b, n);
            answered += fastAnswers > before ? 1 : 0;
        }
        // The fast pass decides almost every well-scaled dot; the exact path handles the rest.
        assertTrue(answered > TRIALS * 9 / 10, "fast pass answered only " + answered + " of " + TRIALS);
    }

    @Test
    void overflowingProductsThatCancel() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int t = 0; t < TRIALS; t++) {
            int n = 2 + rng.nextInt(20);
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = Math.scalb(rng.nextDouble() + 0.5, rng.nextInt(400, 1023));
                b[i] = Math.scalb(rng.nextDouble() + 0.5, rng.nextInt(0, 600));
            }
            // Make the exact total small: the last product cancels the rest up to one ulp-scale term.
            a[n - 1] = -a[0];
            b[n - 1] = b[0];
            check(a, b, n);
        }
    }

    @Test
    void nearMidpoints() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int t = 0; t < TRIALS; t++) {
            double big = Math.scalb(1.0 + rng.nextInt(1 << 20) * 0x1p-20, rng.nextInt(-100, 100));
            double half = Math.ulp(big) / 2;
            double tiny = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-1000, -60)) * big;
            double[] a = {big, half, tiny, -tiny, tiny * rng.nextInt(0, 2)};
            double[] b = {1.0, rng.nextBoolean() ? 1.0 : -1.0, 1.0, 1.0, rng.nextBoolean() ? 1.0 : -1.0};
            check(a, b, 1);
        }
    }

    @Test
    void longProductsOfTheGap() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < TRIALS; t++) {
            ExactDot acc = new ExactDot();
            BigDecimal exact = BigDecimal.ZERO;
            for (int i = 0; i < 1 + rng.nextInt(20); i++) {
                double c = Math.scalb(rng.nextDouble(), rng.nextInt(-600, 1));
                double r = Math.scalb(rng.nextDouble() - 0.5, rng.nextInt(-300, 300));
                int sign = rng.nextBoolean() ? 1 : -1;
                acc.addProduct(sign, 0.5, c, c, r, r);
                exact = exact.add(BigDecimal.valueOf(sign).multiply(new BigDecimal(0.5)).multiply(new BigDecimal(c))
                        .multiply(new BigDecimal(c)).multiply(new BigDecimal(r)).multiply(new BigDecimal(r)));
            }
            assertRounded(exact, 1, 1, acc.rounded());
            long den = 1 + rng.nextInt(1000);
            assertRounded(exact, 2, den, acc.rounded(2, den, false));
        }
    }

    @Test
    void exactZeroIsPositive() {
        double r = new ExactDot().addProduct(-0.0, 3.0).addProduct(1.5, -2.0).addProduct(3.0, 1.0).rounded();
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(r));
        assertEquals(Double.doubleToRawLongBits(0.0),
                Double.doubleToRawLongBits(new ExactDot().add(-0.0).rounded(1, 3, false)));
    }

    @Test
    void specialValues() {
        assertTrue(Double.isNaN(new ExactDot().addProduct(0.0, Double.POSITIVE_INFINITY).rounded()));
        assertTrue(Double.isNaN(new ExactDot().addProduct(Double.NaN, 1.0).rounded()));
        assertTrue(Double.isNaN(new ExactDot().add(Double.POSITIVE_INFINITY).addProduct(-1.0, Double.MAX_VALUE * 2)
                .rounded()));
        assertEquals(Double.NEGATIVE_INFINITY, new ExactDot().add(1.0).addProduct(-2.0, Double.POSITIVE_INFINITY)
                .rounded());
        // Finite factors whose exact total overflows round to infinity; RU of a tiny positive is MIN_VALUE.
        assertEquals(Double.POSITIVE_INFINITY, new ExactDot().addProduct(0x1p600, 0x1p600).rounded());
        assertEquals(Double.MIN_VALUE, new ExactDot().addProduct(0x1p-600, 0x1p-600).rounded(1, 3, true));
        assertEquals(0.0, new ExactDot().addProduct(0x1p-600, 0x1p-600).rounded(1, 3, false));
    }

    /** Checks the accumulator and, when it answers, the fast Dot2 pass (the first n products as the dot). */
    private static void check(double[] a, double[] b, int n) {
        ExactDot acc = new ExactDot();
        BigDecimal exact = BigDecimal.ZERO;
        for (int i = 0; i < a.length; i++) {
            acc.addProduct(a[i], b[i]);
            exact = exact.add(new BigDecimal(a[i]).multiply(new BigDecimal(b[i])));
        }
        assertRounded(exact, 1, 1, acc.rounded());
        // fastDot(c, a[0..n) · b[0..n), x·y): c and x·y from the next two terms, if any.
        if (a.length == n + 2) {
            double c = a[n] * b[n];
            if (c == new BigDecimal(a[n]).multiply(new BigDecimal(b[n])).doubleValue()
                    && new BigDecimal(c).compareTo(new BigDecimal(a[n]).multiply(new BigDecimal(b[n]))) == 0) {
                double fast = ExactDot.fastDot(c, a, 0, 1, b, 0, n, false, a[n + 1], b[n + 1]);
                if (!Double.isNaN(fast)) {
                    fastAnswers++;
                    assertRounded(exact, 1, 1, fast);
                }
            }
        }
        double[] negated = new double[n];
        for (int i = 0; i < n; i++) {
            negated[i] = -a[i];
        }
        BigDecimal partial = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            partial = partial.add(new BigDecimal(a[i]).multiply(new BigDecimal(b[i])));
        }
        double fast = ExactDot.fastDot(0.0, negated, 0, 1, b, 0, n, true, 0.0, 0.0);
        if (!Double.isNaN(fast)) {
            fastAnswers++;
            assertRounded(partial, 1, 1, fast);
        }
        assertRounded(exact, 1, 7, acc.rounded(1, 7, false));
        assertRounded(exact, 2, 3, acc.rounded(2, 3, false));
    }

    /** r is RN(exact·num/den): between the midpoints to its neighbours, even on a midpoint. */
    private static void assertRounded(BigDecimal exact, long num, long den, double r) {
        BigDecimal target = exact.multiply(BigDecimal.valueOf(num));
        if (exact.signum() == 0) {
            assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(r), "exact zero gives +0");
            return;
        }
        if (Double.isInfinite(r)) {
            // Overflow: |exact| is at least MAX + ulp(MAX)/2.
            BigDecimal limit = new BigDecimal(Double.MAX_VALUE).add(new BigDecimal(Math.ulp(Double.MAX_VALUE) / 2));
            assertTrue(target.abs().compareTo(limit.multiply(BigDecimal.valueOf(den))) >= 0, "spurious overflow");
            assertEquals(exact.signum() > 0, r > 0);
            return;
        }
        BigDecimal value = new BigDecimal(r);
        BigDecimal lo = value.add(new BigDecimal(Math.nextDown(r))).divide(BigDecimal.valueOf(2));
        BigDecimal hi = Double.isInfinite(Math.nextUp(r)) ? null
                : value.add(new BigDecimal(Math.nextUp(r))).divide(BigDecimal.valueOf(2));
        BigDecimal scaledLo = lo.multiply(BigDecimal.valueOf(den));
        int cmpLo = target.compareTo(scaledLo);
        int cmpHi = hi == null ? -1 : target.compareTo(hi.multiply(BigDecimal.valueOf(den)));
        String what = exact + "·" + num + "/" + den + " rounded to " + Double.toHexString(r);
        assertTrue(cmpLo >= 0 && cmpHi <= 0, what);
        if (cmpLo == 0 || cmpHi == 0) {
            assertEquals(0, Double.doubleToRawLongBits(r) & 1, "tie not to even: " + what);
        }
    }
}
