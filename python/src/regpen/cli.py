"""The `regpen` command (also `python -m regpen`): evaluate a penalty, fit a model to a CSV file,
follow a regularization path, draw the teaching figures, or run the conformance harness.

Every command takes --json (strict JSON on stdout) and --version. Errors print
`regpen COMMAND: error [code] message` on stderr, with the spec's error code, and exit with status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from regpen.errors import (
    EmptyInputError,
    InvalidArgumentError,
    InvalidConfigError,
    InvalidDtypeError,
    RegpenError,
)
from regpen.penalties import L1, L2, ElasticNet, Penalty, from_config, from_json

JSON_ENCODING = (
    'JSON output is strict (RFC 8259): a NaN is written as the string "NaN" and infinities as '
    '"Infinity" and "-Infinity"; every other number is a JSON number that reads back to the same '
    "binary64 value."
)
EPILOG = (
    JSON_ENCODING + "\nExit status: 0 on success, 2 on a usage error or a regpen error (its spec code is "
    "printed, e.g. [invalid_lambda]), 1 when `regpen conformance` finds a failure."
)
PENALTY_NAMES = ("l1", "l2", "elastic_net")


def strict_json(value: Any) -> Any:
    """`value` with every non-finite float replaced by its stated string encoding (see JSON_ENCODING)."""
    if isinstance(value, dict):
        return {str(k): strict_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return strict_json(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def dumps(value: Any) -> str:
    # allow_nan=False makes a forgotten non-finite number an error here, never bare NaN on stdout.
    return json.dumps(strict_json(value), allow_nan=False)


def _version() -> str:
    from regpen import __version__

    return f"regpen {__version__}"


def _common() -> argparse.ArgumentParser:
    """Options every command takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json", action="store_true", help='print strict JSON on stdout (NaN as "NaN", ±inf as "Infinity")'
    )
    common.add_argument("--version", action="version", version=_version(), help="print the version and exit")
    return common


def _penalty_options(parser: argparse.ArgumentParser, *, for_path: bool = False) -> None:
    if for_path:
        parser.add_argument(
            "--penalty", choices=PENALTY_NAMES, default="l1", help="the penalty along the path (default l1)"
        )
    else:
        parser.add_argument(
            "--penalty",
            required=True,
            help=(
                "l1, l2 or elastic_net (strengths from --lam/--l1/--l2), or a JSON config such as "
                '\'{"type": "l1", "lam": 0.01}\''
            ),
        )
    if for_path:
        parser.add_argument(
            "--mix",
            type=float,
            default=0.5,
            help="elastic_net only: the share of each strength λ given to L1 (l1 = mix·λ, l2 = (1-mix)·λ)",
        )
        return
    parser.add_argument("--lam", type=float, help="the strength of l1 or l2")
    parser.add_argument("--l1", type=float, help="the L1 strength (l1 or elastic_net)")
    parser.add_argument("--l2", type=float, help="the L2 strength (l2 or elastic_net)")


def _parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="regpen",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version(), help="print the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, parents=[common], help=help_text, description=help_text, epilog=EPILOG
        )

    for name in ("value", "gradient", "prox"):
        command = add(name, f"the penalty's {name} at the given weights")
        _penalty_options(command)
        command.add_argument("--float32", action="store_true", help="compute in float32 (default float64)")
        if name == "prox":
            command.add_argument("--step", type=float, required=True, help="the proximal step size (>= 0)")
        command.add_argument(
            "weights",
            type=float,
            nargs="*",
            help="the weights w (decimal numbers, inf and nan too; put -- before them when one is -inf)",
        )

    for name, text in (
        ("fit", "fit a linear model (least squares + penalty) to a CSV file and print its weights"),
        ("path", "fit along a decreasing sequence of strengths λ and print (or plot) the weights"),
    ):
        command = add(name, text)
        command.add_argument("csv", type=Path, help="a CSV file with a header row; every column numeric")
        command.add_argument("--target", required=True, help="the name of the column to predict")
        _penalty_options(command, for_path=name == "path")
        command.add_argument(
            "--no-intercept", action="store_true", help="fit without an (unpenalized) intercept"
        )
        if name == "path":
            command.add_argument(
                "--n-strengths", type=int, default=30, help="number of strengths λ on the path (default 30)"
            )
            command.add_argument(
                "--ratio",
                type=float,
                default=1e-3,
                help=(
                    "smallest λ as a share of the largest, λ_max (the smallest λ whose L1 part zeroes "
                    "every weight); default 1e-3"
                ),
            )
            command.add_argument(
                "--plot", type=Path, help="also draw the path as a PNG file (needs matplotlib)"
            )

    figures = add("figures", "draw the teaching figures (L1/L2 before and after, weights against λ) as PNGs")
    figures.add_argument(
        "--out", type=Path, default=Path("reports/figures"), help="output directory (default reports/figures)"
    )

    conformance = add(
        "conformance",
        "run the conformance harness (python -m harness run) of the regpen checkout containing the "
        "current directory; arguments after -- go to the harness",
    )
    conformance.add_argument(
        "--reports", type=Path, help="report directory (default: reports/ of the checkout)"
    )
    conformance.add_argument("harness_args", nargs=argparse.REMAINDER, help="extra arguments for the harness")
    return parser


# --- penalties -----------------------------------------------------------------------------------


def _penalty(options: argparse.Namespace) -> Penalty:
    text = options.penalty.strip()
    if text.startswith("{"):
        return from_json(text)
    if text not in PENALTY_NAMES:
        raise InvalidConfigError(
            f"--penalty must be one of {', '.join(PENALTY_NAMES)} or a JSON config, got {text!r}"
        )
    if text == "elastic_net":
        if options.l1 is None or options.l2 is None:
            raise InvalidArgumentError("--penalty elastic_net needs both --l1 and --l2")
        return from_config({"type": "elastic_net", "l1": options.l1, "l2": options.l2})
    lam = options.lam if options.lam is not None else getattr(options, text)
    if lam is None:
        raise InvalidArgumentError(f"--penalty {text} needs its strength: --lam or --{text}")
    return from_config({"type": text, "lam": lam})


def _path_penalty(options: argparse.Namespace) -> Callable[[float], Penalty]:
    if options.penalty == "l1":
        return L1
    if options.penalty == "l2":
        return L2
    if options.penalty == "elastic_net":
        mix = options.mix
        if not 0.0 <= mix <= 1.0:
            raise InvalidArgumentError(f"--mix must be within [0, 1], got {mix}")
        return lambda lam: ElasticNet(mix * lam, (1.0 - mix) * lam)
    raise InvalidConfigError(
        f"--penalty must be one of {', '.join(PENALTY_NAMES)} for a path, got {options.penalty!r}"
    )


# --- data ----------------------------------------------------------------------------------------


def read_csv(path: Path, target: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """X (every column but `target`), y and the feature names from a CSV file with a header row."""
    try:
        with open(path, newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as error:
        raise InvalidArgumentError(f"cannot read {path}: {error.strerror}") from None
    if not rows:
        raise EmptyInputError(f"{path} is empty")
    header = [name.strip() for name in rows[0]]
    if target not in header:
        raise InvalidArgumentError(
            f"--target {target!r} is not a column of {path}; columns: {', '.join(header)}"
        )
    body = [row for row in rows[1:] if row]
    if not body:
        raise EmptyInputError(f"{path} has a header but no data rows")
    values = np.empty((len(body), len(header)))
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise InvalidArgumentError(f"{path}:{line} has {len(row)} fields, the header has {len(header)}")
        for column, field in enumerate(row):
            try:
                values[line - 2, column] = float(field)
            except ValueError:
                raise InvalidDtypeError(
                    f"{path}:{line} column {header[column]!r}: {field!r} is not a number"
                ) from None
    index = header.index(target)
    features = [name for i, name in enumerate(header) if i != index]
    if not features:
        raise EmptyInputError(f"{path} has no feature columns besides {target!r}")
    return np.delete(values, index, axis=1), values[:, index], features


# --- output --------------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain text table, numbers right-aligned."""

    def show(cell: object) -> str:
        return f"{cell:.6g}" if isinstance(cell, float) else str(cell)

    cells = [list(header), *[[show(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _show_number(value: float) -> str:
    return repr(float(value))


# --- commands ------------------------------------------------------------------------------------


def _elementwise(options: argparse.Namespace) -> dict[str, Any]:
    penalty = _penalty(options)
    w = np.array(options.weights, dtype=np.float32 if options.float32 else np.float64)
    if options.command == "value":
        result: Any = penalty.value(w).item()
    elif options.command == "gradient":
        result = penalty.gradient(w).tolist()
    else:
        result = penalty.prox(w, options.step).tolist()
    return {
        "command": options.command,
        "penalty": penalty.get_config(),
        "dtype": str(w.dtype),
        "result": result,
    }


def _print_elementwise(out: dict[str, Any]) -> None:
    if out["command"] == "value":
        print(_show_number(out["result"]))
        return
    print(table(["i", out["command"]], [[f"w{i}", _show_number(v)] for i, v in enumerate(out["result"])]))


def _fit(options: argparse.Namespace) -> dict[str, Any]:
    from regpen.model import LinearModel

    x, y, names = read_csv(options.csv, options.target)
    penalty = _penalty(options)
    model = LinearModel(penalty, fit_intercept=not options.no_intercept).fit(x, y)
    coef = np.asarray(model.coef_, dtype=np.float64)
    residual = y - (x @ coef + model.intercept_)
    return {
        "command": "fit",
        "penalty": penalty.get_config(),
        "n_samples": int(x.shape[0]),
        "features": names,
        "coef": coef.tolist(),
        "intercept": float(model.intercept_),
        "nonzero": int(np.count_nonzero(coef)),
        "mse": float(np.mean(residual**2)),
    }


def _print_fit(out: dict[str, Any]) -> None:
    print(
        f"penalty {json.dumps(out['penalty'])}, {out['n_samples']} samples, {len(out['features'])} features"
    )
    rows = [[name, weight] for name, weight in zip(out["features"], out["coef"], strict=True)]
    print(table(["feature", "weight"], [*rows, ["(intercept)", out["intercept"]]]))
    print(f"{out['nonzero']} of {len(out['coef'])} weights nonzero; training MSE {out['mse']:.6g}")


def _path(options: argparse.Namespace) -> dict[str, Any]:
    from regpen.model import lambda_max, regularization_path

    x, y, names = read_csv(options.csv, options.target)
    if options.n_strengths < 1 or not 0.0 < options.ratio <= 1.0:
        raise InvalidArgumentError(
            "--n-strengths must be >= 1 and --ratio within (0, 1], "
            f"got {options.n_strengths} and {options.ratio}"
        )
    make = _path_penalty(options)
    fit_intercept = not options.no_intercept
    # From the smallest strength at which `make`'s L1 part zeroes every weight (SPEC §7.8); a family
    # without an L1 part has no such point, so it starts where L1 would.
    anchor = make if make(1.0).l1 > 0 else None
    top = lambda_max(x, y, anchor, fit_intercept=fit_intercept) or 1.0
    strengths = np.geomspace(top, top * options.ratio, options.n_strengths)
    result = regularization_path(
        x,
        y,
        make,  # type: ignore[arg-type]
        strengths,
        fit_intercept=fit_intercept,
        progress=sys.stderr.isatty(),
    )
    plot = None
    if options.plot is not None:
        from regpen.plots import plot_path

        title = f"{options.penalty} path of {options.csv.name} (target {options.target})"
        plot = str(plot_path(result, title, options.plot, names))
    return {
        "command": "path",
        "penalty": options.penalty,
        "features": names,
        "strengths": result.strengths.tolist(),
        "coefs": result.coefs.tolist(),
        "intercepts": result.intercepts.tolist(),
        "nonzero": result.n_nonzero().tolist(),
        "plot": plot,
    }


def _print_path(out: dict[str, Any]) -> None:
    header = ["lambda", "nonzero", *out["features"]]
    rows = [
        [f"{s:.4g}", n, *c] for s, n, c in zip(out["strengths"], out["nonzero"], out["coefs"], strict=True)
    ]
    print(table(header, rows))
    if out["plot"]:
        print(f"plot: {out['plot']}")


def _figures(options: argparse.Namespace) -> dict[str, Any]:
    from regpen.plots import seed_figures

    paths = seed_figures(options.out, progress=sys.stderr.isatty())
    return {"command": "figures", "files": [str(p) for p in paths]}


def find_checkout(start: Path) -> Path:
    """The regpen checkout containing `start`: the first parent with conformance/harness/."""
    for directory in (start, *start.parents):
        if (directory / "conformance" / "harness" / "__main__.py").is_file():
            return directory
    raise InvalidArgumentError(
        f"`regpen conformance` runs the harness of a regpen checkout, and none contains {start} "
        "(run it inside the repository, or use `make conformance` there)"
    )


def _conformance(options: argparse.Namespace) -> dict[str, Any]:
    root = find_checkout(Path.cwd().resolve())
    reports = (options.reports or root / "reports").resolve()
    extra = [a for a in options.harness_args if a != "--"]
    if options.json:
        extra.append("--no-progress")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root / "conformance"), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "harness", "run", "--reports", str(reports), *extra]
    # With --json the harness's human summary goes to stderr so stdout holds only the JSON document.
    completed = subprocess.run(
        command, cwd=root, env=env, stdout=sys.stderr if options.json else None, check=False
    )
    results = reports / "results.json"
    verdict = None
    if results.is_file():
        verdict = json.loads(results.read_text()).get("verdict")
    return {
        "command": "conformance",
        "exit_status": completed.returncode,
        "verdict": verdict,
        "reports": str(reports),
    }


COMMANDS: dict[
    str, tuple[Callable[[argparse.Namespace], dict[str, Any]], Callable[[dict[str, Any]], None]]
] = {
    "value": (_elementwise, _print_elementwise),
    "gradient": (_elementwise, _print_elementwise),
    "prox": (_elementwise, _print_elementwise),
    "fit": (_fit, _print_fit),
    "path": (_path, _print_path),
    "figures": (_figures, lambda out: print("\n".join(out["files"]))),
    "conformance": (_conformance, lambda out: None),
}


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    run, show = COMMANDS[options.command]
    try:
        out = run(options)
    except RegpenError as error:
        print(f"regpen {options.command}: error {error}", file=sys.stderr)
        if options.json:
            print(dumps({"error": {"code": error.code, "message": str(error)}}))
        return 2
    if options.json:
        print(dumps(out))
    else:
        show(out)
    if options.command == "conformance":
        return int(out["exit_status"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
