"""The post-Soviet precinct protocol form: canonical line names and the wide <-> long shapes.

Every source (CEC pages, observers' copies, foreign precinct tables) is parsed into *wide* protocol
frames: one row per (election_id, contest_id, source, level, unit_id), a column per protocol line in
:data:`LINES` (nullable integers; a line the source does not give stays missing, never 0), and a column
per ballot option named by its ``ref.ballot_options.option_id``. Validation (pandera) works on wide frames;
``core.protocol_values`` stores them long (:func:`to_long`).
"""

from __future__ import annotations

import pandas as pd

KEY_COLUMNS = ("election_id", "contest_id", "source", "level", "unit_id")
CONTEXT_COLUMNS = ("region_code", "status", "as_of")
PROVENANCE_COLUMNS = ("source_ref", "source_sha256", "source_row")

# Canonical protocol lines, in protocol order, with what each counts.
LINES: dict[str, str] = {
    "registered": "voters on the list at the close of voting (final list)",
    "ballots_received": "ballots the commission received",
    "ballots_issued_early": "ballots issued to voters who voted early",
    "ballots_issued_station": "ballots issued at the polling station on election day",
    "ballots_issued_outside": "ballots issued outside the station (mobile box) on election day",
    "ballots_issued": "ballots received by voters in total: the turnout numerator",
    "ballots_cancelled": "unused ballots cancelled by the commission",
    "ballots_in_portable": "ballots found in portable (mobile) boxes",
    "ballots_in_stationary": "ballots found in stationary boxes",
    "ballots_in_boxes": "ballots found in all boxes",
    "invalid": "invalid (spoiled) ballots",
    "valid": "valid ballots",
    "valid_not_counted": "valid ballots not counted for any option (referendums)",
    "ballots_lost": "ballots lost",
    "ballots_unaccounted": "ballots not accounted for on receipt",
    "absentee_received": "absentee certificates the commission received",
    "absentee_issued": "absentee certificates issued at the precinct",
    "absentee_voted": "voters who voted with an absentee certificate",
    "absentee_cancelled": "unused absentee certificates cancelled",
    "absentee_issued_by_tec": "absentee certificates issued by the territorial commission",
    "absentee_lost": "absentee certificates lost",
}

VOTES_LINE = "votes"


def derive_totals(wide: pd.DataFrame) -> pd.DataFrame:
    """Fill ``ballots_issued`` and ``ballots_in_boxes`` from their parts where the source gives only parts.

    A total the source states is kept as stated (validation compares it with the parts).
    """
    out = wide.copy()
    for total, parts in (
        ("ballots_issued", ["ballots_issued_early", "ballots_issued_station", "ballots_issued_outside"]),
        ("ballots_in_boxes", ["ballots_in_portable", "ballots_in_stationary"]),
    ):
        present = [p for p in parts if p in out.columns]
        if not present:
            continue
        summed = out[present].sum(axis=1, min_count=len(present)).astype("Int64")
        summed[out[present].isna().any(axis=1)] = pd.NA
        out[total] = out[total].fillna(summed) if total in out.columns else summed
    return out


def option_columns(wide: pd.DataFrame) -> list[str]:
    """The ballot-option columns of a wide frame: everything that is not a key, context, provenance or line."""
    known = set(KEY_COLUMNS) | set(CONTEXT_COLUMNS) | set(PROVENANCE_COLUMNS) | set(LINES) | {"run_id"}
    return [c for c in wide.columns if c not in known]


def to_long(wide: pd.DataFrame, options: list[str] | None = None) -> pd.DataFrame:
    """Wide protocol rows -> ``core.protocol_values`` rows (missing values are not emitted)."""
    options = option_columns(wide) if options is None else options
    ids = [c for c in (*KEY_COLUMNS, *CONTEXT_COLUMNS, *PROVENANCE_COLUMNS, "run_id") if c in wide.columns]
    lines = [c for c in LINES if c in wide.columns]
    frames = []
    if lines:
        part = wide.melt(id_vars=ids, value_vars=lines, var_name="line", value_name="value")
        part["option_id"] = None
        frames.append(part)
    if options:
        part = wide.melt(id_vars=ids, value_vars=options, var_name="option_id", value_name="value")
        part["line"] = VOTES_LINE
        frames.append(part)
    long = pd.concat(frames, ignore_index=True)
    long = long[long["value"].notna()].copy()
    long["value"] = long["value"].astype("int64")
    for column in ("region_code", "status", "as_of", "source_ref", "source_sha256", "source_row", "run_id"):
        if column not in long.columns:
            long[column] = None
    return long[
        [
            *KEY_COLUMNS,
            "region_code",
            "line",
            "option_id",
            "value",
            "status",
            "as_of",
            "source_ref",
            "source_sha256",
            "source_row",
            "run_id",
        ]
    ]


def to_wide(long: pd.DataFrame) -> pd.DataFrame:
    """``core.protocol_values`` rows -> wide protocol rows (one column per line and per option)."""
    keyed = long.assign(column=long["option_id"].where(long["line"] == VOTES_LINE, long["line"]))
    wide = keyed.pivot_table(index=list(KEY_COLUMNS), columns="column", values="value", aggfunc="first")
    wide.columns.name = None
    return wide.reset_index().astype({c: "Int64" for c in wide.columns})
