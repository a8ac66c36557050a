"""Loading observers' exports into the warehouse: archive, parse, validate, store, one transaction a file.

- a file is known by its path relative to the folder loaded (its name when given as a file), its kind,
  organisation and election: ``south/protocols.csv`` and ``north/protocols.csv`` are two files.
- idempotent: a file whose bytes are the current version of it for this election adds nothing; a file
  of the same identity with other bytes is a correction and supersedes the current version (whose rows
  leave staging and core; its bytes stay in the archive and its manifest row says what replaced it).
  Loading an earlier version again makes it current again (v1, v2, v1: v1's rows).
- bytes current under another election (a file loaded under the wrong one) are moved: their rows there
  are withdrawn and they load under this election, said in the result. :func:`withdraw_observer_file`
  (``saylau load-observers --withdraw``) takes a file's current load out of an election. Both are
  recorded in the archive's manifest, so a rebuild repeats them in order.
- a published summary table (:mod:`saylau.observers.summary`) is told apart by its headers and stored
  as it is, its inconsistencies reported as warnings.
- a file that cannot be read is refused with a message naming it; the other files still load.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from saylau import manifest
from saylau.archive import Archive
from saylau.config import Settings, settings
from saylau.load.store import Scope, clear, store_counts, store_flags, store_rejected
from saylau.load.tables import is_workbook
from saylau.observers import cells
from saylau.observers.cells import ObserverFileError, read_headers
from saylau.observers.columns import TABLES
from saylau.observers.parse import organisation_id, parse_export
from saylau.observers.personal import pii_salt
from saylau.observers.store import (
    delete_file_rows,
    record_conflicts,
    resolve_observer_protocols,
    stage_rows,
    store_core,
)
from saylau.observers.summary import load_aggregate, looks_like_aggregate
from saylau.observers.validate import election_context, problems_of, validate_export
from saylau.validate import Validated
from saylau.warehouse import connect

MAX_FILE_BYTES = 200_000_000  # a file larger than this is refused unread
SHOWN = 20  # rows (and problems) a load prints before counting the rest


@dataclass
class LoadResult:
    """What loading one file did."""

    path: str
    sha256: str
    kind: str = ""
    status: str = "loaded"  # loaded | unchanged (the current version already) | refused | failed | withdrawn
    rows: int = 0
    good: int = 0
    rejected: int = 0
    flagged: int = 0
    superseded: list[str] = field(default_factory=list)  # sha256s of earlier versions this file replaced
    problems: list[str] = field(default_factory=list)  # file / row / column messages for people
    marked: list[str] = field(default_factory=list)  # each quarantined or flagged row: precinct and rules
    table: str = ""  # the observers' table the rows are of (quarantine.<table>), "" for a summary table

    def summary(self) -> str:
        if self.status != "loaded":
            return f"{self.path}: {self.status}"
        extra = f", superseding {len(self.superseded)} earlier version(s)" if self.superseded else ""
        return (
            f"{self.path}: {self.kind}, {self.rows} rows: {self.good} good, {self.rejected} quarantined, "
            f"{self.flagged} flagged{extra}"
        )

    def terminal_lines(self, shown: int = SHOWN) -> list[str]:
        """What ``saylau load-observers`` prints for this file: the summary, each quarantined or flagged row's
        precinct and rules, then the problems naming file, row and column (at most ``shown`` of each, then
        how many more)."""
        lines = [self.summary()]
        lines += [f"  {mark}" for mark in self.marked[:shown]]
        if len(self.marked) > shown:
            where = f"quarantine.{self.table}, core.validation_flags" if self.table else "the warehouse"
            lines.append(
                f"  ... and {len(self.marked) - shown} more row(s) quarantined or flagged (see {where})"
            )
        lines += [f"  {problem}" for problem in self.problems[:shown]]
        if len(self.problems) > shown:
            lines.append(
                f"  ... and {len(self.problems) - shown} more problem(s) (see quarantine.observer_*)"
            )
        return lines


def load_observer_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    election_id: str,
    run_id: str,
    salt: bytes,
    archive_dir: Path,
    organisation: str | None = None,
    contest: str | None = None,
    kind: str | None = None,
    body: bytes | None = None,
    file_name: str | None = None,
    record: bool = True,
) -> LoadResult:
    """Archive, parse, validate and store one export (one transaction); see the module docstring.

    ``file_name`` is the file's identity: its path relative to the folder loaded (default: its name).
    ``body`` replaces reading ``path`` (a rebuild passes the archived bytes and the path as first given).
    A load that changed the warehouse is remembered in the archive's manifest, so the archive alone
    repeats it (:mod:`saylau.manifest`); a rebuild replaying the manifest passes ``record=False``.
    """
    path = Path(path)
    body = path.read_bytes() if body is None else body
    file_name = file_name or path.name
    loaded_at = datetime.now(UTC)
    result = _load_observer_body(
        con, path, body, election_id, run_id, salt, archive_dir, organisation, contest, kind, file_name
    )
    if result.status == "loaded" and record:
        manifest.record_load(
            archive_dir,
            "observer_file",
            result.sha256,
            str(path),
            loaded_at,
            election_id=election_id,
            organisation=organisation,
            contest=contest,
            kind=kind,
            file_name=file_name,
        )
    return result


def current_elections(con: duckdb.DuckDBPyConnection, sha256: str) -> set[str] | None:
    """The elections whose rows these bytes currently feed (an empty set: current, but of no rows or a
    summary table); None when the bytes are no file's current version."""
    kinds = [
        r[0]
        for r in con.execute(
            "select distinct kind from raw.observer_files where sha256 = ? and superseded_by is null",
            [sha256],
        ).fetchall()
    ]
    if not kinds:
        return None
    elections: set[str] = set()
    for k in kinds:
        if k in TABLES:
            elections |= {
                r[0]
                for r in con.execute(
                    f"select distinct election_id from staging.{TABLES[k]} where source_sha256 = ?", [sha256]
                ).fetchall()
            }
    return elections


def _load_observer_body(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    body: bytes,
    election_id: str,
    run_id: str,
    salt: bytes,
    archive_dir: Path,
    organisation: str | None,
    contest: str | None,
    kind: str | None,
    file_name: str,
) -> LoadResult:
    sha = Archive(archive_dir).put(body)
    result = LoadResult(str(path), sha)
    now = datetime.now(UTC)
    con.execute(
        "insert or ignore into raw.files (sha256, path, kind, bytes, read_at, run_id) values (?, ?, ?, ?, ?, ?)",
        [sha, str(path), "observer_export", len(body), now, run_id],
    )
    current = current_elections(con, sha)
    if current is not None and (not current or election_id in current):
        result.status = "unchanged"  # these bytes already are what this election holds of the file
        return result
    moved_from = sorted(current or ())  # bytes loaded under another election: moved here
    ctx = election_context(con, election_id)
    if kind in (None, "aggregate") and _is_aggregate(body, path.name):
        return _load_aggregate(con, path, body, result, organisation, run_id, now, file_name)
    try:
        parsed = parse_export(
            body,
            path.name,
            election_id=election_id,
            salt=salt,
            election_date=ctx.election_date,
            organisation=organisation,
            contest=contest,
            kind=kind,
            sha256=sha,
        )
    except ObserverFileError as exc:
        result.status = "refused"
        result.problems.append(str(exc))
        return result
    parsed.frame["source_ref"] = str(path)
    result.kind, result.rows = parsed.kind, len(parsed.frame)
    validated = validate_export(parsed, ctx)
    sources = sorted(set(parsed.frame["source"]))
    con.execute("begin transaction")
    try:
        # these bytes' own earlier rows: a version superseded since (loaded again, it is current again),
        # or a load under another election (moved here)
        delete_file_rows(con, sha)
        clear(con, Scope.of_sources([sha]))  # its protocol values, under whichever election
        con.execute("delete from raw.observer_files where sha256 = ?", [sha])
        # an earlier version: same file (path in the folder loaded), kind and organisation, for the same
        # election (organisations reuse their file names from one election to the next)
        earlier = [
            r[0]
            for r in con.execute(
                "select distinct f.sha256 from raw.observer_files as f where f.file_name = ? and f.kind = ? "
                "and f.organisation in (select unnest(?)) and f.superseded_by is null and f.sha256 <> ? "
                f"and not exists (select 1 from staging.{TABLES[parsed.kind]} as s "
                "where s.source_sha256 = f.sha256 and s.election_id <> ?)",
                [file_name, parsed.kind, sources, sha, election_id],
            ).fetchall()
        ]
        for old in earlier:
            delete_file_rows(con, old)
            con.execute("update raw.observer_files set superseded_by = ? where sha256 = ?", [sha, old])
        stage_rows(con, parsed, run_id)
        store_core(con, parsed, validated, run_id)
        store_rejected(con, validated.table_name, validated, run_id)
        store_flags(con, validated.table_name, validated, run_id)
        store_counts(con, validated, run_id)
        for source in sources:
            con.execute(
                "insert into raw.observer_files (sha256, file_name, path, kind, organisation, rows, loaded_at, "
                "run_id) values (?, ?, ?, ?, ?, ?, ?, ?)",
                [sha, file_name, str(path), parsed.kind, source, int((parsed.frame["source"] == source).sum()),
                 now, run_id],
            )  # fmt: skip
        if parsed.kind == "protocol":
            resolve_observer_protocols(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    result.superseded = earlier
    result.good = len(validated.good)
    result.rejected = validated.rejected_rows if not validated.rejected.empty else 0
    if len(validated.rejected):
        result.rejected = int(validated.rejected["source_row"].nunique())
    result.flagged = int(validated.flags["source_row"].nunique()) if len(validated.flags) else 0
    result.problems = problems_of(validated, parsed.columns, path.name)
    result.marked, result.table = row_marks(validated), validated.table_name
    if moved_from:
        result.problems.insert(0, f"{file_name}: moved here from election {', '.join(moved_from)}")
    return result


def _precinct_of(row: pd.Series) -> str:
    """The precinct a row is about: its commission id, else the region and number as written."""
    if isinstance(row.get("unit_id"), str) and row.get("unit_id"):
        return row["unit_id"]
    written = [str(row.get(c)) for c in ("region", "precinct") if isinstance(row.get(c), str) and row.get(c)]
    return " ".join(written) if written else "unknown"


def row_marks(validated: Validated) -> list[str]:
    """One line per quarantined or flagged row, in file order: its row, its precinct and the rules it broke
    ("row 3, precinct KZ-75/12: quarantined (valid_le_issued); flagged (boxes_gt_issued)")."""
    rules: dict[int, dict[str, list[str]]] = {}
    precincts: dict[int, str] = {}
    for frame, what in ((validated.rejected, "quarantined"), (validated.flags, "flagged")):
        if frame.empty or "source_row" not in frame.columns:
            continue
        for _, row in frame.iterrows():
            number = int(row["source_row"])
            found = rules.setdefault(number, {}).setdefault(what, [])
            if str(row["rule"]) not in found:
                found.append(str(row["rule"]))
            if precincts.get(number, "unknown") == "unknown":
                precincts[number] = _precinct_of(row)
    return [
        f"row {number}, precinct {precincts[number]}: "
        + "; ".join(f"{what} ({', '.join(sorted(names))})" for what, names in rules[number].items())
        for number in sorted(rules)
    ]


def _is_aggregate(body: bytes, file_name: str) -> bool:
    if not is_workbook(body, file_name) and body.count(b"\n") > cells.MAX_ROWS + 1:
        return False  # too long for a summary table: parsing refuses it as too long for any export
    try:
        headers = read_headers(body, file_name)
    except ObserverFileError:
        return False
    return looks_like_aggregate(headers)


def _load_aggregate(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    body: bytes,
    result: LoadResult,
    organisation: str | None,
    run_id: str,
    now: datetime,
    file_name: str,
) -> LoadResult:
    """A published summary table: stored as it is, its inconsistencies reported as warnings."""
    con.execute("begin transaction")
    try:
        loaded = load_aggregate(con, path, run_id, body)
        con.execute(
            "insert into raw.observer_files (sha256, file_name, path, kind, organisation, rows, loaded_at, run_id) "
            "values (?, ?, ?, 'aggregate', ?, ?, ?, ?)",
            [result.sha256, file_name, str(path), organisation_id(organisation), loaded.cells, now, run_id],
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    result.kind, result.rows, result.good = "aggregate", loaded.cells, loaded.cells
    result.flagged = len(loaded.warnings)
    result.problems = [f"{path.name} cell {w.cell}: warning {w.rule}: {w.message}" for w in loaded.warnings]
    return result


def load_observers(
    db_path: Path,
    paths: Sequence[Path],
    *,
    election_id: str,
    run_id: str,
    organisation: str | None = None,
    contest: str | None = None,
    kind: str | None = None,
    s: Settings | None = None,
) -> list[LoadResult]:
    """Load observers' exports (files, or folders of .csv/.xlsx) into the warehouse; one result per file.

    A file that cannot be read is refused with a message and the others still load.
    """
    s = s or settings()
    files = expand_files(paths)
    salt = pii_salt(s)
    results = []
    with connect(db_path) as con:
        for path, file_name in files:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                result = LoadResult(str(path), "", status="refused")
                result.problems.append(
                    f"{path.name}: {size:,} bytes, more than an observers' export can be ({MAX_FILE_BYTES:,}): "
                    "not read"
                )
                results.append(result)
                continue
            try:
                result = load_observer_file(
                    con,
                    path,
                    election_id=election_id,
                    run_id=run_id,
                    salt=salt,
                    archive_dir=s.archive_dir,
                    organisation=organisation,
                    contest=contest,
                    kind=kind,
                    file_name=file_name,
                )
            except Exception as exc:  # noqa: BLE001 - one file's failure, whatever it is, is that file's
                # the file's own transaction was rolled back; the files before and after still load
                result = LoadResult(str(path), "", status="failed")
                result.problems.append(f"{path.name}: {type(exc).__name__}: {exc}")
            results.append(result)
        if any(r.kind == "protocol" and r.status == "loaded" for r in results):
            record_conflicts(con, run_id)  # only a run that changed the copies has something to report
    return results


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders expanded to their .csv / .xlsx files (sorted); a missing path is an error."""
    return [path for path, _ in expand_files(paths)]


def expand_files(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    """(file, identity) of every file as given (identity: its name) and of every .csv / .xlsx file in a
    folder given (identity: its path relative to that folder, ``south/protocols.csv``), sorted; a missing
    path is an error."""
    out: list[tuple[Path, str]] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in (".csv", ".xlsx"))
            out += [(f, f.relative_to(p).as_posix()) for f in found]
        elif p.exists():
            out.append((p, p.name))
        else:
            raise ObserverFileError(f"{p}: no such file or folder")
    return out


def withdraw_observer_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    election_id: str,
    archive_dir: Path,
    record: bool = True,
    sha256: str | None = None,
) -> LoadResult:
    """Take a file's current load out of an election: its rows leave staging, core and quarantine (its
    bytes stay in the archive; loading them again loads them again). ``path`` is the file (its bytes
    name the load) or, when it is gone, the path or identity it was loaded under. Recorded in the
    archive's manifest (op ``observer_withdraw``), so a rebuild withdraws it too (by ``sha256``)."""
    path = Path(path)
    if sha256:
        shas = [sha256]
    elif path.is_file():
        shas = [Archive(archive_dir).put(path.read_bytes())]
    else:
        shas = [
            r[0]
            for r in con.execute(
                "select distinct sha256 from raw.observer_files where superseded_by is null "
                "and (path = ? or file_name = ?)",
                [str(path), path.as_posix()],
            ).fetchall()
        ]
    shas = [sha for sha in shas if election_id in (current_elections(con, sha) or ())]
    result = LoadResult(str(path), shas[0] if len(shas) == 1 else "", status="withdrawn")
    if len(shas) != 1:
        result.status = "refused"
        result.problems.append(
            f"{path}: no current load of it in election {election_id}"
            if not shas
            else f"{path}: names {len(shas)} loads in election {election_id}; give the file itself"
        )
        return result
    withdrawn_at = datetime.now(UTC)
    con.execute("begin transaction")
    try:
        kinds = {
            r[0] for r in con.execute("select kind from raw.observer_files where sha256 = ?", shas).fetchall()
        }
        delete_file_rows(con, shas[0])
        clear(con, Scope.of_sources(shas))  # its protocol values
        con.execute("delete from raw.observer_files where sha256 = ?", shas)
        if "protocol" in kinds:
            resolve_observer_protocols(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    if record:
        manifest.record_load(
            archive_dir, "observer_withdraw", shas[0], str(path), withdrawn_at, election_id=election_id
        )
    return result


def withdraw_observers(
    db_path: Path, paths: Sequence[Path], *, election_id: str, run_id: str, s: Settings | None = None
) -> list[LoadResult]:
    """:func:`withdraw_observer_file` for each path given; one result per path."""
    s = s or settings()
    with connect(db_path) as con:
        results = [
            withdraw_observer_file(con, p, election_id=election_id, archive_dir=s.archive_dir) for p in paths
        ]
        if any(r.status == "withdrawn" for r in results):
            record_conflicts(con, run_id)
    return results
