// The ridge penalty lam·Σ f_i·w_i² (no ½: the textbook form).
package org.regpen;

/** L2 (ridge): {@code lam·Σ f_i·w_i²}. {@code penaltyFactor} is null when every factor is 1. */
public record L2(double lam, PenaltyFactor penaltyFactor) implements Penalty {

    /** Validates {@code lam} (finite, ≥ 0, else invalid_lambda) and stores −0 as +0. */
    public L2 {
        lam = Checks.parameter("lam", lam);
    }

    public L2(double lam) {
        this(lam, null);
    }

    @Override
    public L2 withPenaltyFactor(double[] factors) {
        return new L2(lam, new PenaltyFactor(factors));
    }

    @Override
    public String toConfig() {
        return Config.write("l2", penaltyFactor, "lam", lam);
    }

    private Objective.Terms terms() {
        return new Objective.Terms(0.0, lam, false, true, penaltyFactor);
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
        Kernels.l2Gradient(w, 2.0 * lam, penaltyFactor, g);
        return g;
    }

    @Override
    public float[] gradient(float[] w) {
        Checks.weights(w, penaltyFactor);
        float[] g = new float[w.length];
        Kernels.l2Gradient(w, 2.0f * (float) lam, penaltyFactor, g);
        return g;
    }

    @Override
    public double[] prox(double[] w, double step) {
        Checks.prox(w, step, penaltyFactor);
        double[] out = new double[w.length];
        Kernels.shrink(w, out, step * (2.0 * lam), penaltyFactor);
        return out;
    }

    @Override
    public float[] prox(float[] w, double step) {
        Checks.prox(w, step, penaltyFactor);
        float[] out = new float[w.length];
        Kernels.shrink(w, out, (float) step * (2.0f * (float) lam), penaltyFactor);
        return out;
    }
}
