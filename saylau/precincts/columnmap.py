"""A column map: what each column of any precinct table is, for a table whose captions are read by no
format (an observers' organisation's own table; a commission of another country).

``saylau import-precincts TABLE --columns MAP.csv``. The map is a CSV (or YAML, if PyYAML is installed)
with one row per column of the table::

    column,maps_to,name,option_id,kind
    Region,region,,,
    District,tec,,,
    Precinct,pec,,,
    Voters on the list,registered,,,
    Georgian Dream,option,Georgian Dream,,party
    Comment,ignore,,,

``maps_to`` is a protocol line of :data:`saylau.protocol.LINES`, ``option`` (with the option's ``name``;
``option_id`` defaults to ``yes`` / ``no`` / ``against_all`` for those answers, else a slug of the name;
``kind`` to ``answer`` / ``against_all`` / ``candidate`` for a person's full name / ``party``), an id
(``region``, ``tec``, ``pec``), ``name`` (the precinct's name, kept in ``ref.commissions``) or ``ignore``.
Lines starting with ``#`` are comments. The map is checked against the table before anything is
written: a mapped column the table lacks, a count column the map does not list, two columns for one line,
option or id, an unknown ``maps_to`` are errors naming the map's file and line (and the table's column).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from saylau.precincts.captions import answer_option, is_against_all, is_count_column, is_person_name
from saylau.precincts.table import BallotOption, ColumnPlan, PrecinctImportError, slug, transliterate
from saylau.protocol import LINES

ID_ROLES = {"region": "region", "tec": "tec", "tik": "tec", "pec": "pec", "uik": "pec", "precinct": "pec"}
OPTION_KINDS = ("party", "candidate", "answer", "against_all")
MAP_COLUMNS = ("column", "maps_to", "name", "option_id", "kind")


class ColumnMapError(PrecinctImportError):
    """A column map that cannot be read, or does not fit the table; the message names the map's file and
    line, and the column."""


@dataclass(frozen=True)
class MapEntry:
    """One row of a column map, with the line of the map it is on."""

    line: int
    column: str
    maps_to: str
    name: str = ""
    option_id: str = ""
    kind: str = ""


@dataclass(frozen=True)
class ColumnMap:
    """A read column map: its file and entries (one per column of the table)."""

    source: str
    entries: tuple[MapEntry, ...]

    def plan(self, frame: pd.DataFrame, table: str) -> ColumnPlan:
        """The table's :class:`ColumnPlan`, the map checked against the table's columns."""
        return plan_from_map(self, frame, table)


def read_column_map(path: Path | str, body: bytes | None = None) -> ColumnMap:
    """Read a column map (CSV; ``.yaml`` / ``.yml`` with PyYAML), checking each row on its own."""
    path = Path(path)
    if body is None:
        if not path.is_file():
            raise ColumnMapError(f"{path}: no such column map")
        body = path.read_bytes()
    source = str(path)
    raw = _yaml_rows(body, source) if path.suffix.lower() in (".yaml", ".yml") else _csv_rows(body, source)
    entries: list[MapEntry] = []
    seen: dict[str, int] = {}
    for line, row in raw:
        entry = _entry(row, line, source)
        if entry.column in seen:
            raise ColumnMapError(
                f"{source} line {line}: column {entry.column!r} is mapped twice (also on line {seen[entry.column]})"
            )
        seen[entry.column] = line
        entries.append(entry)
    if not entries:
        raise ColumnMapError(f"{source}: the column map maps no column")
    return ColumnMap(source, tuple(entries))


def _csv_rows(body: bytes, source: str) -> list[tuple[int, dict[str, str]]]:
    from saylau.load.tables import TableFileError, decode_text, separator_of

    try:
        text = decode_text(body, source)
    except TableFileError as exc:
        raise ColumnMapError(str(exc)) from exc
    reader = csv.reader(io.StringIO(text), delimiter=separator_of(text))
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    start = 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not cells or not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            missing = [c for c in ("column", "maps_to") if c not in header]
            unknown = [c for c in header if c not in MAP_COLUMNS]
            if missing or unknown:
                raise ColumnMapError(
                    f"{source} line {line}: the header must name the columns {list(MAP_COLUMNS)} "
                    f"(column and maps_to required); {'missing ' + str(missing) if missing else ''}"
                    f"{' unknown ' + str(unknown) if unknown else ''}".rstrip()
                )
            continue
        rows.append((line, dict(zip(header, (c.strip() for c in cells), strict=False))))
    return rows


def _yaml_rows(body: bytes, source: str) -> list[tuple[int, dict[str, str]]]:
    """YAML: a list of rows with the CSV's keys, or a mapping ``column: maps_to`` (or ``column: {maps_to:
    option, name: ...}``); "line" is the entry's number."""
    try:
        import yaml
    except ImportError as exc:
        raise ColumnMapError(f"{source}: a YAML column map needs PyYAML; write the map as CSV") from exc
    try:
        data = yaml.safe_load(body.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ColumnMapError(f"{source}: not a readable YAML column map ({exc})") from exc
    if isinstance(data, dict):
        data = data.get("columns", data)
    if isinstance(data, dict):
        data = [{"column": k, **(v if isinstance(v, dict) else {"maps_to": v})} for k, v in data.items()]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ColumnMapError(f"{source}: a YAML column map is a list of rows or a mapping column -> maps_to")
    return [(i, {str(k): "" if v is None else str(v) for k, v in r.items()}) for i, r in enumerate(data, 1)]


def _entry(row: dict[str, str], line: int, source: str) -> MapEntry:
    column, maps_to = row.get("column", "").strip(), row.get("maps_to", "").strip().lower()
    if not column:
        raise ColumnMapError(f"{source} line {line}: no column named")
    roles = [*LINES, "option", *ID_ROLES, "name", "ignore"]
    if maps_to not in roles:
        raise ColumnMapError(
            f"{source} line {line}: column {column!r} maps to {maps_to!r}, which is none of: a protocol line "
            f"({', '.join(LINES)}), option, region, tec, pec, name, ignore"
        )
    name, kind = row.get("name", "").strip(), row.get("kind", "").strip().lower()
    if maps_to == "option" and not name:
        raise ColumnMapError(
            f"{source} line {line}: option column {column!r} needs its name (the name column)"
        )
    if kind and kind not in OPTION_KINDS:
        raise ColumnMapError(f"{source} line {line}: kind {kind!r} is none of {list(OPTION_KINDS)}")
    return MapEntry(line, column, maps_to, name, row.get("option_id", "").strip(), kind)


def _option(entry: MapEntry, position: int) -> BallotOption:
    answer = answer_option(entry.name)
    against = is_against_all(entry.name)
    kind = entry.kind or (
        "answer"
        if answer
        else "against_all"
        if against
        else "candidate"
        if is_person_name(entry.name)
        else "party"
    )
    option_id = entry.option_id or answer or ("against_all" if against else slug(entry.name))
    name_en = transliterate(entry.name)
    return BallotOption(entry.column, position, option_id, entry.name, name_en, name_en, kind)


def plan_from_map(colmap: ColumnMap, frame: pd.DataFrame, table: str) -> ColumnPlan:
    """The plan a map gives a table, refused (naming the map's line, the table and the column) when a
    mapped column is not in the table, a count column is not mapped, or two columns map to one thing."""
    columns = [str(c) for c in frame.columns]
    plan = ColumnPlan()
    claimed: dict[str, MapEntry] = {}
    position = 0
    for entry in colmap.entries:
        if entry.column not in columns:
            raise ColumnMapError(
                f"{colmap.source} line {entry.line}: column {entry.column!r} is not in {table} "
                f"(its columns: {columns[:8]}{' ...' if len(columns) > 8 else ''})"
            )
        if entry.maps_to == "ignore":
            plan.ignored[entry.column] = f"ignored by {Path(colmap.source).name} line {entry.line}"
            continue
        if entry.maps_to == "option":
            position += 1
            option = _option(entry, position)
            what = f"the option {option.option_id!r}"
        else:
            what = entry.maps_to if entry.maps_to not in ID_ROLES else f"the {ID_ROLES[entry.maps_to]} id"
        if what in claimed:
            raise ColumnMapError(
                f"{colmap.source} line {entry.line}: columns {claimed[what].column!r} (line "
                f"{claimed[what].line}) and {entry.column!r} both map to {what}"
            )
        claimed[what] = entry
        if entry.maps_to == "option":
            plan.options.append(option)
        elif entry.maps_to in ID_ROLES:
            plan.ids[ID_ROLES[entry.maps_to]] = entry.column
        elif entry.maps_to == "name":
            plan.attributes["name"] = entry.column
            plan.kept[entry.column] = "the precinct's name (ref.commissions.name)"
        else:
            plan.lines[entry.column] = entry.maps_to
    mapped = {e.column for e in colmap.entries}
    for column in columns:
        if column in mapped:
            continue
        if is_count_column(frame[column]):
            raise ColumnMapError(
                f"{table}: column {column!r} holds counts but {colmap.source} does not map it "
                f"(add a row '{column},ignore' if it is not to be loaded)"
            )
        plan.ignored[column] = f"a text column {Path(colmap.source).name} does not map"
    return plan
