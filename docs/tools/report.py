"""`make report`: one self-contained offline page, reports/index.html.

It holds the seed's five figures and a regularization path (regpen.plots, from real fits), a picture
of the latest conformance run (the backend × operation matrix and the teaching backends' drift, read
from the harness's reports/results.json), the bench plots when `make bench` has written them, and
the rosetta page rendered by markdown-it-py. Every image is inlined as a data URI, so the page needs
no network and no other file; links to files beside it (conformance.md, results.json) are added only
when those files exist.

    python docs/tools/report.py --reports reports
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import rosetta

ROOT = rosetta.ROOT
VECTORS = ROOT / "conformance" / "vectors"
# The harness's column order; operations a newer suite adds (e.g. l1_regularization) follow them.
OPERATIONS = ("value", "gradient", "prox", "loss", "from_config", "config_roundtrip", "convert")
# Colour per cell status, worst first: the first status present in a cell decides its colour.
STATUS_COLOURS = (
    ("fail", "#d1242f"),
    ("code_mismatch", "#d1242f"),
    ("errored", "#8250df"),
    ("drift", "#d4a72c"),
    ("xfail", "#9aa5b1"),
    ("pass", "#2da44e"),
    ("unsupported", "#eaeef2"),
)
FIGURES = (
    (
        "l1_before_after.png",
        "Before and after L1",
        "L1 cuts the unnecessary connections: the noise "
        "features' least-squares weights are clearly nonzero, and L1 sets every one of them to exactly 0.",
    ),
    (
        "l1_path.png",
        "L1 weights against λ",
        "As λ grows the weights shrink and reach exactly 0 one by "
        "one, like switches turned off; the noise features go first.",
    ),
    (
        "l1_bars.png",
        "ELI5: how L1 works",
        "Weights as bars, tallest first. After L1 only the important "
        "bars remain; the others (dashed) are exactly 0.",
    ),
    (
        "l2_after.png",
        "After L2",
        "L2 makes every weight smaller here and removes none. (With strongly "
        "correlated features ridge can grow a single weight while the total size shrinks.)",
    ),
    (
        "l2_path.png",
        "L2 weights against λ",
        "As λ grows all weights shrink smoothly toward 0, and none reaches it.",
    ),
)


def data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def figure(path: Path, title: str, caption: str, anchor: str) -> str:
    return (
        f'<figure id="{anchor}"><img src="{data_uri(path)}" alt="{html.escape(title)}">'
        f"<figcaption><b>{html.escape(title)}.</b> {html.escape(caption)}</figcaption></figure>"
    )


# --- conformance ---------------------------------------------------------------------------------


def test_index(vectors_dir: Path = VECTORS) -> dict[str, tuple[str, str]]:
    """Every vector test id → (operation, dtype or "-")."""
    manifest = json.loads((vectors_dir / "manifest.json").read_text())
    index = {}
    for name in manifest["files"]:
        document = json.loads((vectors_dir / name).read_text())
        for group in document["groups"]:
            for test in group["tests"]:
                index[test["id"]] = (test["operation"], test.get("dtype", "-"))
    return index


def matrix(results: dict, index: dict[str, tuple[str, str]]) -> list[dict]:
    """One row per available backend: for each operation, the status counts of its cells."""
    rows = []
    for backend in results["backends"]:
        if backend.get("unavailable"):
            rows.append({"backend": backend["name"], "teaching": backend["teaching"], "unavailable": True})
            continue
        cells: dict[str, dict[str, int]] = {op: {} for op in OPERATIONS}
        for test_id, cell in results["results"].get(backend["name"], {}).items():
            operation = index.get(test_id, (test_id.split("/")[0], "-"))[0]
            counts = cells.setdefault(operation, {})
            counts[cell["status"]] = counts.get(cell["status"], 0) + 1
        rows.append({"backend": backend["name"], "teaching": backend["teaching"], "cells": cells})
    return rows


def operations(rows: list[dict]) -> list[str]:
    seen = {op for row in rows for op in row.get("cells", {})}
    return [*OPERATIONS, *sorted(seen - set(OPERATIONS))]


def _cell_colour(counts: dict[str, int]) -> str:
    for status, colour in STATUS_COLOURS:
        if counts.get(status):
            return colour
    return "#ffffff"


def _cell_text(counts: dict[str, int]) -> str:
    ran = sum(v for k, v in counts.items() if k != "unsupported")
    if not counts:
        return "."
    if not ran:
        return "gap"
    return f"{counts.get('pass', 0)}/{ran}"


def conformance_picture(rows: list[dict], path: Path) -> Path:
    """The backend × operation matrix as a coloured grid (passed/ran in each cell)."""
    from regpen.plots import _pyplot, save

    plt = _pyplot()
    shown = [r for r in rows if not r.get("unavailable")]
    columns = operations(rows)
    fig, ax = plt.subplots(figsize=(1.1 * len(columns) + 0.5, 0.42 * len(shown) + 1.3))
    for y, row in enumerate(shown):
        for x, op in enumerate(columns):
            counts = row["cells"].get(op, {})
            ax.add_patch(plt.Rectangle((x, y), 0.96, 0.9, color=_cell_colour(counts)))
            ax.text(x + 0.48, y + 0.45, _cell_text(counts), ha="center", va="center", fontsize=7)
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(shown), 0)
    ax.set_xticks([x + 0.48 for x in range(len(columns))], columns, fontsize=7)
    ax.xaxis.tick_top()
    ax.set_yticks(
        [y + 0.45 for y in range(len(shown))],
        [r["backend"] + (" (teaching)" if r["teaching"] else "") for r in shown],
        fontsize=7,
    )
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    fig.tight_layout()
    return save(fig, path)


def drift_picture(rows: list[dict], path: Path) -> Path:
    """How many L1 value results each teaching backend got wrong, all vectors and adversarial ones."""
    from regpen.plots import _pyplot, save

    plt = _pyplot()
    backends = list(dict.fromkeys(r["backend"] for r in rows))
    fig, ax = plt.subplots(figsize=(7, 3))
    width = 0.38
    for shift, subset, colour in (
        (-width / 2, "all", "#9aa5b1"),
        (width / 2, rosetta.ADVERSARIAL, "#d1242f"),
    ):
        share = [
            100.0 * r["drifted"] / r["ran"] if r["ran"] else 0.0
            for r in rows
            if (subset == "all") == r["vectors"].startswith("all")
        ]
        bars = ax.bar(
            [i + shift for i in range(len(backends))],
            share,
            width,
            color=colour,
            label="all L1 value vectors" if subset == "all" else "adversarial (rounding boundary)",
        )
        ax.bar_label(bars, fmt="%.0f%%", fontsize=7)
    ax.set_xticks(range(len(backends)), backends)
    ax.set_ylabel("results not correctly rounded (%)")
    ax.set_ylim(0, 110)
    ax.set_title("Teaching backends (the naive loops): share of results off by at least one ULP", fontsize=9)
    ax.legend(frameon=False, fontsize=7, loc="upper left")
    fig.tight_layout()
    return save(fig, path)


def matrix_table(rows: list[dict]) -> str:
    columns = operations(rows)
    head = "".join(f"<th>{op}</th>" for op in columns)
    body = []
    for row in rows:
        name = html.escape(row["backend"]) + (" <small>(teaching)</small>" if row["teaching"] else "")
        if row.get("unavailable"):
            body.append(f'<tr><th>{name}</th><td colspan="{len(columns)}">unavailable</td></tr>')
            continue
        cells = "".join(
            f'<td style="background:{_cell_colour(row["cells"].get(op, {}))}22">'
            f"{_cell_text(row['cells'].get(op, {}))}</td>"
            for op in columns
        )
        body.append(f"<tr><th>{name}</th>{cells}</tr>")
    return f'<table class="matrix"><tr><th>backend</th>{head}</tr>{"".join(body)}</table>'


def drift_table(rows: list[dict]) -> str:
    lines = [
        "<table><tr><th>teaching backend</th><th>vectors</th><th>ran</th><th>drifted</th>"
        "<th>max ULP</th><th>median ULP of the drifted</th></tr>"
    ]
    lines += [
        f"<tr><td><code>{r['backend']}</code></td><td>{r['vectors']}</td><td>{r['ran']}</td>"
        f"<td>{r['drifted']}</td><td>{r['max_ulp']}</td><td>{r['median_ulp_of_drifted']:g}</td></tr>"
        for r in rows
    ]
    return "".join(lines) + "</table>"


def conformance_section(reports: Path, figures: Path) -> str:
    results_path = reports / "results.json"
    if not results_path.is_file():
        return (
            "<p><b>No conformance run yet:</b> run <code>make conformance</code>, "
            "then <code>make report</code>.</p>"
        )
    results = json.loads(results_path.read_text())
    rows = matrix(results, test_index())
    drift_rows = rosetta.drift_rows(results, VECTORS)
    suite = results["suite"]
    links = " · ".join(
        f'<a href="{name}">{name}</a>'
        for name in ("conformance.md", "results.json", "junit.xml")
        if (reports / name).is_file()
    )
    parts = [
        f"<p>Latest run: vector suite {html.escape(suite['version'])}, verdict "
        f"<b>{html.escape(results['verdict'])}</b>. Each cell: results bit-identical to the oracle's "
        "vectors / results that ran (gap: the backend cannot express those tests). Green: all pass; "
        f"yellow: teaching drift; red: a failure. Files: {links or 'none beside this page'}.</p>",
        figure(
            conformance_picture(rows, figures / "conformance.png"),
            "Conformance matrix",
            "Backend × operation, from reports/results.json.",
            "conformance-matrix",
        ),
        matrix_table(rows),
        figure(
            drift_picture(drift_rows, figures / "drift.png"),
            "Teaching drift",
            "The seed's naive loops against the correctly rounded vectors.",
            "teaching-drift",
        ),
        drift_table(drift_rows),
    ]
    return "\n".join(parts)


# --- bench ---------------------------------------------------------------------------------------


def bench_section(reports: Path) -> str:
    plots = [(reports / "bench.png", "L1"), (reports / "bench-l2" / "bench.png", "L2")]
    present = [(p, name) for p, name in plots if p.is_file()]
    if not present:
        return "<p>No bench results yet: run <code>make bench</code>, then <code>make report</code>.</p>"
    return "\n".join(
        figure(
            p,
            f"Speed of every backend, {name}",
            f"From {p.relative_to(reports)} (make bench).",
            f"bench-{name.lower()}",
        )
        for p, name in present
    )


# --- rosetta -------------------------------------------------------------------------------------


def slug(text: str) -> str:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def render_markdown(text: str) -> str:
    """Markdown → HTML by markdown-it-py (CommonMark plus tables), headings given GitHub's ids."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", slug(tokens[index + 1].content))
    return md.renderer.render(tokens, md.options, {})


# --- page ----------------------------------------------------------------------------------------

PATH_CAPTION = (
    "scikit-learn's diabetes data (442 patients, 10 features), fitted by regpen.model.LinearModel for 30 "
    "strengths λ from λ_max (every weight 0) down to λ_max/100; `regpen path` draws the same plot for any "
    "CSV file."
)
STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 1em 2em; }
body { color: #1f2328; }
nav { background: #f6f8fa; padding: .5em 1em; border-radius: 6px; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #d0d7de; }
figcaption { font-size: 13px; color: #57606a; }
table { border-collapse: collapse; margin: .8em 0; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; }
.matrix td { text-align: center; }
pre { background: #f6f8fa; padding: .6em; overflow-x: auto; font-size: 13px; }
code { font-size: 13px; }
li, td { overflow-wrap: anywhere; } td code { white-space: nowrap; }
section.rosetta { border-top: 2px solid #d0d7de; margin-top: 2em; }
pre:has(code.language-output) { background: #eef6ee; border-left: 4px solid #2da44e; }
"""


def build(reports: Path, progress: bool = False) -> Path:
    """Write reports/index.html (and its figures under reports/figures/); return its path."""
    from regpen.plots import diabetes_path_figure, seed_figures

    reports.mkdir(parents=True, exist_ok=True)
    figures = reports / "figures"
    seed_figures(figures, progress=progress)
    path_plot = diabetes_path_figure(figures / "path_diabetes.png", progress=progress)
    seed = "\n".join(
        figure(figures / name, title, caption, name.removesuffix(".png").replace("_", "-"))
        for name, title, caption in FIGURES
    )
    body = f"""
<h1 id="top">regpen report</h1>
<nav><a href="#figures">Figures</a> · <a href="#regularization-path">Regularization path</a> ·
<a href="#conformance">Conformance</a> · <a href="#bench">Bench</a> · <a href="#rosetta">Rosetta</a></nav>
<p>One regularization-penalty API (L1, L2, Elastic Net) in Python, C++, Java, Scala and Clojure, every
result correctly rounded and bit-identical across languages. Everything here comes from real fits
and runs on this machine; this page needs no network.</p>
<h2 id="figures">What the penalties do (the seed's five figures)</h2>
{seed}
<h2 id="regularization-path">Regularization path</h2>
{figure(path_plot, "L1 path of the diabetes data", PATH_CAPTION, "path-diabetes")}
<h2 id="conformance">Conformance</h2>
{conformance_section(reports, figures)}
<h2 id="bench">Bench</h2>
{bench_section(reports)}
<section class="rosetta" id="rosetta">
{render_markdown((ROOT / "docs" / "rosetta.md").read_text())}
</section>
<p><a href="#top">Back to the top</a></p>
"""
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"><title>regpen report</title>'
        f"<style>{STYLE}</style></head><body>{body}</body></html>\n"
    )
    index = reports / "index.html"
    index.write_text(page)
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--reports", type=Path, default=ROOT / "reports", help="report directory (default reports/)"
    )
    options = parser.parse_args(argv)
    index = build(options.reports, progress=sys.stderr.isatty())
    print(index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
