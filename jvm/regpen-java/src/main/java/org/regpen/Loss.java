// The seed's LossFunction.computeLoss: mean squared error plus a penalty (SPEC §3, loss).
package org.regpen;

/** The regpen objective {@code MSE(trueValues, predictedValues) + penalty.value(weights)}. */
public final class Loss {
    private Loss() {}

    /**
     * RN64((1/n)·Σ (y_i − p_i)² + penalty formula of the weights): the exact value (exact residuals,
     * the exact integer n) rounded once. The two target arrays must have the same length n > 0;
     * the weights may have any length. Checks in the spec's order: null arrays or penalty
     * (invalid_dtype), the target lengths (shape_mismatch), n > 0 (empty_input), the factor length.
     */
    public static double computeLoss(double[] trueValues, double[] predictedValues, double[] weights, Penalty penalty) {
        Checks.penalty(penalty);
        Checks.array("trueValues", trueValues, "float64 (double[])");
        Checks.array("predictedValues", predictedValues, "float64 (double[])");
        Checks.array("weights", weights, "float64 (double[])");
        Objective.Terms terms = Objective.Terms.of(penalty);
        checkShapes(trueValues.length, predictedValues.length, weights.length, terms.factors());
        return Objective.loss(terms, trueValues, predictedValues, weights);
    }

    /** The binary32 form: the exact value rounded once to binary32 (parameters and factors rounded first). */
    public static float computeLoss(float[] trueValues, float[] predictedValues, float[] weights, Penalty penalty) {
        Checks.penalty(penalty);
        Checks.array("trueValues", trueValues, "float32 (float[])");
        Checks.array("predictedValues", predictedValues, "float32 (float[])");
        Checks.array("weights", weights, "float32 (float[])");
        Objective.Terms terms = Objective.Terms.of(penalty);
        checkShapes(trueValues.length, predictedValues.length, weights.length, terms.factors());
        return Objective.loss(terms, trueValues, predictedValues, weights);
    }

    private static void checkShapes(int nTrue, int nPredicted, int nWeights, PenaltyFactor factors) {
        if (nTrue != nPredicted) {
            throw new RegpenException(ErrorCode.SHAPE_MISMATCH,
                    "trueValues has length " + nTrue + " but predictedValues has length " + nPredicted
                            + "; they must be equal");
        }
        if (nTrue == 0) {
            throw new RegpenException(ErrorCode.EMPTY_INPUT, "trueValues has length 0; the loss needs n > 0 samples");
        }
        Checks.factors(factors, nWeights);
    }
}
