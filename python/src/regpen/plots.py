"""Figures of what the penalties do to weights (the five figures of the seed document, redrawn from
real fits). Needs matplotlib (`pip install regpen[plot]`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from regpen.model import LinearModel, RegularizationPath, regularization_path
from regpen.penalties import L1, L2, Penalty


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError("regpen's plots need matplotlib: pip install 'regpen[plot]'") from error
    return plt


def plot_weights(before: np.ndarray, after: np.ndarray, title: str, path: Path) -> Path:
    """Bars of each weight without and with the penalty, side by side."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    index = np.arange(before.size)
    ax.bar(index - 0.2, before, width=0.4, label="unregularized", color="#9aa5b1")
    ax.bar(index + 0.2, after, width=0.4, label="regularized", color="#1f6feb")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(index, [f"w{i}" for i in index])
    ax.set_ylabel("weight")
    zeros = int(np.count_nonzero(after == 0))
    ax.set_title(f"{title}\n{zeros} of {after.size} regularized weights are exactly 0", fontsize=10)
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_path(result: RegularizationPath, title: str, path: Path) -> Path:
    """Each coefficient against the penalty strength (log scale), as glmnet's path plot."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    for j in range(result.coefs.shape[1]):
        ax.plot(result.strengths, result.coefs[:, j], label=f"w{j}")
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel("penalty strength λ (decreasing →)")
    ax.set_ylabel("coefficient")
    ax.set_title(title)
    ax.legend(ncol=4, fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def demo_data(seed: int = 0, n: int = 200, p: int = 8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A regression where only three of the features matter."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    truth = np.zeros(p)
    truth[[0, 1, 4]] = [3.0, -2.0, 1.5]
    y = x @ truth + 0.5 + 0.3 * rng.standard_normal(n)
    return x, y, truth


def seed_figures(directory: Path, progress: bool = True) -> list[Path]:
    """The seed document's five figures, from fits of the demo regression."""
    directory.mkdir(parents=True, exist_ok=True)
    x, y, _ = demo_data()
    unregularized = LinearModel(L2(0.0)).fit(x, y).coef_

    def fitted(penalty: Penalty) -> np.ndarray:
        return LinearModel(penalty).fit(x, y).coef_

    l1_path = regularization_path(x, y, L1, progress=progress)
    l2_path = regularization_path(x, y, L2, np.geomspace(100.0, 1e-3, 40), progress=progress)
    return [
        plot_weights(
            unregularized, fitted(L1(0.3)), "Before and after L1 (λ = 0.3)", directory / "l1_before_after.png"
        ),
        plot_path(l1_path, "L1: weights reach exactly 0 as λ grows", directory / "l1_path.png"),
        plot_weights(
            unregularized,
            fitted(L1(1.0)),
            "L1 keeps only the important bars (λ = 1)",
            directory / "l1_bars.png",
        ),
        plot_weights(
            unregularized,
            fitted(L2(0.3)),
            "After L2 (λ = 0.3): smaller, none zero",
            directory / "l2_after.png",
        ),
        plot_path(l2_path, "L2: all weights shrink together as λ grows", directory / "l2_path.png"),
    ]
