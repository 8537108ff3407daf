"""Figures of what the penalties do to weights: the seed document's five figures, redrawn from real
fits, and a regularization-path plot. Needs matplotlib (`pip install regpen[plot]`).

The data are chosen so that each picture shows what its caption says (tests/test_plots.py checks the
numbers behind every caption):
- L1 figures: few samples and five noise features that share a common factor, so least squares gives
  the noise features clearly nonzero weights, and L1 sets every one of them to exactly 0.
- L2 figures: independent features, so ridge shrinks every weight (it can grow a single weight when
  features are correlated; that is why the L2 data are not the L1 data).

Every PNG is byte-for-byte deterministic: fixed seeds, the Agg backend, fixed DPI, and no
"Software" or date metadata in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from regpen.model import LinearModel, RegularizationPath, regularization_path
from regpen.penalties import L1, L2, Penalty

DPI = 110
# PNG text chunks matplotlib would otherwise write ("Software: matplotlib version ...").
PNG_METADATA: dict[str, str | None] = {"Software": None}
UNREGULARIZED = "#9aa5b1"
REGULARIZED = "#1f6feb"
NOISE = "#d1242f"

# The L1 demo: seed and strengths found once by searching seeds for data whose least-squares noise
# weights are all at least 0.6 in size and whose L1 fit keeps the three real features.
L1_SEED = 34
L1_LAMBDA = 0.5
ELI5_LAMBDA = 1.0
L2_SEED = 3
L2_LAMBDA = 1.0


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("regpen's plots need matplotlib: pip install 'regpen[plot]'") from error
    plt.rcParams.update({"svg.hashsalt": "regpen", "font.size": 9})
    return plt


def save(fig, path: Path) -> Path:
    """Write `fig` as a PNG with the same bytes on every run, then close it."""
    plt = _pyplot()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, metadata=PNG_METADATA)
    plt.close(fig)
    return path


@dataclass(frozen=True)
class Demo:
    """A regression with known truth: X, y, the true weights and which features are noise."""

    x: np.ndarray
    y: np.ndarray
    truth: np.ndarray

    @property
    def noise(self) -> np.ndarray:
        return self.truth == 0

    def fit(self, penalty: Penalty) -> np.ndarray:
        return LinearModel(penalty).fit(self.x, self.y).coef_

    def unregularized(self) -> np.ndarray:
        return self.fit(L2(0.0))


def l1_demo(seed: int = L1_SEED) -> Demo:
    """16 samples, 3 real features and 5 noise features sharing a common factor (correlation 0.36)."""
    rng = np.random.default_rng(seed)
    n, p, rho = 16, 8, 0.6
    common = rng.standard_normal((n, 1))
    x = rng.standard_normal((n, p))
    x[:, 3:] = rho * common + np.sqrt(1 - rho**2) * x[:, 3:]
    truth = np.zeros(p)
    truth[:3] = [4.0, -3.0, 2.5]
    y = x @ truth + 0.5 + 1.5 * rng.standard_normal(n)
    return Demo(x, y, truth)


def l2_demo(seed: int = L2_SEED) -> Demo:
    """200 samples of 8 independent features, every one of them real."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((200, 8))
    truth = np.array([3.0, -2.5, 2.0, 1.5, -1.2, 1.0, -0.6, 0.4])
    y = x @ truth + 0.5 + 0.5 * rng.standard_normal(200)
    return Demo(x, y, truth)


def demo_data(seed: int = 0, n: int = 200, p: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A regression where only three of the features matter (kept for the model tests)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    truth = np.zeros(p)
    truth[[0, 1, 4]] = [3.0, -2.0, 1.5]
    y = x @ truth + 0.5 + 0.3 * rng.standard_normal(n)
    return x, y, truth


def _labels(demo: Demo) -> list[str]:
    return [f"x{i}" + ("\n(noise)" if noise else "") for i, noise in enumerate(demo.noise)]


def plot_weights(demo: Demo, before: np.ndarray, after: np.ndarray, title: str, path: Path) -> Path:
    """Bars of each weight without and with the penalty, side by side; noise features in red."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    index = np.arange(before.size)
    ax.bar(index - 0.2, before, width=0.4, label="unregularized (least squares)", color=UNREGULARIZED)
    ax.bar(index + 0.2, after, width=0.4, label="regularized", color=REGULARIZED)
    for i in np.flatnonzero(after == 0):
        ax.annotate("0", (i + 0.2, 0), ha="center", va="bottom", color=REGULARIZED, fontsize=8, weight="bold")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(index, _labels(demo))
    for tick, noise in zip(ax.get_xticklabels(), demo.noise, strict=True):
        tick.set_color(NOISE if noise else "black")
    ax.set_ylabel("weight")
    ax.set_title(title, fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return save(fig, path)


def plot_eli5(demo: Demo, before: np.ndarray, after: np.ndarray, lam: float, path: Path) -> Path:
    """Two panels of bar sizes |w|, tallest first: before, and after L1 with the removed bars dashed."""
    plt = _pyplot()
    order = np.argsort(-np.abs(before), kind="stable")
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.4), sharey=True)
    names = [f"x{i}" for i in order]
    colors = [NOISE if demo.noise[i] else UNREGULARIZED for i in order]
    axes[0].bar(names, np.abs(before[order]), color=colors)
    axes[0].set_title("before: tall bars and short bars", fontsize=9)
    kept = after[order] != 0
    axes[1].bar(names, np.abs(after[order]), color=[REGULARIZED if k else "white" for k in kept])
    axes[1].bar(
        names,
        np.where(kept, 0.0, np.abs(before[order])),
        fill=False,
        edgecolor="#57606a",
        linestyle="--",
        linewidth=0.8,
    )
    axes[1].set_title(f"after L1 (λ = {lam:g}): {int(kept.sum())} bars remain", fontsize=9)
    axes[0].set_ylabel("size of the weight |w|")
    for ax in axes:
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle(
        "ELI5: L1 keeps the important bars and removes the rest (dashed: now exactly 0)", fontsize=10
    )
    fig.tight_layout()
    return save(fig, path)


def plot_path(result: RegularizationPath, title: str, path: Path, names: Sequence[str] | None = None) -> Path:
    """Each coefficient against the penalty strength (log scale, strongest left), as glmnet's path plot."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.6, 4))
    labels = list(names) if names is not None else [f"x{j}" for j in range(result.coefs.shape[1])]
    for j, label in enumerate(labels):
        ax.plot(result.strengths, result.coefs[:, j], label=label, linewidth=1.2)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel("penalty strength λ (log scale; weaker to the right)")
    ax.set_ylabel("weight")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return save(fig, path)


def _path(
    demo: Demo, make: Callable[[float], Penalty], strengths: np.ndarray, progress: bool
) -> RegularizationPath:
    return regularization_path(demo.x, demo.y, make, strengths, progress=progress)  # type: ignore[arg-type]


def seed_figures(directory: Path, progress: bool = True) -> list[Path]:
    """The seed document's five figures, from real fits of the two demo regressions."""
    directory.mkdir(parents=True, exist_ok=True)
    l1 = l1_demo()
    before = l1.unregularized()
    after = l1.fit(L1(L1_LAMBDA))
    l2 = l2_demo()
    l2_before = l2.unregularized()
    l2_after = l2.fit(L2(L2_LAMBDA))
    norm_before, norm_after = np.linalg.norm(l2_before), np.linalg.norm(l2_after)
    return [
        plot_weights(
            l1,
            before,
            after,
            f"Before and after L1 (λ = {L1_LAMBDA:g}): "
            f"the {int(l1.noise.sum())} noise weights become exactly 0",
            directory / "l1_before_after.png",
        ),
        plot_path(
            _path(l1, L1, np.geomspace(8.0, 0.01, 40), progress),
            "L1: as λ grows, weights reach exactly 0 one by one",
            directory / "l1_path.png",
        ),
        plot_eli5(l1, before, l1.fit(L1(ELI5_LAMBDA)), ELI5_LAMBDA, directory / "l1_bars.png"),
        plot_weights(
            l2,
            l2_before,
            l2_after,
            f"After L2 (λ = {L2_LAMBDA:g}): every weight smaller, none exactly 0 "
            f"(‖w‖ {norm_before:.2f} → {norm_after:.2f})",
            directory / "l2_after.png",
        ),
        plot_path(
            _path(l2, L2, np.geomspace(100.0, 1e-3, 40), progress),
            "L2: as λ grows, all weights shrink smoothly toward 0, none reaches it",
            directory / "l2_path.png",
        ),
    ]


def diabetes_path_figure(path: Path, progress: bool = False) -> Path:
    """The L1 regularization path of scikit-learn's diabetes data (needs scikit-learn)."""
    from sklearn.datasets import load_diabetes

    data = load_diabetes()
    result = regularization_path(data.data, data.target, L1, n_strengths=30, ratio=1e-2, progress=progress)
    return plot_path(
        result, "L1 path of the diabetes data (442 patients, 10 features)", path, data.feature_names
    )
