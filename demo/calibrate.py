"""Integer calibration helpers: spread a float allocation into integers that hit exact totals.

The demo election must reproduce published totals to the vote, so every count is first drawn as a float
and then rounded by these functions, which keep row totals, column totals and per-cell bounds exact.
"""

from __future__ import annotations

import numpy as np


def round_to_total(x: np.ndarray, total: int, hi: np.ndarray | None = None) -> np.ndarray:
    """Integers close to ``x`` (floats, non-negative) that sum exactly to ``total`` (largest remainder).

    ``x`` is first rescaled to sum to ``total`` with each cell clipped to ``[0, hi]``; a cell never ends
    above ``hi``. Ties are broken by position, so the result is deterministic.
    """
    x = np.asarray(x, dtype=float)
    hi_f = np.full(x.shape, np.inf) if hi is None else np.asarray(hi, dtype=float)
    if total > hi_f.sum():
        raise ValueError(f"cannot place {total} in cells whose bounds sum to {hi_f.sum():.0f}")
    x = scale_clipped(x, float(total), np.zeros_like(x), hi_f)
    base = np.floor(x + 1e-9)
    base = np.minimum(base, hi_f)
    short = int(total - base.sum())
    if short > 0:
        frac = x - base
        frac[base + 1 > hi_f] = -np.inf
        order = np.argsort(-frac, kind="stable")
        base[order[:short]] += 1
    elif short < 0:
        frac = x - base
        frac[base <= 0] = np.inf
        order = np.argsort(frac, kind="stable")
        base[order[:-short]] -= 1
    out = base.astype(np.int64)
    assert out.sum() == total
    return out


def scale_clipped(
    x: np.ndarray, total: float, lo: np.ndarray, hi: np.ndarray, rounds: int = 60
) -> np.ndarray:
    """``x`` multiplied so it sums to ``total`` while each cell stays in ``[lo, hi]`` (cells at a bound stay there)."""
    x = np.clip(np.asarray(x, dtype=float), lo, hi)
    for _ in range(rounds):
        s = x.sum()
        if abs(s - total) < 1e-6:
            break
        free = (x > lo) if s > total else (x < hi)
        free_sum = x[free].sum()
        if free_sum <= 0:
            x = np.where(x < hi, np.maximum(x, np.minimum(hi, lo + 1e-3)), x)
            continue
        factor = (total - (s - free_sum)) / free_sum
        x = np.where(free, np.clip(x * factor, lo, hi), x)
    return x


def ipf(prior: np.ndarray, rows: np.ndarray, cols: np.ndarray, rounds: int = 200) -> np.ndarray:
    """A float matrix near ``prior`` (shares, rows x cols) with the given row and column sums."""
    x = prior * (rows / np.maximum(prior.sum(axis=1), 1e-12))[:, None]
    for _ in range(rounds):
        x *= (cols / np.maximum(x.sum(axis=0), 1e-12))[None, :]
        x *= (rows / np.maximum(x.sum(axis=1), 1e-12))[:, None]
        if np.abs(x.sum(axis=0) - cols).max() < 1e-6:
            break
    return x


def controlled_round(x: np.ndarray, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    """Integer matrix near ``x`` whose row sums equal ``rows`` exactly (and column sums ``cols`` if given)."""
    x = np.asarray(x, dtype=float)
    rows = np.asarray(rows, dtype=np.int64)
    base = np.floor(x + 1e-9)
    short = (rows - base.sum(axis=1)).astype(np.int64)
    frac = x - base
    rank = np.argsort(np.argsort(-frac, axis=1, kind="stable"), axis=1, kind="stable")
    base += rank < short[:, None]
    out = base.astype(np.int64)
    if cols is None:
        return out
    cols = np.asarray(cols, dtype=np.int64)
    need = cols - out.sum(axis=0)
    while need.any():
        up = int(np.argmax(need))
        down = int(np.argmin(need))
        count = int(min(need[up], -need[down]))
        residual = (x[:, up] - out[:, up]) - (x[:, down] - out[:, down])
        residual[out[:, down] <= 0] = -np.inf
        chosen = np.argsort(-residual, kind="stable")[:count]
        if np.isinf(residual[chosen]).any():
            raise ValueError("controlled rounding: not enough cells to move votes between columns")
        out[chosen, up] += 1
        out[chosen, down] -= 1
        need = cols - out.sum(axis=0)
    return out
