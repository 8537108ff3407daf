// The elastic net l1·Σ f_i·|w_i| + l2·Σ f_i·w_i².
package org.regpen;

import java.util.Objects;

/**
 * Elastic net: {@code l1·Σ f_i·|w_i| + l2·Σ f_i·w_i²}, with both parameters given directly (see
 * {@link Conventions} for scikit-learn's and glmnet's alpha/ratio forms).
 */
public record ElasticNet(double l1, double l2, PenaltyFactor penaltyFactor) implements Penalty {

    public ElasticNet {
        l1 = Penalty.checkParameter("l1", l1);
        l2 = Penalty.checkParameter("l2", l2);
    }

    public ElasticNet(double l1, double l2) {
        this(l1, l2, null);
    }

    @Override
    public ElasticNet withPenaltyFactor(double[] factors) {
        return new ElasticNet(l1, l2, new PenaltyFactor(factors));
    }

    @Override
    public double value(double[] w) {
        Kernels.check(w, penaltyFactor);
        double a = l1 * ExactSum.absSum(w, penaltyFactor);
        double b = l2 * ExactSum.squareSum(w, penaltyFactor);
        return a + b;
    }

    @Override
    public float value(float[] w) {
        Kernels.check(w, penaltyFactor);
        float a = (float) l1 * ExactSum.absSum(w, penaltyFactor);
        float b = (float) l2 * ExactSum.squareSum(w, penaltyFactor);
        return a + b;
    }

    @Override
    public double[] gradient(double[] w) {
        Kernels.check(w, penaltyFactor);
        double[] g = new double[w.length];
        Kernels.l2Gradient(w, 2.0 * l2, penaltyFactor, g);
        Kernels.l1Gradient(w, l1, penaltyFactor, g, true);
        return g;
    }

    @Override
    public float[] gradient(float[] w) {
        Kernels.check(w, penaltyFactor);
        float[] g = new float[w.length];
        Kernels.l2Gradient(w, 2.0f * (float) l2, penaltyFactor, g);
        Kernels.l1Gradient(w, (float) l1, penaltyFactor, g, true);
        return g;
    }

    @Override
    public double[] prox(double[] w, double step) {
        Kernels.checkStep(step);
        Kernels.check(w, penaltyFactor);
        double[] out = new double[w.length];
        Kernels.softThreshold(w, out, step * l1, penaltyFactor);
        Kernels.shrink(out, out, step * (2.0 * l2), penaltyFactor);
        return out;
    }

    @Override
    public float[] prox(float[] w, double step) {
        Kernels.checkStep(step);
        Kernels.check(w, penaltyFactor);
        float step32 = (float) step;
        float[] out = new float[w.length];
        Kernels.softThreshold(w, out, step32 * (float) l1, penaltyFactor);
        Kernels.shrink(out, out, step32 * (2.0f * (float) l2), penaltyFactor);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ElasticNet other
                && Double.compare(l1, other.l1) == 0
                && Double.compare(l2, other.l2) == 0
                && Objects.equals(penaltyFactor, other.penaltyFactor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Double.hashCode(l1), Double.hashCode(l2), penaltyFactor);
    }
}
