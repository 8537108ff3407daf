// The lasso penalty lam·Σ f_i·|w_i|.
package org.regpen;

/** L1 (lasso): {@code lam·Σ f_i·|w_i|}. {@code penaltyFactor} is null when every factor is 1. */
public record L1(double lam, PenaltyFactor penaltyFactor) implements Penalty {

    /** Validates {@code lam} (finite, ≥ 0, else invalid_lambda) and stores −0 as +0. */
    public L1 {
        lam = Checks.parameter("lam", lam);
    }

    public L1(double lam) {
        this(lam, null);
    }

    @Override
    public L1 withPenaltyFactor(double[] factors) {
        return new L1(lam, new PenaltyFactor(factors));
    }

    @Override
    public String toConfig() {
        return Config.write("l1", penaltyFactor, "lam", lam);
    }

    private Objective.Terms terms() {
        return new Objective.Terms(lam, 0.0, true, false, penaltyFactor);
    }

    @Override
    public double value(double[] w) {
        Checks.weights(w, penaltyFactor);
        return Objective.value(terms(), w);
    }

    @Override
    public float value(float[] w) {
        Checks.weights(w, penaltyFactor);
        return Objective.value(terms(), w);
    }

    @Override
    public double[] gradient(double[] w) {
        Checks.weights(w, penaltyFactor);
        double[] g = new double[w.length];
        Kernels.l1Gradient(w, lam, penaltyFactor, g);
        return g;
    }

    @Override
    public float[] gradient(float[] w) {
        Checks.weights(w, penaltyFactor);
        float[] g = new float[w.length];
        Kernels.l1Gradient(w, (float) lam, penaltyFactor, g);
        return g;
    }

    @Override
    public double[] prox(double[] w, double step) {
        Checks.prox(w, step, penaltyFactor);
        double[] out = new double[w.length];
        Kernels.softThreshold(w, out, step * lam, penaltyFactor);
        return out;
    }

    @Override
    public float[] prox(float[] w, double step) {
        Checks.prox(w, step, penaltyFactor);
        float[] out = new float[w.length];
        Kernels.softThreshold(w, out, (float) step * (float) lam, penaltyFactor);
        return out;
    }
}
