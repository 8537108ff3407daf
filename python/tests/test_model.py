"""The estimator's solvers and the regularization path, checked against closed forms and optimality."""

from __future__ import annotations

import numpy as np
import pytest

import regpen
from regpen.model import LinearModel, PenalizedRegression, lambda_max, regularization_path
from regpen.plots import demo_data


@pytest.mark.parametrize("solver", ["cd", "ista", "fista"])
def test_ridge_matches_the_normal_equations(solver: str) -> None:
    x, y, _ = demo_data()
    lam = 0.3
    model = PenalizedRegression(regpen.L2(lam), solver=solver, tol=1e-14, max_iter=20000).fit(x, y)
    n, p = x.shape
    augmented = np.hstack([x, np.ones((n, 1))])
    penalized = np.diag([1.0] * p + [0.0])  # the intercept is not penalized
    exact = np.linalg.solve(augmented.T @ augmented / n + lam * penalized, augmented.T @ y / n)
    np.testing.assert_allclose(model.coef_, exact[:p], atol=1e-6)
    assert model.intercept_ == pytest.approx(exact[p], abs=1e-6)
    assert model.converged_ and model.dual_gap_ <= 1e-14 * 2 * np.var(y)


@pytest.mark.parametrize("solver", ["cd", "fista"])
def test_lasso_satisfies_the_kkt_conditions(solver: str) -> None:
    x, y, truth = demo_data(n=60)
    lam = 0.2
    model = PenalizedRegression(regpen.L1(lam), solver=solver, tol=1e-11, max_iter=20000).fit(x, y)
    gradient = 2 / len(y) * x.T @ (model.predict(x) - y)
    active = model.coef_ != 0
    np.testing.assert_allclose(gradient[active], -lam * np.sign(model.coef_[active]), atol=1e-6)
    assert np.all(np.abs(gradient[~active]) <= lam + 1e-6)
    assert set(np.flatnonzero(active)) >= set(np.flatnonzero(truth))


def test_fista_needs_no_more_iterations_than_ista_on_an_ill_conditioned_problem() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((40, 6)) @ np.diag(np.geomspace(1, 6, 6))
    y = x @ rng.standard_normal(6)
    options = {"tol": 1e-6, "max_iter": 20000}
    ista = PenalizedRegression(regpen.L1(0.1), solver="ista", **options).fit(x, y)
    fista = PenalizedRegression(regpen.L1(0.1), solver="fista", **options).fit(x, y)
    assert fista.n_iter_ < ista.n_iter_
    assert fista.objective(x, y) == pytest.approx(ista.objective(x, y), rel=1e-6)


def test_the_old_name_and_method_still_work() -> None:
    x, y, _ = demo_data(n=40)
    old = LinearModel(regpen.L1(0.1), method="fista", tol=1e-6).fit(x, y)
    new = PenalizedRegression(regpen.L1(0.1), solver="fista", tol=1e-6).fit(x, y)
    assert np.array_equal(old.coef_, new.coef_) and old.intercept_ == new.intercept_
    assert old.train_model(x, y) is old  # the seed's trainModel


def test_path_starts_empty_at_lambda_max_and_fills_up() -> None:
    x, y, _ = demo_data()
    path = regularization_path(x, y, n_strengths=15)
    assert path.strengths[0] == lambda_max(x, y)
    assert path.n_nonzero()[0] == 0
    assert path.n_nonzero()[-1] >= 3
    assert np.all(np.diff(path.strengths) < 0)
    assert path.strengths[-1] == pytest.approx(1e-3 * path.strengths[0], rel=1e-12)


def test_lambda_max_is_the_smallest_strength_with_all_zero_coefficients() -> None:
    x, y, _ = demo_data()
    top = lambda_max(x, y)
    assert np.count_nonzero(PenalizedRegression(regpen.L1(top), tol=1e-12).fit(x, y).coef_) == 0
    assert np.count_nonzero(PenalizedRegression(regpen.L1(top * 0.99), tol=1e-12).fit(x, y).coef_) == 1


def test_bad_model_options_have_spec_codes() -> None:
    x, y = np.ones((10, 2)), np.arange(10.0)
    with pytest.raises(regpen.InvalidArgumentError):
        PenalizedRegression(regpen.L1(0.1), solver="newton").fit(x, y)
    with pytest.raises(regpen.ShapeMismatchError):
        PenalizedRegression(regpen.L1(0.1)).fit(np.ones((3, 2)), np.ones(4))
    # The estimator converts and rejects element types as scikit-learn does (a ValueError for complex
    # data); the path reads arrays itself and gives the spec's code.
    with pytest.raises(regpen.InvalidDtypeError):
        regularization_path(np.ones((3, 2), dtype=complex), np.ones(3))


def test_seed_figures_are_written(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    from regpen.plots import seed_figures

    paths = seed_figures(tmp_path, progress=False)
    assert [p.name for p in paths] == [
        "l1_before_after.png",
        "l1_path.png",
        "l1_bars.png",
        "l2_after.png",
        "l2_path.png",
    ]
    assert all(p.stat().st_size > 10_000 for p in paths)


def test_cli_value_and_error_code(capsys: pytest.CaptureFixture[str]) -> None:
    from regpen.cli import main

    assert main(["value", "--penalty", '{"type": "l1", "lam": 0.01}', "0.5", "-0.3", "0.0", "1.2"]) == 0
    assert capsys.readouterr().out.strip() == "0.02"
    assert main(["value", "--penalty", '{"type": "l1", "lam": -1}', "1"]) == 2
    assert "invalid_lambda" in capsys.readouterr().err


def test_the_estimator_protocol_works_without_scikit_learn() -> None:
    import subprocess
    import sys

    script = """
import sys, warnings
sys.modules["sklearn"] = None  # as if scikit-learn were not installed
import numpy as np
import regpen
from regpen.model import HAVE_SKLEARN, ConvergenceWarning, PenalizedRegression
assert not HAVE_SKLEARN
rng = np.random.default_rng(0)
x = rng.standard_normal((30, 3))
y = x @ np.array([1.0, 0.0, -2.0]) + 0.5
model = PenalizedRegression(regpen.L1(0.01))
assert model.get_params()["penalty"] == regpen.L1(0.01)
assert model.set_params(tol=1e-8) is model and model.tol == 1e-8
assert model.fit(x, y).score(x, y) > 0.99 and model.n_features_in_ == 3
try:
    PenalizedRegression().predict(x)
    raise SystemExit("predict before fit must fail")
except ValueError as error:
    assert "not fitted" in str(error)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    PenalizedRegression(regpen.L1(0.001), max_iter=1, tol=0.0).fit(x, y)
assert any(issubclass(w.category, ConvergenceWarning) for w in caught)
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
