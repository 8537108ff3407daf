// glmnet's penalty.factor: one validated, immutable weight per coordinate (SPEC §1).
package org.regpen;

import java.util.Arrays;

/**
 * Per-coordinate multipliers of a penalty. Each factor is finite and ≥ 0 (a factor of 0 leaves that
 * coordinate unpenalized); −0 is stored as +0. The binary32 copy (each factor rounded once) is
 * made here, once, for float inputs.
 */
public final class PenaltyFactor {
    private final double[] values;
    private final float[] values32;
    private final double max;

    public PenaltyFactor(double[] factors) {
        Checks.array("penalty factors", factors, "float64 (double[])");
        values = new double[factors.length];
        values32 = new float[factors.length];
        double largest = 0.0;
        for (int i = 0; i < factors.length; i++) {
            double f = factors[i];
            if (!Double.isFinite(f) || f < 0.0) {
                throw new RegpenException(ErrorCode.INVALID_PENALTY_FACTOR,
                        "penalty factor " + i + " must be finite and >= 0, got " + f);
            }
            values[i] = f + 0.0;
            values32[i] = (float) values[i];
            largest = Math.max(largest, values[i]);
        }
        max = largest;
    }

    /** The number of coordinates. */
    public int length() {
        return values.length;
    }

    /** A copy of the factors. */
    public double[] toArray() {
        return values.clone();
    }

    double[] values() {
        return values;
    }

    float[] values32() {
        return values32;
    }

    double max() {
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PenaltyFactor other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
