// Spec 2.0's rules tested directly: one rounding of the scaled and combined value and of the loss,
// special values per product, canonical NaNs, null inputs and the check order, hostile configs.
package org.regpen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class Spec2Test {
    private static final long NAN64 = 0x7ff8000000000000L;
    private static final int NAN32 = 0x7fc00000;

    private static void assertBits(double expected, double actual) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> "expected " + Double.toHexString(expected) + ", got " + Double.toHexString(actual));
    }

    private static void assertBits(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> "expected " + Float.toHexString(expected) + ", got " + Float.toHexString(actual));
    }

    private static void assertCode(ErrorCode code, Executable call) {
        RegpenException e = assertThrows(RegpenException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }

    private static ExactSum.Dyadic dyadic(double x) {
        return ExactSum.Dyadic.of(x);
    }

    /** The exact value c1·Σ f|w| + c2·Σ f w², from the dyadic sums (tested on their own). */
    private static ExactSum.Dyadic exactValue(double c1, double c2, double[] w, double[] f) {
        ExactSum.Dyadic a = ExactSum.exact(w, f, ExactSum.Kind.ABS).times(dyadic(c1));
        ExactSum.Dyadic b = ExactSum.exact(w, f, ExactSum.Kind.SQUARE).times(dyadic(c2));
        return a.plus(b);
    }

    // ---------------------------------------------------------------- one rounding

    @Test
    void theIssueExamplesAreExactValuesRoundedOnce() {
        // Spec 1.0 gave +inf, NaN and +inf for these three.
        assertBits(exactValue(0, 1e-100, new double[] {1e155}, null).toDouble(), new L2(1e-100).value(new double[] {1e155}));
        assertTrue(Double.isFinite(new L2(1e-100).value(new double[] {1e155})));
        assertBits(1e200, new ElasticNet(1, 0).value(new double[] {1e200}));
        double[] y = {1e154, 1e154, 1e154, 1e154};
        double loss = Loss.computeLoss(y, new double[4], new double[0], new L1(1));
        assertBits(ExactSum.exact(y, null, ExactSum.Kind.SQUARE).dividedBy(4).toDouble(), loss);
        assertTrue(Double.isFinite(loss));
    }

    @Test
    void specialValuesAreDecidedPerProduct() {
        double inf = Double.POSITIVE_INFINITY;
        assertEquals(NAN64, Double.doubleToRawLongBits(new ElasticNet(1, 0).value(new double[] {inf})));
        assertEquals(NAN64, Double.doubleToRawLongBits(new L1(0).value(new double[] {inf})));
        assertBits(inf, new L1(1).value(new double[] {-inf}));
        assertBits(inf, new L2(0.5).value(new double[] {2, inf}));
        assertBits(0.0, new L2(1).value(new double[0]));
        // A binary32 factor that rounds to +inf, with w = 0: ∞·0 is NaN.
        Penalty big = new L1(1).withPenaltyFactor(new double[] {1e39});
        assertEquals(NAN32, Float.floatToRawIntBits(big.value(new float[] {0f})));
        assertBits(Float.POSITIVE_INFINITY, big.value(new float[] {1f}));
        // A binary32 lambda beyond binary32 with no weights: no product, so +0.
        assertBits(0.0f, new L1(1e39).value(new float[0]));
        // Loss: ∞ − ∞ of one sign is NaN, of opposite signs +inf.
        double[] none = new double[0];
        assertEquals(NAN64, Double.doubleToRawLongBits(Loss.computeLoss(new double[] {inf}, new double[] {inf}, none, new L1(1))));
        assertBits(inf, Loss.computeLoss(new double[] {inf}, new double[] {-inf}, none, new L1(1)));
        double negativeNaN = Double.longBitsToDouble(0xfff8000000000123L);
        assertEquals(NAN64, Double.doubleToRawLongBits(new L1(1).value(new double[] {negativeNaN})));
        assertEquals(NAN32, Float.floatToRawIntBits(new L2(1).value(new float[] {Float.intBitsToFloat(0xffc00001)})));
    }

    @Test
    void scaledAndCombinedValuesMatchTheExactValue() {
        SplittableRandom rng = new SplittableRandom(29);
        for (int trial = 0; trial < 400; trial++) {
            int n = rng.nextInt(0, 200);
            double[] w = new double[n];
            double[] f = new double[n];
            int spread = rng.nextInt(1, 400);
            for (int i = 0; i < n; i++) {
                w[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-spread, spread));
                f[i] = rng.nextInt(4) == 0 ? 0.0 : Math.scalb(rng.nextDouble(), rng.nextInt(-20, 20));
            }
            // Coefficients from exact powers of two (which keep a tie a tie) to arbitrary ones.
            double c1 = rng.nextBoolean() ? Math.scalb(1.0, rng.nextInt(-300, 300)) : Math.scalb(rng.nextDouble(), rng.nextInt(-300, 300));
            double c2 = rng.nextBoolean() ? Math.scalb(1.0, rng.nextInt(-300, 300)) : Math.scalb(rng.nextDouble(), rng.nextInt(-300, 300));
            assertBits(exactValue(c1, 0, w, null).toDouble(), new L1(c1).value(w));
            assertBits(exactValue(0, c2, w, f).toDouble(), new L2(c2).withPenaltyFactor(f).value(w));
            assertBits(exactValue(c1, c2, w, null).toDouble(), new ElasticNet(c1, c2).value(w));
            assertBits(exactValue(c1, c2, w, f).toDouble(), new ElasticNet(c1, c2).withPenaltyFactor(f).value(w));
            float[] w32 = new float[n];
            for (int i = 0; i < n; i++) {
                w32[i] = (float) Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-60, 60));
            }
            double d1 = (float) Math.scalb(rng.nextDouble(), rng.nextInt(-60, 60));
            double d2 = (float) Math.scalb(rng.nextDouble(), rng.nextInt(-60, 60));
            assertBits(exactValue(d1, d2, ExactSum.widen(w32), null).toFloat(), new ElasticNet(d1, d2).value(w32));
        }
    }

    @Test
    void tiesOfTheCombinedValueRoundToEven() {
        // l1·1 + l2·1 with l2 = 2^-53: exactly 1 + 2^-53, a tie that goes to even, 1. With w_2 =
        // 2^-600 the exact value is just above the tie, so 1 + 2^-52; rounding S1 first (to 1)
        // would lose that term and round the tie down.
        assertBits(1.0, new ElasticNet(1, 0x1p-53).value(new double[] {1.0}));
        assertBits(1.0 + 0x1p-52, new ElasticNet(1, 0x1p-53).value(new double[] {1.0, 0x1p-600}));
        // binary32: 1 + 2^-24 is a binary32 tie (to 1); 1 + 2^-24 + 2^-60 is above it.
        assertBits(1.0f, new L1(1).value(new float[] {1f, 0x1p-24f}));
        assertBits(1.0f + 0x1p-23f, new L1(1).value(new float[] {1f, 0x1p-24f, 0x1p-60f}));
    }

    @Test
    void theLossUsesExactResidualsAndTheExactN() {
        SplittableRandom rng = new SplittableRandom(31);
        for (int trial = 0; trial < 300; trial++) {
            int n = rng.nextInt(1, 100);
            double[] y = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-80, 80));
                p[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-80, 80));
            }
            double[] w = {rng.nextDouble(-2, 2), rng.nextDouble(-2, 2)};
            double c = Math.scalb(rng.nextDouble(), rng.nextInt(-10, 10));
            ExactSum.Dyadic sse = ExactSum.exactSquaredErrors(y, p);
            ExactSum.Dyadic pen = exactValue(c, c, w, null);
            double expected = sse.plus(pen.times(dyadic(n))).dividedBy(n).toDouble();
            assertBits(expected, Loss.computeLoss(y, p, w, new ElasticNet(c, c)));
        }
        // Residuals that are not exact in binary64 and squares that are subnormal.
        double[] y = {1.0, 0x1p-540};
        double[] p = {-0x1p-60, -0x1p-541};
        double expected = ExactSum.exactSquaredErrors(y, p).dividedBy(2).toDouble();
        assertBits(expected, Loss.computeLoss(y, p, new double[0], new L2(1)));
        // binary32: one rounding from the exact value, n exact (3 is not a power of two).
        float[] y32 = {1f, 0x1p-30f, 3f};
        float[] p32 = {0x1p-30f, -1f, 0f};
        double[] yd = {1, 0x1p-30, 3};
        double[] pd = {0x1p-30, -1, 0};
        assertBits(ExactSum.exactSquaredErrors(yd, pd).dividedBy(3).toFloat(),
                Loss.computeLoss(y32, p32, new float[0], new L1(1)));
    }

    @Test
    void theTwoThreadLossIsStillExact() {
        // Both halves, every lane and the tails of the residual kernel (vector or scalar).
        SplittableRandom rng = new SplittableRandom(37);
        int n = ExactSum.PARALLEL_MIN + 13;
        double[] y = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-40, 40));
            p[i] = Math.scalb(rng.nextDouble(-1, 1), rng.nextInt(-40, 40));
        }
        double[] w = {0.5};
        ExactSum.Dyadic sum = ExactSum.exactSquaredErrors(y, p).plus(dyadic(0.25).times(dyadic(n)));
        assertBits(sum.dividedBy(n).toDouble(), Loss.computeLoss(y, p, w, new L1(0.5)));
    }

    @Test
    void l1RegularizationKeepsTheDtype() throws NoSuchMethodException {
        Method m = L1Regularization.class.getMethod("l1Regularization", float[].class, double.class);
        assertEquals(float.class, m.getReturnType());
        assertBits(new L1(0.1).value(new float[] {0.5f, -0.25f}), L1Regularization.l1Regularization(new float[] {0.5f, -0.25f}, 0.1));
    }

    // ---------------------------------------------------------------- canonical NaN

    @Test
    void everyNaNOutputIsThePositiveQuietNaN() {
        double payload = Double.longBitsToDouble(0xfff4000000000abcL);
        double[] w = {payload, 1.0};
        Penalty[] penalties = {new L1(0.5), new L2(0.5), new ElasticNet(0.5, 0.25)};
        for (Penalty p : penalties) {
            assertEquals(NAN64, Double.doubleToRawLongBits(p.gradient(w)[0]), p.toString());
            assertEquals(NAN64, Double.doubleToRawLongBits(p.prox(w, 0.5)[0]), p.toString());
            float[] w32 = {Float.intBitsToFloat(0xffa00001), 1f};
            assertEquals(NAN32, Float.floatToRawIntBits(p.gradient(w32)[0]), p.toString());
            assertEquals(NAN32, Float.floatToRawIntBits(p.prox(w32, 0.5)[0]), p.toString());
        }
        // NaNs made by the arithmetic: 0·∞ on x86 is 0xfff8… (negative) before canonicalization.
        float[] one = {1f};
        assertEquals(NAN32, Float.floatToRawIntBits(new L1(1e39).prox(one, 0.0)[0]));
        assertEquals(NAN32, Float.floatToRawIntBits(new L2(1e39).prox(one, 0.0)[0]));
        assertEquals(NAN32, Float.floatToRawIntBits(new L1(1e39).withPenaltyFactor(new double[] {0}).gradient(one)[0]));
        assertEquals(NAN32, Float.floatToRawIntBits(new L2(1e39).withPenaltyFactor(new double[] {0}).gradient(one)[0]));
    }

    // ---------------------------------------------------------------- errors

    @Test
    void nullsAreInvalidDtypeNotNullPointerExceptions() {
        Penalty p = new L1(0.1);
        assertCode(ErrorCode.INVALID_DTYPE, () -> p.value((double[]) null));
        assertCode(ErrorCode.INVALID_DTYPE, () -> p.value((float[]) null));
        assertCode(ErrorCode.INVALID_DTYPE, () -> p.gradient((double[]) null));
        assertCode(ErrorCode.INVALID_DTYPE, () -> p.gradient((float[]) null));
        assertCode(ErrorCode.INVALID_DTYPE, () -> p.prox((double[]) null, 1));
        assertCode(ErrorCode.INVALID_DTYPE, () -> p.prox((float[]) null, 1));
        assertCode(ErrorCode.INVALID_DTYPE, () -> p.withPenaltyFactor(null));
        assertCode(ErrorCode.INVALID_DTYPE, () -> Loss.computeLoss(new double[1], new double[1], new double[0], null));
        assertCode(ErrorCode.INVALID_DTYPE, () -> Loss.computeLoss(null, new double[1], new double[0], p));
        assertCode(ErrorCode.INVALID_DTYPE, () -> Loss.computeLoss(new float[1], null, new float[0], p));
        assertCode(ErrorCode.INVALID_DTYPE, () -> Loss.computeLoss(new float[1], new float[1], null, p));
        assertCode(ErrorCode.INVALID_DTYPE, () -> L1Regularization.l1Regularization((double[]) null, 0.1));
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig(null));
    }

    @Test
    void checksRunInTheSpecsOrder() {
        Penalty p = new L1(0.1).withPenaltyFactor(new double[] {1, 1});
        // dtype before step, step before shape.
        assertCode(ErrorCode.INVALID_DTYPE, () -> p.prox((double[]) null, -1));
        assertCode(ErrorCode.INVALID_STEP, () -> p.prox(new double[] {1}, -1));
        assertCode(ErrorCode.INVALID_STEP, () -> p.prox(new float[] {1}, Double.NaN));
        // Loss: target lengths, then n > 0, then the factor length.
        assertCode(ErrorCode.SHAPE_MISMATCH, () -> Loss.computeLoss(new double[1], new double[2], new double[1], p));
        assertCode(ErrorCode.EMPTY_INPUT, () -> Loss.computeLoss(new double[0], new double[0], new double[1], p));
        assertCode(ErrorCode.SHAPE_MISMATCH, () -> Loss.computeLoss(new double[1], new double[1], new double[1], p));
    }

    @Test
    void hostileConfigsAreInvalidConfig() {
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig("{\"type\": \"l1\", \"lam\": 0.1, \"lam\": 0.2}"));
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig("{\"type\": [\"l1\"], \"lam\": 0.1}"));
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig("{\"type\": \"l1\", \"lam\": true}"));
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig("{\"type\": \"l1\", \"lam\": 0.1, \"penalty_factor\": [1, \"2\"]}"));
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig("[1]"));
        String deep = "{\"type\": \"l1\", \"lam\": 0.1, \"penalty_factor\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig(deep));
        String deepObject = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig(deepObject));
        // Huge integers: correctly rounded, then judged by the constructor.
        assertCode(ErrorCode.INVALID_LAMBDA, () -> Penalty.fromConfig("{\"type\": \"l1\", \"lam\": 1" + "0".repeat(5000) + "}"));
        assertCode(ErrorCode.INVALID_PENALTY_FACTOR,
                () -> Penalty.fromConfig("{\"type\": \"l1\", \"lam\": 1, \"penalty_factor\": [1" + "0".repeat(400) + "]}"));
        L1 big = (L1) Penalty.fromConfig("{\"type\": \"l1\", \"lam\": 9007199254740993}");
        assertBits(0x1p53, big.lam());
        L1 tieUp = (L1) Penalty.fromConfig("{\"type\": \"l1\", \"lam\": 9007199254740995}");
        assertBits(0x1p53 + 4, tieUp.lam());
        BigInteger beyond = BigInteger.ONE.shiftLeft(200).add(BigInteger.ONE);
        assertBits(0x1p200, ((L1) Penalty.fromConfig("{\"type\": \"l1\", \"lam\": " + beyond + "}")).lam());
        // An empty factor list is valid: it fits only an empty w.
        Penalty empty = Penalty.fromConfig("{\"type\": \"l2\", \"lam\": 1, \"penalty_factor\": []}");
        assertBits(0.0, empty.value(new double[0]));
        assertCode(ErrorCode.SHAPE_MISMATCH, () -> empty.value(new double[] {1}));
    }

    @Test
    void messagesNameTheParameterTheValueAndTheRule() {
        RegpenException e = assertThrows(RegpenException.class, () -> new ElasticNet(0.1, -2));
        assertTrue(e.getMessage().contains("l2") && e.getMessage().contains("-2.0") && e.getMessage().contains(">= 0"), e.getMessage());
        e = assertThrows(RegpenException.class, () -> Penalty.fromConfig("{\"type\": \"l3\", \"lam\": 1}"));
        assertTrue(e.getMessage().contains("type") && e.getMessage().contains("l3"), e.getMessage());
        e = assertThrows(RegpenException.class, () -> new L1(1).value((double[]) null));
        assertTrue(e.getMessage().contains("w") && e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void theParameterCheckIsNotPublicApi() {
        for (Method m : Penalty.class.getMethods()) {
            assertTrue(!m.getName().equals("checkParameter"), "Penalty.checkParameter is public");
        }
        for (Method m : Kernels.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                for (Class<?> t : m.getParameterTypes()) {
                    assertTrue(t != boolean.class, m + " takes a flag argument");
                }
            }
        }
    }
}
