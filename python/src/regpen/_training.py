"""Training numerics of conformance/SPEC.md §7: the readable binary64 reference of the solvers.

Every reduction is correctly rounded: each product is split exactly into two binary64 numbers
(Dekker's error-free product, below), and `math.fsum` rounds their exact total once. When
an exact value is needed rather than its rounding (means divided by n, the duality gap), the exact
total is recovered as a short expansion of fsum results. Inputs outside the range where Dekker's
product is exact, or non-finite values, take a `fractions` fallback. Every other step is one IEEE
operation on Python floats or numpy arrays (never fused), in the order SPEC §7 states. An exact
zero rounds to +0 (fsum returns −0 when every term is −0, hence the `+ 0.0` after each fsum).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from regpen._exact import _two_product
from regpen.errors import EmptyInputError, InvalidArgumentError, NonFiniteInputError, ShapeMismatchError
from regpen.penalties import L1, L2, ElasticNet, Penalty

try:  # the native solvers (native/src/train.cc): the same bits, as fast as scikit-learn's
    from regpen import _native as _native_ext
except ImportError:  # pragma: no cover - a build without the extension
    _native_ext = None

SOLVERS = ("cd", "ista", "fista")

# The fits use the native solvers when the extension is built; tests set this to False to run
# this module's reference solvers instead.
use_native: bool = _native_ext is not None


def native_eligible(penalty: Penalty) -> bool:
    """True when the native solvers can fit this penalty (regpen's own classes: their prox is the C one)."""
    return use_native and type(penalty) in (L1, L2, ElasticNet)


# ---------------------------------------------------------------- exact sums

# Dekker's product is exact while no partial product overflows or underflows: nonzero factors in
# [2**-250, 2**250] keep a product of two far from both ends of binary64 (the same Dekker product as
# the penalty sums use, from regpen._exact).
_SAFE_MIN = 2.0**-250
_SAFE_MAX = 2.0**250
_SPLITTER = 2.0**27 + 1.0  # Veltkamp's constant for binary64


def _in_safe_range(*arrays: np.ndarray) -> bool:
    for a in arrays:
        magnitude = np.abs(a[a != 0])
        if magnitude.size and (magnitude.min() < _SAFE_MIN or magnitude.max() > _SAFE_MAX):
            return False
    return True


def _fraction_terms(arrays: Sequence[np.ndarray], sign: int) -> Fraction | float:
    """Σ sign·Π arrays[k][i] exactly, with SPEC §7.1's special values for non-finite factors."""
    total = Fraction(0)
    infinities: set[float] = set()
    for factors in zip(*(a.tolist() for a in arrays), strict=True):
        if any(math.isnan(x) for x in factors):
            return math.nan
        if any(math.isinf(x) for x in factors):
            if any(x == 0 for x in factors):
                return math.nan
            negative = (sign < 0) ^ (sum(1 for x in factors if x < 0) % 2 == 1)
            infinities.add(-math.inf if negative else math.inf)
            continue
        product = Fraction(sign)
        for x in factors:
            product *= Fraction(x)
        total += product
    if infinities:
        return math.nan if len(infinities) == 2 else infinities.pop()
    return total


def _expand(arrays: Sequence[np.ndarray]) -> list[np.ndarray] | None:
    """Binary64 arrays whose elementwise sum is exactly Π arrays, or None outside the safe range.

    Each factor lies in [2**-250, 2**250] (or is 0), and a chain of k products must keep its
    smallest error term (about 2**-53 per product below the smallest product) above the subnormals
    and its largest product below 2**996, where Veltkamp's split stops being exact."""
    if not _in_safe_range(*arrays) or not all(np.isfinite(a).all() for a in arrays):
        return None
    if len(arrays) > 2:
        low = high = 0.0
        for a in arrays:
            magnitude = np.abs(a[a != 0])
            if magnitude.size == 0:
                return [np.zeros_like(arrays[0])]
            low += math.log2(float(magnitude.min()))
            high += math.log2(float(magnitude.max()))
        if low - 53 * len(arrays) < -960 or high > 900:
            return None
    parts = [arrays[0]]
    for factor in arrays[1:]:
        parts = [piece for part in parts for piece in _two_product(part, factor)]
    return parts


def _exact_total(values: list[float]) -> Fraction:
    """The exact sum of finite binary64 values as successive correctly rounded remainders."""
    total = Fraction(0)
    remaining = list(values)
    while True:
        head = math.fsum(remaining)
        if head == 0:
            return total
        total += Fraction(head)
        remaining.append(-head)


class _Sum:
    """Accumulates signed products of binary64 arrays; `exact()` or `rounded(scale)` at the end."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fractions: list[Fraction | float] = []

    def add(self, *arrays: np.ndarray | float, sign: int = 1) -> _Sum:
        columns = [np.atleast_1d(np.asarray(a, dtype=np.float64)).ravel() for a in arrays]
        size = max(c.size for c in columns)
        columns = [np.broadcast_to(c, (size,)) for c in columns]
        parts = _expand(columns)
        if parts is None:
            self.fractions.append(_fraction_terms(columns, sign))
        else:
            for part in parts:
                self.values.extend((part if sign > 0 else -part).tolist())
        return self

    def exact(self) -> Fraction | float:
        special = [f for f in self.fractions if isinstance(f, float)]
        if special:
            if any(math.isnan(s) for s in special) or len(set(special)) == 2:
                return math.nan
            return special[0]
        try:
            head = _exact_total(self.values)
        except (OverflowError, ValueError):
            head = sum(map(Fraction, self.values), Fraction(0))
        return head + sum(self.fractions, Fraction(0))  # type: ignore[arg-type]

    def rounded(self, scale: Fraction = Fraction(1)) -> float:
        if not self.fractions and scale == 1:
            try:
                return math.fsum(self.values) + 0.0  # correctly rounded; + 0.0 turns −0 into +0
            except (OverflowError, ValueError):
                pass
        total = self.exact()
        if isinstance(total, float):
            return total if not math.isnan(total) else math.nan
        return _round(total * scale)


def _round(q: Fraction) -> float:
    """RN64 of an exact rational (CPython divides integers with correct rounding)."""
    try:
        return float(q)
    except OverflowError:
        return math.inf if q > 0 else -math.inf


def _rows_rounded(first: np.ndarray, matrix: np.ndarray, w: np.ndarray) -> np.ndarray:
    """RN64(first_i − Σ_j matrix_ij·w_j) for every row i."""
    parts = _expand([matrix, np.broadcast_to(w, matrix.shape)])
    if parts is None:
        return np.array(
            [_Sum().add(first[i]).add(matrix[i], w, sign=-1).rounded() for i in range(len(first))]
        )
    table = np.concatenate([first[:, None], -parts[0], -parts[1]], axis=1).tolist()
    out = np.empty(len(first))
    for i, row in enumerate(table):
        try:
            out[i] = math.fsum(row) + 0.0
        except (OverflowError, ValueError):
            out[i] = _Sum().add(first[i]).add(matrix[i], w, sign=-1).rounded()
    return out


def _columns_rounded(matrix: np.ndarray, other: np.ndarray) -> np.ndarray:
    """RN64(Σ_i matrix_ij·other_ij) for every column j; `other` is a matrix or a column vector r."""
    other = np.broadcast_to(other[:, None] if other.ndim == 1 else other, matrix.shape)
    parts = _expand([matrix, other])
    if parts is None:
        return np.array([_Sum().add(matrix[:, j], other[:, j]).rounded() for j in range(matrix.shape[1])])
    table = np.concatenate(parts, axis=0).T.tolist()
    out = np.empty(matrix.shape[1])
    for j, column in enumerate(table):
        try:
            out[j] = math.fsum(column) + 0.0
        except (OverflowError, ValueError):
            out[j] = _Sum().add(matrix[:, j], other[:, j]).rounded()
    return out


# ---------------------------------------------------------------- the problem (SPEC §7.2)


def validate(x: np.ndarray, y: np.ndarray, penalty: Penalty, solver: str, max_iter: int, tol: float) -> None:
    """SPEC §7.6's checks after the dtypes, in order."""
    validate_options(solver, max_iter, tol)
    validate_data(x, y, penalty)


def validate_options(solver: str, max_iter: int, tol: float) -> None:
    if solver not in SOLVERS:
        raise InvalidArgumentError(f"solver must be one of {SOLVERS}, got {solver!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise InvalidArgumentError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    if not (isinstance(tol, (int, float, np.floating)) and math.isfinite(tol) and tol >= 0):
        raise InvalidArgumentError(f"tol must be finite and >= 0, got {tol!r}")


def validate_data(x: np.ndarray, y: np.ndarray, penalty: Penalty) -> None:
    if x.ndim != 2 or y.ndim != 1 or x.shape[0] != y.shape[0]:
        raise ShapeMismatchError(
            f"X must be (n, p) and y (n,) with the same n, got X {x.shape} and y {y.shape}"
        )
    factor = penalty.penalty_factor
    if factor is not None and factor.size != x.shape[1]:
        raise ShapeMismatchError(f"penalty_factor has {factor.size} entries for {x.shape[1]} features")
    if x.shape[0] == 0:
        raise EmptyInputError(f"X has 0 sample(s) (shape={x.shape}) while a minimum of 1 is required")
    if x.shape[1] == 0:
        raise EmptyInputError(f"X has 0 feature(s) (shape={x.shape}) while a minimum of 1 is required.")
    for name, a in (("X", x), ("y", y)):
        bad = ~np.isfinite(a)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise NonFiniteInputError(
                f"{name} contains NaN or inf ({a[where]!r} at index {where}); training needs finite data"
            )


def _coefficients(penalty: Penalty) -> tuple[float, float]:
    config = penalty.get_config()
    if penalty.kind == "l1":
        return float(config["lam"]), 0.0
    if penalty.kind == "l2":
        return 0.0, float(config["lam"])
    return float(config["l1"]), float(config["l2"])


@dataclass
class Problem:
    """The centred problem and its per-coordinate constants (SPEC §7.2)."""

    xc: np.ndarray
    yc: np.ndarray
    x_mean: np.ndarray
    y_mean: float
    alpha: np.ndarray
    beta: np.ndarray
    col_sq: np.ndarray
    denominator: np.ndarray
    tau: float
    tol: float
    penalty: Penalty
    columns: np.ndarray = field(init=False)  # Xc transposed, contiguous: one coordinate per row

    def __post_init__(self) -> None:
        self.columns = np.ascontiguousarray(self.xc.T)

    @property
    def n(self) -> int:
        return self.xc.shape[0]


def prepare(x: np.ndarray, y: np.ndarray, penalty: Penalty, fit_intercept: bool, tol: float) -> Problem:
    n, p = x.shape
    if fit_intercept:
        x_mean = np.array([_Sum().add(x[:, j]).rounded(Fraction(1, n)) for j in range(p)])
        y_mean = _Sum().add(y).rounded(Fraction(1, n))
        xc, yc = x - x_mean, y - y_mean
    else:
        x_mean, y_mean, xc, yc = np.zeros(p), 0.0, x.copy(), y.copy()
    col_sq = _columns_rounded(xc, xc)
    y2 = _Sum().add(yc, yc).rounded(Fraction(2, n))
    empty = np.zeros(p)
    problem = Problem(xc, yc, x_mean, y_mean, empty, empty, col_sq, col_sq, tol * y2, float(tol), penalty)
    return retarget(problem, penalty)


def retarget(pr: Problem, penalty: Penalty) -> Problem:
    """The same centred data with another penalty's per-coordinate constants (a path's next point)."""
    nf = float(pr.n)
    factors = penalty.penalty_factor if penalty.penalty_factor is not None else np.ones(pr.xc.shape[1])
    factors = np.asarray(factors, dtype=np.float64)
    c1, c2 = _coefficients(penalty)
    alpha = (c1 * factors) * (nf / 2.0)
    beta = (c2 * factors) * nf
    out = copy.copy(pr)
    out.alpha, out.beta, out.denominator, out.penalty = alpha, beta, pr.col_sq + beta, penalty
    return out


def residual(pr: Problem, w: np.ndarray) -> np.ndarray:
    return _rows_rounded(pr.yc, pr.xc, w)


def column_dots(pr: Problem, r: np.ndarray) -> np.ndarray:
    return _columns_rounded(pr.xc, r)


def duality_gap(pr: Problem, w: np.ndarray, r: np.ndarray, u: np.ndarray) -> float:
    """SPEC §7.5: the Fenchel gap at w and θ = c·r, scaled to regpen's objective (×2/n)."""
    c = 1.0
    for a, b, uj in zip(pr.alpha.tolist(), pr.beta.tolist(), u.tolist(), strict=True):
        if b == 0 and a > 0 and abs(uj) > a:
            c = min(c, a / abs(uj))
    m = c * np.abs(u) - pr.alpha
    with np.errstate(invalid="ignore", divide="ignore"):
        conj = np.where((pr.beta > 0) & (m > 0), (m * m) / (2.0 * pr.beta), 0.0)
    total = _Sum()
    total.add(0.5, r, r).add(0.5, c, c, r, r).add(c, r, pr.yc, sign=-1)
    total.add(pr.alpha, np.abs(w)).add(0.5, pr.beta, w, w).add(conj)
    return total.rounded(Fraction(2, pr.n))


def intercept(pr: Problem, w: np.ndarray, fit_intercept: bool) -> float:
    if not fit_intercept:
        return 0.0
    return _Sum().add(pr.y_mean).add(pr.x_mean, w, sign=-1).rounded()


# ---------------------------------------------------------------- solvers (SPEC §7.3, §7.4)


@dataclass
class Fit:
    coef: np.ndarray
    intercept: float
    n_iter: int
    gap: float
    converged: bool
    tau: float
    trajectory: list[np.ndarray]


def _soft_threshold(x: float, t: float) -> float:
    d = abs(x) - t
    if math.isnan(d):
        return math.nan
    return math.copysign(d, x) if d > 0 else math.copysign(0.0, x)


def coordinate_descent(
    pr: Problem, w: np.ndarray, max_iter: int, record: bool
) -> tuple[np.ndarray, int, float, bool, list[np.ndarray]]:
    r = residual(pr, w)
    trajectory: list[np.ndarray] = []
    gap, converged, k = math.nan, False, 0
    col_sq, alpha, denominator = pr.col_sq.tolist(), pr.alpha.tolist(), pr.denominator.tolist()
    columns = [_Column(c) for c in pr.columns]
    for k in range(1, max_iter + 1):
        d_w_max, w_max = 0.0, 0.0
        for j in range(w.size):
            old = float(w[j])
            if col_sq[j] == 0:
                new = 0.0
            else:
                rho = columns[j].rho(r, col_sq[j], old)
                new = _soft_threshold(rho, alpha[j]) / denominator[j]
            delta = old - new
            if delta != 0 and col_sq[j] != 0:
                r = r + pr.columns[j] * delta
            w[j] = new
            d_w_max = max(d_w_max, abs(delta))
            w_max = max(w_max, abs(new))
        if record:
            trajectory.append(w.copy())
        if w_max == 0 or d_w_max / w_max <= pr.tol or k == max_iter:
            gap = duality_gap(pr, w, r, column_dots(pr, r))
            if gap <= pr.tau:
                converged = True
                break
    return w, k, gap, converged, trajectory


def _split(a: float) -> tuple[float, float]:
    c = _SPLITTER * a
    high = c - (c - a)
    return high, a - high


class _Column:
    """One column of Xc with its Veltkamp split precomputed: the coordinate update's dot product."""

    def __init__(self, column: np.ndarray) -> None:
        self.column = column
        self.safe = _in_safe_range(column)
        c = _SPLITTER * column
        self.high = c - (c - column)
        self.low = column - self.high
        self.nonzero = column != 0

    def rho(self, r: np.ndarray, s: float, old: float) -> float:
        """RN64(Σ_i Xc_ij·r_i + s_j·w_j), Dekker's products summed by fsum (SPEC §7.3)."""
        s_product = s * old
        if self.safe and (old == 0 or 2.0**-500 <= abs(s_product) <= 2.0**500) and s <= 2.0**250:
            c = _SPLITTER * r
            r_high = c - (c - r)
            r_low = r - r_high
            product = self.column * r
            error = (
                (self.high * r_high - product) + self.high * r_low + self.low * r_high
            ) + self.low * r_low
            magnitude = np.abs(product)
            # Exact while no product nears overflow and no nonzero product nears the subnormals.
            tiny = (magnitude < 2.0**-500) & (r != 0) & self.nonzero
            if magnitude.max(initial=0.0) <= 2.0**500 and not tiny.any():
                s_high, s_low = _split(s)
                o_high, o_low = _split(old)
                s_error = ((s_high * o_high - s_product) + s_high * o_low + s_low * o_high) + s_low * o_low
                try:
                    return math.fsum([*product.tolist(), *error.tolist(), s_product, s_error]) + 0.0
                except (OverflowError, ValueError):
                    pass
        return _Sum().add(self.column, r).add(s, old).rounded()


def lipschitz_step(pr: Problem) -> float:
    big_l = _Sum().add(pr.xc, pr.xc).rounded(Fraction(2, pr.n))
    return 1.0 / big_l if big_l > 0 else 1.0


def proximal_gradient(
    pr: Problem, w: np.ndarray, max_iter: int, accelerated: bool, record: bool
) -> tuple[np.ndarray, int, float, bool, list[np.ndarray]]:
    gamma = lipschitz_step(pr)
    nf = float(pr.n)
    v, t = w.copy(), 1.0
    trajectory: list[np.ndarray] = []
    gap, converged, k = math.nan, False, 0
    for k in range(1, max_iter + 1):  # noqa: B007 - k is the iteration count returned
        g = (-2.0 * column_dots(pr, residual(pr, v))) / nf
        z = v - gamma * g
        w_new = np.asarray(pr.penalty.prox(z, gamma), dtype=np.float64)
        if accelerated:
            t_next = (1.0 + math.sqrt(1.0 + 4.0 * (t * t))) / 2.0
            momentum = (t - 1.0) / t_next
            v = w_new + momentum * (w_new - w)
            t = t_next
        else:
            v = w_new.copy()
        w = w_new
        if record:
            trajectory.append(w.copy())
        r = residual(pr, w)
        gap = duality_gap(pr, w, r, column_dots(pr, r))
        if gap <= pr.tau:
            converged = True
            break
    return w, k, gap, converged, trajectory


def train(
    x: np.ndarray,
    y: np.ndarray,
    penalty: Penalty,
    *,
    solver: str = "cd",
    fit_intercept: bool = True,
    max_iter: int = 1000,
    tol: float = 1e-4,
    coef_init: np.ndarray | None = None,
    record: bool = False,
    problem: Problem | None = None,
) -> Fit:
    """Fit binary64 X (n, p) and y (n,) as SPEC §7 defines; `problem` reuses a path's centring."""
    validate(x, y, penalty, solver, max_iter, tol)
    if native_eligible(penalty):  # recentres rather than reusing `problem`: the same values
        coef, b, k, gap, converged, tau, path = _native_ext._fit(  # type: ignore[union-attr]
            penalty.kind,
            penalty.l1,
            penalty.l2,
            penalty.penalty_factor,
            x,
            y,
            solver,
            fit_intercept,
            int(max_iter),
            float(tol),
            coef_init,
            record,
        )
        return Fit(coef, b, k, gap, converged, tau, list(path) if path is not None else [])
    pr = problem or prepare(x, y, penalty, fit_intercept, tol)
    w = np.zeros(x.shape[1]) if coef_init is None else np.array(coef_init, dtype=np.float64)
    if solver == "cd":
        w, k, gap, converged, trajectory = coordinate_descent(pr, w, max_iter, record)
    else:
        w, k, gap, converged, trajectory = proximal_gradient(pr, w, max_iter, solver == "fista", record)
    return Fit(w, intercept(pr, w, fit_intercept), k, gap, converged, pr.tau, trajectory)
