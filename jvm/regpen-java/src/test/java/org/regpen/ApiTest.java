// Unit tests of the Java API's contract: validation, error codes, immutability, the seed helpers.
package org.regpen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.regpen.seed.SeedL1;

class ApiTest {
    private static void assertCode(ErrorCode code, Executable call) {
        RegpenException e = assertThrows(RegpenException.class, call);
        assertEquals(code, e.code());
        assertTrue(e.getMessage().startsWith("[" + code.id() + "]"), e.getMessage());
    }

    @Test
    void errorCodesMatchTheSpec() {
        assertEquals("invalid_lambda", ErrorCode.INVALID_LAMBDA.id());
        assertEquals(6, ErrorCode.INVALID_PENALTY_FACTOR.status());
        assertEquals("invalid_argument", ErrorCode.INVALID_ARGUMENT.id());
        assertTrue(IllegalArgumentException.class.isAssignableFrom(RegpenException.class));
    }

    @Test
    void parametersAreValidated() {
        assertCode(ErrorCode.INVALID_LAMBDA, () -> new L1(-1e-300));
        assertCode(ErrorCode.INVALID_LAMBDA, () -> new L2(Double.NaN));
        assertCode(ErrorCode.INVALID_LAMBDA, () -> new ElasticNet(0.1, Double.POSITIVE_INFINITY));
        assertCode(ErrorCode.INVALID_PENALTY_FACTOR, () -> new L1(0.1).withPenaltyFactor(new double[] {1, -0.5}));
        assertCode(ErrorCode.INVALID_STEP, () -> new L1(0.1).prox(new double[] {1}, -1));
        assertCode(ErrorCode.SHAPE_MISMATCH, () -> new L2(0.1).withPenaltyFactor(new double[] {1, 2}).value(new double[] {1}));
        assertCode(ErrorCode.SHAPE_MISMATCH, () -> Loss.computeLoss(new double[2], new double[3], new double[0], new L1(1)));
        assertCode(ErrorCode.EMPTY_INPUT, () -> Loss.computeLoss(new float[0], new float[0], new float[0], new L1(1)));
        assertCode(ErrorCode.INVALID_CONFIG, () -> Penalty.fromConfig("{\"type\": \"l1\", \"lam\": 0.1} trailing"));
        assertCode(ErrorCode.INVALID_LAMBDA, () -> Penalty.fromConfig("{\"type\": \"l1\", \"lam\": -1}"));
        assertCode(ErrorCode.INVALID_LAMBDA, () -> Conventions.fromSklearn(0.1, 1.5));
    }

    @Test
    void negativeZeroIsStoredAsPositiveZero() {
        assertEquals(0L, Double.doubleToRawLongBits(new L1(-0.0).lam()));
        assertEquals(new L1(0.0), new L1(-0.0));
    }

    @Test
    void penaltiesAreImmutable() {
        double[] factors = {1, 2};
        Penalty p = new L1(0.5).withPenaltyFactor(factors);
        factors[0] = 100;
        assertArrayEquals(new double[] {1, 2}, p.penaltyFactor().toArray());
        p.penaltyFactor().toArray()[1] = 100;
        assertEquals(1.5, p.value(new double[] {1, 1}));
        assertNotEquals(new L1(0.5), p);
    }

    @Test
    void configRoundTripsAndUsesShortestNumbers() {
        Penalty p = new ElasticNet(0.1, 1.0 / 3).withPenaltyFactor(new double[] {0, 2.5});
        String text = p.toConfig();
        assertTrue(text.contains("0.1") && !text.contains("0.10000"), text);
        assertEquals(p, Penalty.fromConfig(text));
    }

    @Test
    void theSeedExampleGivesTheSeedResult() {
        double[] weights = {0.5, -0.3, 0.0, 1.2};
        assertEquals(0.02, SeedL1.l1Regularization(weights, 0.01));
        assertEquals(L1Regularization.l1Regularization(weights, 0.01), new L1(0.01).value(weights));
    }

    @Test
    void theSeedLoopDriftsWhereRegpenRoundsOnce() {
        // 1 + 2^-53 + 2^-53 = 1 + 2^-52 exactly; the left-to-right loop loses both small terms.
        double tiny = 0x1p-53;
        double[] w = {1.0, tiny, -tiny};
        assertEquals(1.0, SeedL1.l1Regularization(w, 1.0));
        assertEquals(1.0 + 0x1p-52, L1Regularization.l1Regularization(w, 1.0));
    }
}
