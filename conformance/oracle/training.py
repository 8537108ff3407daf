"""SPEC.md §7 (training) step by step on exact arithmetic: the only source of training vectors.

Reductions are exact sums of exact products (Fractions), rounded once by `ieee.round_exact`; every
other step is one IEEE operation from `oracle.ieee`. Read this beside SPEC.md §7. Training is binary64
only. The penalty's own prox (SPEC §3) is reused from `oracle.spec`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from oracle.ieee import BINARY64, INF, NAN, add, div, mul, round_exact, sub
from oracle.spec import Penalty, SpecError, _soft_threshold, prox

F = BINARY64
SOLVERS = ("cd", "ista", "fista")


def _rn(q: Fraction) -> float:
    return round_exact(q, F)


def exact_sum(terms: Sequence[tuple[int, tuple[float, ...]]]) -> Fraction | float:
    """Σ sign·Π factors exactly; a non-finite factor gives the IEEE special result instead.

    A term is NaN when a factor is NaN or it is 0 × ∞; infinite terms of both signs make NaN."""
    total = Fraction(0)
    infinities: set[float] = set()
    for sign, factors in terms:
        if any(math.isnan(x) for x in factors):
            return NAN
        if any(math.isinf(x) for x in factors):
            if any(x == 0 for x in factors):
                return NAN
            negative = (sign < 0) ^ (sum(1 for x in factors if x < 0) % 2 == 1)
            infinities.add(-INF if negative else INF)
            continue
        product = Fraction(sign)
        for x in factors:
            product *= Fraction(x)
        total += product
    if infinities:
        return NAN if len(infinities) == 2 else infinities.pop()
    return total


def rn_sum(terms: Sequence[tuple[int, tuple[float, ...]]], scale: Fraction = Fraction(1)) -> float:
    """RN64(scale · Σ terms): one rounding (scale > 0 is exact, e.g. 1/n)."""
    total = exact_sum(terms)
    if isinstance(total, float):
        return total
    return _rn(scale * total)


def sqrt_rn(x: float) -> float:
    """The IEEE square root, correctly rounded, from integer arithmetic (x finite and ≥ 0)."""
    if x == 0:
        return x
    q = Fraction(x)
    k = 0
    while q * Fraction(4) ** k < Fraction(2) ** 120 or (q * Fraction(4) ** k).denominator != 1:
        k += 1
    big = int(q * Fraction(4) ** k)
    s = math.isqrt(big)
    # s has at least 60 bits, so a true root strictly between s and s + 1 rounds like s + 1/2.
    root = Fraction(s) if s * s == big else Fraction(2 * s + 1, 2)
    return _rn(root / Fraction(2) ** k)


@dataclass
class Problem:
    """The validated, centred problem of SPEC §7.2 with every per-coordinate constant."""

    n: int
    p: int
    xc: list[list[float]]  # rows
    yc: list[float]
    x_mean: list[float]
    y_mean: float
    alpha: list[float]  # L1 threshold per coordinate, in the ½‖r‖² scale
    beta: list[float]  # L2 weight per coordinate, in the ½‖r‖² scale
    col_sq: list[float]
    denominator: list[float]
    tau: float  # absolute gap tolerance
    penalty: Penalty
    tol: float


@dataclass
class Fit:
    coef: list[float]
    intercept: float
    n_iter: int
    gap: float
    converged: bool
    trajectory: list[list[float]] = field(default_factory=list)


def validate(
    x: Sequence[float],
    shape: tuple[int, int],
    y: Sequence[float],
    penalty: Penalty,
    solver: str,
    max_iter: int,
    tol: float,
) -> None:
    """SPEC §7.6's checks, in order (the penalty was validated when it was built)."""
    n, p = shape
    if solver not in SOLVERS or max_iter < 1 or not (math.isfinite(tol) and tol >= 0):
        raise SpecError("invalid_argument")
    if len(x) != n * p or len(y) != n:
        raise SpecError("shape_mismatch")
    if penalty.penalty_factor is not None and len(penalty.penalty_factor) != p:
        raise SpecError("shape_mismatch")
    if n == 0 or p == 0:
        raise SpecError("empty_input")
    if not all(math.isfinite(v) for v in [*x, *y]):
        raise SpecError("non_finite_input")


def prepare(
    x: Sequence[float],
    shape: tuple[int, int],
    y: Sequence[float],
    penalty: Penalty,
    fit_intercept: bool,
    tol: float,
) -> Problem:
    n, p = shape
    rows = [list(x[i * p : (i + 1) * p]) for i in range(n)]
    inv_n = Fraction(1, n)
    if fit_intercept:
        x_mean = [rn_sum([(1, (rows[i][j],)) for i in range(n)], inv_n) for j in range(p)]
        y_mean = rn_sum([(1, (v,)) for v in y], inv_n)
        xc = [[sub(rows[i][j], x_mean[j], F) for j in range(p)] for i in range(n)]
        yc = [sub(v, y_mean, F) for v in y]
    else:
        x_mean, y_mean, xc, yc = [0.0] * p, 0.0, rows, list(y)
    col_sq = [rn_sum([(1, (xc[i][j], xc[i][j])) for i in range(n)]) for j in range(p)]
    y2 = rn_sum([(1, (v, v)) for v in yc], Fraction(2, n))
    tau = mul(tol, y2, F)
    base = Problem(n, p, xc, yc, x_mean, y_mean, [], [], col_sq, [], tau, penalty, tol)
    return prepare_constants(base, penalty)


def prepare_constants(pr: Problem, penalty: Penalty) -> Problem:
    """The per-coordinate constants of §7.2 for `penalty` on already centred data."""
    nf = float(pr.n)
    half_n = div(nf, 2.0, F)
    factors = list(penalty.penalty_factor) if penalty.penalty_factor is not None else [1.0] * pr.p
    c1, c2 = penalty.coefficient("l1"), penalty.coefficient("l2")
    alpha = [mul(mul(c1, f, F), half_n, F) for f in factors]
    beta = [mul(mul(c2, f, F), nf, F) for f in factors]
    denominator = [add(s, b, F) for s, b in zip(pr.col_sq, beta, strict=True)]
    return replace(pr, alpha=alpha, beta=beta, denominator=denominator, penalty=penalty)


def residual(pr: Problem, w: Sequence[float]) -> list[float]:
    """r_i = RN64(yc_i − Σ_j Xc_ij·w_j), each row one correctly rounded reduction."""
    return [
        rn_sum([(1, (pr.yc[i],))] + [(-1, (pr.xc[i][j], w[j])) for j in range(pr.p)]) for i in range(pr.n)
    ]


def column_dots(pr: Problem, r: Sequence[float]) -> list[float]:
    """u_j = RN64(Σ_i Xc_ij·r_i)."""
    return [rn_sum([(1, (pr.xc[i][j], r[i])) for i in range(pr.n)]) for j in range(pr.p)]


def duality_gap(pr: Problem, w: Sequence[float], r: Sequence[float], u: Sequence[float]) -> float:
    """SPEC §7.5: the Fenchel gap at w and the dual point θ = c·r, in regpen's objective scale."""
    c = 1.0
    for a, b, uj in zip(pr.alpha, pr.beta, u, strict=True):
        if b == 0 and a > 0 and abs(uj) > a:
            c = min(c, div(a, abs(uj), F))
    conj = []
    for a, b, uj in zip(pr.alpha, pr.beta, u, strict=True):
        m = sub(mul(c, abs(uj), F), a, F)
        conj.append(div(mul(m, m, F), mul(2.0, b, F), F) if b > 0 and m > 0 else 0.0)
    half = 0.5
    terms: list[tuple[int, tuple[float, ...]]] = []
    # ½(1 + c²)·Σ r² is split into ½·Σ r² + ½·c·c·Σ r² so that each term is a product of floats.
    terms += [(1, (half, ri, ri)) for ri in r]
    terms += [(1, (half, c, c, ri, ri)) for ri in r]
    terms += [(-1, (c, ri, yi)) for ri, yi in zip(r, pr.yc, strict=True)]
    terms += [(1, (a, abs(wj))) for a, wj in zip(pr.alpha, w, strict=True)]
    terms += [(1, (half, b, wj, wj)) for b, wj in zip(pr.beta, w, strict=True)]
    terms += [(1, (q,)) for q in conj]
    return rn_sum(terms, Fraction(2, pr.n))


def intercept(pr: Problem, w: Sequence[float], fit_intercept: bool) -> float:
    if not fit_intercept:
        return 0.0
    return rn_sum([(1, (pr.y_mean,))] + [(-1, (m, wj)) for m, wj in zip(pr.x_mean, w, strict=True)])


def coordinate_descent(
    pr: Problem, w: list[float], max_iter: int
) -> tuple[list[float], int, float, bool, list]:
    r = residual(pr, w)
    trajectory = []
    gap, converged, k = NAN, False, 0
    for k in range(1, max_iter + 1):
        d_w_max, w_max = 0.0, 0.0
        for j in range(pr.p):
            old = w[j]
            if pr.col_sq[j] == 0:
                new = 0.0
            else:
                terms = [(1, (pr.xc[i][j], r[i])) for i in range(pr.n)] + [(1, (pr.col_sq[j], old))]
                rho = rn_sum(terms)
                new = div(_soft_threshold(rho, pr.alpha[j], F), pr.denominator[j], F)
            delta = sub(old, new, F)
            if delta != 0 and pr.col_sq[j] != 0:
                r = [add(r[i], mul(pr.xc[i][j], delta, F), F) for i in range(pr.n)]
            w[j] = new
            d_w_max = max(d_w_max, abs(delta))
            w_max = max(w_max, abs(new))
        trajectory.append(list(w))
        if w_max == 0 or div(d_w_max, w_max, F) <= pr.tol or k == max_iter:
            gap = duality_gap(pr, w, r, column_dots(pr, r))
            if gap <= pr.tau:
                converged = True
                break
    return w, k, gap, converged, trajectory


def lipschitz_step(pr: Problem) -> float:
    """γ = fl(1 / L), L = RN64((2/n)·Σ_ij Xc_ij²) bounds the MSE gradient's Lipschitz constant."""
    big_l = rn_sum([(1, (v, v)) for row in pr.xc for v in row], Fraction(2, pr.n))
    return div(1.0, big_l, F) if big_l > 0 else 1.0


def proximal_gradient(
    pr: Problem, w: list[float], max_iter: int, accelerated: bool
) -> tuple[list[float], int, float, bool, list]:
    gamma = lipschitz_step(pr)
    nf = float(pr.n)
    v, t = list(w), 1.0
    trajectory = []
    gap, converged, k = NAN, False, 0
    for k in range(1, max_iter + 1):  # noqa: B007 - k is the iteration count returned
        u_v = column_dots(pr, residual(pr, v))
        g = [div(mul(-2.0, uj, F), nf, F) for uj in u_v]
        z = [sub(vj, mul(gamma, gj, F), F) for vj, gj in zip(v, g, strict=True)]
        w_new = prox(pr.penalty, z, gamma, F)
        if accelerated:
            t_next = div(add(1.0, sqrt_rn(add(1.0, mul(4.0, mul(t, t, F), F), F)), F), 2.0, F)
            momentum = div(sub(t, 1.0, F), t_next, F)
            v = [add(a, mul(momentum, sub(a, b, F), F), F) for a, b in zip(w_new, w, strict=True)]
            t = t_next
        else:
            v = list(w_new)
        w = w_new
        trajectory.append(list(w))
        r = residual(pr, w)
        gap = duality_gap(pr, w, r, column_dots(pr, r))
        if gap <= pr.tau:
            converged = True
            break
    return w, k, gap, converged, trajectory


def train(
    x: Sequence[float],
    shape: tuple[int, int],
    y: Sequence[float],
    penalty: Penalty,
    solver: str = "cd",
    fit_intercept: bool = True,
    max_iter: int = 1000,
    tol: float = 1e-4,
) -> Fit:
    validate(x, shape, y, penalty, solver, max_iter, tol)
    pr = prepare(x, shape, y, penalty, fit_intercept, tol)
    w = [0.0] * pr.p
    if solver == "cd":
        w, k, gap, converged, trajectory = coordinate_descent(pr, w, max_iter)
    else:
        w, k, gap, converged, trajectory = proximal_gradient(pr, w, max_iter, solver == "fista")
    return Fit(w, intercept(pr, w, fit_intercept), k, gap, converged, trajectory)


# ---------------------------------------------------------------- the path (SPEC §7.8)


def scaled(unit: Penalty, s: float) -> Penalty:
    """The family member at strength s: every parameter of P(1) times s (one rounding each)."""
    return Penalty(unit.type, {k: mul(s, v, F) for k, v in unit.params.items()}, unit.penalty_factor)


def lambda_max(pr: Problem, unit: Penalty) -> float:
    c1 = unit.coefficient("l1")
    if c1 == 0:
        raise SpecError("invalid_argument")
    factors = unit.penalty_factor if unit.penalty_factor is not None else (1.0,) * pr.p
    best = Fraction(0)
    for j, f in enumerate(factors):
        if f > 0:
            dot = exact_sum([(1, (pr.xc[i][j], pr.yc[i])) for i in range(pr.n)])
            best = max(best, 2 * abs(dot) / (pr.n * Fraction(f) * Fraction(c1)))
    top = _rn(best)
    return math.nextafter(top, INF) if Fraction(top) < best else top  # RU: w = 0 optimal at the top


def geometric_ratio(eps: float, n_strengths: int) -> float:
    """RN64(eps^(1/(K−1))): the float q whose rounding interval holds the real root, by exact powers."""
    steps = n_strengths - 1
    q = eps ** (1.0 / steps)  # a starting guess only; the loop decides exactly
    while True:
        below = (Fraction(q) + Fraction(math.nextafter(q, 0.0))) / 2
        above = (Fraction(q) + Fraction(math.nextafter(q, 2.0))) / 2
        if below**steps > Fraction(eps):
            q = math.nextafter(q, 0.0)
        elif above**steps < Fraction(eps):
            q = math.nextafter(q, 2.0)
        else:
            return q


def path(
    x: Sequence[float],
    shape: tuple[int, int],
    y: Sequence[float],
    unit: Penalty,
    strengths: Sequence[float] | None,
    n_strengths: int,
    eps: float,
    solver: str,
    fit_intercept: bool,
    max_iter: int,
    tol: float,
) -> list[tuple[float, Fit]]:
    """SPEC §7.8, checks in its order: options, the grid, the data, then lambda_max."""
    if solver not in SOLVERS or max_iter < 1 or not (math.isfinite(tol) and tol >= 0):
        raise SpecError("invalid_argument")
    if strengths is None:
        if n_strengths < 1:
            raise SpecError("invalid_argument")
        if not (math.isfinite(eps) and 0 < eps < 1):
            raise SpecError("invalid_lambda")
    elif not strengths or not all(math.isfinite(s) and s > 0 for s in strengths):
        raise SpecError("invalid_lambda")
    validate(x, shape, y, unit, solver, max_iter, tol)
    base = prepare(x, shape, y, unit, fit_intercept, tol)
    if strengths is None:
        top = lambda_max(base, unit)
        if top == 0:
            raise SpecError("invalid_lambda")
        grid = [top]
        q = geometric_ratio(eps, n_strengths) if n_strengths > 1 else 1.0
        for _ in range(n_strengths - 1):
            grid.append(mul(grid[-1], q, F))
        strengths = grid
    out = []
    w = [0.0] * base.p
    for s in strengths:
        penalty = scaled(unit, s)
        pr = prepare_constants(base, penalty)
        if solver == "cd":
            w, k, gap, converged, trajectory = coordinate_descent(pr, list(w), max_iter)
        else:
            w, k, gap, converged, trajectory = proximal_gradient(pr, list(w), max_iter, solver == "fista")
        out.append((s, Fit(list(w), intercept(pr, w, fit_intercept), k, gap, converged, trajectory)))
    return out


# ---------------------------------------------------------------- vectors (training.json)


def _problem_data(rng, n: int, p: int, constant_column: int | None = None) -> tuple[list[float], list[float]]:
    """X (row-major) with values k/8 + noise on a 2**-20 grid, y = X·w_true + noise: short binary64."""
    x = [round(rng.uniform(-2, 2) * 2**20) / 2**20 for _ in range(n * p)]
    if constant_column is not None:
        for i in range(n):
            x[i * p + constant_column] = 1.5
    w_true = [rng.choice([0.0, 0.0, 1.0, -2.0, 0.5]) for _ in range(p)]
    y = [
        round((sum(x[i * p + j] * w_true[j] for j in range(p)) + 3.0 + rng.uniform(-0.5, 0.5)) * 2**20)
        / 2**20
        for i in range(n)
    ]
    return x, y


TRAINING_NOTE = (
    "A model fit (SPEC §7): the coefficients after every iteration, the final fit, n_iter and gap."
)
PATH_NOTE = "A regularization path (SPEC §7.8): lambda_max, the geometric grid and warm-started fits."


def build_training_suite():
    import random

    from oracle import spec
    from oracle.generate import Suite, hex_list, hex_value, raw_penalty_json, run_case

    class TrainingSuite(Suite):
        def document(self) -> dict:
            document = super().document()
            document["notes"] = {**document["notes"], "training": TRAINING_NOTE, "path": PATH_NOTE}
            return document

    suite = TrainingSuite("training")

    def case(
        tests: list[dict],
        comment: str,
        x: list[float],
        shape: tuple[int, int],
        y: list[float],
        type_: str,
        params: dict[str, float],
        factor: list[float] | None = None,
        solver: str = "cd",
        fit_intercept: bool = True,
        max_iter: int = 8,
        tol: float = 1e-4,
        flags: tuple[str, ...] = (),
    ) -> None:
        test: dict[str, object] = {"id": "", "comment": comment, "flags": sorted({"training", *flags})}
        test["operation"] = "train"
        test["dtype"] = "float64"
        test["penalty"] = raw_penalty_json(type_, params, factor)
        test["args"] = {
            "x": hex_list(x, "float64"),
            "x_shape": list(shape),
            "y": hex_list(y, "float64"),
            "solver": solver,
            "fit_intercept": fit_intercept,
            "max_iter": max_iter,
            "tol": hex_value(tol, "float64"),
        }
        if factor is not None:
            test["flags"] = sorted({*test["flags"], "penalty_factor"})

        def compute() -> dict[str, object]:
            fit = train(
                x, shape, y, spec.make_penalty(type_, params, factor), solver, fit_intercept, max_iter, tol
            )
            return {
                "trajectory": [hex_list(w, "float64") for w in fit.trajectory],
                "coef": hex_list(fit.coef, "float64"),
                "intercept": hex_value(fit.intercept, "float64"),
                "n_iter": fit.n_iter,
                "gap": hex_value(fit.gap, "float64"),
                "converged": fit.converged,
            }

        key, result = run_case(compute)
        test[key] = result
        if key == "expected_error":
            test["flags"] = sorted({*test["flags"], "invalid"})
        tests.append(test)

    penalties = [
        ("l1", {"lam": 0.25}, None),
        ("l2", {"lam": 0.5}, None),
        ("elastic_net", {"l1": 0.2, "l2": 0.1}, None),
        ("elastic_net", {"l1": 0.3, "l2": 0.05}, [1.0, 0.0, 2.0, 0.5]),
    ]
    for solver in SOLVERS:
        rng = random.Random(f"training/{solver}")
        tests = suite.group(solver, f"Solver {solver}: every penalty, with and without an intercept.")
        for type_, params, factor in penalties:
            for fit_intercept in (True, False):
                x, y = _problem_data(rng, 7, 4)
                label = f"{type_} {params}" + (" with factors" if factor else "")
                case(
                    tests,
                    f"{label}, intercept {fit_intercept}",
                    x,
                    (7, 4),
                    y,
                    type_,
                    params,
                    factor,
                    solver,
                    fit_intercept,
                    max_iter=6 if solver == "cd" else 5,
                )

    rng = random.Random("training/shapes")
    tests = suite.group(
        "shapes", "Allowed corner cases: a constant column, p > n, one sample, lam = 0, lam past lambda_max."
    )
    x, y = _problem_data(rng, 6, 3, constant_column=1)
    case(
        tests,
        "a constant column gets coefficient 0 (its centred column is zero)",
        x,
        (6, 3),
        y,
        "l1",
        {"lam": 0.1},
    )
    x, y = _problem_data(rng, 3, 6)
    case(tests, "p > n, lasso", x, (3, 6), y, "l1", {"lam": 0.05}, max_iter=10)
    case(
        tests,
        "p > n, fista",
        x,
        (3, 6),
        y,
        "elastic_net",
        {"l1": 0.05, "l2": 0.01},
        solver="fista",
        max_iter=6,
    )
    x, y = _problem_data(rng, 1, 2)
    case(tests, "one sample with an intercept: everything centred to zero", x, (1, 2), y, "l1", {"lam": 0.1})
    x, y = _problem_data(rng, 5, 2)
    case(
        tests,
        "lam = 0 (least squares), tol = 0: stops only when the gap is <= 0",
        x,
        (5, 2),
        y,
        "l1",
        {"lam": 0.0},
        tol=0.0,
    )
    case(tests, "lam beyond lambda_max: all zero, converged at once", x, (5, 2), y, "l1", {"lam": 1e3})
    case(
        tests,
        "tol = 0 never converges: a full trajectory",
        x,
        (5, 2),
        y,
        "l2",
        {"lam": 0.1},
        solver="ista",
        tol=0.0,
    )

    tests = suite.group("invalid", "Bad input, in SPEC §7.6's check order.")
    x, y = _problem_data(rng, 4, 2)
    nan_x = list(x)
    nan_x[3] = math.nan
    inf_y = list(y)
    inf_y[0] = -math.inf
    case(tests, "NaN in X", nan_x, (4, 2), y, "l1", {"lam": 0.1})
    case(tests, "-inf in y", x, (4, 2), inf_y, "l1", {"lam": 0.1})
    case(tests, "y has one sample too many", x, (4, 2), [*y, 1.0], "l1", {"lam": 0.1})
    case(tests, "three penalty factors for two features", x, (4, 2), y, "l1", {"lam": 0.1}, [1.0, 1.0, 1.0])
    case(tests, "no samples", [], (0, 2), [], "l1", {"lam": 0.1})
    case(tests, "no features", [], (4, 0), y, "l1", {"lam": 0.1})
    case(tests, "unknown solver", x, (4, 2), y, "l1", {"lam": 0.1}, solver="newton")
    case(tests, "max_iter = 0", x, (4, 2), y, "l1", {"lam": 0.1}, max_iter=0)
    case(tests, "negative tol", x, (4, 2), y, "l1", {"lam": 0.1}, tol=-1e-4)
    case(tests, "a negative lambda is rejected when the penalty is built", x, (4, 2), y, "l1", {"lam": -0.1})
    case(
        tests,
        "NaN in X with an unknown solver: the option is checked first",
        nan_x,
        (4, 2),
        y,
        "l1",
        {"lam": 0.1},
        solver="newton",
    )

    def path_case(
        tests: list[dict],
        comment: str,
        x: list[float],
        shape: tuple[int, int],
        y: list[float],
        type_: str,
        params: dict[str, float],
        factor: list[float] | None = None,
        strengths: list[float] | None = None,
        n_strengths: int = 5,
        eps: float = 0.05,
        solver: str = "cd",
        fit_intercept: bool = True,
        max_iter: int = 10,
        tol: float = 1e-4,
    ) -> None:
        test: dict[str, object] = {"id": "", "comment": comment, "flags": ["path", "training"]}
        test["operation"] = "path"
        test["dtype"] = "float64"
        test["penalty"] = raw_penalty_json(type_, params, factor)
        grid: dict[str, object] = (
            {"n_strengths": n_strengths, "eps": hex_value(eps, "float64")}
            if strengths is None
            else {"strengths": hex_list(strengths, "float64")}
        )
        test["args"] = {
            "x": hex_list(x, "float64"),
            "x_shape": list(shape),
            "y": hex_list(y, "float64"),
            **grid,
            "solver": solver,
            "fit_intercept": fit_intercept,
            "max_iter": max_iter,
            "tol": hex_value(tol, "float64"),
        }
        if factor is not None:
            test["flags"] = sorted({*test["flags"], "penalty_factor"})

        def compute() -> dict[str, object]:
            unit = spec.make_penalty(type_, params, factor)
            points = path(
                x, shape, y, unit, strengths, n_strengths, eps, solver, fit_intercept, max_iter, tol
            )
            return {
                "strengths": hex_list([s for s, _ in points], "float64"),
                "coefs": [hex_list(fit.coef, "float64") for _, fit in points],
                "intercepts": hex_list([fit.intercept for _, fit in points], "float64"),
                "n_iters": [fit.n_iter for _, fit in points],
                "gaps": hex_list([fit.gap for _, fit in points], "float64"),
            }

        key, result = run_case(compute)
        test[key] = result
        if key == "expected_error":
            test["flags"] = sorted({*test["flags"], "invalid"})
        tests.append(test)

    rng = random.Random("training/path")
    tests = suite.group(
        "path",
        "Regularization paths: the family P(s) scales every parameter of the penalty given (P(1)) by s.",
    )
    x, y = _problem_data(rng, 8, 4)
    path_case(
        tests,
        "lasso, default grid from lambda_max (rounded up: all zero first)",
        x,
        (8, 4),
        y,
        "l1",
        {"lam": 1.0},
    )
    path_case(
        tests,
        "elastic net with a factor 0, no intercept, fista, warm starts",
        x,
        (8, 4),
        y,
        "elastic_net",
        {"l1": 0.5, "l2": 0.25},
        [1.0, 0.0, 2.0, 1.0],
        n_strengths=3,
        eps=0.1,
        solver="fista",
        fit_intercept=False,
        max_iter=4,
    )
    path_case(
        tests,
        "ridge on given strengths, ista",
        x,
        (8, 4),
        y,
        "l2",
        {"lam": 1.0},
        strengths=[1.0, 0.25],
        solver="ista",
        max_iter=3,
    )
    path_case(
        tests, "one point: the grid is lambda_max alone", x, (8, 4), y, "l1", {"lam": 2.0}, n_strengths=1
    )
    path_case(tests, "a zero strength in the grid", x, (8, 4), y, "l1", {"lam": 1.0}, strengths=[1.0, 0.0])
    path_case(tests, "eps = 1", x, (8, 4), y, "l1", {"lam": 1.0}, eps=1.0)
    path_case(tests, "n_strengths = 0", x, (8, 4), y, "l1", {"lam": 1.0}, n_strengths=0)
    path_case(tests, "ridge has no lambda_max: strengths are needed", x, (8, 4), y, "l2", {"lam": 1.0})
    path_case(
        tests, "constant y with an intercept: lambda_max is 0", x, (8, 4), [2.5] * 8, "l1", {"lam": 1.0}
    )
    return suite
