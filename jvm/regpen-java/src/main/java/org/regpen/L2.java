// The ridge penalty lam·Σ f_i·w_i² (no ½: the textbook form).
package org.regpen;

import java.util.Objects;

/** L2 (ridge): {@code lam·Σ f_i·w_i²}. {@code penaltyFactor} is null when every factor is 1. */
public record L2(double lam, PenaltyFactor penaltyFactor) implements Penalty {

    public L2 {
        lam = Penalty.checkParameter("lam", lam);
    }

    public L2(double lam) {
        this(lam, null);
    }

    @Override
    public L2 withPenaltyFactor(double[] factors) {
        return new L2(lam, new PenaltyFactor(factors));
    }

    @Override
    public double value(double[] w) {
        Kernels.check(w, penaltyFactor);
        return lam * ExactSum.squareSum(w, penaltyFactor);
    }

    @Override
    public float value(float[] w) {
        Kernels.check(w, penaltyFactor);
        return (float) lam * ExactSum.squareSum(w, penaltyFactor);
    }

    @Override
    public double[] gradient(double[] w) {
        Kernels.check(w, penaltyFactor);
        double[] g = new double[w.length];
        Kernels.l2Gradient(w, 2.0 * lam, penaltyFactor, g);
        return g;
    }

    @Override
    public float[] gradient(float[] w) {
        Kernels.check(w, penaltyFactor);
        float[] g = new float[w.length];
        Kernels.l2Gradient(w, 2.0f * (float) lam, penaltyFactor, g);
        return g;
    }

    @Override
    public double[] prox(double[] w, double step) {
        Kernels.checkStep(step);
        Kernels.check(w, penaltyFactor);
        double[] out = new double[w.length];
        Kernels.shrink(w, out, step * (2.0 * lam), penaltyFactor);
        return out;
    }

    @Override
    public float[] prox(float[] w, double step) {
        Kernels.checkStep(step);
        Kernels.check(w, penaltyFactor);
        float[] out = new float[w.length];
        Kernels.shrink(w, out, (float) step * (2.0f * (float) lam), penaltyFactor);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof L2 other
                && Double.compare(lam, other.lam) == 0
                && Objects.equals(penaltyFactor, other.penaltyFactor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Double.hashCode(lam), penaltyFactor);
    }
}
