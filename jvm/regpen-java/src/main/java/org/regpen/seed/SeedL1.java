// The seed document's Java example, kept as written in behaviour: a teaching baseline, not regpen.
package org.regpen.seed;

/**
 * The seed's {@code l1Regularization}: a left-to-right sum of |w| in binary64, then one product.
 * It rounds at every addition, so it can differ from the correctly rounded regpen result in the last
 * bits; the conformance harness reports that difference as drift.
 */
public final class SeedL1 {
    private SeedL1() {}

    public static double l1Regularization(double[] weights, double lambda) {
        double sum = 0.0;
        for (double weight : weights) {
            sum += Math.abs(weight);
        }
        return lambda * sum;
    }
}
