"""The teaching figures: the numbers behind each caption say what the caption says, and every PNG has
the same bytes on every run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from regpen.penalties import L1, L2

pytest.importorskip("matplotlib")
plots = pytest.importorskip("regpen.plots")


def test_l1_removes_noise_weights_that_least_squares_keeps() -> None:
    demo = plots.l1_demo()
    before = demo.unregularized()
    after = demo.fit(L1(plots.L1_LAMBDA))
    # Visibly nonzero without the penalty: the bars would be invisible below about 0.3.
    assert np.all(np.abs(before[demo.noise]) >= 0.5)
    assert np.all(after[demo.noise] == 0)
    assert np.all(np.abs(after[~demo.noise]) > 1.0)


def test_eli5_bars_keep_only_the_real_features() -> None:
    demo = plots.l1_demo()
    after = demo.fit(L1(plots.ELI5_LAMBDA))
    assert plots.ELI5_LAMBDA != plots.L1_LAMBDA  # a different picture from l1_before_after
    assert np.flatnonzero(after).tolist() == np.flatnonzero(~demo.noise).tolist()


def test_l1_path_weights_reach_zero_and_l2_path_weights_do_not() -> None:
    l1_path = plots._path(plots.l1_demo(), L1, np.geomspace(8.0, 0.01, 12), False)
    assert np.all(l1_path.coefs[0] == 0)  # the strongest λ removes every weight
    assert np.all(l1_path.coefs[-1] != 0)  # the weakest keeps them all
    l2_path = plots._path(plots.l2_demo(), L2, np.geomspace(100.0, 1e-3, 12), False)
    assert np.all(l2_path.coefs != 0)
    sizes = np.linalg.norm(l2_path.coefs, axis=1)
    assert np.all(np.diff(sizes) > 0)  # strengths decrease along the path, so the size grows


def test_l2_after_shrinks_every_weight_and_zeroes_none() -> None:
    demo = plots.l2_demo()
    before = demo.unregularized()
    after = demo.fit(L2(plots.L2_LAMBDA))
    assert np.all(after != 0)
    assert np.all(np.abs(after) < np.abs(before))


def _render(directory: Path) -> dict[str, bytes]:
    """One figure of each kind (bars, ELI5 panels, path) from the demo fits."""
    demo = plots.l1_demo()
    before, after = demo.unregularized(), demo.fit(L1(plots.L1_LAMBDA))
    path = plots._path(demo, L1, np.geomspace(8.0, 0.01, 10), False)
    paths = [
        plots.plot_weights(demo, before, after, "bars", directory / "bars.png"),
        plots.plot_eli5(demo, before, after, plots.L1_LAMBDA, directory / "eli5.png"),
        plots.plot_path(path, "path", directory / "path.png"),
    ]
    return {p.name: p.read_bytes() for p in paths}


def test_figures_are_byte_identical_across_runs(tmp_path: Path) -> None:
    first = _render(tmp_path / "a")
    second = _render(tmp_path / "b")
    for name, data in first.items():
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 10_000, f"{name} looks empty"
        assert data == second[name], f"{name} differs between two renderings"
        assert b"matplotlib version" not in data  # no Software chunk naming a version
