// The training solvers of conformance/SPEC.md §7.3–§7.4.
package org.regpen;

/** How {@link Model#trainModel} minimizes the objective. */
public enum Solver {
    /** Cyclic coordinate descent (scikit-learn's and glmnet's algorithm), the default. */
    CD("cd"),
    /** Proximal gradient with the penalty's prox and step 1/L. */
    ISTA("ista"),
    /** Accelerated proximal gradient (Beck–Teboulle). */
    FISTA("fista");

    private final String id;

    Solver(String id) {
        this.id = id;
    }

    /** The spec's name: "cd", "ista" or "fista". */
    public String id() {
        return id;
    }

    /** The solver named {@code name}; invalid_argument for any other name. */
    public static Solver of(String name) {
        for (Solver s : values()) {
            if (s.id.equals(name)) {
                return s;
            }
        }
        throw new RegpenException(ErrorCode.INVALID_ARGUMENT,
                "solver must be one of cd, ista, fista, got " + (name == null ? "null" : "'" + name + "'"));
    }
}
