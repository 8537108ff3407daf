// The regpen API shared by the three penalties (SPEC §1, §3, §5).
package org.regpen;

/**
 * A regularization penalty: its value, (sub)gradient and proximal operator on binary64 or binary32
 * weights. Results are bit-identical to every other regpen backend: scalar results are the exact
 * value rounded once, every other step is the named IEEE operation, and every NaN output is the
 * positive quiet NaN. Instances are immutable. A null array is {@code invalid_dtype}. Java arrays
 * hold at most 2^31 − 1 elements, which is the largest input.
 */
public sealed interface Penalty permits L1, L2, ElasticNet {

    /**
     * The penalty of {@code w}: the exact Σ f_i·(c1·|w_i| + c2·w_i²) rounded once (NaN when a
     * product is NaN, such as 0·∞; +inf when one is infinite).
     */
    double value(double[] w);

    /**
     * The penalty of {@code w} in binary32: parameters and factors are rounded to binary32 first,
     * then the exact value is rounded once to binary32.
     */
    float value(float[] w);

    /** The gradient (for L1 the subgradient that is 0 at 0), elementwise. */
    double[] gradient(double[] w);

    float[] gradient(float[] w);

    /** The proximal operator with step {@code step} (finite and ≥ 0, else invalid_step). */
    double[] prox(double[] w, double step);

    float[] prox(float[] w, double step);

    /** The per-coordinate factors, or null when every factor is 1. */
    PenaltyFactor penaltyFactor();

    /** The same penalty with these factors (glmnet's penalty.factor). */
    Penalty withPenaltyFactor(double[] factors);

    /** The JSON configuration, e.g. {@code {"type":"l1","lam":0.01}}; it reads back to an equal penalty. */
    String toConfig();

    /** Reads a configuration written by any regpen backend; invalid_config when it cannot be read. */
    static Penalty fromConfig(String json) {
        return Config.read(json);
    }
}
