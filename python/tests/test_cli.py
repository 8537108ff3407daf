"""The `regpen` command line: strict JSON, --version and help everywhere, spec error codes and exit
status, and fit/path on a CSV of scikit-learn's diabetes data."""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import regpen
from regpen.cli import _parser, main, strict_json

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = ("value", "gradient", "prox", "fit", "path", "figures", "conformance")


def _strict_loads(text: str) -> object:
    def reject(constant: str) -> None:
        raise AssertionError(f"bare {constant} in JSON output")

    return json.loads(text, parse_constant=reject)


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m regpen ...` in a child process, stderr a pipe (so not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "regpen", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_non_finite_numbers_get_the_stated_string_encoding(capsys: pytest.CaptureFixture[str]) -> None:
    penalty = '{"type": "l1", "lam": 0.5}'
    assert main(["prox", "--json", "--penalty", penalty, "--step", "1", "--", "inf", "-inf", "nan", "2"]) == 0
    out = _strict_loads(capsys.readouterr().out)
    assert out["result"] == ["Infinity", "-Infinity", "NaN", 1.5]
    assert main(["value", "--json", "--penalty", "l2", "--lam", "1", "nan"]) == 0
    assert _strict_loads(capsys.readouterr().out)["result"] == "NaN"
    assert strict_json({"a": [np.float32("inf"), 1.0]}) == {"a": ["Infinity", 1.0]}


def test_value_prints_the_number_for_humans(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["value", "--penalty", "elastic_net", "--l1", "0.01", "--l2", "0", "0.5", "-0.3", "0", "1.2"])
        == 0
    )
    assert capsys.readouterr().out.strip() == "0.02"
    assert main(["gradient", "--penalty", "l1", "--lam", "1", "--float32", "-2", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["i", "gradient"] and lines[2].split() == ["w0", "-1.0"]


@pytest.mark.parametrize("command", COMMANDS)
def test_version_on_every_command(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main([command, "--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"regpen {regpen.__version__}"


def test_every_argument_has_help() -> None:
    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(subparsers.choices) == set(COMMANDS)
    for name, command in subparsers.choices.items():
        for action in command._actions:
            assert action.help, f"regpen {name}: {action.option_strings or action.dest} has no help"
        assert "--json" in command.format_help()
    assert '"NaN"' in parser.format_help() and '"Infinity"' in parser.format_help()


def test_errors_carry_the_spec_code_and_fail(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["value", "--penalty", "l1", "--lam", "-1", "1"]) == 2
    assert "[invalid_lambda]" in capsys.readouterr().err
    assert main(["prox", "--json", "--penalty", "l1", "--lam", "1", "--step", "-1", "1"]) == 2
    captured = capsys.readouterr()
    assert _strict_loads(captured.out)["error"]["code"] == "invalid_step"
    assert "[invalid_step]" in captured.err
    assert main(["value", "--penalty", "lasso", "1"]) == 2
    assert "[invalid_config]" in capsys.readouterr().err


def test_csv_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d.csv"
    data.write_text("a,b,y\n1,2,3\n4,x,6\n")
    assert main(["fit", str(data), "--target", "y", "--penalty", "l1", "--lam", "0.1"]) == 2
    assert "[invalid_dtype]" in capsys.readouterr().err
    assert main(["fit", str(data), "--target", "z", "--penalty", "l1", "--lam", "0.1"]) == 2
    assert "[invalid_argument] --target 'z'" in capsys.readouterr().err
    assert main(["fit", str(tmp_path / "missing.csv"), "--target", "y", "--penalty", "l1", "--lam", "1"]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.fixture(scope="module")
def diabetes_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    datasets = pytest.importorskip("sklearn.datasets")
    data = datasets.load_diabetes()
    path = tmp_path_factory.mktemp("diabetes") / "diabetes.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*data.feature_names, "y"])
        for row, target in zip(data.data, data.target, strict=True):
            writer.writerow([repr(float(v)) for v in (*row, target)])
    return path


def test_fit_on_diabetes_matches_scikit_learn(diabetes_csv: Path) -> None:
    linear_model = pytest.importorskip("sklearn.linear_model")
    done = _run(["fit", str(diabetes_csv), "--target", "y", "--penalty", "l1", "--lam", "1.0", "--json"])
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    out = _strict_loads(done.stdout)
    assert out["features"][:2] == ["age", "sex"] and out["n_samples"] == 442
    # regpen minimizes MSE + lam·‖w‖₁, i.e. twice scikit-learn's Lasso objective with alpha = lam/2.
    reference = linear_model.Lasso(alpha=0.5, tol=1e-12, max_iter=100_000).fit(*_xy(diabetes_csv))
    assert np.allclose(out["coef"], reference.coef_, atol=0.05 * np.abs(reference.coef_).max())
    assert (np.array(out["coef"]) == 0).tolist() == (reference.coef_ == 0).tolist()

    human = _run(
        ["fit", str(diabetes_csv), "--target", "y", "--penalty", "elastic_net", "--l1", "0.1", "--l2", "0.01"]
    )
    assert human.returncode == 0, human.stderr
    assert "feature" in human.stdout and "(intercept)" in human.stdout and "bmi" in human.stdout


def _xy(path: Path) -> tuple[np.ndarray, np.ndarray]:
    values = np.loadtxt(path, delimiter=",", skiprows=1)
    return values[:, :-1], values[:, -1]


def test_path_on_diabetes_with_plot(diabetes_csv: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "path.png"
    done = _run(
        ["path", str(diabetes_csv), "--target", "y", "--n-strengths", "8", "--plot", str(plot), "--json"]
    )
    assert done.returncode == 0, done.stderr
    out = _strict_loads(done.stdout)
    assert len(out["strengths"]) == 8 and out["strengths"] == sorted(out["strengths"], reverse=True)
    assert out["nonzero"][0] == 0 and out["nonzero"][-1] >= 8  # λ_max zeroes all; the weakest keeps most
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_conformance_outside_a_checkout_fails_clearly(tmp_path: Path) -> None:
    done = _run(["conformance"], cwd=tmp_path)
    assert done.returncode == 2
    assert "[invalid_argument]" in done.stderr and "checkout" in done.stderr


def test_conformance_runs_the_harness(tmp_path: Path) -> None:
    done = _run(
        [
            "conformance",
            "--json",
            "--reports",
            str(tmp_path),
            "--",
            "--backend",
            "reference",
            "--filter",
            "/seed/",
        ],
        cwd=ROOT / "python",
    )
    assert done.returncode == 0, done.stderr
    out = _strict_loads(done.stdout)
    assert out["verdict"] == "ok" and out["exit_status"] == 0
    assert (tmp_path / "results.json").is_file()


def test_elastic_net_path_starts_where_every_weight_is_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 3))
    y = x @ [1.0, -2.0, 0.5] + 1.0
    data = tmp_path / "small.csv"
    np.savetxt(data, np.column_stack([x, y]), delimiter=",", header="a,b,c,y", comments="")
    args = [
        "path",
        str(data),
        "--target",
        "y",
        "--penalty",
        "elastic_net",
        "--mix",
        "0.25",
        "--n-strengths",
        "5",
    ]
    assert main([*args, "--json"]) == 0
    out = _strict_loads(capsys.readouterr().out)
    assert out["nonzero"][0] == 0 and out["nonzero"][-1] == 3
    assert main([*args, "--no-intercept", "--json"]) == 0
    out = _strict_loads(capsys.readouterr().out)
    assert out["nonzero"][0] == 0 and out["nonzero"][-1] == 3 and out["intercepts"] == [0.0] * 5
    assert main([*args, "--mix", "2"]) == 2
    assert "[invalid_argument] --mix" in capsys.readouterr().err
