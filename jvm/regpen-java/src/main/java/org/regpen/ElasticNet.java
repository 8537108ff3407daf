// The elastic net l1·Σ f_i·|w_i| + l2·Σ f_i·w_i².
package org.regpen;

/**
 * Elastic net: {@code l1·Σ f_i·|w_i| + l2·Σ f_i·w_i²}, with both parameters given directly (see
 * {@link Conventions} for scikit-learn's and glmnet's alpha/ratio forms). The value is the exact
 * sum of both parts rounded once.
 */
public record ElasticNet(double l1, double l2, PenaltyFactor penaltyFactor) implements Penalty {

    /** Validates both parameters (finite, ≥ 0, else invalid_lambda) and stores −0 as +0. */
    public ElasticNet {
        l1 = Checks.parameter("l1", l1);
        l2 = Checks.parameter("l2", l2);
    }

    public ElasticNet(double l1, double l2) {
        this(l1, l2, null);
    }

    @Override
    public ElasticNet withPenaltyFactor(double[] factors) {
        return new ElasticNet(l1, l2, new PenaltyFactor(factors));
    }

    @Override
    public String toConfig() {
        return Config.write("elastic_net", penaltyFactor, "l1", l1, "l2", l2);
    }

    private Objective.Terms terms() {
        return new Objective.Terms(l1, l2, true, true, penaltyFactor);
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
        Kernels.l2Gradient(w, 2.0 * l2, penaltyFactor, g);
        Kernels.addL1Gradient(w, l1, penaltyFactor, g);
        return g;
    }

    @Override
    public float[] gradient(float[] w) {
        Checks.weights(w, penaltyFactor);
        float[] g = new float[w.length];
        Kernels.l2Gradient(w, 2.0f * (float) l2, penaltyFactor, g);
        Kernels.addL1Gradient(w, (float) l1, penaltyFactor, g);
        return g;
    }

    @Override
    public double[] prox(double[] w, double step) {
        Checks.prox(w, step, penaltyFactor);
        double[] out = new double[w.length];
        Kernels.softThreshold(w, out, step * l1, penaltyFactor);
        Kernels.shrink(out, out, step * (2.0 * l2), penaltyFactor);
        return out;
    }

    @Override
    public float[] prox(float[] w, double step) {
        Checks.prox(w, step, penaltyFactor);
        float step32 = (float) step;
        float[] out = new float[w.length];
        Kernels.softThreshold(w, out, step32 * (float) l1, penaltyFactor);
        Kernels.shrink(out, out, step32 * (2.0f * (float) l2), penaltyFactor);
        return out;
    }
}
