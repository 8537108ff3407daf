// Converters from other libraries' regularization parameters (SPEC §3, conversions table).
package org.regpen;

/**
 * Each converter returns the penalty whose regpen objective (MSE + penalty) is a fixed multiple of
 * the other library's objective, so both have the same minimizer. The steps are the spec's, in
 * binary64, in its order.
 */
public final class Conventions {
    private Conventions() {}

    /** scikit-learn {@code ElasticNet(alpha, l1_ratio)} / {@code Lasso(alpha)}; objective scale 2. */
    public static ElasticNet fromSklearn(double alpha, double l1Ratio) {
        checkNonNegative("alpha", alpha);
        checkRatio("l1_ratio", l1Ratio);
        return new ElasticNet(2.0 * alpha * l1Ratio, alpha * (1.0 - l1Ratio));
    }

    /** glmnet (gaussian) {@code lambda}, {@code alpha}; objective scale 2. */
    public static ElasticNet fromGlmnet(double lambda, double alpha) {
        checkNonNegative("lambda", lambda);
        checkRatio("alpha", alpha);
        return new ElasticNet(2.0 * lambda * alpha, lambda * (1.0 - alpha));
    }

    /** Keras {@code L1L2(l1, l2)}: the same numbers; objective scale 1. */
    public static ElasticNet fromKeras(double l1, double l2) {
        checkNonNegative("l1", l1);
        checkNonNegative("l2", l2);
        return new ElasticNet(l1, l2);
    }

    /** PyTorch {@code weight_decay} (which adds weight_decay·w to the gradient): L2(weight_decay / 2). */
    public static L2 fromTorchWeightDecay(double weightDecay) {
        checkNonNegative("weight_decay", weightDecay);
        return new L2(weightDecay / 2.0);
    }

    private static void checkNonNegative(String name, double x) {
        if (!Double.isFinite(x) || x < 0.0) {
            throw new RegpenException(ErrorCode.INVALID_LAMBDA, name + " must be finite and >= 0, got " + x);
        }
    }

    private static void checkRatio(String name, double x) {
        if (!(x >= 0.0 && x <= 1.0)) {
            throw new RegpenException(ErrorCode.INVALID_LAMBDA, name + " must be in [0, 1], got " + x);
        }
    }
}
