"""kz-precinct-csv: Kazakh precinct tables (official or observers').

Headers in kk/ru/en as listed for observers' protocol exports in ``reference_data/observer_columns.csv``,
or the canonical layout of docs/demo.md, plus one column per party headed by any party name the resolver
knows. Regions resolve to ISO codes; precincts are ``<region code>/<number>``. A table may hold several
contests (a contest column): :func:`kz_contests` names them, :func:`parse_kz_precinct` reads one.
"""

from __future__ import annotations

import contextlib
import csv
from datetime import date
from pathlib import Path

import pandas as pd

from saylau.config import REFERENCE_DATA_DIR
from saylau.names import fold
from saylau.precincts.captions import caption_lines
from saylau.precincts.columnmap import ColumnMap
from saylau.precincts.table import (
    BallotOption,
    ColumnPlan,
    PrecinctImportError,
    PrecinctTable,
    UnknownCaptionError,
    _duplicates,
    _finish,
    precinct_numbers,
    read_table,
)
from saylau.protocol import LINES


def kz_column_mapping(data_dir: Path = REFERENCE_DATA_DIR) -> dict[str, str]:
    """Kazakh precinct-table header key (:func:`saylau.names.fold`) -> canonical column, from observer_columns.csv."""
    mapping = {}
    with (data_dir / "observer_columns.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["file_kind"] == "protocol":
                mapping[fold(row["header"])] = row["canonical"]
    return mapping


_KZ_IGNORED = {"observer_name", "observer_phone", "observer_email", "photo_ref", "notes"}

# Canonical headers of the machine-readable layout (the demo's official/precincts.csv, docs/demo.md):
# header -> role. Protocol lines and party ids under their canonical names are read as well.
KZ_CANONICAL_HEADERS = {
    "election_id": "election",
    "contest_id": "contest",
    "region_code": "region",
    "tec_id": "tec",
    "pec_id": "pec",
    "precinct_number": "precinct",
    "abroad": "abroad",
    "status": "status",
}


def _district_candidate(caption: str, election_id: str | None) -> str | None:
    """The district candidate a column names, by option id or by a name that is one candidate's in the
    whole election (a table of several districts has a column per candidate, empty off their district)."""
    if election_id is None:
        return None
    from saylau.candidates import district_candidate_names, district_of_candidates

    if caption.strip() in district_of_candidates(election_id):
        return caption.strip()
    return district_candidate_names(election_id).resolve(caption)


def _kz_columns(
    frame: pd.DataFrame, source: str, resolver, election_id: str | None = None
) -> tuple[dict, dict, list[BallotOption]]:
    """Classify a Kazakh table's headers: id columns by role, protocol lines, party and candidate columns."""
    from saylau.reference import UnknownNameError

    mapping = kz_column_mapping()
    ids_cols: dict[str, str] = {}
    line_columns: dict[str, str] = {}
    options: list[BallotOption] = []
    seen: dict[str, str] = {}  # canonical column -> the caption that gave it

    def claim(column: str, caption: str) -> None:
        """One column per id, line and party: a second one would overwrite the first's numbers."""
        if column in seen:
            raise PrecinctImportError(
                f"{source}: columns {seen[column]!r} and {caption!r} both map to {column!r}"
            )
        seen[column] = caption

    for position, caption in enumerate(frame.columns, start=1):
        canonical = KZ_CANONICAL_HEADERS.get(caption.strip()) or mapping.get(fold(caption))
        if canonical in ("region", "precinct", "contest", "election", "tec", "pec", "abroad", "status"):
            claim(canonical, caption)
            ids_cols[canonical] = caption
        elif canonical in LINES or caption.strip() in LINES:
            line = canonical if canonical in LINES else caption.strip()
            claim(line, caption)
            line_columns[caption] = line
        elif canonical in _KZ_IGNORED:
            continue
        elif canonical is None and len(caption_lines(caption)) == 1:  # a Russian caption, read by meaning
            (line,) = caption_lines(caption)
            claim(line, caption)
            line_columns[caption] = line
        elif (candidate := _district_candidate(caption, election_id)) is not None:
            claim(candidate, caption)  # a single-member district's candidate: by id or name (issue 21)
            options.append(BallotOption(caption, position, candidate, caption, caption, caption, "candidate"))
        else:
            try:
                party_id = resolver.party(caption)
            except UnknownNameError as exc:
                raise UnknownCaptionError(caption, source, "kz-precinct-csv") from exc
            claim(party_id, caption)
            row = resolver.parties[party_id]
            options.append(
                BallotOption(caption, position, party_id, caption, row["name_en"], row["short_en"])
            )
    return ids_cols, line_columns, options


def _kz_plan(plan: ColumnPlan, resolver) -> tuple[dict, dict, list[BallotOption]]:
    """A column map's plan in the Kazakh parser's terms; options resolved to the reference's party ids."""
    from dataclasses import replace

    from saylau.reference import UnknownNameError

    roles = {"region": "region", "pec": "precinct", "tec": "tec"}
    ids_cols = {roles[r]: c for r, c in plan.ids.items() if r in roles}
    options = []
    for o in plan.options:
        if o.option_id not in resolver.parties:
            with contextlib.suppress(UnknownNameError):  # else registration names it: not on the ballot
                o = replace(o, option_id=resolver.party(o.name))
        options.append(o)
    return ids_cols, dict(plan.lines), options


def kz_contests(body: bytes, source: str) -> list[str]:
    """The contests a Kazakh precinct table holds (its contest column), or [] if it has none."""
    frame = read_table(body, source)
    mapping = kz_column_mapping()
    for caption in frame.columns:
        if (KZ_CANONICAL_HEADERS.get(caption.strip()) or mapping.get(fold(caption))) == "contest":
            return sorted(set(frame[caption].astype(str).str.strip().str.lower()))
    return []


def parse_kz_precinct(
    body: bytes,
    source: str,
    contest_id: str,
    on: date | None = None,
    resolver=None,
    election_id: str | None = None,
    columns: ColumnMap | None = None,
) -> PrecinctTable:
    """Parse a Kazakh precinct table: kk/ru/en headers, regions resolved to ISO codes, parties to ids.

    Two layouts are read: observers'-style headers (``reference_data/observer_columns.csv``, party columns
    headed by any party name) and the canonical layout of docs/demo.md (``region_code``, ``pec_id``,
    protocol lines and party ids as headers). A table holding several contests (a contest column) gives
    the rows of ``contest_id``; an ``election_id`` column must name ``election_id``. A header that is
    neither a known column nor a party name the resolver knows raises :class:`UnknownCaptionError`; an
    unknown region name raises ``UnknownNameError`` naming it.
    """
    from saylau.reference import UnknownNameError, default_resolver

    resolver = resolver or default_resolver()
    frame = read_table(body, source)
    rows_read = len(frame)
    if columns is not None:
        ids_cols, line_columns, options = _kz_plan(columns.plan(frame, source), resolver)
    else:
        ids_cols, line_columns, options = _kz_columns(frame, source, resolver, election_id)
    if "election" in ids_cols and election_id is not None:
        given = sorted(set(frame[ids_cols["election"]].astype(str).str.strip()))
        if given != [election_id]:
            raise PrecinctImportError(f"{source}: rows are for elections {given}, not {election_id!r}")
    if "contest" in ids_cols:
        contests = frame[ids_cols["contest"]].astype(str).str.strip().str.lower()
        blank = contests.index[contests == ""]
        if len(blank):  # a row of no contest would be in no import: neither loaded nor quarantined
            raise PrecinctImportError(
                f"{source} line {blank[0] + 2}: the contest cell is empty ({len(blank)} row(s) name no contest)"
            )
        if not (contests == contest_id).any():
            raise PrecinctImportError(
                f"{source}: no rows for contest {contest_id!r} (the table holds {sorted(set(contests))})"
            )
        frame = frame[contests == contest_id]  # the index keeps each row's CSV line
        rows_read = len(frame)
    if "region" not in ids_cols:
        raise PrecinctImportError(f"{source}: no region column (headers: {list(frame.columns)})")
    if "precinct" not in ids_cols and "pec" not in ids_cols:
        raise PrecinctImportError(f"{source}: no precinct column (headers: {list(frame.columns)})")
    number = precinct_numbers(frame[ids_cols.get("precinct") or ids_cols["pec"]], source)
    names = frame[ids_cols["region"]].astype(str).str.strip()
    codes = {}
    for name in names.unique():
        try:
            codes[name] = resolver.region(name, on=on)
        except UnknownNameError as exc:
            line = names.index[names == name][0] + 2
            raise PrecinctImportError(f"{source} line {line}: {exc}") from exc
    region_code = names.map(codes)
    ids = pd.DataFrame({"unit_id": region_code + "/" + number, "region_code": region_code})
    _duplicates(ids, source)
    wide = _finish(frame, ids, line_columns, options)
    if "status" in ids_cols:
        wide["status"] = frame[ids_cols["status"]].astype(str).str.strip().str.lower().to_numpy()
    abroad = (
        frame[ids_cols["abroad"]].astype(str).str.strip().str.lower().isin(["true", "1", "yes", "да", "иә"])
        if "abroad" in ids_cols
        else pd.Series(False, index=frame.index)
    )
    pecs = pd.DataFrame(
        {
            "commission_id": ids["unit_id"],
            "level": "pec",
            "region_code": region_code,
            "parent_id": frame[ids_cols["tec"]].astype(str).str.strip() if "tec" in ids_cols else None,
            "number": pd.to_numeric(number).astype("Int64"),
            "name": None,
            "is_abroad": abroad,
        }
    )
    return PrecinctTable(
        wide=wide,
        options=options,
        line_captions={v: k for k, v in line_columns.items()},
        commissions=pecs,
        regions={codes[n]: n for n in codes},
        rows_read=rows_read,
    )
