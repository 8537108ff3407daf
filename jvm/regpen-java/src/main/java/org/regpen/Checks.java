// The argument checks of SPEC §4, in the spec's order, with messages that name the parameter,
// the value and the rule.
package org.regpen;

/** Package-private checks shared by the penalties and the loss. */
final class Checks {
    private Checks() {}

    /** A penalty parameter: finite and ≥ 0; −0 is stored as +0. */
    static double parameter(String name, double value) {
        if (!Double.isFinite(value) || value < 0.0) {
            throw new RegpenException(ErrorCode.INVALID_LAMBDA, name + " must be finite and >= 0, got " + value);
        }
        return value + 0.0;
    }

    /** A null array is not an array of floats: invalid_dtype, as None is in Python. */
    static void array(String name, Object array, String dtype) {
        if (array == null) {
            throw new RegpenException(ErrorCode.INVALID_DTYPE, name + " must be a " + dtype + " array, got null");
        }
    }

    static void penalty(Penalty penalty) {
        if (penalty == null) {
            throw new RegpenException(ErrorCode.INVALID_DTYPE, "penalty must be an L1, L2 or ElasticNet, got null");
        }
    }

    static void step(double step) {
        if (!Double.isFinite(step) || step < 0.0) {
            throw new RegpenException(ErrorCode.INVALID_STEP, "step must be finite and >= 0, got " + step);
        }
    }

    /** Weights must have one factor each. */
    static void factors(PenaltyFactor f, int n) {
        if (f != null && f.length() != n) {
            throw new RegpenException(ErrorCode.SHAPE_MISMATCH,
                    "penalty factor has length " + f.length() + " but w has length " + n + "; they must be equal");
        }
    }

    /** The checks of value and gradient: w's dtype, then its length against the factors. */
    static void weights(double[] w, PenaltyFactor f) {
        array("w", w, "float64 (double[])");
        factors(f, w.length);
    }

    static void weights(float[] w, PenaltyFactor f) {
        array("w", w, "float32 (float[])");
        factors(f, w.length);
    }

    /** The checks of prox, in the spec's order: dtype, step, shape. */
    static void prox(double[] w, double step, PenaltyFactor f) {
        array("w", w, "float64 (double[])");
        step(step);
        factors(f, w.length);
    }

    static void prox(float[] w, double step, PenaltyFactor f) {
        array("w", w, "float32 (float[])");
        step(step);
        factors(f, w.length);
    }
}
