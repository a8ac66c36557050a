"""Validating a parsed export: formula cells first, then the pandera models of :mod:`schemas.observers`,
against what the warehouse knows of the election (:class:`ElectionContext`).

A row with a spreadsheet formula in any cell is rejected as ``formula_cell`` and not validated further;
every rejected row is reported naming the file, the row and the column as the file headed it
(:func:`problems_of`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from saylau.observers.cells import ObserverFileError
from saylau.observers.columns import TABLES, ColumnMap
from saylau.observers.parse import ParsedExport
from saylau.observers.personal import PERSONAL_COLUMNS
from saylau.validate import COUNT_COLUMNS, REJECT, Validated, validate_frame
from schemas.observers import observer_protocol_schema, observer_turnout_schema, observer_violation_schema


@dataclass(frozen=True)
class ElectionContext:
    """What the warehouse knows about an election that observers' rows are checked against."""

    election_id: str
    election_date: date | None
    contests: dict[str, str]  # contest id -> kind
    ballots: dict[str, list[str]]  # contest id -> option ids on its ballot
    registry: frozenset[str]  # pec commission ids
    registry_regions: frozenset[str]  # regions with a precinct registry
    official_registered: dict[tuple[str, str], int] = field(default_factory=dict)  # (contest, pec) -> list
    district_ballots: dict[str, list[str]] = field(default_factory=dict)  # district id -> its candidates
    district_precincts: dict[str, frozenset[str]] = field(default_factory=dict)  # district id -> pec ids


def election_context(con: duckdb.DuckDBPyConnection, election_id: str) -> ElectionContext:
    """The contests, ballots and precinct registry of an election, from ``ref``."""
    row = con.execute(
        "select election_date from ref.elections where election_id = ?", [election_id]
    ).fetchone()
    if row is None:
        raise ObserverFileError(f"election {election_id!r} is not in ref.elections")
    contests = dict(
        con.execute(
            "select contest_id, kind from ref.contests where election_id = ?", [election_id]
        ).fetchall()
    )
    ballots: dict[str, list[str]] = {c: [] for c in contests}
    for contest, option in con.execute(
        "select contest_id, option_id from ref.ballot_options where election_id = ? "
        "order by contest_id, position nulls last, option_id",
        [election_id],
    ).fetchall():
        ballots.setdefault(contest, []).append(option)
    registry = con.execute(
        "select commission_id, region_code from ref.commissions where election_id = ? and level = 'pec'",
        [election_id],
    ).fetchall()
    official = con.execute(
        "select contest_id, unit_id, max(value) from core.protocol_values where election_id = ? "
        "and source = 'official' and level = 'pec' and line = 'registered' group by contest_id, unit_id",
        [election_id],
    ).fetchall()
    district_ballots: dict[str, list[str]] = {}
    for district, option in con.execute(
        "select district_id, option_id from ref.district_candidates where election_id = ? "
        "order by district_id, position",
        [election_id],
    ).fetchall():
        district_ballots.setdefault(district, []).append(option)
    return ElectionContext(
        election_id,
        row[0],
        contests,
        ballots,
        frozenset(r[0] for r in registry),
        frozenset(r[1] for r in registry if r[1]),
        {(c, u): int(v) for c, u, v in official},
        district_ballots,
        _district_precincts(con, election_id),
    )


def _district_precincts(con: duckdb.DuckDBPyConnection, election_id: str) -> dict[str, frozenset[str]]:
    """district id -> the precincts it covers: its ranges of precinct numbers, and the registered precincts
    of the territorial commissions it takes whole (as intermediate.int_district_precincts has them)."""
    rows = con.execute(
        "with numbers as (select district_id, level, region_code, "
        "unnest(generate_series(number_from, number_to)) as number "
        "from ref.district_units where election_id = ?) "
        "select district_id, region_code || '/' || number from numbers where level = 'pec' "
        "union all select n.district_id, c.commission_id from numbers as n inner join ref.commissions as c "
        "on c.election_id = ? and c.level = 'pec' "
        "and c.parent_id = n.region_code || '/T' || lpad(n.number::varchar, 2, '0') where n.level = 'tec'",
        [election_id, election_id],
    ).fetchall()
    out: dict[str, set[str]] = {}
    for district, unit in rows:
        out.setdefault(district, set()).add(unit)
    return {d: frozenset(u) for d, u in out.items()}


FORMULA_RULE = "formula_cell"
FORMULA_REASON = (
    "a cell holds a spreadsheet formula (text starting with =, @, + or -): it is never evaluated, and the "
    "row is not trusted; write the value itself"
)
# What a spreadsheet runs as a formula: text starting with = or @, or with + / - followed by more than a
# number (a signed count is a number: "-3" is left to the count rules; "+cmd|' /C calc'!A0" is a formula).
_FORMULA = re.compile(r"^[=@]|^[+\-](?![\d\s.,()%-]*$)\S")
# columns the parser renamed: the canonical column -> where its text is in the parsed frame
_PARSED_AS = {"contest": "contest_id", "time": "as_of"}


def is_formula(value: object) -> bool:
    """Whether a cell, as read, is spreadsheet formula text (see ``_FORMULA``)."""
    return isinstance(value, str) and bool(_FORMULA.match(value.strip()))


def formula_cells(parsed: ParsedExport) -> pd.Series:
    """Per row of the parsed frame: ``"column=text, ..."`` of the cells holding a formula, else ``""``.

    Personal columns are not looked at: they never leave the parser.
    """
    frame = parsed.frame
    found = pd.Series("", index=frame.index, dtype=object)
    # the district form's candidates are under their option ids (parties), not their headers
    for canonical in dict.fromkeys([*parsed.columns.columns.values(), *parsed.columns.parties]):
        column = _PARSED_AS.get(canonical, canonical)
        if canonical in PERSONAL_COLUMNS or column not in frame.columns:
            continue
        hit = frame[column].map(is_formula).astype(bool)
        if hit.any():
            text = canonical + "=" + frame.loc[hit, column].astype(str)
            found[hit] = (found[hit] + ", ").where(found[hit] != "", "") + text
    return found


def _formula_rejections(rows: pd.DataFrame, found: pd.Series, table: str) -> Validated:
    """Rows holding a formula, rejected (``formula_cell``) before any other rule looks at them."""
    rejected = rows.copy()
    rejected["row_position"] = rejected["source_row"].astype("int64")
    rejected["rule"] = FORMULA_RULE
    rejected["severity"] = REJECT
    rejected["failing_values"] = found.loc[rows.index].to_numpy()
    rejected["reason"] = FORMULA_REASON
    counts = pd.DataFrame(
        [{"table_name": table, "rule": FORMULA_RULE, "severity": REJECT, "failed_rows": len(rows)}]
    )
    return Validated(rows.iloc[0:0], rejected.reset_index(drop=True), pd.DataFrame(), counts, table)


def validate_export(parsed: ParsedExport, ctx: ElectionContext) -> Validated:
    """Validate a parsed export against its pandera model (per contest for protocol copies).

    A row with a formula in any cell is rejected as ``formula_cell`` and not validated further.
    """
    found = formula_cells(parsed)
    if not (found != "").any():
        return _validate_rows(parsed, ctx)
    formulas = found != ""
    rest = ParsedExport(
        parsed.kind, parsed.columns, parsed.frame[~formulas].reset_index(drop=True), parsed.file_name
    )
    table = TABLES[parsed.kind]
    inner = _validate_rows(rest, ctx)
    return _merge(
        [_formula_rejections(parsed.frame[formulas], found, table), inner], table, inner.key_columns
    )


def _validate_rows(parsed: ParsedExport, ctx: ElectionContext) -> Validated:
    table = TABLES[parsed.kind]
    keys = ["source", "election_id", "contest_id", "unit_id", "region_code", "copy_id", "source_ref",
            "source_sha256", "source_row"]  # fmt: skip
    frame = parsed.frame
    if parsed.kind == "turnout":
        keys = [k for k in keys if k in frame.columns] + ["as_of"]
        schema = observer_turnout_schema(ctx.registry, ctx.registry_regions)
        return validate_frame(frame, schema, table, key_columns=keys)
    if parsed.kind == "violation":
        keys = [k for k in keys if k in frame.columns]
        schema = observer_violation_schema(ctx.registry, ctx.registry_regions)
        return validate_frame(frame, schema, table, key_columns=keys)
    parts = []
    for (contest, district), group in _ballot_groups(frame):
        known = contest in ctx.contests and bool(group["contest_known"].all())
        options = ctx.ballots.get(contest, []) if known else list(parsed.columns.parties)
        if known and district in ctx.district_ballots:  # a district's ballot: its candidates
            options = [*ctx.district_ballots[district], *(o for o in options if o == "against_all")]
        off_ballot = [p for p in parsed.columns.parties if p not in options]
        group = group.copy()
        for option in options:
            if option not in group.columns:
                group[option] = pd.NA
        if not known:
            group["contest_known"] = False
        kind = ctx.contests.get(contest, "party_list")
        schema = observer_protocol_schema(
            kind,
            options,
            off_ballot,
            ctx.registry,
            ctx.registry_regions,
            ctx.official_registered,
            ctx.district_precincts,
        )
        if ctx.official_registered:  # shown next to the copy's list size when the two differ
            group["official_registered"] = pd.array(
                [
                    ctx.official_registered.get(k)
                    for k in zip(group["contest_id"], group["unit_id"], strict=True)
                ],
                dtype="Int64",
            )
        parts.append(validate_frame(group, schema, table, key_columns=keys))
    return _merge(parts, table, keys)


def _ballot_groups(frame: pd.DataFrame):
    """(contest, district) and its rows: one ballot each (district None outside the district form)."""
    if "district_id" not in frame.columns:
        for contest, group in frame.groupby("contest_id", sort=True, dropna=False):
            yield (contest, None), group
        return
    districts = frame["district_id"].fillna("")
    for (contest, district), group in frame.groupby(
        [frame["contest_id"], districts], sort=True, dropna=False
    ):
        yield (contest, district or None), group


def _merge(parts: list[Validated], table: str, keys: list[str]) -> Validated:
    def cat(frames: list[pd.DataFrame]) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    counts = cat([p.counts for p in parts])
    if len(counts):
        counts = counts.groupby(["table_name", "rule", "severity"], as_index=False)["failed_rows"].sum()
    else:
        counts = pd.DataFrame(columns=COUNT_COLUMNS)
    rejected = cat([p.rejected for p in parts])
    flags = cat([p.flags for p in parts])
    if len(rejected):
        rejected["row_position"] = rejected["source_row"].astype("int64")
    if len(flags):
        flags["row_position"] = flags["source_row"].astype("int64")
    return Validated(cat([p.good for p in parts]), rejected, flags, counts, table, keys)


def problems_of(validated: Validated, cmap: ColumnMap, file_name: str) -> list[str]:
    """One message per rejected row and rule, naming the file, the row and the column as written."""
    out = []
    for row in validated.rejected.itertuples(index=False):
        values = str(row.failing_values)
        for canonical in sorted({*cmap.columns.values(), *cmap.parties}, key=len, reverse=True):
            header = cmap.header_of(canonical)
            if header != canonical:
                values = re.sub(rf"(?<![\w]){re.escape(canonical)}=", f"{canonical} ({header!r})=", values)
        if "time" in cmap.columns.values():  # times are parsed into as_of
            values = values.replace("as_of=", f"as_of ({cmap.header_of('time')!r})=")
        out.append(f"{file_name} row {row.source_row}: {row.rule}: {values}")
    return out
