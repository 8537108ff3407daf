// The seed document's helper, kept under its name and given the spec's exact arithmetic.
package org.regpen;

/** {@code l1Regularization(weights, lambda)} from the seed's Java example, correctly rounded. */
public final class L1Regularization {
    private L1Regularization() {}

    /** Exactly {@code new L1(lambda).value(weights)}. */
    public static double l1Regularization(double[] weights, double lambda) {
        return new L1(lambda).value(weights);
    }

    /** Exactly {@code new L1(lambda).value(weights)} in binary32: float32 in, float32 out. */
    public static float l1Regularization(float[] weights, double lambda) {
        return new L1(lambda).value(weights);
    }
}
