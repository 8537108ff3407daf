"""The proximal-gradient model and the regularization path, checked against closed forms and optimality."""

from __future__ import annotations

import numpy as np
import pytest

import regpen
from regpen.model import LinearModel, lambda_max, regularization_path
from regpen.plots import demo_data


@pytest.mark.parametrize("method", ["ista", "fista"])
def test_ridge_matches_the_normal_equations(method: str) -> None:
    x, y, _ = demo_data()
    lam = 0.3
    model = LinearModel(regpen.L2(lam), method=method, tol=0, max_iter=20000).fit(x, y)
    n, p = x.shape
    augmented = np.hstack([x, np.ones((n, 1))])
    penalized = np.diag([1.0] * p + [0.0])  # the intercept is not penalized
    exact = np.linalg.solve(augmented.T @ augmented / n + lam * penalized, augmented.T @ y / n)
    np.testing.assert_allclose(model.coef_, exact[:p], atol=1e-6)
    assert model.intercept_ == pytest.approx(exact[p], abs=1e-6)


def test_lasso_satisfies_the_kkt_conditions() -> None:
    x, y, truth = demo_data()
    lam = 0.2
    model = LinearModel(regpen.L1(lam), tol=0, max_iter=20000).fit(x, y)
    gradient = 2 / len(y) * x.T @ (model.predict(x) - y)
    active = model.coef_ != 0
    np.testing.assert_allclose(gradient[active], -lam * np.sign(model.coef_[active]), atol=1e-6)
    assert np.all(np.abs(gradient[~active]) <= lam + 1e-6)
    assert set(np.flatnonzero(active)) >= set(np.flatnonzero(truth))


def test_fista_needs_no_more_iterations_than_ista_on_an_ill_conditioned_problem() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((100, 10)) @ np.diag(np.geomspace(1, 30, 10))
    y = x @ rng.standard_normal(10)
    ista = LinearModel(regpen.L1(0.1), method="ista", tol=1e-12, max_iter=50000).fit(x, y)
    fista = LinearModel(regpen.L1(0.1), method="fista", tol=1e-12, max_iter=50000).fit(x, y)
    assert fista.n_iter_ < ista.n_iter_
    assert fista.loss_history_[-1] == pytest.approx(ista.loss_history_[-1], rel=1e-6)


def test_path_starts_empty_at_lambda_max_and_fills_up() -> None:
    x, y, _ = demo_data()
    path = regularization_path(x, y, progress=False, n_strengths=15)
    assert path.strengths[0] == pytest.approx(lambda_max(x, y))
    assert path.n_nonzero()[0] == 0
    assert path.n_nonzero()[-1] >= 3
    assert np.all(np.diff(path.strengths) < 0)


def test_bad_model_options_have_spec_codes() -> None:
    with pytest.raises(regpen.InvalidArgumentError):
        LinearModel(regpen.L1(0.1), method="newton")
    with pytest.raises(regpen.ShapeMismatchError):
        LinearModel(regpen.L1(0.1)).fit(np.ones((3, 2)), np.ones(4))
    with pytest.raises(regpen.InvalidDtypeError):
        LinearModel(regpen.L1(0.1)).fit(np.ones((3, 2), dtype=np.int64), np.ones(3))


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
