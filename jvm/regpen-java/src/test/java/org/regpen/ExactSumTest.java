// Unit tests of the correctly rounded sums: the exact path's rounding, and the fast path against it.
package org.regpen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactSumTest {
    private static ExactSum.Dyadic dyadic(BigInteger m, int e) {
        return new ExactSum.Dyadic(m, e);
    }

    // The sums rounded once, through the one rounding of value with a coefficient of 1.
    private static double abs(double[] w, PenaltyFactor f) {
        return Objective.value(new Objective.Terms(1.0, 0.0, true, false, f), w);
    }

    private static double squares(double[] w, PenaltyFactor f) {
        return Objective.value(new Objective.Terms(0.0, 1.0, false, true, f), w);
    }

    private static float abs(float[] w, PenaltyFactor f) {
        return Objective.value(new Objective.Terms(1.0, 0.0, true, false, f), w);
    }

    private static float squares(float[] w, PenaltyFactor f) {
        return Objective.value(new Objective.Terms(0.0, 1.0, false, true, f), w);
    }

    private static void assertBits(double expected, double actual) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> "expected " + Double.toHexString(expected) + ", got " + Double.toHexString(actual));
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> "expected " + Float.toHexString(expected) + ", got " + Float.toHexString(actual));
    }

    @Test
    void exactRoundingBreaksTiesToEven() {
        BigInteger two53 = BigInteger.ONE.shiftLeft(53);
        assertBits(0x1p53, dyadic(two53.add(BigInteger.ONE), 0).toDouble());
        assertBits(0x1p53 + 4, dyadic(two53.add(BigInteger.valueOf(3)), 0).toDouble());
        assertBits(0x1p53 + 2, dyadic(two53.add(BigInteger.valueOf(3)).shiftLeft(1).subtract(BigInteger.ONE), -1).toDouble());
    }

    @Test
    void exactRoundingHandlesSubnormalsAndOverflow() {
        assertBits(Double.MIN_VALUE, dyadic(BigInteger.valueOf(3), -1076).toDouble());
        assertBits(0.0, dyadic(BigInteger.ONE, -1075).toDouble());
        assertBits(2 * Double.MIN_VALUE, dyadic(BigInteger.valueOf(3), -1075).toDouble());
        // MAX + ulp(MAX)/2 is the overflow threshold: it rounds to +inf, anything below to MAX.
        BigInteger max = BigInteger.ONE.shiftLeft(54).subtract(BigInteger.ONE);
        assertBits(Double.POSITIVE_INFINITY, dyadic(max, 970).toDouble());
        assertBits(Double.MAX_VALUE, dyadic(max.shiftLeft(1).subtract(BigInteger.ONE), 969).toDouble());
    }

    @Test
    void exactRoundingToFloatRoundsOnce() {
        // 1 + 2^-24 + 2^-60: through binary64 it would land on the binary32 midpoint 1 + 2^-24 and
        // then round to 1; rounded once it is above the midpoint, so 1 + 2^-23.
        BigInteger m = BigInteger.ONE.shiftLeft(60).add(BigInteger.ONE.shiftLeft(36)).add(BigInteger.ONE);
        assertBits(1.0f + 0x1p-23f, dyadic(m, -60).toFloat());
        assertBits(Float.MIN_VALUE, dyadic(BigInteger.valueOf(3), -151).toFloat());
        assertBits(Float.POSITIVE_INFINITY, dyadic(BigInteger.ONE.shiftLeft(25).subtract(BigInteger.ONE), 103).toFloat());
    }

    /** Weights whose exact Σ|w| sits on, just above or just below a binary64 midpoint. */
    private static double[] nearMidpoint(SplittableRandom rng, int smallTerms, int nudge) {
        double base = 1.0 + rng.nextInt(1 << 20) * 0x1p-20;
        double half = Math.ulp(base) / 2;
        double[] w = new double[smallTerms + 2];
        w[0] = base;
        for (int i = 1; i <= smallTerms; i++) {
            w[i] = (rng.nextBoolean() ? 1 : -1) * half / smallTerms;
        }
        w[smallTerms + 1] = nudge * 0x1p-200;
        // Shuffle so that the base is anywhere in the lanes.
        for (int i = w.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = w[i];
            w[i] = w[j];
            w[j] = t;
        }
        return w;
    }

    @Test
    void fastPathAgreesWithTheExactPathNearMidpoints() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            int small = 1 << rng.nextInt(1, 12);
            double[] w = nearMidpoint(rng, small, rng.nextInt(-1, 2));
            double exact = ExactSum.exact(w, null, ExactSum.Kind.ABS).toDouble();
            assertBits(exact, abs(w, null));
        }
    }

    @Test
    void fastPathAgreesWithTheExactPathOnRandomData() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = rng.nextInt(0, 3000);
            double[] w = new double[n];
            double[] f = new double[n];
            int spread = rng.nextInt(1, 600);
            for (int i = 0; i < n; i++) {
                w[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-spread, spread));
                f[i] = rng.nextInt(4) == 0 ? 0.0 : Math.scalb(rng.nextDouble(), rng.nextInt(-20, 20));
            }
            PenaltyFactor pf = new PenaltyFactor(f);
            assertBits(ExactSum.exact(w, null, ExactSum.Kind.ABS).toDouble(), abs(w, null));
            assertBits(ExactSum.exact(w, null, ExactSum.Kind.SQUARE).toDouble(), squares(w, null));
            assertBits(ExactSum.exact(w, f, ExactSum.Kind.ABS).toDouble(), abs(w, pf));
            assertBits(ExactSum.exact(w, f, ExactSum.Kind.SQUARE).toDouble(), squares(w, pf));
            float[] w32 = new float[n];
            double[] w32d = new double[n];
            for (int i = 0; i < n; i++) {
                w32[i] = (float) Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-60, 60));
                w32d[i] = w32[i];
            }
            assertBits(ExactSum.exact(w32d, null, ExactSum.Kind.ABS).toFloat(), abs(w32, null));
            assertBits(ExactSum.exact(w32d, null, ExactSum.Kind.SQUARE).toFloat(), squares(w32, null));
        }
    }

    @Test
    void theTwoThreadSumOfLargeInputsIsStillExact() {
        SplittableRandom rng = new SplittableRandom(13);
        int n = ExactSum.PARALLEL_MIN + 5;
        double[] w = new double[n];
        float[] w32 = new float[n];
        double[] w32d = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-30, 30));
            w32[i] = (float) w[i];
            w32d[i] = w32[i];
        }
        // A last term of half an ulp of the total puts the exact sum near a midpoint.
        w[n - 1] = Math.ulp(ExactSum.exact(w, null, ExactSum.Kind.ABS).toDouble()) / 2;
        assertBits(ExactSum.exact(w, null, ExactSum.Kind.ABS).toDouble(), abs(w, null));
        assertBits(ExactSum.exact(w32d, null, ExactSum.Kind.ABS).toFloat(), abs(w32, null));
    }

    /**
     * Weights whose exact Σw² sits on, just above or just below a binary64 midpoint: one large
     * weight with an exact square, and 2^q equal powers of two whose squares add up to half its ulp.
     */
    private static double[] squaresNearMidpoint(SplittableRandom rng, int nudge) {
        double base = 1.0 + rng.nextInt(1, 1 << 20) * 0x1p-20;
        int halfUlp = Math.getExponent(Math.ulp(base * base)) - 1;
        int q = rng.nextInt(1, 11);
        if (((halfUlp - q) & 1) != 0) {
            q++;
        }
        double small = Math.scalb(1.0, (halfUlp - q) / 2);
        double[] w = new double[(1 << q) + 2];
        w[0] = base;
        for (int i = 1; i <= 1 << q; i++) {
            w[i] = rng.nextBoolean() ? small : -small;
        }
        // Above: one tiny extra square; below: one small weight a little smaller.
        if (nudge > 0) {
            w[w.length - 1] = 0x1p-200;
        } else if (nudge < 0) {
            w[1] = Math.nextDown(small);
        }
        for (int i = w.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = w[i];
            w[i] = w[j];
            w[j] = t;
        }
        return w;
    }

    @Test
    void theVectorKernelIsUsedWhenAvailableAndMatchesTheExactSum() {
        // Surefire's default run adds jdk.incubator.vector, so the kernels must have loaded there.
        boolean moduleAdded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        boolean enabled = !"false".equals(System.getProperty("regpen.vector"));
        assertEquals(moduleAdded && enabled, ExactSum.VECTOR != null);
        // The same checks run on whichever kernels this JVM selected (the scalar-kernels execution
        // runs this class too).
        SplittableRandom rng = new SplittableRandom(17);
        for (int trial = 0; trial < 200; trial++) {
            double[] w = trial % 2 == 0 ? nearMidpoint(rng, 1 << rng.nextInt(1, 10), rng.nextInt(-1, 2))
                    : new double[rng.nextInt(0, 500)];
            if (trial % 2 == 1) {
                for (int i = 0; i < w.length; i++) {
                    w[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-40, 40));
                }
            }
            assertBits(ExactSum.exact(w, null, ExactSum.Kind.ABS).toDouble(), abs(w, null));
            assertBits(ExactSum.exact(w, null, ExactSum.Kind.SQUARE).toDouble(), squares(w, null));
        }
    }

    @Test
    void squareSumsNearMidpointsRoundCorrectly() {
        SplittableRandom rng = new SplittableRandom(19);
        for (int trial = 0; trial < 300; trial++) {
            int nudge = rng.nextInt(-1, 2);
            double[] w = squaresNearMidpoint(rng, nudge);
            double exact = ExactSum.exact(w, null, ExactSum.Kind.SQUARE).toDouble();
            // The generator is only useful if it really lands next to a midpoint: on one, the
            // exact sum is a tie between the large square and the next double, and rounds to even.
            if (nudge == 0) {
                double base = 0.0;
                for (double x : w) {
                    base = Math.max(base, x * x);
                }
                assertEquals(0L, Double.doubleToRawLongBits(exact) & 1L, "a tie rounds to even");
                assertTrue(exact == base || exact == Math.nextUp(base));
            }
            assertBits(exact, squares(w, null));
        }
    }

    @Test
    void theTwoThreadSquareSumIsStillExact() {
        SplittableRandom rng = new SplittableRandom(23);
        int n = ExactSum.PARALLEL_MIN + 7;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-30, 30));
        }
        assertBits(ExactSum.exact(w, null, ExactSum.Kind.SQUARE).toDouble(), squares(w, null));
        // Squares that underflow, spread over both halves and the tails.
        double[] tiny = new double[n];
        for (int i = 0; i < n; i++) {
            tiny[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-560, -500));
        }
        assertBits(ExactSum.exact(tiny, null, ExactSum.Kind.SQUARE).toDouble(), squares(tiny, null));
    }

    @Test
    void squaresThatUnderflowAreStillSummedExactly() {
        // Four squares of 2^-538 are 2^-1076 each: rounded one by one they vanish, exactly they sum
        // to the smallest subnormal.
        double x = 0x1p-538;
        assertBits(Double.MIN_VALUE, squares(new double[] {x, -x, x, x}, null));
    }

    @Test
    void specialValuesFollowTheSpec() {
        assertTrue(Double.isNaN(abs(new double[] {Double.POSITIVE_INFINITY, Double.NaN}, null)));
        assertBits(Double.POSITIVE_INFINITY, abs(new double[] {1, Double.NEGATIVE_INFINITY}, null));
        PenaltyFactor zeroAtInf = new PenaltyFactor(new double[] {1, 0});
        assertTrue(Double.isNaN(abs(new double[] {1, Double.POSITIVE_INFINITY}, zeroAtInf)));
        assertBits(Double.POSITIVE_INFINITY, squares(new double[] {1e300, 1.0}, null));
        // (2^512 − 2^459)² = 2^1024 − 2^972 + 2^918 rounds to MAX − ulp(MAX), not to +inf; and a
        // square that overflows alone, 2^1024, times a factor of 1/2 is the finite 2^1023.
        double below = Math.nextDown(0x1p512);
        assertBits(Math.nextDown(Double.MAX_VALUE), squares(new double[] {below}, null));
        PenaltyFactor half = new PenaltyFactor(new double[] {0.5});
        assertBits(0x1p1023, squares(new double[] {0x1p512}, half));
        assertBits(0.0, abs(new double[] {-0.0, -0.0}, null));
    }
}
