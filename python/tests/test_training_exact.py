"""The training reference's correctly rounded reductions against exact rationals, including the
magnitudes where Dekker's product is not exact and the code must take its `fractions` fallback."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from regpen import _training


def exact_dot(a: np.ndarray, b: np.ndarray) -> Fraction:
    return sum((Fraction(x) * Fraction(y) for x, y in zip(a.tolist(), b.tolist(), strict=True)), Fraction(0))


def arrays(seed: int, n: int, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)

    def one() -> np.ndarray:
        values = rng.standard_normal(n) * np.exp2(rng.integers(low, high, n))
        values[rng.random(n) < 0.1] = 0.0
        return values

    return one(), one()


BANDS = [(-4, 4), (-60, 60), (-700, -300), (300, 500), (-1070, 1000)]


@pytest.mark.parametrize("band", BANDS, ids=[f"2^{lo}..2^{hi}" for lo, hi in BANDS])
@pytest.mark.parametrize("seed", range(5))
def test_dots_are_the_exact_value_rounded_once(band: tuple[int, int], seed: int) -> None:
    a, b = arrays(seed, 37, *band)
    with np.errstate(all="ignore"):
        got = _training._columns_rounded(a[:, None], b)[0]
        rho = _training._Column(a).rho(b, 0.0, 0.0)
    expected = _training._round(exact_dot(a, b))
    assert got == expected and rho == expected
    assert _training._Sum().add(a, b).rounded() == expected
    assert _training._Sum().add(a, b).exact() == exact_dot(a, b)


@pytest.mark.parametrize("seed", range(5))
def test_rows_and_scaled_sums(seed: int) -> None:
    a, b = arrays(seed, 30, -30, 30)
    matrix = a.reshape(5, 6)
    w = b[:6]
    first = b[6:11]
    rows = _training._rows_rounded(first, matrix, w)
    for i in range(5):
        assert rows[i] == _training._round(Fraction(first[i]) - exact_dot(matrix[i], w))
    assert _training._Sum().add(a).rounded(Fraction(1, 3)) == _training._round(
        sum(map(Fraction, a.tolist()), Fraction(0)) / 3
    )


def test_an_exact_zero_is_positive_zero() -> None:
    got = _training._columns_rounded(np.array([[1.0], [-1.0]]), np.array([-0.0, -0.0]))[0]
    assert got == 0 and np.signbit(got) == np.False_
    assert np.signbit(_training._Sum().add(np.array([1.0, -1.0])).rounded()) == np.False_
