"""Command line of the conformance harness: `python -m harness run|bench|list|diff` (PYTHONPATH=conformance).

Exit status of `run`: 0 when every non-teaching backend matched the vectors (apart from its listed
expected failures), 1 when the run failed (a failure, a violated expected-failure list, a required
backend unavailable, or a timing check under --strict-timing), 2 when the vectors cannot be trusted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import regpen_names

from harness import expected, timing, vectors

DESCRIPTION = """\
regpen conformance harness: runs the oracle's golden vectors on every backend (each in a
crash-isolated worker process), compares bits, and writes reports (terminal matrix,
conformance.md, junit.xml, results.json) under --reports."""
EXIT_STATUS = """\
exit status:
  0  every non-teaching backend matched the vectors, apart from its listed expected failures
  1  a failure, an expected-failure list that is wrong (unlisted failure, listed pass, stale id),
     a mutant that survived (fails fewer than 3 vectors), a --require'd backend unavailable,
     or a failed timing check under --strict-timing
  2  the vectors cannot be trusted (sha256 differs from manifest.json, schema violation)"""


def _names(values: list[str] | None) -> list[str]:
    """Backend names from repeated flags and/or comma lists."""
    return [n.strip() for v in values or [] for n in v.split(",") if n.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m harness", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--backend",
        action="append",
        metavar="NAME",
        help="backend to run (repeatable, or a comma list); default: every registered backend",
    )
    common.add_argument(
        "--reports",
        type=Path,
        default=Path("reports"),
        help="report directory (default: reports/)",
    )
    common.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds one call may take before its worker is killed (default 60)",
    )
    common.add_argument("--registry", default="harness.backends:all_backends", help=argparse.SUPPRESS)
    common.add_argument("--no-progress", action="store_true", help="no progress bar")

    run = commands.add_parser(
        "run",
        parents=[common],
        help="run the conformance vectors",
        description=DESCRIPTION,
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--vectors",
        type=Path,
        default=vectors.DEFAULT_DIR,
        help="vector directory (default: conformance/vectors)",
    )
    run.add_argument(
        "--require",
        action="append",
        metavar="NAME",
        help="fail the run when this backend is unavailable (repeatable, or a comma list)",
    )
    run.add_argument("--filter", default="", metavar="TEXT", help="only tests whose id contains TEXT")
    run.add_argument(
        "--no-mutants",
        action="store_true",
        help="leave out the test-only mutants (by default every run without --backend checks that "
        "the vectors kill each of them)",
    )
    run.add_argument(
        "--expected-failures",
        type=Path,
        default=expected.DEFAULT_DIR,
        metavar="DIR",
        help="expected-failure lists (default: conformance/expected_failures)",
    )
    run.add_argument(
        "--timing-checks",
        type=Path,
        default=timing.DEFAULT_FILE,
        metavar="TOML",
        help="timing checks (default: conformance/timing_checks.toml)",
    )
    run.add_argument("--no-timing", action="store_true", help="skip the timing checks")
    run.add_argument(
        "--strict-timing",
        action="store_true",
        help="fail the run when a timing check fails (default: report only)",
    )
    run.add_argument(
        "--batch-size",
        type=int,
        default=200,
        help="tests sent to a worker per request (default 200)",
    )
    run.add_argument(
        "--max-mismatches",
        type=int,
        default=20,
        help="failing cells printed in full on the terminal (default 20)",
    )

    bench = commands.add_parser("bench", parents=[common], help="benchmark every backend and numpy baselines")
    bench.add_argument(
        "--sizes",
        default="8,1e3,1e5,1e7",
        help="comma list of n (default 8,1e3,1e5,1e7)",
    )
    bench.add_argument(
        "--ops",
        default="value,gradient,prox",
        help="operations (default value,gradient,prox)",
    )
    bench.add_argument("--dtypes", default="float64,float32", help="dtypes (default float64,float32)")
    bench.add_argument(
        "--penalty",
        default="l1",
        choices=regpen_names.PENALTY_TYPES,
        help="penalty type (default l1)",
    )
    bench.add_argument(
        "--budget",
        type=float,
        default=2.0,
        help="seconds per measurement at most (default 2)",
    )

    commands.add_parser(
        "list",
        parents=[common],
        help="list the registered backends and their capabilities",
    )

    diff = commands.add_parser("diff", help="compare two results.json files; exit 1 when they differ")
    diff.add_argument("old", type=Path, help="results.json of the earlier run")
    diff.add_argument("new", type=Path, help="results.json of the later run")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "list":
        return _list(args)
    if args.command == "diff":
        from harness import diff

        return diff.main(args.old, args.new)
    if args.command == "bench":
        from harness import bench

        return bench.main(args)
    return _run(args)


def _list(args: argparse.Namespace) -> int:
    from harness.worker import load_registry

    for backend in load_registry(args.registry):
        caps = backend.capabilities
        kind = " (teaching)" if backend.teaching else " (test-only mutant)" if backend.mutant else ""
        print(f"{backend.name}{kind}: {backend.language}, worker {backend.worker or backend.name}")
        print(f"    dtypes {', '.join(caps.dtypes)}; operations {', '.join(caps.operations)}")
        print(f"    features {', '.join(caps.features) or '-'}; penalties {', '.join(caps.penalties)}")
        for gap, reason in caps.gaps.items():
            print(f"    gap {gap}: {reason}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from harness import report, runner

    try:
        suite = vectors.load_suite(args.vectors)
    except vectors.SuiteError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    options = runner.Options(
        backends=_names(args.backend),
        mutants=not args.no_mutants,
        require=_names(args.require),
        filter=args.filter,
        timeout=args.timeout,
        batch_size=args.batch_size,
        registry=args.registry,
        expected_dir=args.expected_failures,
        timing_file=None if args.no_timing else args.timing_checks,
        strict_timing=args.strict_timing,
        log_dir=args.reports / "workers",
        progress=not args.no_progress and sys.stderr.isatty(),
    )
    result = runner.run(suite, options)
    report.print_summary(result, args.max_mismatches)
    for path in report.write_all(result, args.reports):
        print(f"wrote {path}")
    return 1 if result.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
