"""Rebuild everything from the archive, offline: put back the fetch log, re-parse every archived page
version, promote, repeat every recorded file load in its original order, marts, the run's end, publish.
Works in the warehouse that made the archive or, from the archive folder alone, in a fresh one."""

from __future__ import annotations

from pathlib import Path

from saylau import manifest, scrape, warehouse
from saylau.archive import Archive
from saylau.config import Settings
from saylau.pipeline.bookkeeping import job, page_inputs
from saylau.pipeline.night import NightOutcome, promote
from saylau.pipeline.steps import PLAIN, Steps


def restage(db: Path, archive_dir: Path, election_id: str | None, run_id: str) -> scrape.StageSummary:
    """Put back the fetch attempts the warehouse lacks (all, on a fresh clone) from the archive's manifest,
    then re-parse every archived page version."""
    with warehouse.connect(db) as con:
        manifest.restore_fetches(con, archive_dir)
        return scrape.restage_from_archive(con, Archive(archive_dir), election_id, run_id)


def replay_loads(s: Settings, run_id: str) -> list[str]:
    """Repeat, from the archived bytes and in their original order, every recorded file load the warehouse
    lacks (all of them in a fresh one). Returns a line per load repeated."""
    from saylau.observers import load_observer_file, pii_salt, record_conflicts, withdraw_observer_file
    from saylau.precincts import import_precincts

    db_path, archive_dir = s.work_db, s.archive_dir
    archive, done, protocols, salt = Archive(archive_dir), [], False, pii_salt(s)
    for record in manifest.loads(archive_dir):
        sha, path, args = record["sha256"], Path(record["path"]), record["arguments"]
        if record["op"] == "observer_file":
            # every load in its order (a version loaded again, or bytes moved to another election, must
            # end as they did); one the warehouse holds as current already answers "unchanged"
            with warehouse.connect(db_path) as con:
                result = load_observer_file(
                    con,
                    path,
                    run_id=run_id,
                    salt=salt,
                    archive_dir=archive_dir,
                    body=archive.get(sha),
                    record=False,
                    **args,
                )
            if result.status == "unchanged":
                continue
            protocols |= result.kind == "protocol"
            done.append(f"{path}: {result.status} ({result.kind}, {result.rows} rows)")
        elif record["op"] == "observer_withdraw":
            with warehouse.connect(db_path) as con:
                current = con.execute(
                    "select count(*) from raw.observer_files where sha256 = ? and superseded_by is null",
                    [sha],
                ).fetchone()[0]
                if not current:
                    continue
                result = withdraw_observer_file(
                    con,
                    path,
                    election_id=args["election_id"],
                    archive_dir=archive_dir,
                    record=False,
                    sha256=sha,
                )
            protocols = True
            done.append(f"{path}: {result.status} from {args['election_id']}")
        elif record["op"] == "precinct_table":
            with warehouse.connect(db_path, read_only=True) as con:
                present = con.execute(
                    "select count(*) from core.precinct_imports where source_sha256 = ? and election_id = ? "
                    "and contest_id = ? and source = ?",
                    [sha, args["election_id"], args["contest_id"], args["source"]],
                ).fetchone()[0]
            if present:
                continue
            result = import_precincts(
                db_path, path, archive_dir=archive_dir, run_id=run_id, body=archive.get(sha), **args
            )
            done.append(f"{path}: {result.rows_loaded} precinct rows ({args['contest_id']})")
        else:
            raise ValueError(f"manifest record of unknown kind {record['op']!r} in {archive_dir}")
    if protocols:
        with warehouse.connect(db_path) as con:
            record_conflicts(con, run_id)
    return done


def rebuild(s: Settings, election_id: str | None = None, steps: Steps = PLAIN) -> NightOutcome:
    """Re-parse every archived page and repeat every recorded file load (no network), re-validate,
    rebuild the marts and publish (see the module doc)."""
    with job(s, "rebuild", {"election_id": election_id}, steps) as run:
        summary = steps.call(
            "restage-from-archive", restage, s.work_db, s.archive_dir, election_id, run.run_id
        )
        contradictions: list[str] = []
        if summary.election_id:  # every page was re-parsed: promote every unit
            promoted = steps.call(
                "promote-official", promote, s.work_db, summary.election_id, run.run_id, False
            )
            contradictions = promoted.inconsistent
        steps.call("replay-file-loads", replay_loads, s, run.run_id)
        run.finish(page_inputs(s.work_db))
    return NightOutcome(
        run.run_id,
        summary.election_id,
        new_versions=summary.new_versions,
        staged_pages=summary.parsed,
        figures_set_aside=summary.figures_set_aside,
        failures=[*summary.failed, *contradictions],
        contradictions=contradictions,
        published_db=s.published_db,
    )
