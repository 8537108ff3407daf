"""The report (docs/tools/report.py): one offline page, checked in headless Chromium: every image
loads, every internal link resolves, no console errors. The screenshot goes to reports/."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "tools"))

import browser  # noqa: E402
import report  # noqa: E402

pytest.importorskip("matplotlib")
pytest.importorskip("markdown_it")
pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report built into a temporary reports/ holding the latest conformance results, if any."""
    reports = tmp_path_factory.mktemp("reports")
    for name in ("results.json", "conformance.md"):
        if (ROOT / "reports" / name).is_file():
            shutil.copy(ROOT / "reports" / name, reports / name)
    return report.build(reports)


def test_page_is_self_contained(built: Path) -> None:
    page = built.read_text()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page must need no network"
    sources = re.findall(r'<img src="([^"]*)"', page)
    assert len(sources) >= 6 and all(s.startswith("data:image/png;base64,") for s in sources)
    for anchor in ("figures", "conformance", "bench", "rosetta", "python", "why-naive-sums-drift"):
        assert f'id="{anchor}"' in page


def test_conformance_matrix_counts_statuses() -> None:
    results = {
        "backends": [
            {"name": "a", "teaching": False, "unavailable": None},
            {"name": "b", "teaching": True, "unavailable": "no JVM"},
        ],
        "results": {
            "a": {
                "t1": {"status": "pass"},
                "t2": {"status": "fail"},
                "t3": {"status": "unsupported"},
                "t4": {"status": "pass"},
            }
        },
    }
    index = {
        "t1": ("value", "float64"),
        "t2": ("value", "float32"),
        "t3": ("prox", "float64"),
        "t4": ("l1_regularization", "float64"),
    }
    rows = report.matrix(results, index)
    assert rows[0]["cells"]["value"] == {"pass": 1, "fail": 1}
    assert report._cell_text(rows[0]["cells"]["value"]) == "1/2"
    assert report._cell_text(rows[0]["cells"]["prox"]) == "gap"
    assert report._cell_colour(rows[0]["cells"]["value"]) == "#d1242f"
    assert rows[1]["unavailable"]
    assert report.operations(rows)[-1] == "l1_regularization"  # a newer suite's operation gets a column


def test_headings_get_github_anchors() -> None:
    assert report.slug("Why naive sums drift") == "why-naive-sums-drift"
    assert 'id="a-fit"' in report.render_markdown("## A fit\n")


def test_page_in_headless_chromium(built: Path) -> None:
    screenshot = ROOT / "reports" / "screenshot.png"
    result = browser.check_page(built, screenshot=screenshot)
    assert result.title == "regpen report"
    assert len(result.images) >= 6
    assert result.links_checked >= 10
    assert result.problems() == []
    assert screenshot.read_bytes()[:4] == b"\x89PNG"


def test_browser_check_sees_broken_images_and_links(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><link rel="icon" href="data:,"><title>bad</title></head><body>'
        '<img src="missing.png" alt="gone"><a href="#nowhere">x</a><a href="absent.md">y</a>'
        "<script>console.error('boom')</script></body></html>"
    )
    problems = browser.check_page(page).problems()
    assert "image did not load: gone" in problems
    assert "link leads nowhere: #nowhere" in problems and "link leads nowhere: absent.md" in problems
    assert any("boom" in p for p in problems)
