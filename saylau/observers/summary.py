"""Published aggregate tables (observers' own summary), loaded as they are and checked, never trusted.

A published aggregate is a small table: a first column labelling each row (``ballot``: mazhilis, ...) and
numeric columns, percentages named ``*_pct``. It is stored cell by cell in ``core.published_aggregates``
whatever its checks say; each failed check is a *warning* naming the cell (``row/column``) in
``core.aggregate_warnings`` and counted in ``meta.data_quality`` (severity ``warn``). The checks:

``shares_add_to_100``
    party shares plus spoiled add to 100 within rounding: each of the n whole-percent terms may be off by
    0.5, so a sum outside 100 +- 0.5 n is a warning.
``ballots_received_plausible``
    "voted" is a share of the voters on the list, "unused" a share of the ballots the commissions
    received, so received / registered = voted / (100 - unused). Taking every rounding into account, a
    table implying more than 2% more ballots than voters (a reserve beyond the usual) or more than 2%
    fewer is a warning that names both cells.
``stated_average_in_range``
    a stated average outside its stated range (columns ``x``, ``x_min``, ``x_max``, or a figure given
    with :func:`check_stated_average`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from saylau.load.tables import TableFileError, read_text_rows
from saylau.reference import Resolver, UnknownNameError, default_resolver

ROUNDING = 0.5  # a whole-percent figure may be off by this much
RECEIVED_TOLERANCE = 0.02  # received / registered may differ from 1 by this much before it is odd
SPOILED = ("spoiled_pct", "invalid_pct")
VOTED = ("turnout_pct", "voted_pct")
UNUSED = ("unused_ballots_pct", "unused_pct")


@dataclass(frozen=True)
class AggregateWarning:
    """A failed consistency check on one cell (or pair of cells) of a published table."""

    table_id: str
    row_label: str
    cell: str  # 'row_label/column'
    rule: str
    message: str


def looks_like_aggregate(headers: list[str]) -> bool:
    """A header row of a published summary: several percentage columns and no precinct column."""
    pct = [h for h in headers if str(h).strip().lower().endswith(("_pct", "%"))]
    return len(pct) >= 2 and not any(
        "precinct" in str(h).lower() or "участ" in str(h).lower() for h in headers
    )


def read_aggregate(body: bytes, file_name: str) -> pd.DataFrame:
    """A published table as a frame: the first column as text labels, every other column numeric.

    Read by :mod:`saylau.load.tables` as every table is: CSV in any encoding (UTF-8, Windows-1251, ...)
    and separator, or XLSX. A cell that is not a number raises ``ValueError`` naming the row and column.
    """
    header, rows = _text_rows(body, file_name)
    frame = pd.DataFrame([cells for _, cells in rows], columns=header, dtype=object).fillna("").astype(str)
    label = frame.columns[0]
    out = pd.DataFrame({label: frame[label].str.strip()})
    for position, column in enumerate(frame.columns[1:], start=1):
        values = frame[column].str.replace(r"[\s\u00a0\u2009\u202f%]", "", regex=True).str.replace(",", ".")
        numbers = pd.to_numeric(values, errors="coerce")
        bad = numbers.isna() & (values != "")
        if bad.any():
            at = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(
                f"{file_name} row {rows[at][0]} column {column!r}: {frame.iat[at, position]!r} is not a number"
            )
        out[column] = numbers
    return out


def _text_rows(body: bytes, file_name: str) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    """The header and the (row number, cells) of every non-blank row, cells as text, as many as headers."""
    rows = read_text_rows(body, file_name)
    try:
        first = next(rows, None)
        if first is None:
            raise TableFileError(f"{file_name}: the file is empty")
        header = [h or "" for h in first]
        doubled = sorted({h for h in header if header.count(h) > 1})
        if doubled:
            raise ValueError(f"{file_name}: more than one column headed {', '.join(map(repr, doubled))}")
        out = [
            (number, (cells + [None] * len(header))[: len(header)])
            for number, cells in enumerate(rows, start=2)
            if any(c is not None for c in cells)
        ]
    finally:
        rows.close()
    return header, out


def party_share_columns(frame: pd.DataFrame, resolver: Resolver | None = None) -> dict[str, str]:
    """Share columns that name a party (``nur_otan_pct`` -> ``amanat``): column -> party id."""
    resolver = resolver or default_resolver()
    out = {}
    for column in frame.columns[1:]:
        if not column.endswith("_pct") or column in (*SPOILED, *VOTED, *UNUSED):
            continue
        try:
            out[column] = resolver.party(column[: -len("_pct")].replace("_", " "))
        except UnknownNameError:
            continue
    return out


def _first(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((c for c in names if c in frame.columns), None)


def check_aggregate(frame: pd.DataFrame, table_id: str) -> list[AggregateWarning]:
    """Every internal-consistency warning of a published table (see the module docstring)."""
    label = frame.columns[0]
    parties = list(party_share_columns(frame))
    spoiled, voted, unused = _first(frame, SPOILED), _first(frame, VOTED), _first(frame, UNUSED)
    warnings: list[AggregateWarning] = []
    for _, row in frame.iterrows():
        name = str(row[label])
        terms = [c for c in [*parties, spoiled] if c and pd.notna(row[c])]
        if terms:
            total = float(sum(row[c] for c in terms))
            slack = ROUNDING * len(terms)
            if abs(total - 100) > slack + 1e-9:
                warnings.append(
                    AggregateWarning(
                        table_id,
                        name,
                        f"{name}/{'+'.join(terms)}",
                        "shares_add_to_100",
                        f"{' + '.join(terms)} = {total:g}, not 100 within rounding (+-{slack:g})",
                    )
                )
        if voted and unused and pd.notna(row[voted]) and pd.notna(row[unused]):
            v, u = float(row[voted]), float(row[unused])
            low = (v - ROUNDING) / (100 - u + ROUNDING)
            high = (v + ROUNDING) / max(100 - u - ROUNDING, 1e-9)
            ratio = v / max(100 - u, 1e-9)
            if low > 1 + RECEIVED_TOLERANCE or high < 1 - RECEIVED_TOLERANCE:
                more = "more" if ratio > 1 else "fewer"
                warnings.append(
                    AggregateWarning(
                        table_id,
                        name,
                        f"{name}/{voted}+{unused}",
                        "ballots_received_plausible",
                        f"{voted}={v:g} of the voters with {unused}={u:g} of the ballots received implies the "
                        f"commissions received {abs(ratio - 1) * 100:.1f}% {more} ballots than voters on the list "
                        f"({(low - 1) * 100:+.1f}% to {(high - 1) * 100:+.1f}% within rounding)",
                    )
                )
        for column in frame.columns[1:]:
            lo, hi = f"{column}_min", f"{column}_max"
            if lo in frame.columns and hi in frame.columns and pd.notna(row[column]):
                w = check_stated_average(table_id, name, column, float(row[column]), row[lo], row[hi])
                if w:
                    warnings.append(w)
    return warnings


def check_stated_average(
    table_id: str, row_label: str, column: str, average: float, low: float, high: float
) -> AggregateWarning | None:
    """A warning when a stated average lies outside its stated range (e.g. '15-36% by region, 28% average')."""
    if pd.isna(low) or pd.isna(high) or float(low) - ROUNDING <= average <= float(high) + ROUNDING:
        return None
    return AggregateWarning(
        table_id,
        row_label,
        f"{row_label}/{column}",
        "stated_average_in_range",
        f"{column}={average:g} lies outside its stated range {float(low):g}-{float(high):g}",
    )


@dataclass
class AggregateLoad:
    """What loading one published table did."""

    table_id: str
    sha256: str
    cells: int
    warnings: list[AggregateWarning]


def load_aggregate(
    con: duckdb.DuckDBPyConnection, path: Path, run_id: str, body: bytes | None = None
) -> AggregateLoad:
    """Store a published table cell by cell with its warnings (replacing an earlier load of the same file)."""
    path = Path(path)
    body = path.read_bytes() if body is None else body
    sha = hashlib.sha256(body).hexdigest()
    table_id = re.sub(r"\W+", "_", path.stem.lower())
    frame = read_aggregate(body, path.name)
    warnings = check_aggregate(frame, table_id)
    label = frame.columns[0]
    cells = frame.melt(id_vars=[label], var_name="column_name", value_name="value").rename(
        columns={label: "row_label"}
    )
    cells.insert(0, "table_id", table_id)
    cells = cells.assign(source_ref=str(path), source_sha256=sha, run_id=run_id)
    warn_frame = pd.DataFrame(
        [
            {
                "table_id": w.table_id,
                "row_label": w.row_label,
                "cell": w.cell,
                "rule": w.rule,
                "message": w.message,
                "source_ref": str(path),
                "source_sha256": sha,
                "run_id": run_id,
            }
            for w in warnings
        ],
        columns=["table_id", "row_label", "cell", "rule", "message", "source_ref", "source_sha256", "run_id"],
    )
    con.execute("delete from core.published_aggregates where table_id = ?", [table_id])
    con.execute("delete from core.aggregate_warnings where table_id = ?", [table_id])
    con.register("_cells", cells)
    con.register("_warnings", warn_frame)
    try:
        con.execute("insert into core.published_aggregates by name select * from _cells")
        con.execute("insert into core.aggregate_warnings by name select * from _warnings")
    finally:
        con.unregister("_cells")
        con.unregister("_warnings")
    for rule, n in warn_frame.groupby("rule").size().items():
        con.execute(
            "insert into meta.data_quality values (?, ?, ?, 'warn', ?)",
            [run_id, f"aggregate:{table_id}", rule, n],
        )
    con.execute(
        "insert or ignore into raw.files (sha256, path, kind, bytes, read_at, run_id) values (?, ?, ?, ?, ?, ?)",
        [sha, str(path), "published_aggregate", len(body), datetime.now(UTC), run_id],
    )
    return AggregateLoad(table_id, sha, len(cells), warnings)
