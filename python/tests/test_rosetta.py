"""docs/rosetta.md cannot lie: every snippet is compiled and run in its language and must print exactly
the output block under it, and the generated sections match what docs/tools/rosetta.py writes."""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "tools"))

import rosetta  # noqa: E402

pytest.importorskip("markdown_it")
PAGE_TEXT = rosetta.PAGE.read_text()


def test_every_language_shows_regpen_and_the_naive_loop() -> None:
    found = rosetta.snippets(PAGE_TEXT)
    for language in rosetta.LANGUAGES:
        group = [s for s in found if s.language == language]
        assert len(group) >= 2, f"{language}: the regpen call and the naive loop"
        assert all(s.expected.strip() for s in group)


@pytest.mark.parametrize("language", rosetta.LANGUAGES)
def test_snippets_print_what_the_page_shows(language: str) -> None:
    results = rosetta.run_all(rosetta.PAGE, (language,))
    assert results, f"no {language} snippets ran"
    for snippet, output in results:
        assert output == snippet.expected, (
            f"{snippet.name} printed:\n{output}\nthe page shows:\n{snippet.expected}"
        )


def test_a_changed_output_block_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python run\nprint(0.1 + 0.2)\n```\n\n```output\n0.3\n```\n")
    [(snippet, output)] = rosetta.run_all(page, ("python",))
    assert output == "0.30000000000000004\n" != snippet.expected


def test_a_snippet_without_output_block_is_rejected() -> None:
    with pytest.raises(rosetta.SnippetError, match="output"):
        rosetta.snippets("```python run\nprint(1)\n```\n")


def test_worked_example_is_generated_and_current() -> None:
    assert rosetta.generated_body(PAGE_TEXT, "worked-example").strip() == rosetta.worked_example().strip()
    # The example's claim, checked independently: exact sum above the midpoint, naive loop below it.
    exact = Fraction(1) + 2 * Fraction(1e-16)
    assert exact > 1 + Fraction(2) ** -53
    assert float(exact) == 1.0000000000000002 and (1.0 + 1e-16) + 1e-16 == 1.0


def test_drift_table_comes_from_a_run_on_the_current_vectors() -> None:
    body = rosetta.generated_body(PAGE_TEXT, "drift")
    manifest = json.loads((ROOT / "conformance" / "vectors" / "manifest.json").read_text())
    digest = manifest["files"]["value.json"][:12]
    assert f"sha256 `{digest}…`" in body, (
        "the drift table was made from other vectors: run `make conformance docs` to regenerate it"
    )
    for backend in rosetta.TEACHING:
        assert f"`{backend}`" in body
    results = ROOT / "reports" / "results.json"
    if results.is_file():
        run = json.loads(results.read_text())
        same_vectors = run["suite"]["sha256"].get("value.json", "").startswith(digest)
        if same_vectors and all(b in run["results"] for b in rosetta.TEACHING):
            expected = rosetta.drift_section(results, ROOT / "conformance" / "vectors")
            assert body.strip() == expected.strip(), "run `make docs` to regenerate the drift table"
