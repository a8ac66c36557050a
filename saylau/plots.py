"""The report's figures: small matplotlib functions (Agg backend), each returning a PNG as bytes.

Every function takes plain DataFrames read from the marts, so a notebook can call them too. Figures are
sized for a page column (about 9 x 3.6 inches at 100 dpi) and never touch the network or the screen.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.dates import DateFormatter  # noqa: E402

OFFICIAL_COLOUR = "#1f4e79"
OBSERVER_COLOUR = "#c0504d"
DPI = 100


def png_bytes(fig: plt.Figure) -> bytes:
    """The figure rendered as PNG bytes (and closed, so long report builds do not pile up figures)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    plt.close(fig)
    return buf.getvalue()


def _figure(height: float = 3.6) -> tuple[plt.Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(9, height), layout="constrained")
    ax.grid(True, alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def turnout_histogram(bins: pd.DataFrame, title: str) -> bytes:
    """Registered voters per 1-pp turnout bin (columns turnout_bin, registered; is_mode optional)."""
    fig, ax = _figure()
    colours = [
        OBSERVER_COLOUR if bool(m) else OFFICIAL_COLOUR
        for m in bins.get("is_mode", pd.Series(False, index=bins.index)).fillna(False)
    ]
    ax.bar(bins["turnout_bin"] + 0.5, bins["registered"] / 1e3, width=1.0, color=colours, linewidth=0)
    ax.set_xlim(0, 101)
    ax.set_xlabel("precinct turnout, % (1-pp bins; the modal bin in red)")
    ax.set_ylabel("registered voters, thousands")
    ax.set_title(title)
    return png_bytes(fig)


def fingerprint(cells: pd.DataFrame, title: str, leader: str) -> bytes:
    """2-D histogram of voters by turnout and leader share (columns turnout_bin, share_bin, voters)."""
    grid = np.zeros((101, 101))
    t = cells["turnout_bin"].clip(0, 100).astype(int).to_numpy()
    s = cells["share_bin"].clip(0, 100).astype(int).to_numpy()
    np.add.at(grid, (s, t), cells["voters"].astype(float).to_numpy())
    fig, ax = plt.subplots(figsize=(6.5, 5.2), layout="constrained")
    masked = np.ma.masked_where(grid <= 0, grid)
    vmax = max(float(masked.max()) if masked.count() else 1.0, 2.0)
    image = ax.imshow(
        masked,
        origin="lower",
        extent=(0, 101, 0, 101),
        aspect="auto",
        cmap="viridis",
        norm=LogNorm(vmin=1, vmax=vmax),
        interpolation="nearest",
    )
    fig.colorbar(image, ax=ax, label="registered voters in the cell (log scale)")
    ax.set_xlabel("precinct turnout, %")
    ax.set_ylabel(f"{leader} share of ballots cast, %")
    ax.set_title(title)
    return png_bytes(fig)


def integer_percent_histogram(turnout_pct: pd.Series, share_pct: pd.Series, title: str) -> bytes:
    """Precincts per 0.1-pp bin of turnout and of leader share (percent values, 0-100)."""
    fig, ax = _figure()
    edges = np.arange(0, 100.05, 0.1)
    for values, colour, label in (
        (turnout_pct, OFFICIAL_COLOUR, "turnout"),
        (share_pct, OBSERVER_COLOUR, "leader share"),
    ):
        counts, _ = np.histogram(values.dropna().to_numpy(dtype=float), bins=edges)
        ax.step(edges[:-1], counts, where="post", color=colour, linewidth=0.8, label=label)
    for whole in range(0, 101, 10):
        ax.axvline(whole, color="grey", alpha=0.15, linewidth=0.6)
    ax.set_xlim(20, 100)
    ax.set_xlabel("percent (0.1-pp bins)")
    ax.set_ylabel("precincts")
    ax.legend(frameon=False)
    ax.set_title(title)
    return png_bytes(fig)


def shpilkin_bins(bins: pd.DataFrame, title: str, leader: str) -> bytes:
    """Leader's and others' votes by 1-pp turnout bin, with the leader's votes expected at the modal ratio."""
    fig, ax = _figure()
    x = bins["turnout_bin"] + 0.5
    ax.plot(x, bins["leader_votes"] / 1e3, color=OBSERVER_COLOUR, label=f"{leader} votes")
    ax.plot(x, bins["others"] / 1e3, color=OFFICIAL_COLOUR, label="everyone else (ballots cast - leader)")
    expected = bins["expected_leader_votes"].astype(float)
    if expected.notna().any():
        ax.plot(
            x, expected / 1e3, color=OBSERVER_COLOUR, linestyle="--", label=f"{leader} at the modal ratio"
        )
    ax.set_xlim(0, 101)
    ax.set_xlabel("precinct turnout, % (1-pp bins)")
    ax.set_ylabel("votes, thousands")
    ax.legend(frameon=False)
    ax.set_title(title)
    return png_bytes(fig)


def turnout_timeline(timeline: pd.DataFrame, title: str) -> bytes:
    """Official and observer turnout through election day (columns as_of, official_turnout_pct,
    observer_turnout_pct), one line each."""
    fig, ax = _figure()
    for column, colour, label in (
        ("official_turnout_pct", OFFICIAL_COLOUR, "official (CEC bulletins)"),
        ("observer_turnout_pct", OBSERVER_COLOUR, "observers (their precincts)"),
    ):
        series = timeline[["as_of", column]].dropna()
        if len(series):
            ax.plot(series["as_of"], series[column], marker="o", color=colour, label=label)
    ax.set_ylabel("turnout, %")
    ax.set_xlabel("time of day (capital's local time)")
    ax.legend(frameon=False)
    ax.set_title(title)
    ax.xaxis.set_major_formatter(DateFormatter("%H:%M"))
    return png_bytes(fig)


def region_intervals(rows: pd.DataFrame, value: str, title: str, xlabel: str) -> bytes:
    """Official (dot) vs observer estimate (cross with interval) per region.

    ``rows`` has columns label, official, observer and, optionally, ci_low and ci_high.
    """
    rows = rows.reset_index(drop=True)
    fig, ax = _figure(height=max(2.5, 0.32 * len(rows) + 1.2))
    y = np.arange(len(rows))
    if {"ci_low", "ci_high"} <= set(rows.columns):
        has_ci = rows["ci_low"].notna() & rows["ci_high"].notna()
        observer = rows["observer"].astype(float)
        ax.errorbar(
            observer[has_ci],
            y[has_ci],
            xerr=[
                (observer - rows["ci_low"].astype(float))[has_ci].clip(lower=0),
                (rows["ci_high"].astype(float) - observer)[has_ci].clip(lower=0),
            ],
            fmt="none",
            ecolor=OBSERVER_COLOUR,
            alpha=0.6,
            capsize=3,
        )
    ax.scatter(
        rows["observer"], y, marker="x", color=OBSERVER_COLOUR, label="observers (95% interval)", zorder=3
    )
    ax.scatter(rows["official"], y, marker="o", color=OFFICIAL_COLOUR, label="official", zorder=3)
    ax.set_yticks(y, rows["label"])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.legend(frameon=True, loc="best", fontsize="small")
    ax.set_title(title)
    return png_bytes(fig)
