// The seed's LossFunction.computeLoss: mean squared error plus a penalty (SPEC §3, loss).
package org.regpen;

import java.util.Objects;

/** The regpen objective {@code MSE(trueValues, predictedValues) + penalty.value(weights)}. */
public final class Loss {
    private Loss() {}

    /**
     * {@code fl(fl(SSE / n) + value(weights))} with SSE the correctly rounded Σ fl(y_i − p_i)². The
     * two target arrays must have the same length n > 0; the weights may have any length.
     */
    public static double computeLoss(double[] trueValues, double[] predictedValues, double[] weights, Penalty penalty) {
        Objects.requireNonNull(trueValues, "trueValues");
        Objects.requireNonNull(predictedValues, "predictedValues");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(penalty, "penalty");
        checkShapes(trueValues.length, predictedValues.length, weights.length, penalty);
        double mse = ExactSum.squaredErrorSum(trueValues, predictedValues) / trueValues.length;
        return mse + penalty.value(weights);
    }

    /** The binary32 form: every step in binary32, n rounded once to binary32. */
    public static float computeLoss(float[] trueValues, float[] predictedValues, float[] weights, Penalty penalty) {
        Objects.requireNonNull(trueValues, "trueValues");
        Objects.requireNonNull(predictedValues, "predictedValues");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(penalty, "penalty");
        checkShapes(trueValues.length, predictedValues.length, weights.length, penalty);
        float mse = ExactSum.squaredErrorSum(trueValues, predictedValues) / (float) trueValues.length;
        return mse + penalty.value(weights);
    }

    /** Shape checks in the spec's order: both shape_mismatch causes before empty_input. */
    private static void checkShapes(int nTrue, int nPredicted, int nWeights, Penalty penalty) {
        if (nTrue != nPredicted) {
            throw new RegpenException(ErrorCode.SHAPE_MISMATCH,
                    "trueValues has length " + nTrue + " but predictedValues has length " + nPredicted);
        }
        if (penalty.penaltyFactor() != null) {
            penalty.penaltyFactor().checkLength(nWeights);
        }
        if (nTrue == 0) {
            throw new RegpenException(ErrorCode.EMPTY_INPUT, "the loss needs at least one sample");
        }
    }
}
