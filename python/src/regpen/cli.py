"""The `regpen` command: evaluate a penalty from the shell, or draw the explanatory figures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from regpen.errors import RegpenError
from regpen.penalties import from_json


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regpen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("value", "gradient", "prox"):
        command = commands.add_parser(name, help=f"the penalty's {name} at the given weights")
        command.add_argument(
            "--penalty", required=True, help='JSON config, e.g. \'{"type": "l1", "lam": 0.01}\''
        )
        command.add_argument("--float32", action="store_true", help="compute in float32")
        if name == "prox":
            command.add_argument("--step", type=float, required=True)
        command.add_argument("weights", type=float, nargs="*")
    figures = commands.add_parser("figures", help="draw the L1/L2 explanatory figures as PNG files")
    figures.add_argument("--out", type=Path, default=Path("reports/figures"))
    return parser


def main(argv: list[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    try:
        if options.command == "figures":
            from regpen.plots import seed_figures

            for path in seed_figures(options.out):
                print(path)
            return 0
        penalty = from_json(options.penalty)
        w = np.array(options.weights, dtype=np.float32 if options.float32 else np.float64)
        if options.command == "value":
            result: object = float(penalty.value(w))
        elif options.command == "gradient":
            result = penalty.gradient(w).tolist()
        else:
            result = penalty.prox(w, options.step).tolist()
        print(json.dumps(result))
        return 0
    except RegpenError as error:
        print(f"regpen: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
