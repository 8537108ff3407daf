"""The rosetta page's machinery (docs/rosetta.md): extract its snippets, run each in its language,
and write the page's generated sections (the teaching backends' drift, the worked example).

    python docs/tools/rosetta.py run                # run every snippet, compare with the page
    python docs/tools/rosetta.py update [--results reports/results.json]   # rewrite generated parts

A snippet is a fenced block whose info string is `<language> run`; the next fenced block, `output`,
is what it must print. One process per language runs all of its snippets (one javac and one java for
Java, one scalac and one java for Scala, one java for Clojure), each snippet's output preceded by a
marker line so the outputs can be split again.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "rosetta.md"
BUILD = ROOT / "build"
TOOLS = Path(__file__).resolve().parent
MARKER = "=== rosetta snippet "
LANGUAGES = ("python", "c", "java", "scala", "clojure")
TEACHING = ("python-seed", "java-seed", "scala-seed", "clojure-seed")
ADVERSARIAL = "rounding_boundary"


class SnippetError(RuntimeError):
    """A snippet could not be compiled or run, or a tool it needs is missing."""


@dataclass(frozen=True)
class Snippet:
    language: str
    code: str
    expected: str  # the page's output block
    line: int  # 1-based line of the snippet's fence in the page

    @property
    def name(self) -> str:
        return f"{self.language} snippet at docs/rosetta.md:{self.line}"


def snippets(text: str) -> list[Snippet]:
    """Every `<language> run` block and the `output` block that follows it, parsed by markdown-it."""
    from markdown_it import MarkdownIt

    fences = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "fence"]
    found = []
    for index, token in enumerate(fences):
        words = token.info.split()
        if words[1:2] != ["run"]:
            continue
        if words[0] not in LANGUAGES:
            raise SnippetError(f"line {token.map[0] + 1}: unknown snippet language {words[0]!r}")
        following = fences[index + 1] if index + 1 < len(fences) else None
        if following is None or following.info.strip() != "output":
            raise SnippetError(
                f"line {token.map[0] + 1}: a `run` block must be followed by an `output` block"
            )
        found.append(Snippet(words[0], token.content, following.content, token.map[0] + 1))
    return found


# --- running -------------------------------------------------------------------------------------


def _classpath(name: str) -> str:
    """A classpath file written by the build (one entry per line), joined for java -cp."""
    path = BUILD / "jvm-classpath" / name
    if not path.is_file():
        raise SnippetError(f"{path} is missing: run `make build` first")
    return os.pathsep.join(line.strip() for line in path.read_text().splitlines() if line.strip())


def _run(command: list[str], what: str, cwd: Path | None = None, env: dict | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, check=False, timeout=600)
    if done.returncode != 0:
        raise SnippetError(f"{what} failed ({done.returncode}): {' '.join(command[:3])} ...\n{done.stderr}")
    return done.stdout


def _split(stdout: str, count: int) -> list[str]:
    parts = stdout.split(MARKER)
    if parts[0].strip() or len(parts) != count + 1:
        raise SnippetError(f"expected {count} marked outputs, got:\n{stdout}")
    return [part.split("\n", 1)[1] if "\n" in part else "" for part in parts[1:]]


def run_python(group: list[Snippet], work: Path) -> list[str]:
    outputs = []
    for index, snippet in enumerate(group):
        source = work / f"snippet_{index}.py"
        source.write_text(snippet.code)
        outputs.append(_run([sys.executable, str(source)], snippet.name, cwd=work))
    return outputs


def run_c(group: list[Snippet], work: Path) -> list[str]:
    library = BUILD / "native"
    if not (library / "libregpen.so").is_file():
        raise SnippetError(f"{library}/libregpen.so is missing: run `make native-build` first")
    compiler = os.environ.get("CC", "cc")
    outputs = []
    for index, snippet in enumerate(group):
        source, program = work / f"snippet_{index}.c", work / f"snippet_{index}"
        source.write_text(snippet.code)
        _run(
            [compiler, "-std=c11", "-Wall", "-Werror", "-I", str(ROOT / "native" / "include"), str(source),
             "-o", str(program), f"-L{library}", f"-Wl,-rpath,{library}", "-lregpen", "-lm"],
            f"compiling the {snippet.name}",
        )  # fmt: skip
        outputs.append(_run([str(program)], snippet.name))
    return outputs


def _class_name(snippet: Snippet, pattern: str) -> str:
    match = re.search(pattern, snippet.code, re.MULTILINE)
    if match is None:
        raise SnippetError(f"{snippet.name}: no main class found")
    return match.group(1)


def _run_mains(classpath: str, classes: list[str], what: str) -> list[str]:
    """One JVM runs every snippet's main in order (docs/tools/RunMains.java, source-launched)."""
    command = ["java", "-cp", classpath, str(TOOLS / "RunMains.java"), MARKER, *classes]
    return _split(_run(command, what), len(classes))


def run_java(group: list[Snippet], work: Path) -> list[str]:
    classpath = _classpath("jvm.txt")
    classes = [_class_name(s, r"^public (?:final )?class (\w+)") for s in group]
    for snippet, name in zip(group, classes, strict=True):
        (work / f"{name}.java").write_text(snippet.code)
    out = work / "classes"
    _run(["javac", "-d", str(out), "-cp", classpath, *(str(work / f"{c}.java") for c in classes)], "javac")
    return _run_mains(os.pathsep.join([str(out), classpath]), classes, "the Java snippets")


def run_scala(group: list[Snippet], work: Path) -> list[str]:
    classpath, compiler = _classpath("jvm.txt"), _classpath("scalac.txt")
    classes = [_class_name(s, r"^object (\w+)") for s in group]
    for snippet, name in zip(group, classes, strict=True):
        (work / f"{name}.scala").write_text(snippet.code)
    out = work / "classes"
    out.mkdir()
    _run(
        ["java", "-cp", compiler, "dotty.tools.dotc.Main", "-classpath", classpath, "-d", str(out),
         *(str(work / f"{c}.scala") for c in classes)],
        "scalac",
    )  # fmt: skip
    return _run_mains(os.pathsep.join([str(out), classpath]), classes, "the Scala snippets")


def run_clojure(group: list[Snippet], work: Path) -> list[str]:
    classpath = _classpath("clojure.txt")
    files = []
    for index, snippet in enumerate(group):
        files.append(work / f"snippet_{index}.clj")
        files[-1].write_text(snippet.code)
    script = (
        "(doseq [f *command-line-args*] "
        f'(println "{MARKER}" f) (binding [*ns* (create-ns (gensym "rosetta"))] '
        "(clojure.core/refer-clojure) (load-file f)) (flush))"
    )
    driver = work / "run_snippets.clj"
    driver.write_text(script)
    command = ["java", "-cp", classpath, "clojure.main", str(driver), *map(str, files)]
    return _split(_run(command, "the Clojure snippets"), len(group))


RUNNERS: dict[str, Callable[[list[Snippet], Path], list[str]]] = {
    "python": run_python,
    "c": run_c,
    "java": run_java,
    "scala": run_scala,
    "clojure": run_clojure,
}


def run_all(page: Path = PAGE, languages: tuple[str, ...] = LANGUAGES) -> list[tuple[Snippet, str]]:
    """(snippet, what it printed) for every snippet of the page in the given languages."""
    found = snippets(page.read_text())
    results = []
    with tempfile.TemporaryDirectory(prefix="rosetta-") as tmp:
        for language in languages:
            group = [s for s in found if s.language == language]
            if not group:
                continue
            work = Path(tmp) / language
            work.mkdir()
            results += zip(group, RUNNERS[language](group, work), strict=True)
    return results


# --- generated sections --------------------------------------------------------------------------


def _section(text: str, name: str, body: str) -> str:
    begin, end = f"<!-- BEGIN generated: {name} -->", f"<!-- END generated: {name} -->"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(text):
        raise SnippetError(f"the page has no generated section {name!r}")
    return pattern.sub(lambda _: f"{begin}\n{body.rstrip()}\n{end}", text)


def generated_body(text: str, name: str) -> str:
    match = re.search(
        rf"<!-- BEGIN generated: {re.escape(name)} -->\n(.*?)<!-- END generated: {re.escape(name)} -->",
        text,
        re.DOTALL,
    )
    if match is None:
        raise SnippetError(f"the page has no generated section {name!r}")
    return match.group(1)


def _hex64(x: float) -> str:
    return f"0x{int.from_bytes(__import__('struct').pack('>d', x), 'big'):016x}"


def worked_example() -> str:
    """The exact sum of [1.0, 1e-16, 1e-16], the correctly rounded sum, and the naive one."""
    weights = [1.0, 1e-16, 1e-16]
    exact = sum((Fraction(w) for w in weights), Fraction(0))
    correct = float(exact)  # Fraction → float rounds once, to nearest, ties to even
    naive = 0.0
    steps = []
    for w in weights:
        before = naive
        naive += w
        steps.append(f"| `{before!r} + {w!r}` | {_decimal(Fraction(before) + Fraction(w))} | `{naive!r}` |")
    ulp = Fraction(2) ** -52
    return "\n".join(
        [
            f"- As float64, `1e-16` is exactly {_decimal(Fraction(1e-16))} (the float64 nearest to 10⁻¹⁶).",
            f"- The exact sum is **{_decimal(exact)}**.",
            f"- Its two float64 neighbours are `1.0` and `1.0000000000000002` = 1 + 2⁻⁵² "
            f"(2⁻⁵² = {_decimal(ulp)}); the midpoint between them is 1 + 2⁻⁵³ = {_decimal(1 + ulp / 2)}.",
            f"- The exact sum is above the midpoint, so the correctly rounded sum is `{correct!r}` "
            f"(bits `{_hex64(correct)}`): what regpen returns in every language.",
            "- The naive loop rounds after each addition:",
            "",
            "| step | exact result of the step | rounded to float64 |",
            "|---|---|---|",
            *steps,
            "",
            f"  Each `1e-16` alone is less than half an ULP of 1.0, so each addition rounds back down "
            f"and the loop returns `{naive!r}` (bits `{_hex64(naive)}`): one ULP below the correctly "
            "rounded result. Adding the two small weights first would have kept them: the order decides.",
        ]
    )


def _decimal(value: Fraction) -> str:
    """The exact decimal expansion of a dyadic rational."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    digits = 0
    while (value * 10**digits).denominator != 1:
        digits += 1
    scaled = str(int(value * 10**digits)).rjust(digits + 1, "0")
    return sign + (scaled[:-digits] + "." + scaled[-digits:] if digits else scaled)


def drift_rows(results: dict, vectors_dir: Path) -> list[dict]:
    """Per teaching backend, on L1's float64 value vectors (all, and the adversarial ones): how many
    ran, how many the harness marked as drift, and the largest and median ULP distance of those."""
    from harness.compare import ulp_distance

    document = json.loads((vectors_dir / "value.json").read_text())
    tests = {
        t["id"]: t
        for group in document["groups"]
        for t in group["tests"]
        if t["penalty"]["type"] == "l1" and t["dtype"] == "float64"
    }
    rows = []
    for backend in TEACHING:
        cells = results["results"].get(backend)
        if cells is None:
            raise SnippetError(f"results.json has no {backend} results: run `make conformance`")
        for subset in ("all", ADVERSARIAL):
            chosen = [
                (tests[test_id], cell)
                for test_id, cell in cells.items()
                if test_id in tests
                and cell["status"] not in ("unsupported", "unavailable")
                and (subset == "all" or ADVERSARIAL in tests[test_id].get("flags", []))
            ]
            drifted = [(test, cell) for test, cell in chosen if cell["status"] == "drift"]
            ulps = [ulp_distance(test["expected"], cell["got"]["bits"]) for test, cell in drifted]
            finite = [u for u in ulps if u is not None]
            rows.append(
                {
                    "backend": backend,
                    "vectors": "all L1 value (float64)"
                    if subset == "all"
                    else f"{ADVERSARIAL} (adversarial)",
                    "ran": len(chosen),
                    "drifted": len(drifted),
                    "max_ulp": max(finite, default=0),
                    "median_ulp_of_drifted": statistics.median(finite) if finite else 0,
                }
            )
    return rows


def drift_section(results_path: Path, vectors_dir: Path) -> str:
    results = json.loads(results_path.read_text())
    rows = drift_rows(results, vectors_dir)
    suite = results["suite"]
    digest = suite["sha256"].get("value.json", "")[:12]
    lines = [
        f"From a harness run on vector suite {suite['version']} (value.json sha256 `{digest}…`).",
        "",
        "| teaching backend | vectors | ran | drifted | max ULP | median ULP of the drifted |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{r['backend']}` | {r['vectors']} | {r['ran']} | {r['drifted']} | {r['max_ulp']} "
        f"| {r['median_ulp_of_drifted']:g} |"
        for r in rows
    ]
    return "\n".join(lines)


def update(page: Path, results_path: Path, vectors_dir: Path) -> None:
    text = page.read_text()
    text = _section(text, "drift", drift_section(results_path, vectors_dir))
    text = _section(text, "worked-example", worked_example())
    page.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run every snippet and compare its output with the page")
    run.add_argument("--language", action="append", choices=LANGUAGES, help="only these languages")
    up = commands.add_parser("update", help="rewrite the generated sections of the page")
    up.add_argument("--results", type=Path, default=ROOT / "reports" / "results.json", help="harness results")
    up.add_argument("--vectors", type=Path, default=ROOT / "conformance" / "vectors", help="vector directory")
    options = parser.parse_args(argv)
    if options.command == "update":
        update(PAGE, options.results, options.vectors)
        print(f"updated {PAGE}")
        return 0
    failures = 0
    for snippet, output in run_all(PAGE, tuple(options.language or LANGUAGES)):
        same = output == snippet.expected
        failures += not same
        print(f"{'ok  ' if same else 'DIFF'} {snippet.name}")
        if not same:
            print(f"  page:\n{snippet.expected}  printed:\n{output}")
    return 1 if failures else 0


if __name__ == "__main__":
    if shutil.which("java") is None:
        print("note: no java on PATH; the JVM snippets will fail", file=sys.stderr)
    sys.exit(main())
