// The one exception regpen throws for bad input; it carries the spec's error code.
package org.regpen;

import java.util.Objects;

/**
 * Thrown when an input breaks a rule of the spec. It is unchecked and an
 * {@link IllegalArgumentException}, because every case is a caller's mistake.
 */
public final class RegpenException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public RegpenException(ErrorCode code, String message) {
        super("[" + Objects.requireNonNull(code).id() + "] " + message);
        this.code = code;
    }

    public RegpenException(ErrorCode code, String message, Throwable cause) {
        this(code, message);
        initCause(cause);
    }

    /** The spec's error code; {@code code().id()} is the string shared by all languages. */
    public ErrorCode code() {
        return code;
    }
}
