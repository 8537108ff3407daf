"""The README's Python examples run as written and print what they say they print.

Every `print(...)` line in a README Python block ends with `# => OUTPUT`, the exact line it prints;
the test runs the block, captures what it printed and compares the lines in order."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
SHOWN = re.compile(r"# => (.*)$")


def test_the_readme_has_python_examples() -> None:
    assert BLOCKS, "the README has no Python example"


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_prints_what_it_shows(block: str) -> None:
    lines = block.splitlines()
    unshown = [line for line in lines if "print(" in line and not SHOWN.search(line)]
    assert not unshown, f"print lines without a '# => output' comment: {unshown}"
    expected = [match.group(1) for line in lines if (match := SHOWN.search(line))]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(block, str(README), "exec"), {})
    assert output.getvalue().splitlines() == expected
