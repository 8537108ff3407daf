"""regpen's errors: one class per spec error code (conformance/SPEC.md §4), each carrying `.code`."""

from __future__ import annotations

from typing import NoReturn


class RegpenError(Exception):
    """Base of every regpen error; `code` is the spec's error code shared by all languages."""

    code: str = ""

    def __init__(self, message: str = "") -> None:
        super().__init__(f"[{self.code}] {message}" if message else f"[{self.code}]")


class InvalidLambdaError(RegpenError, ValueError):
    code = "invalid_lambda"


class InvalidStepError(RegpenError, ValueError):
    code = "invalid_step"


class ShapeMismatchError(RegpenError, ValueError):
    code = "shape_mismatch"


class EmptyInputError(RegpenError, ValueError):
    code = "empty_input"


class InvalidDtypeError(RegpenError, TypeError):
    code = "invalid_dtype"


class InvalidPenaltyFactorError(RegpenError, ValueError):
    code = "invalid_penalty_factor"


class InvalidConfigError(RegpenError, ValueError):
    code = "invalid_config"


class InvalidArgumentError(RegpenError, ValueError):
    code = "invalid_argument"


class NonFiniteInputError(RegpenError, ValueError):
    """Training data (X or y) containing NaN or ±inf (SPEC §7.6)."""

    code = "non_finite_input"


ERRORS_BY_CODE: dict[str, type[RegpenError]] = {
    cls.code: cls
    for cls in (
        InvalidLambdaError,
        InvalidStepError,
        ShapeMismatchError,
        EmptyInputError,
        InvalidDtypeError,
        InvalidPenaltyFactorError,
        InvalidConfigError,
        InvalidArgumentError,
        NonFiniteInputError,
    )
}


def raise_for_code(code: str, message: str = "") -> NoReturn:
    """Raise the Python exception for a spec error code (used by the native bindings)."""
    raise ERRORS_BY_CODE[code](message)
