// The lasso penalty lam·Σ f_i·|w_i|.
package org.regpen;

import java.util.Objects;

/** L1 (lasso): {@code lam·Σ f_i·|w_i|}. {@code penaltyFactor} is null when every factor is 1. */
public record L1(double lam, PenaltyFactor penaltyFactor) implements Penalty {

    public L1 {
        lam = Penalty.checkParameter("lam", lam);
    }

    public L1(double lam) {
        this(lam, null);
    }

    @Override
    public L1 withPenaltyFactor(double[] factors) {
        return new L1(lam, new PenaltyFactor(factors));
    }

    @Override
    public double value(double[] w) {
        Kernels.check(w, penaltyFactor);
        return lam * ExactSum.absSum(w, penaltyFactor);
    }

    @Override
    public float value(float[] w) {
        Kernels.check(w, penaltyFactor);
        return (float) lam * ExactSum.absSum(w, penaltyFactor);
    }

    @Override
    public double[] gradient(double[] w) {
        Kernels.check(w, penaltyFactor);
        double[] g = new double[w.length];
        Kernels.l1Gradient(w, lam, penaltyFactor, g, false);
        return g;
    }

    @Override
    public float[] gradient(float[] w) {
        Kernels.check(w, penaltyFactor);
        float[] g = new float[w.length];
        Kernels.l1Gradient(w, (float) lam, penaltyFactor, g, false);
        return g;
    }

    @Override
    public double[] prox(double[] w, double step) {
        Kernels.checkStep(step);
        Kernels.check(w, penaltyFactor);
        double[] out = new double[w.length];
        Kernels.softThreshold(w, out, step * lam, penaltyFactor);
        return out;
    }

    @Override
    public float[] prox(float[] w, double step) {
        Kernels.checkStep(step);
        Kernels.check(w, penaltyFactor);
        float[] out = new float[w.length];
        Kernels.softThreshold(w, out, (float) step * (float) lam, penaltyFactor);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof L1 other
                && Double.compare(lam, other.lam) == 0
                && Objects.equals(penaltyFactor, other.penaltyFactor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Double.hashCode(lam), penaltyFactor);
    }
}
