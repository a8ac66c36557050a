"""The jobs that load files: observers' exports, a precinct table, the demo's files, and a bare mart
rebuild. Each holds the writer lock, records its run, rebuilds the marts and publishes (see
:mod:`saylau.pipeline.bookkeeping`); loading itself is the loaders' (:mod:`saylau.observers`,
:mod:`saylau.precincts`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from saylau import marts as marts_module
from saylau.config import Settings
from saylau.pipeline.bookkeeping import Run, all_inputs, job
from saylau.pipeline.steps import PLAIN, Steps


@dataclass
class FilesOutcome:
    """What a file-loading job did: one result per file (or contest), the run and the marts it wrote."""

    run_id: str
    results: list = field(default_factory=list)
    marts: dict[str, marts_module.MartChecksum] = field(default_factory=dict)
    published_db: Path | None = None
    report: Path | None = None


def load_observer_files(
    s: Settings,
    run_id: str,
    paths: Sequence[Path],
    election_id: str,
    organisation: str | None = None,
    contest: str | None = None,
) -> list:
    """Load every observers' export (files or folders); one result per file, refused files included."""
    from saylau.observers import load_observers as load

    return load(
        s.work_db,
        [Path(p) for p in paths],
        election_id=election_id,
        run_id=run_id,
        organisation=organisation,
        contest=contest,
        s=s,
    )


def withdraw_observer_files(s: Settings, run_id: str, paths: Sequence[Path], election_id: str) -> list:
    """Take each file's current load out of the election; one result per file."""
    from saylau.observers import withdraw_observers

    return withdraw_observers(
        s.work_db, [Path(p) for p in paths], election_id=election_id, run_id=run_id, s=s
    )


def import_precinct_table(
    s: Settings,
    run_id: str,
    path: Path,
    fmt: str,
    election_id: str,
    contest: str | None = None,
    leader: str | None = None,
    source: str = "official",
    columns: Path | None = None,
) -> list:
    """Import one precinct table (each contest it holds), read by a column map when ``columns`` names
    one; one result per contest."""
    from saylau.precincts import import_precinct_file

    return import_precinct_file(
        s.work_db,
        Path(path),
        fmt,
        election_id,
        run_id=run_id,
        contest_id=contest,
        leader=leader,
        archive_dir=s.archive_dir,
        source=source,
        columns=columns,
    )


def _finish(
    run: Run, outcome: FilesOutcome, inputs: list[str], publish: bool, failures: list[str] | None = None
) -> FilesOutcome:
    outcome.marts = run.finish(inputs, failures, publish=publish)
    outcome.published_db = run.s.published_db if publish else None
    return outcome


def load_observers(
    s: Settings,
    paths: Sequence[Path],
    election_id: str,
    organisation: str | None = None,
    contest: str | None = None,
    publish: bool = True,
    steps: Steps = PLAIN,
    withdraw: bool = False,
) -> FilesOutcome:
    """Load observers' exports (``withdraw``: take their current loads out of the election instead),
    rebuild the marts, record the run (inputs: the files' sha256s), publish. A run in which every file was
    refused or failed is recorded ``failed``, naming each."""
    params = {"paths": [str(p) for p in paths], "election_id": election_id, "organisation": organisation,
              "contest": contest, **({"withdraw": True} if withdraw else {})}  # fmt: skip
    with job(s, "load_observers", params, steps) as run:
        outcome = FilesOutcome(run.run_id)
        if withdraw:
            outcome.results = run.step(
                "withdraw-observer-files", withdraw_observer_files, s, run.run_id, paths, election_id
            )
        else:
            outcome.results = run.step(
                "load-observer-files",
                load_observer_files,
                s,
                run.run_id,
                paths,
                election_id,
                organisation,
                contest,
            )
        results = outcome.results
        failures = None
        if results and all(r.status in ("refused", "failed") for r in results):
            failures = [p for r in results for p in (r.problems[:1] or [f"{r.path}: {r.status}"])]
        return _finish(run, outcome, [r.sha256 for r in results if r.sha256], publish, failures)


def import_precincts(
    s: Settings,
    path: Path,
    fmt: str,
    election_id: str,
    contest: str | None = None,
    leader: str | None = None,
    source: str = "official",
    publish: bool = True,
    steps: Steps = PLAIN,
    columns: Path | None = None,
) -> FilesOutcome:
    """Import a precinct table (read by the column map ``columns`` when given), rebuild the marts
    (forensics included), record the run and publish."""
    params = {"path": str(path), "format": fmt, "election_id": election_id, "contest": contest,
              "leader": leader, "source": source,
              **({"columns": str(columns)} if columns else {})}  # fmt: skip
    with job(s, "import_precincts", params, steps) as run:
        outcome = FilesOutcome(run.run_id)
        outcome.results = run.step(
            "import-precinct-table",
            import_precinct_table,
            s,
            run.run_id,
            path,
            fmt,
            election_id,
            contest,
            leader,
            source,
            columns,
        )
        return _finish(run, outcome, [r.sha256 for r in outcome.results], publish)


@dataclass(frozen=True)
class ElectionFiles:
    """One election's files for the demo job: precinct tables to import, as (path, contest or None for
    every contest the table holds, source), in Kazakh precinct format, and folders of observers' exports."""

    election_id: str
    tables: tuple[tuple[Path, str | None, str], ...] = ()
    observer_exports: tuple[Path, ...] = ()


def load_election_files(run: Run, files: ElectionFiles) -> list:
    """One election's precinct tables, then its observers' exports, into the run's warehouse."""
    results = []
    for path, contest, source in files.tables:
        step = "import-official-precincts" if source == "official" else "import-observer-precincts"
        results += run.step(
            step, import_precinct_table, run.s, run.run_id, path, "kz-precinct-csv", files.election_id, contest,
            None, source,
        )  # fmt: skip
    if files.observer_exports:
        results += run.step(
            "load-observer-exports",
            load_observer_files,
            run.s,
            run.run_id,
            list(files.observer_exports),
            files.election_id,
        )
    return results


def demo_files(
    s: Settings,
    elections: Sequence[ElectionFiles],
    report_election: str | None = None,
    publish: bool = True,
    steps: Steps = PLAIN,
) -> FilesOutcome:
    """The demo job's file part (after its site was scraped): each election's precinct tables and
    observers' exports, marts, the run's end, publish and the report of ``report_election``."""
    with job(s, "demo", {"build_dir": str(s.build_dir)}, steps) as run:
        outcome = FilesOutcome(run.run_id)
        for files in elections:
            outcome.results += load_election_files(run, files)
        _finish(run, outcome, all_inputs(s.work_db), publish)
        if publish and report_election:
            outcome.report = steps.report(s.published_db, s.report_dir, report_election)
        return outcome


def rebuild_marts(s: Settings, steps: Steps = PLAIN, select: Sequence[str] = ()) -> FilesOutcome:
    """Rebuild every mart from core (``select``: those models and what they read, ``MODEL+`` also what reads
    them; saylau.marts.build_marts reads it from the run's parameters) and run the data checks, as a
    recorded run (no publish)."""
    with job(s, "marts", {"select": list(select)} if select else {}, steps) as run:
        return _finish(run, FilesOutcome(run.run_id), [], publish=False)
