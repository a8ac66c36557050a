"""Importing a precinct table: read, validate, store and record it, one contest at a time.

An import only loads: the job around it (``saylau.pipeline``) starts and finishes its run in ``meta.runs``
and builds the marts, so every import is given the ``run_id`` it writes under. The file is archived
(content-addressed) and its load recorded in the archive's manifest (:func:`saylau.manifest.record_load`),
so the archive alone can repeat it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from saylau.precincts.columnmap import ColumnMap, read_column_map
from saylau.precincts.izbirkom import parse_izbirkom
from saylau.precincts.kz import kz_contests, parse_kz_precinct
from saylau.precincts.register import ElectionInfo, choose_leader, election_info_from_id, register_table
from saylau.precincts.store import (
    in_transaction,
    record_file,
    record_import,
    store_validated,
    validate_precincts,
)
from saylau.precincts.table import FORMATS, PrecinctImportError
from saylau.protocol import LINES


@dataclass
class ImportResult:
    """What an import did: ids, counts, the file's hash and the time each phase took."""

    election_id: str
    contest_id: str
    source_ref: str
    sha256: str
    run_id: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    quarantine_rules: dict[str, int]
    leader: str
    values_loaded: int
    kind: str = "party_list"  # the contest kind the options make (party_list | single_winner | referendum)
    kept: dict[str, str] = field(default_factory=dict)  # text column -> where it is kept
    ignored: dict[str, str] = field(default_factory=dict)  # column -> why it was not loaded
    marts: dict = field(default_factory=dict)  # empty here: the job that builds the marts fills it
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per phase
    cpu_timings: dict[str, float] = field(default_factory=dict)  # CPU seconds (all threads) per phase


def import_precincts(
    con_or_db_path: duckdb.DuckDBPyConnection | Path,
    path: Path,
    fmt: str,
    election_id: str,
    contest_id: str | None = None,
    leader: str | None = None,
    *,
    run_id: str,
    archive_dir: Path | None = None,
    source: str = "official",
    body: bytes | None = None,
    columns: Path | str | ColumnMap | None = None,
    columns_sha256: str | None = None,
) -> ImportResult:
    """Import one contest of a precinct table into the warehouse (a connection, or the path of one),
    writing under ``run_id``. Neither records a run nor builds marts: the caller's job does both.

    ``fmt`` is one of :data:`FORMATS`; ``contest_id`` defaults to ``duma`` (izbirkom-csv) or
    ``mazhilis``; ``leader`` (an option id or party name) defaults to the option with the most votes
    (:func:`saylau.precincts.register.choose_leader`). ``source`` is ``official`` for a commission's table,
    or an observer organisation's id or name for observers' precinct data (the forensics marts read official
    rows only). ``body`` is the file's bytes when the caller has them (the archive), else ``path`` is read.
    The file is archived and recorded in ``raw.files``; rows failing validation go to
    ``quarantine.precinct_protocols`` with the rule and the failing values; an earlier import of the same
    election, contest and source is replaced. A connection given must not be inside a transaction.
    """
    from saylau import manifest
    from saylau.archive import Archive
    from saylau.config import settings

    if source != "official":  # an organisation's name as typed, under the id its observers' files use
        from saylau.observers import organisation_id

        source = organisation_id(source)
    timings: dict[str, float] = {}
    cpu_timings: dict[str, float] = {}
    clock, cpu_clock = time.perf_counter(), time.process_time()

    def lap(name: str) -> None:
        nonlocal clock, cpu_clock
        now, cpu_now = time.perf_counter(), time.process_time()
        timings[name], cpu_timings[name] = now - clock, cpu_now - cpu_clock
        clock, cpu_clock = now, cpu_now

    path = Path(path)
    if fmt not in FORMATS:
        raise PrecinctImportError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    if body is None and not path.is_file():
        raise PrecinctImportError(f"{path}: no such file")
    body = path.read_bytes() if body is None else body
    archive_dir = archive_dir or settings().archive_dir
    colmap, columns_body = _column_map(columns, columns_sha256, archive_dir)
    imported_at = datetime.now(UTC)
    path_ref = str(path)

    with _connection(con_or_db_path) as con:
        if not con.execute("select count(*) from ref.regions").fetchone()[0]:
            from saylau.reference import load_reference

            load_reference(con)  # a fresh warehouse: the reference data first
        ref_election = con.execute(
            "select election_date from ref.elections where election_id = ?", [election_id]
        ).fetchone()
        if fmt == "izbirkom-csv":
            country = election_id.split("-", 1)[0].upper()
            table = parse_izbirkom(body, path_ref, colmap, country if len(country) == 2 else "RU")
            contest_id = contest_id or _default_contest(
                table.kind, "duma" if country == "RU" else "parliament"
            )
            info = election_info_from_id(election_id, contest_id, fmt, table.kind, table.options)
        else:
            if ref_election is None:
                raise PrecinctImportError(
                    f"election {election_id!r} is not in ref.elections (run `saylau init` first; "
                    "kz-precinct-csv imports into elections the reference data knows)"
                )
            contest_id = contest_id or "mazhilis"
            table = parse_kz_precinct(
                body, path_ref, contest_id, on=ref_election[0], election_id=election_id, columns=colmap
            )
            info = ElectionInfo(election_id, contest_id, "KZ", ref_election[0], contest_kind=table.kind)
        lap("parse")

        sha256, size = Archive(archive_dir).put(body), len(body)
        if columns_body is not None:
            columns_sha256 = Archive(archive_dir).put(columns_body)
        option_ids = [o.option_id for o in table.options]
        wide = table.wide.assign(
            election_id=info.election_id,
            contest_id=info.contest_id,
            source=source,
            level="pec",
            source_ref=path_ref,
            source_sha256=sha256,
        )
        if "status" not in wide.columns:
            wide["status"] = "final"  # a published precinct table holds the final count
        validated = validate_precincts(wide, option_ids, table.kind)
        lap("validate")

        good = validated.good
        totals = {o: (int(good[o].astype("Int64").sum()) if len(good) else None) for o in option_ids}
        leader_id, chosen_by = choose_leader(totals, leader)
        con.execute("set enable_progress_bar = false")  # the command prints its own summary

        def register() -> None:
            register_table(con, info, table, sha256)
            record_file(con, sha256, path_ref, size, run_id)

        def store() -> None:
            store_validated(con, validated, option_ids, run_id, info, source)
            record_import(
                con, info, fmt, path_ref, sha256, leader_id, chosen_by, table, validated, run_id, source
            )

        in_transaction(con, register)
        in_transaction(con, store)
        lap("load")
    manifest.record_load(
        archive_dir,
        "precinct_table",
        sha256,
        path_ref,
        imported_at,
        fmt=fmt,
        election_id=election_id,
        contest_id=contest_id,
        leader=leader,
        source=source,
        **({"columns": str(columns), "columns_sha256": columns_sha256} if colmap is not None else {}),
    )  # the archive alone can repeat this import (saylau.manifest)
    rejected = validated.rejected
    rules = rejected.groupby("rule")["row_position"].nunique().to_dict() if len(rejected) else {}
    return ImportResult(
        election_id=election_id,
        contest_id=contest_id,
        source_ref=path_ref,
        sha256=sha256,
        run_id=run_id,
        rows_read=table.rows_read,
        rows_loaded=len(good),
        rows_quarantined=validated.rejected_rows,
        quarantine_rules={str(k): int(v) for k, v in rules.items()},
        leader=leader_id,
        kind=table.kind,
        kept=table.kept,
        ignored=table.ignored,
        values_loaded=int(good[[c for c in (*LINES, *option_ids) if c in good.columns]].notna().sum().sum()),
        timings=timings,
        cpu_timings=cpu_timings,
    )


def _default_contest(kind: str, elections: str) -> str:
    """The contest a table's options make when none is given."""
    return {"referendum": "referendum", "single_winner": "president"}.get(kind, elections)


def _column_map(
    columns: Path | str | ColumnMap | None, sha256: str | None, archive_dir: Path
) -> tuple[ColumnMap | None, bytes | None]:
    """The column map to read the table with (from its file, or the archive), and its bytes to archive."""
    if columns is None or isinstance(columns, ColumnMap):
        return columns, None
    from saylau.archive import Archive

    archived = Archive(archive_dir)
    body = archived.get(sha256) if sha256 and sha256 in archived else None
    if body is None:
        path = Path(columns)
        if not path.is_file():
            raise PrecinctImportError(f"{path}: no such column map")
        body = path.read_bytes()
    return read_column_map(Path(columns), body), body


@contextlib.contextmanager
def _connection(con_or_db_path: duckdb.DuckDBPyConnection | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The connection given, or one to the warehouse at the path given (created if need be), closed after."""
    from saylau import warehouse

    if isinstance(con_or_db_path, duckdb.DuckDBPyConnection):
        yield con_or_db_path
        return
    warehouse.create_warehouse(con_or_db_path)
    with warehouse.connect(con_or_db_path) as con:
        yield con


def import_precinct_file(
    db_path: duckdb.DuckDBPyConnection | Path,
    path: Path,
    fmt: str,
    election_id: str,
    *,
    run_id: str,
    contest_id: str | None = None,
    leader: str | None = None,
    archive_dir: Path | None = None,
    source: str = "official",
    body: bytes | None = None,
    columns: Path | str | None = None,
) -> list[ImportResult]:
    """Import a precinct table under ``run_id`` (:func:`import_precincts`); a Kazakh table holding
    several contests, with no contest given, is imported contest by contest. One result per contest."""
    body = Path(path).read_bytes() if body is None and Path(path).is_file() else body
    contests = [contest_id]
    if fmt == "kz-precinct-csv" and contest_id is None and body is not None:
        contests = kz_contests(body, str(path)) or [None]
    return [
        import_precincts(
            db_path,
            path,
            fmt,
            election_id,
            contest,
            leader,
            run_id=run_id,
            archive_dir=archive_dir,
            source=source,
            body=body,
            columns=columns,
        )
        for contest in contests
    ]


def summary_lines(con: duckdb.DuckDBPyConnection, result: ImportResult) -> list[str]:
    """A one-screen summary of an import: totals, quarantine and the forensic signals."""
    from saylau.forensics import forensics_summary

    lines = [
        f"{result.source_ref} (sha256 {result.sha256[:12]}) -> {result.election_id}/{result.contest_id}",
        f"precinct rows: {result.rows_read:,} read, {result.rows_loaded:,} loaded, "
        f"{result.rows_quarantined:,} quarantined {result.quarantine_rules or ''}".rstrip(),
        f"protocol values loaded: {result.values_loaded:,}; leader: {result.leader}",
    ]
    if result.kept:
        lines.append("kept: " + "; ".join(f"{c!r} as {why}" for c, why in result.kept.items()))
    if result.ignored:
        lines.append("not loaded: " + "; ".join(f"{c!r} ({why})" for c, why in result.ignored.items()))
    lines += forensics_summary(con, result.election_id, result.contest_id)
    return lines
