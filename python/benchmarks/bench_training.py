"""Times regpen's training (SPEC §7) against scikit-learn's on the same data in the same run.

    python python/benchmarks/bench_training.py [--out reports/bench-training.md] [--quick]

For each problem it fits both libraries to the same tolerance (scikit-learn's `tol` and regpen's
`tol` are the same relative duality-gap rule), then reports both times, their ratio, the relative
difference of the objectives and whether the supports agree. regpen's fits run on the native solvers
(native/src/train.cc: the same bits as the reference) when the extension is built; `--reference`
times the pure-Python reference solvers instead (two to three orders of magnitude slower).
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, lasso_path

import regpen
from regpen import _training
from regpen.model import PenalizedRegression, regularization_path


def best_time(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def repeats() -> int:
    """Best of 7 for the native solvers (milliseconds, noisy on a shared machine); one reference run."""
    return 7 if _training.use_native else 1


def objective(x: np.ndarray, y: np.ndarray, coef: np.ndarray, b: float, alpha: float, ratio: float) -> float:
    r = y - x @ coef - b
    return r @ r / (2 * len(y)) + alpha * ratio * np.abs(coef).sum() + alpha * (1 - ratio) / 2 * coef @ coef


def sparse_problem(n: int, p: int, seed: int = 10) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    truth = np.zeros(p)
    truth[rng.choice(p, 20, replace=False)] = rng.choice([-3.0, -1.0, 1.0, 2.0], 20)
    return x, x @ truth + 2.0 + rng.standard_normal(n)


def fit_row(name: str, x: np.ndarray, y: np.ndarray, alpha: float, ratio: float, tol: float) -> list[str]:
    model = Lasso(alpha=alpha) if ratio == 1 else ElasticNet(alpha=alpha, l1_ratio=ratio)
    model.set_params(tol=tol, max_iter=100_000)
    t_sk, sk = best_time(lambda: model.fit(x, y), 7)
    ours = PenalizedRegression(regpen.from_sklearn(alpha, ratio), tol=tol, max_iter=100_000)
    t_rp, rp = best_time(lambda: ours.fit(x, y), repeats())
    f_sk = objective(x, y, sk.coef_, sk.intercept_, alpha, ratio)
    f_rp = objective(x, y, rp.coef_, rp.intercept_, alpha, ratio)
    same = np.array_equal(sk.coef_ != 0, rp.coef_ != 0)
    kind = "Lasso" if ratio == 1 else f"ElasticNet(l1_ratio={ratio})"
    return [
        f"{name} {kind} alpha={alpha:.4g}",
        f"{t_sk * 1e3:.2f}",
        f"{t_rp * 1e3:.2f}",
        f"{t_rp / t_sk:.2f}x",
        f"{(f_rp - f_sk) / f_sk:.1e}",
        "yes" if same else "NO",
        f"{sk.n_iter_} / {rp.n_iter_}",
    ]


def path_row(name: str, x: np.ndarray, y: np.ndarray, points: int, eps: float, tol: float) -> list[str]:
    xc, yc = x - x.mean(0), y - y.mean()
    family = lambda s: regpen.from_sklearn(s, 1.0)  # noqa: E731
    t_rp, ours = best_time(
        lambda: regularization_path(x, y, family, n_strengths=points, eps=eps, tol=tol, max_iter=100_000),
        repeats(),
    )
    alphas = ours.strengths  # type: ignore[attr-defined]
    t_sk, (_, coefs, _) = best_time(lambda: lasso_path(xc, yc, alphas=alphas, tol=tol, max_iter=100_000), 7)
    worst, same = 0.0, True
    for k, alpha in enumerate(alphas):
        f_sk = objective(xc, yc, coefs[:, k], 0.0, alpha, 1.0)
        f_rp = objective(xc, yc, ours.coefs[k], 0.0, alpha, 1.0)  # type: ignore[attr-defined]
        worst = max(worst, abs(f_rp - f_sk) / f_sk)
        same &= bool(np.array_equal(coefs[:, k] != 0, ours.coefs[k] != 0))  # type: ignore[attr-defined]
    return [
        f"{name} lasso_path {points} points, eps {eps:g}",
        f"{t_sk * 1e3:.2f}",
        f"{t_rp * 1e3:.2f}",
        f"{t_rp / t_sk:.2f}x",
        f"max {worst:.1e}",
        "yes" if same else "NO",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    parser.add_argument("--quick", action="store_true", help="smaller paths (20 points, eps 1e-2)")
    parser.add_argument(
        "--tol", type=float, default=1e-4, help="relative duality-gap tolerance (default 1e-4)"
    )
    parser.add_argument("--reference", action="store_true", help="time the pure-Python reference solvers")
    options = parser.parse_args(argv)
    if options.reference:
        _training.use_native = False
    warnings.simplefilter("ignore")
    x, y = load_diabetes(return_X_y=True)
    tall, wide = sparse_problem(1000, 200), sparse_problem(200, 1000)
    points, eps = (20, 1e-2) if options.quick else (100, 1e-3)
    rows = [
        fit_row("diabetes", x, y, 0.1, 1.0, options.tol),
        fit_row("diabetes", x, y, 1.0, 1.0, options.tol),
        fit_row("diabetes", x, y, 0.01, 0.5, options.tol),
        fit_row("gaussian 1000x200", *tall, 0.1, 1.0, options.tol),
        fit_row("gaussian 200x1000", *wide, 0.1, 1.0, options.tol),
        path_row("diabetes", x, y, points, eps, options.tol),
        path_row("gaussian 200x1000", *wide, points // 5, eps * 10, options.tol),
    ]
    header = [
        "problem",
        "scikit-learn ms",
        "regpen ms",
        "regpen / sklearn",
        "objective rel. diff",
        "same support",
        "iters sk / rp",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    text = (
        f"Training, tol = {options.tol:g} (regpen: "
        + ("native solvers" if _training.use_native else "pure-Python reference solvers")
        + ")\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print(text)
    if options.out:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
