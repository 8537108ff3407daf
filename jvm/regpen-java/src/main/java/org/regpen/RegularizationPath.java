// A regularization path's result (SPEC §7.8): one fit per strength.
package org.regpen;

import java.util.Arrays;

/**
 * Coefficients for a sequence of strengths, one row per strength, in the order fitted. Immutable.
 *
 * @param strengths the strengths s (P(s) scales every parameter of the model's penalty by s)
 * @param coefs w at each strength
 * @param intercepts b at each strength
 * @param nIters the iterations of each fit
 * @param gaps the final duality gap of each fit
 */
public record RegularizationPath(double[] strengths, double[][] coefs, double[] intercepts, int[] nIters,
                                 double[] gaps) {

    public RegularizationPath {
        strengths = strengths.clone();
        coefs = Arrays.stream(coefs).map(double[]::clone).toArray(double[][]::new);
        intercepts = intercepts.clone();
        nIters = nIters.clone();
        gaps = gaps.clone();
    }

    @Override
    public double[] strengths() {
        return strengths.clone();
    }

    @Override
    public double[][] coefs() {
        return Arrays.stream(coefs).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public double[] intercepts() {
        return intercepts.clone();
    }

    @Override
    public int[] nIters() {
        return nIters.clone();
    }

    @Override
    public double[] gaps() {
        return gaps.clone();
    }
}
