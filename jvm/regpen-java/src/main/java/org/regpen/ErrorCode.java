// The error codes of conformance/SPEC.md §4, shared by every regpen language.
package org.regpen;

/** One spec error code; {@link #id()} is the string every backend reports for it. */
public enum ErrorCode {
    INVALID_LAMBDA("invalid_lambda", 1),
    INVALID_STEP("invalid_step", 2),
    SHAPE_MISMATCH("shape_mismatch", 3),
    EMPTY_INPUT("empty_input", 4),
    INVALID_DTYPE("invalid_dtype", 5),
    INVALID_PENALTY_FACTOR("invalid_penalty_factor", 6),
    INVALID_CONFIG("invalid_config", 7),
    INVALID_ARGUMENT("invalid_argument", 8),
    NON_FINITE_INPUT("non_finite_input", 9);

    private final String id;
    private final int status;

    ErrorCode(String id, int status) {
        this.id = id;
        this.status = status;
    }

    /** The spec's name of this code, e.g. {@code "invalid_lambda"}. */
    public String id() {
        return id;
    }

    /** The C ABI's status number for this code. */
    public int status() {
        return status;
    }
}
