"""`harness bench` (make bench): every available backend and a few baselines, timed on the same
seeded arrays in one run, written to bench.md, bench.json and bench.png.

Backends are timed in their workers (with their own in-runtime timer when they have one, so a JVM
kernel is not charged for the Python-to-Java copy). Baselines run in this process: numpy's plain
reductions and elementwise formulas, `math.fsum`, and the native module's private probes (plain
non-exact SIMD sums and memory-bandwidth loops) when that module is built. A measurement predicted
to take longer than the budget is skipped, and the skip is written down.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from harness import data, timing
from harness.runner import Options, select_backends, start_workers, worker_key
from harness.worker import load_registry

SEED = 20261125
# The numpy formula a user would write for each operation and penalty: the `× np` divisor.
NUMPY_REFERENCE = {
    ("value", "l1"): "numpy abs().sum()",
    ("value", "l2"): "numpy dot(w, w)",
    ("value", "elastic_net"): "numpy abs().sum() + dot",
    ("gradient", "l1"): "numpy lam*sign(w)",
    ("gradient", "l2"): "numpy 2*lam*w",
    ("gradient", "elastic_net"): "numpy lam1*sign(w) + 2*lam2*w",
    ("prox", "l1"): "numpy soft threshold",
    ("prox", "l2"): "numpy w/(1+2*step*lam)",
    ("prox", "elastic_net"): "numpy soft threshold, shrink",
}
READ_PROBE = "native read probe"


@dataclass
class Row:
    implementation: str
    kind: str  # "backend" | "baseline" | "probe"
    operation: str
    dtype: str
    n: int
    seconds: float | None = None
    calls: int = 0
    method: str = ""
    note: str = ""


def _native_probes() -> tuple[object | None, str]:
    """regpen._native if it can be imported, else None and why."""
    try:
        from regpen import _native
    except ImportError as e:
        return None, f"regpen._native does not import ({e}); native probes skipped"
    return _native, ""


def baselines(
    operation: str, dtype: str, w: np.ndarray, native, penalty: str = "l1"
) -> dict[str, Callable[[], object]]:
    """In-process comparisons for one operation: what numpy users would write, and hardware probes."""
    params = data.penalty(penalty).params
    l1 = np.asarray(params.get("l1", params["lam"] if penalty == "l1" else 0.0), dtype)
    l2 = np.asarray(params.get("l2", params["lam"] if penalty == "l2" else 0.0), dtype)
    threshold = np.asarray(data.TIMING_STEP * float(l1), dtype)
    denominator = np.asarray(1 + 2 * data.TIMING_STEP * float(l2), dtype)
    formulas: dict[tuple[str, str], Callable[[], object]] = {
        ("value", "l1"): lambda: np.abs(w).sum(),
        ("value", "l2"): lambda: np.dot(w, w),
        ("value", "elastic_net"): lambda: l1 * np.abs(w).sum() + l2 * np.dot(w, w),
        ("gradient", "l1"): lambda: l1 * np.sign(w),
        ("gradient", "l2"): lambda: 2 * l2 * w,
        ("gradient", "elastic_net"): lambda: l1 * np.sign(w) + 2 * l2 * w,
        ("prox", "l1"): lambda: np.sign(w) * np.maximum(np.abs(w) - threshold, 0),
        ("prox", "l2"): lambda: w / denominator,
        ("prox", "elastic_net"): lambda: np.sign(w) * np.maximum(np.abs(w) - threshold, 0) / denominator,
    }
    found: dict[str, Callable[[], object]] = {
        NUMPY_REFERENCE[operation, penalty]: formulas[operation, penalty]
    }
    if operation == "value":
        found.setdefault("numpy abs().sum()", lambda: np.abs(w).sum())
        found.setdefault("numpy dot(w, w)", lambda: np.dot(w, w))
        found["numpy linalg.norm"] = lambda: np.linalg.norm(w)
        found["math.fsum(abs)"] = lambda: math.fsum(np.abs(w))
    if native is not None:
        found.update(_probes(operation, w, native))
        spec1_value = getattr(native, "_bench_spec1_value", None)
        if operation == "value" and spec1_value is not None and w.dtype == np.float64:
            # Spec 1.0's fl(lam × RN(S)) on the same kernels: the baseline of spec 2.0's speed floor.
            import regpen

            spec1_penalty = regpen.from_config({"type": penalty, **params})
            found["native spec-1.0 value"] = lambda: spec1_value(spec1_penalty, w)
    return found


def _probes(operation: str, w: np.ndarray, native) -> dict[str, Callable[[], object]]:
    """The native module's private probes. They take float64 only (anything else would be converted,
    and the conversion timed), so float32 data goes to the bandwidth probes as the same bytes viewed
    as float64, and the plain float64 sums are left out for it."""
    found: dict[str, Callable[[], object]] = {}
    if w.dtype == np.float64:
        data64 = w
        sums = {
            "native plain abs sum": "_bench_plain_abs_sum",
            "native plain square sum": "_bench_plain_square_sum",
        }
    elif w.nbytes % 8 == 0:
        data64, sums = w.view(np.float64), {}
    else:
        return found
    if operation == "value":
        for label, attribute in sums.items():
            probe = getattr(native, attribute, None)
            if probe is not None:
                found[label] = lambda probe=probe: probe(data64)
    read = getattr(native, "_bench_read_probe", None)
    if read is not None:
        found[READ_PROBE] = lambda: read(data64)
    copy = getattr(native, "_bench_copy_probe", None)
    if copy is not None and operation != "value":
        out = np.empty_like(data64)
        found["native copy probe"] = lambda: copy(data64, out)
    return found


def _repeats(n: int) -> int:
    return 3 if n >= 10_000_000 else 7


def _predicted_too_slow(previous: dict[str, Row], key: str, n: int, budget: float) -> str:
    """A note when the last size's time per element predicts a call longer than the budget."""
    row = previous.get(key)
    if row is None or row.seconds is None or row.n == 0:
        return ""
    predicted = row.seconds / row.n * n
    if predicted > budget:
        return f"skipped: about {predicted:.1f} s per call predicted from n={row.n}"
    return ""


def measure_all(args: argparse.Namespace) -> tuple[list[Row], list[str]]:
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    operations = [o for o in args.ops.split(",") if o]
    dtypes = [d for d in args.dtypes.split(",") if d]
    notes: list[str] = []
    native, why = _native_probes()
    if why:
        notes.append(why)

    registry = load_registry(args.registry)
    chosen = select_backends(registry, [n for v in args.backend or [] for n in v.split(",") if n])
    options = Options(
        registry=args.registry, timeout=max(args.timeout, 8 * args.budget), log_dir=args.reports / "workers"
    )
    workers = start_workers(chosen, options)
    available = []
    for key, client in workers.items():
        reasons = client.hello()
        for backend in (b for b in chosen if worker_key(b) == key):
            reason = reasons.get(backend.name)
            if reason is None:
                available.append(backend)
            else:
                notes.append(f"{backend.name} unavailable: {reason.splitlines()[0]}")

    plan = []
    for dtype in dtypes:
        for n in sizes:
            for operation in operations:
                for backend in available:
                    if backend.capabilities.gap(dtype, operation, [], args.penalty) is None:
                        plan.append((dtype, n, operation, backend))
                plan.append((dtype, n, operation, None))  # The in-process baselines.
    rows: list[Row] = []
    previous: dict[str, Row] = {}
    progress = _progress(len(plan), not args.no_progress)
    try:
        current: tuple[int, str] | None = None
        w = None
        for dtype, n, operation, backend in plan:
            if current != (n, dtype):
                current, w = (n, dtype), data.weights(n, dtype, SEED)
            if backend is not None:
                key = f"{backend.name}/{operation}/{dtype}"
                skip = _predicted_too_slow(previous, key, n, args.budget * 4)
                row = Row(backend.name, "backend", operation, dtype, n, note=skip)
                if not skip:
                    request = {
                        "backend": backend.name,
                        "operation": operation,
                        "penalty": args.penalty,
                        "dtype": dtype,
                        "n": n,
                        "seed": SEED,
                        "repeats": _repeats(n),
                        "budget": args.budget,
                    }
                    outcome = workers[worker_key(backend)].time(request, options.timeout)
                    if outcome.get("kind") == "timing":
                        row.seconds, row.calls, row.method = (
                            outcome["seconds"],
                            outcome["calls"],
                            outcome["method"],
                        )
                    else:
                        detail = outcome.get("code") or outcome.get("message", "")
                        row.note = f"not timed: {detail.strip().splitlines()[-1] if detail else '?'}"
                rows.append(row)
                previous[key] = row
            else:
                for label, call in baselines(operation, dtype, w, native, args.penalty).items():
                    key = f"{label}/{operation}/{dtype}"
                    skip = _predicted_too_slow(previous, key, n, args.budget)
                    kind = "probe" if label.startswith("native ") else "baseline"
                    row = Row(label, kind, operation, dtype, n, note=skip, method="in-process")
                    if not skip:
                        try:
                            row.seconds, row.calls = timing.median_call_seconds(
                                call, _repeats(n), args.budget
                            )
                        except (TypeError, ValueError, RuntimeError, MemoryError) as e:
                            # A probe whose signature changed is a note, not a failed benchmark.
                            row.note = f"not timed: {type(e).__name__}: {e}"
                    rows.append(row)
                    previous[key] = row
            if progress is not None:
                progress.update(1)
    finally:
        if progress is not None:
            progress.close()
        for client in workers.values():
            client.stop()
    return rows, notes


def _progress(total: int, enabled: bool):
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc="bench", unit="measurement", file=sys.stderr)


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        # Other work on a shared machine skews timings (BLAS threads suffer most): record it.
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def markdown(rows: list[Row], notes: list[str], info: dict[str, str], penalty: str) -> str:
    lines = [
        "# regpen benchmark",
        "",
        f"{info['date']} · {info['cpu']} · {info['cores']} cores · "
        f"Python {info['python']} · numpy {info['numpy']} · load average {info['load_average']}",
        "",
        f"Penalty {penalty}; standard-normal weights from seed {SEED}, the same arrays for every",
        "implementation. Each cell is the median time per call, then two ratios at the same n:",
        "`× np` divides by the numpy formula for this penalty (L1: `np.abs(w).sum()`, `lam*np.sign(w)`,",
        "the soft threshold; L2: `np.dot(w, w)`, `2*lam*w`, `w/(1+2*step*lam)`); `× read` divides by",
        "the native read-bandwidth probe, i.e. how many passes over memory the call costs (for",
        "float32 the probes read the same bytes viewed as float64). `time_kernel` rows are timed",
        "inside their own runtime (no Python-to-JVM copy); `python-call` rows include the binding's",
        "call and conversion cost.",
        "",
    ]
    index = {(r.implementation, r.operation, r.dtype, r.n): r for r in rows}
    sizes = sorted({r.n for r in rows})
    for operation in dict.fromkeys(r.operation for r in rows):
        for dtype in dict.fromkeys(r.dtype for r in rows):
            subset = [r for r in rows if r.operation == operation and r.dtype == dtype]
            if not subset:
                continue
            lines += [f"## {operation}, {dtype}", ""]
            lines.append("| implementation | how | " + " | ".join(f"n = {n:,}" for n in sizes) + " |")
            lines.append("|---|---|" + "---|" * len(sizes))
            for implementation in dict.fromkeys(r.implementation for r in subset):
                cells = []
                how = ""
                for n in sizes:
                    row = index.get((implementation, operation, dtype, n))
                    if row is None:
                        cells.append("")
                        continue
                    how = how or row.method
                    if row.seconds is None:
                        cells.append(row.note or "-")
                        continue
                    text = format_seconds(row.seconds)
                    ratios = []
                    numpy_row = index.get((NUMPY_REFERENCE[operation, penalty], operation, dtype, n))
                    if numpy_row and numpy_row.seconds and implementation != numpy_row.implementation:
                        ratios.append(f"{row.seconds / numpy_row.seconds:.2g}× np")
                    read_row = index.get((READ_PROBE, operation, dtype, n))
                    if read_row and read_row.seconds and implementation != READ_PROBE:
                        ratios.append(f"{row.seconds / read_row.seconds:.2g}× read")
                    cells.append(text + (f" ({', '.join(ratios)})" if ratios else ""))
                lines.append(f"| {implementation} | {how} | " + " | ".join(cells) + " |")
            lines.append("")
    if notes:
        lines += ["## Notes", ""] + [f"- {note}" for note in notes] + [""]
    skipped = [r for r in rows if r.seconds is None and r.note]
    if skipped:
        lines += ["## Not measured", ""]
        lines += [f"- {r.implementation} {r.operation} {r.dtype} n={r.n:,}: {r.note}" for r in skipped] + [""]
    return "\n".join(lines)


def plot(rows: list[Row], path: Path) -> None:
    """Time per element against n, log-log: one panel per operation and dtype, one line per
    implementation with the same colour in every panel, backends solid, baselines dashed, probes
    dotted, and one legend for the whole figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    operations = list(dict.fromkeys(r.operation for r in rows))
    dtypes = list(dict.fromkeys(r.dtype for r in rows))
    names = list(dict.fromkeys(r.implementation for r in rows))
    palette = plt.get_cmap("tab20").colors
    markers = "os^Dv<>ph*"
    styles = {"backend": "-", "baseline": "--", "probe": ":"}
    kinds = {r.implementation: r.kind for r in rows}
    figure, axes = plt.subplots(
        len(dtypes), len(operations), figsize=(5 * len(operations) + 2, 4 * len(dtypes)), squeeze=False
    )
    handles = {}
    for i, dtype in enumerate(dtypes):
        for j, operation in enumerate(operations):
            ax = axes[i][j]
            subset = [r for r in rows if r.dtype == dtype and r.operation == operation and r.seconds]
            for name in dict.fromkeys(r.implementation for r in subset):
                points = sorted((r.n, r.seconds / r.n * 1e9) for r in subset if r.implementation == name)
                k = names.index(name)
                (line,) = ax.plot(
                    *zip(*points, strict=True),
                    styles[kinds[name]],
                    color=palette[k % len(palette)],
                    marker=markers[k % len(markers)],
                    markersize=3,
                    linewidth=1.2,
                )
                handles[name] = line
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("n (elements)")
            ax.set_ylabel("ns per element")
            ax.set_title(f"{operation}, {dtype}")
            ax.grid(True, which="both", alpha=0.3)
    ordered = [n for n in names if n in handles]
    figure.tight_layout(rect=(0, 0, 0.86, 1))
    figure.legend(
        [handles[n] for n in ordered],
        ordered,
        loc="center left",
        bbox_to_anchor=(0.865, 0.5),
        fontsize=7,
        frameon=False,
    )
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(args: argparse.Namespace) -> int:
    rows, notes = measure_all(args)
    info = machine()
    args.reports.mkdir(parents=True, exist_ok=True)
    (args.reports / "bench.md").write_text(markdown(rows, notes, info, args.penalty))
    document = {
        "machine": info,
        "penalty": args.penalty,
        "seed": SEED,
        "notes": notes,
        "rows": [asdict(r) for r in rows],
    }
    (args.reports / "bench.json").write_text(json.dumps(document, indent=1) + "\n")
    plot(rows, args.reports / "bench.png")
    print((args.reports / "bench.md").read_text())
    for name in ("bench.md", "bench.json", "bench.png"):
        print(f"wrote {args.reports / name}")
    return 0
