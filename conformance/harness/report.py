"""The run's reports: a terminal matrix, conformance.md, junit.xml and results.json.

The mutants (test-only backends) are not conformance columns: they appear in their own kill matrix
(mutant x operation -> vectors failed), in the console and in conformance.md, and as one JUnit
case each in the harness suite.

Every report starts with the suite version and the sha256 of each vector file, so a report always
names the exact vectors it judged. results.json keeps the bits each backend returned for each test,
so two runs (or two machines) can be diffed.
"""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from harness import kills, timing
from harness.backend import OPERATIONS
from harness.compare import (
    CODE_MISMATCH,
    DRIFT,
    ERRORED,
    FAIL,
    PASS,
    UNAVAILABLE,
    UNSUPPORTED,
    XFAIL,
    abbreviate,
    decimal,
    finite_median,
    outcomes_agree,
)
from harness.runner import RunResult
from harness.vectors import test_dtype

SHORT = {"from_config": "from_cfg", "config_roundtrip": "roundtrip", "l1_regularization": "l1_reg"}
DTYPES = ("float64", "float32")
# One character after a cell's counts says what else happened there.
MARKS = ((FAIL, "!"), (CODE_MISMATCH, "!"), (ERRORED, "E"), (XFAIL, "x"), (DRIFT, "~"))
LEGEND = (
    "cells: passed/ran (ran excludes unsupported); ! failure, E crash, x expected failure, "
    "~ drift (teaching), gap = unsupported, . = no such tests"
)


def judged(result: RunResult) -> list:
    """The backends held to the vectors (real and teaching), without the test-only mutants."""
    return [i for i in result.backends if not i.mutant]


def _cell_text(cells: list) -> str:
    if not cells:
        return "."
    ran = [c for c in cells if c.status != UNSUPPORTED]
    if not ran:
        return "gap"
    passed = sum(1 for c in ran if c.status == PASS)
    marks = "".join(dict.fromkeys(m for status, m in MARKS if any(c.status == status for c in ran)))
    return f"{passed}/{len(ran)}{marks}"


def matrix_rows(result: RunResult) -> list[list[str]]:
    """Header plus one row per available backend and dtype; unavailable backends get one row."""
    by_key: dict[tuple[str, str], list[str]] = {}
    for test in result.tests:
        by_key.setdefault((test["operation"], test_dtype(test)), []).append(test["id"])
    rows = [["backend", "dtype", *(SHORT.get(op, op) for op in OPERATIONS)]]
    for info in judged(result):
        cells = result.cells[info.name]
        if info.unavailable is not None:
            rows.append(
                [
                    info.name,
                    "-",
                    f"unavailable: {info.unavailable.splitlines()[0][:70]}",
                ]
            )
            continue
        for dtype in DTYPES:
            row = [
                info.name + (" (teaching)" if info.teaching and dtype == "float64" else ""),
                dtype[-2:],
            ]
            for op in OPERATIONS:
                row.append(_cell_text([cells[i] for i in by_key.get((op, dtype), [])]))
            rows.append(row)
    return rows


def terminal_matrix(result: RunResult) -> str:
    rows = matrix_rows(result)
    widths = [max(len(r[i]) for r in rows if len(r) > i and len(r) > 3) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        if len(row) == 3:  # An unavailable backend spans the operation columns.
            lines.append(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}")
            continue
        lines.append(
            "  ".join(
                f"{cell:<{w}}" if i < 2 else f"{cell:>{w}}"
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


def status_totals(result: RunResult) -> dict[str, dict[str, int]]:
    statuses = (
        PASS,
        FAIL,
        CODE_MISMATCH,
        ERRORED,
        XFAIL,
        DRIFT,
        UNSUPPORTED,
        UNAVAILABLE,
    )
    return {
        info.name: {s: sum(1 for c in result.cells[info.name].values() if c.status == s) for s in statuses}
        for info in judged(result)
    }


def agreement(result: RunResult) -> dict[tuple[str, str], tuple[int, int]]:
    """For each pair of backends: (bit-identical outcomes, tests both returned something for)."""
    names = [i.name for i in judged(result) if i.unavailable is None]
    ran = {
        name: {
            tid: c.outcome
            for tid, c in result.cells[name].items()
            if c.outcome and c.outcome.get("kind") != "crash"
        }
        for name in names
    }
    pairs = {}
    for a, b in itertools.combinations(names, 2):
        both = ran[a].keys() & ran[b].keys()
        pairs[(a, b)] = (
            sum(1 for t in both if outcomes_agree(ran[a][t], ran[b][t])),
            len(both),
        )
    return pairs


def drift_summary(result: RunResult) -> list[dict]:
    summary = []
    for info in result.backends:
        if not info.teaching or info.unavailable is not None:
            continue
        cells = [c for c in result.cells[info.name].values() if c.status == DRIFT]
        ulps = [c.ulp for c in cells if c.ulp is not None]
        summary.append(
            {
                "backend": info.name,
                "drifted": len(cells),
                "ran": sum(1 for c in result.cells[info.name].values() if c.status not in (UNSUPPORTED,)),
                "max_ulp": max(ulps) if ulps else None,
                "median_ulp": finite_median(ulps) if ulps else None,
                "without_ulp": len(cells) - len(ulps),
            }
        )
    return summary


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def describe_inputs(test: dict) -> str:
    """A test's inputs in decimal, long arrays abbreviated."""
    parts = []
    penalty = test.get("penalty")
    if penalty:
        params = ", ".join(
            f"{k}={decimal(v)}" for k, v in penalty.items() if k not in ("type", "penalty_factor")
        )
        factor = (
            f", penalty_factor={abbreviate(penalty['penalty_factor'])}" if "penalty_factor" in penalty else ""
        )
        parts.append(f"{penalty['type']}({params}{factor})")
    for name, value in test.get("args", {}).items():
        if isinstance(value, list):
            parts.append(f"{name}={abbreviate(value)}")
        elif isinstance(value, dict) and "generator" in value:
            parts.append(f"{name}={value['generator']}(seed={value.get('seed')}, n={value.get('n')})")
        elif isinstance(value, dict):
            parts.append(f"{name}={{" + ", ".join(f"{k}: {decimal(v)}" for k, v in value.items()) + "}")
        elif isinstance(value, str) and value.startswith("0x"):
            parts.append(f"{name}={decimal(value)}")
        else:
            parts.append(f"{name}={value!r}")
    if "arg_dtypes" in test:
        parts.append(f"arg_dtypes={test['arg_dtypes']}")
    if "shapes" in test:
        parts.append(f"shapes={test['shapes']}")
    return "; ".join(parts)


def mismatches(result: RunResult, limit: int | None = None) -> list[str]:
    """Human-readable blocks for every failing cell (teaching drift excluded, it is summarized)."""
    tests = {t["id"]: t for t in result.tests}
    blocks = []
    for info in judged(result):
        name, cells = info.name, result.cells[info.name]
        for test_id, cell in cells.items():
            if cell.status not in (FAIL, CODE_MISMATCH, ERRORED):
                continue
            test = tests[test_id]
            want = test.get("expected_error") or test.get("expected")
            if isinstance(want, list):
                want = abbreviate(want)
            elif isinstance(want, str) and want.startswith("0x"):
                want = f"{want} ({decimal(want)})"
            blocks.append(
                f"{name}  {test_id}  [{cell.status}]  {test.get('comment', '')}\n"
                f"    inputs:   {describe_inputs(test)}\n"
                f"    expected: {want}\n"
                f"    why:      {cell.reason.strip()}"
                + (f"\n    ulp:      {cell.ulp}" if cell.ulp is not None else "")
            )
    return blocks[:limit] if limit is not None else blocks


def print_summary(result: RunResult, max_mismatches: int = 20) -> None:
    print("\n".join(result.suite.header()))
    print()
    print(terminal_matrix(result))
    print(LEGEND)
    print()
    totals_by_backend = status_totals(result)
    width = max((len(name) for name in totals_by_backend), default=0)
    for name, totals in totals_by_backend.items():
        print(f"{name:>{width}}: " + ", ".join(f"{k} {v}" for k, v in totals.items() if v))
    blocks = mismatches(result)
    if blocks:
        print(
            f"\n{len(blocks)} failing cells"
            + (f" (first {max_mismatches})" if len(blocks) > max_mismatches else "")
            + ":"
        )
        print("\n".join(blocks[:max_mismatches]))
    summaries = drift_summary(result)
    if summaries:
        print("\nteaching drift (bit differences from the correctly rounded vectors):")
    for summary in summaries:
        print(
            f"  {summary['backend']}: {summary['drifted']} of {summary['ran']} cases differ; "
            f"max {_num(summary['max_ulp'])} ulp, median {_num(summary['median_ulp'])} ulp"
            + (f", {summary['without_ulp']} differences involving a NaN" if summary["without_ulp"] else "")
        )
    print()
    print("\n".join(kill_matrix_lines(result)))
    if result.timing:
        print("\ntiming checks:")
        for check in result.timing:
            print("  " + timing.describe(check))
    if result.notes:
        print("\nnotes:")
        print("\n".join(f"  {n}" for n in result.notes))
    if result.required_missing:
        print("\nrequired backends unavailable:")
        print("\n".join(f"  {m}" for m in result.required_missing))
    if result.violations:
        print(f"\n{len(result.violations)} violations (the run fails):")
        print("\n".join(f"  {v}" for v in result.violations[:50]))
    verdict = "FAILED" if result.failed() else "OK"
    print(f"\nconformance {verdict} in {result.seconds:.1f} s")


def kill_matrix_lines(result: RunResult) -> list[str]:
    """The mutants' kill matrix as aligned text: vectors failed / run per operation."""
    if not result.kills:
        return ["mutants: none ran (conformance/oracle/mutants.py defines them; --no-mutants skips them)"]
    rows = kills.table(result.kills)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    title = f"mutants (test-only, each must fail >= {kills.MIN_KILLS} vectors)"
    lines = [f"{title}: vectors failed/run per operation"]
    for row in rows:
        lines.append(
            "  ".join(
                f"{cell:<{w}}" if i in (0, len(row) - 1) else f"{cell:>{w}}"
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    return lines


def _md_table(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(padded[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in padded[1:]]
    return lines


def markdown(result: RunResult) -> str:
    lines = [
        "# regpen conformance report",
        "",
        "```",
        *result.suite.header(),
        "```",
        "",
    ]
    lines += ["## Matrix", "", LEGEND, "", *_md_table(matrix_rows(result)), ""]
    lines += ["## Status totals", ""]
    statuses = (
        PASS,
        FAIL,
        CODE_MISMATCH,
        ERRORED,
        XFAIL,
        DRIFT,
        UNSUPPORTED,
        UNAVAILABLE,
    )
    rows = [["backend", "language", *statuses]]
    languages = {i.name: i.language for i in result.backends}
    for name, totals in status_totals(result).items():
        rows.append([name, languages[name], *(str(totals[s]) for s in statuses)])
    lines += [*_md_table(rows), ""]

    lines += [
        "## Pairwise agreement",
        "",
        (
            "Tests where both backends returned a result or an error code, and how many of those "
            "were bit-identical (every bit counts: NaN sign and payload, the sign of zero)."
        ),
        "",
    ]
    pairs = agreement(result)
    if pairs:
        names = [i.name for i in judged(result) if i.unavailable is None]
        rows = [["", *names]]
        for a in names:
            row = [a]
            for b in names:
                if a == b:
                    row.append("-")
                else:
                    same, both = pairs.get((a, b)) or pairs[(b, a)]
                    row.append(f"{same}/{both}")
            rows.append(row)
        lines += [*_md_table(rows), ""]
    else:
        lines += ["(fewer than two backends ran)", ""]

    lines += ["## Teaching drift", ""]
    summaries = drift_summary(result)
    if summaries:
        rows = [["backend", "drifted", "ran", "max ulp", "median ulp", "NaN involved"]]
        for s in summaries:
            rows.append(
                [
                    s["backend"],
                    str(s["drifted"]),
                    str(s["ran"]),
                    str(s["max_ulp"]),
                    _num(s["median_ulp"]),
                    str(s["without_ulp"]),
                ]
            )
        lines += [*_md_table(rows), ""]
    else:
        lines += ["(no teaching backend ran)", ""]

    lines += ["## Mutants (kill matrix)", ""]
    if result.kills:
        lines += [
            (
                f"Deliberately wrong implementations (harness/backends/mutants.py); each must fail at least "
                f"{kills.MIN_KILLS} vectors. Cells: vectors failed/run ('.' = operation not changed by it). "
                "Mutants skip generated tests and tests expecting an error code."
            ),
            "",
            *_md_table(kills.table(result.kills)),
            "",
        ]
        lines += [f"- `{row.backend}`: {row.description}" for row in result.kills] + [""]
    else:
        lines += ["(no mutants ran)", ""]

    lines += ["## Timing checks", ""]
    if result.timing:
        rows = [["check", "status", "backend ms", "baseline ms", "speed ratio", "required"]]
        for c in result.timing:
            rows.append(
                [
                    c.check.name,
                    c.status + (f": {c.detail}" if c.detail else ""),
                    f"{c.backend_seconds * 1e3:.3f}" if c.backend_seconds else "",
                    f"{c.baseline_seconds * 1e3:.3f}" if c.baseline_seconds else "",
                    f"{c.ratio:.3g}" if c.ratio else "",
                    f">= {c.check.min_speed_ratio:g}",
                ]
            )
        lines += [*_md_table(rows), ""]
    else:
        lines += ["(none run)", ""]

    unavailable = [i for i in result.backends if i.unavailable is not None]
    if unavailable:
        lines += ["## Unavailable backends", ""]
        lines += [f"- `{i.name}`: {i.unavailable.strip()}" for i in unavailable] + [""]
    if result.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in result.notes] + [""]
    if result.violations or result.required_missing:
        lines += ["## Violations (the run fails)", ""]
        lines += [f"- {v}" for v in result.required_missing + result.violations] + [""]
    blocks = mismatches(result, limit=200)
    if blocks:
        lines += ["## Failing cells", "", "```", *blocks, "```", ""]
    lines += [
        f"Verdict: {'FAILED' if result.failed() else 'OK'} ({result.seconds:.1f} s)",
        "",
    ]
    return "\n".join(lines)


def junit(result: RunResult) -> ET.ElementTree:
    tests = {t["id"]: t for t in result.tests}
    root = ET.Element("testsuites", name="regpen-conformance")
    properties = ET.SubElement(root, "properties")
    ET.SubElement(properties, "property", name="suite", value=result.suite.name)
    ET.SubElement(properties, "property", name="suite_version", value=result.suite.version)
    for file_name, digest in sorted(result.suite.hashes.items()):
        ET.SubElement(properties, "property", name=f"sha256:{file_name}", value=digest)
    for info in judged(result):
        cells = result.cells[info.name]
        suite = ET.SubElement(root, "testsuite", name=info.name)
        counts = {"failures": 0, "errors": 0, "skipped": 0}
        for test_id, cell in cells.items():
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{info.name}.{tests[test_id]['operation']}",
                name=test_id,
                time="0",
            )
            if cell.status in (FAIL, CODE_MISMATCH):
                ET.SubElement(
                    case,
                    "failure",
                    message=f"{cell.status}: {cell.reason.splitlines()[0] if cell.reason else ''}",
                    type=cell.status,
                ).text = cell.reason
                counts["failures"] += 1
            elif cell.status == ERRORED:
                ET.SubElement(case, "error", message="backend crashed", type="crash").text = cell.reason
                counts["errors"] += 1
            elif cell.status in (UNSUPPORTED, UNAVAILABLE, XFAIL):
                ET.SubElement(
                    case,
                    "skipped",
                    message=f"{cell.status}: {cell.reason.splitlines()[0] if cell.reason else ''}",
                )
                counts["skipped"] += 1
            elif cell.status == DRIFT:
                ET.SubElement(case, "system-out").text = f"teaching drift: {cell.reason}"
        suite.set("tests", str(len(cells)))
        for key, value in counts.items():
            suite.set(key, str(value))
    harness = ET.SubElement(root, "testsuite", name="harness")
    problems = 0
    for index, violation in enumerate(result.required_missing + result.violations):
        case = ET.SubElement(
            harness,
            "testcase",
            classname="harness.strict",
            name=f"violation-{index}",
            time="0",
        )
        ET.SubElement(case, "failure", message=violation.splitlines()[0], type="violation").text = violation
        problems += 1
    for row in result.kills:
        case = ET.SubElement(harness, "testcase", classname="harness.mutants", name=row.backend, time="0")
        ET.SubElement(case, "system-out").text = f"{row.total} vectors failed: {row.kills}"
    for check in result.timing:
        case = ET.SubElement(
            harness,
            "testcase",
            classname="harness.timing",
            name=check.check.name,
            time="0",
        )
        if check.status == "fail":
            ET.SubElement(
                case,
                "failure" if result.strict_timing else "system-out",
                message=timing.describe(check),
            ).text = timing.describe(check)
            problems += result.strict_timing
        elif check.status == "skipped":
            ET.SubElement(case, "skipped", message=check.detail)
    harness.set(
        "tests",
        str(len(result.required_missing) + len(result.violations) + len(result.kills) + len(result.timing)),
    )
    harness.set("failures", str(problems))
    return ET.ElementTree(root)


def results_json(result: RunResult) -> dict:
    return {
        "suite": {"name": result.suite.name, "version": result.suite.version, "sha256": result.suite.hashes},
        "backends": [
            {
                "name": i.name,
                "language": i.language,
                "teaching": i.teaching,
                "worker": i.worker,
                "unavailable": i.unavailable,
                "mutant": i.mutant,
            }
            for i in result.backends
        ],
        "mutants": [
            {
                "backend": r.backend,
                "control": r.control,
                "failed": r.kills,
                "ran": r.ran,
                "crashes": r.crashes,
            }
            for r in result.kills
        ],
        "verdict": "failed" if result.failed() else "ok",
        "violations": result.required_missing + result.violations,
        "timing": [
            {
                "name": c.check.name,
                "status": c.status,
                "ratio": c.ratio,
                "backend_seconds": c.backend_seconds,
                "baseline_seconds": c.baseline_seconds,
                "detail": c.detail,
            }
            for c in result.timing
        ],
        "results": {
            name: {
                test_id: {
                    "status": c.status,
                    "got": c.outcome,
                    **({"reason": c.reason} if c.status != PASS else {}),
                }
                for test_id, c in cells.items()
            }
            for name, cells in result.cells.items()
        },
    }


def write_all(result: RunResult, directory: Path) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [
        directory / "conformance.md",
        directory / "junit.xml",
        directory / "results.json",
    ]
    paths[0].write_text(markdown(result))
    tree = junit(result)
    ET.indent(tree)
    tree.write(paths[1], encoding="utf-8", xml_declaration=True)
    paths[2].write_text(json.dumps(results_json(result), separators=(",", ":")) + "\n")
    return paths
