"""The ``saylau`` command line: each command calls one function of :mod:`saylau.pipeline` (or another
module) and says where its output went; none sequences steps of its own.

The package does not import ``flows/`` (Prefect) or ``demo/``, with two hand-overs: ``demo`` and
``demo-site`` hand over to ``demo/``, and ``serve`` to the Prefect layer, since a schedule is Prefect's
(a real local server). Every other verb runs the pipeline in plain Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from saylau.config import Settings, settings

app = typer.Typer(
    help="saylau: election-results warehouse for Kazakhstan (CEC scraping, observers' data, forensics marts).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
console = Console()

BuildDir = Annotated[
    Path | None, typer.Option("--build-dir", help="Folder for the working db, archive and published files.")
]
DbOption = Annotated[
    Path | None, typer.Option("--db", help="Working database file (default: the project's).")
]


def _settings(build_dir: Path | None = None, db: Path | None = None) -> Settings:
    base = settings()
    return Settings(build_dir=build_dir or base.build_dir, db_override=db or base.db_override)


@app.command()
def demo(
    build_dir: BuildDir = None,
    no_site: Annotated[
        bool, typer.Option("--no-site", help="Skip scraping the CEC double (files only).")
    ] = False,
) -> None:
    """Run the main job on the bundled demo election: generate it, scrape its CEC double, load the official
    precinct table and the observers' exports, rebuild the marts and publish."""
    s = _settings(build_dir)
    from saylau.config import apply_prefect_environment

    apply_prefect_environment(s)
    import os

    from demo.flow import demo_flow
    from flows.server import temporary_server

    console.print(
        "[bold]saylau demo[/]: the demo election through the whole pipeline (Prefect, temporary server)"
    )
    # a temporary server a killed demo left running is stopped first; this one's id is kept till it stops
    with temporary_server(Path(os.environ["PREFECT_HOME"])):
        outcome = demo_flow(build_dir=str(s.build_dir), scrape_site=not no_site)
    console.print(
        f"Scraped the CEC double: {outcome.pages_parsed} pages with figures; imported {outcome.precinct_rows:,} "
        f"official precinct protocols; loaded {outcome.observer_files} observer files "
        f"({len(outcome.observer_problems)} rows or files set aside with a reason: see quarantine.* and "
        "marts.data_quality)"
    )
    _print_summary(outcome.published_db, title=f"demo run {outcome.run_id}")
    console.print(f"Published database: [bold]{outcome.published_db}[/] (open it read-only)")
    console.print(f"Parquet files:      [bold]{s.parquet_dir}[/]")
    console.print(
        f"Demo election files (incl. the ground truth, never loaded): [bold]{s.build_dir / 'demo'}[/]"
    )


@app.command()
def init(build_dir: BuildDir = None, db: DbOption = None) -> None:
    """Create the warehouse from sql/00_setup (idempotent) and load the reference data."""
    from saylau import reference, warehouse

    s = _settings(build_dir, db)
    files = warehouse.create_warehouse(s.work_db)
    with warehouse.connect(s.work_db) as con:
        counts = reference.load_reference(con)
    console.print(
        f"Ran {len(files)} setup files; loaded {sum(counts.values())} reference rows into {s.work_db}"
    )


@app.command()
def marts(
    build_dir: BuildDir = None,
    db: DbOption = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="Rebuild MODEL and what it reads; MODEL+ also what reads it (repeatable; e.g. results_official).",
        ),
    ] = None,
    list_models: Annotated[
        bool, typer.Option("--list", help="Print the models in build order with what each reads, and stop.")
    ] = False,
) -> None:
    """Rebuild the marts from core (sql/10..30 in the order of what each model reads), run the data checks
    and print each mart's checksum."""
    from saylau import pipeline, warehouse
    from saylau.sqlrun import SqlFileError, model_graph

    try:
        graph = model_graph()
        if select:
            graph.select(select)  # an unknown model fails here, before a run is recorded
    except SqlFileError as exc:
        console.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc
    if list_models:
        typer.echo("\n".join(graph.describe()))
        return
    s = _settings(build_dir, db)
    outcome = pipeline.rebuild_marts(s, select=select or ())
    table = Table("mart", "rows", "checksum")
    for name, c in outcome.marts.items():
        table.add_row(name, str(c.rows), c.checksum)
    console.print(table)
    with warehouse.connect(s.work_db, read_only=True) as con:
        built = con.execute(
            "select model, seconds from meta.model_builds where run_id = ? order by seconds desc",
            [outcome.run_id],
        ).fetchall()
    slowest = ", ".join(f"{m} {sec:.2f} s" for m, sec in built[:3])
    console.print(f"Built {len(built)} models in {s.work_db} (slowest: {slowest}; all in meta.model_builds)")


@app.command()
def publish(build_dir: BuildDir = None, db: DbOption = None) -> None:
    """Atomically replace the published database (read-only copy for analysts) and its Parquet files."""
    from saylau import publish as publish_module

    s = _settings(build_dir, db)
    result = publish_module.publish(s.work_db, s.published_db, s.parquet_dir)
    console.print(f"Published {len(result.tables)} tables to {result.database}")
    console.print(f"Wrote {len(result.parquet_files)} Parquet files to {result.parquet_dir}")


@app.command()
def runs(
    build_dir: BuildDir = None,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="How many recent runs to show.")] = 10,
) -> None:
    """List recent runs from meta.runs (flow, status, code version, input hash)."""
    from saylau import warehouse

    s = _settings(build_dir, db)
    with warehouse.connect(s.work_db, read_only=True) as con:
        rows = con.execute(
            "select run_id, flow, started_at, status, code_version, input_manifest_hash, error "
            "from meta.runs order by started_at desc limit ?",
            [limit],
        ).fetchall()
    table = Table("run_id", "flow", "started", "status", "code", "inputs", "error")
    for run_id, flow, started, status, code, inputs, error in rows:
        table.add_row(
            run_id[:8],
            flow,
            f"{started:%Y-%m-%d %H:%M:%S}",
            status,
            code[:12],
            (inputs or "")[:12],
            (error or "")[:60],
        )
    console.print(table)


@app.command()
def resolve(
    kind: Annotated[str, typer.Argument(help="'region' or 'party'.")],
    text: Annotated[str, typer.Argument(help="A name as a source writes it, in any language.")],
    on: Annotated[str | None, typer.Option(help="Date (YYYY-MM-DD) the region must have existed on.")] = None,
) -> None:
    """Map a region or party name, in any language or spelling, to its canonical id."""
    from datetime import date

    from saylau.reference import UnknownNameError, default_resolver

    resolver = default_resolver()
    try:
        if kind == "region":
            code = resolver.region(text, on=date.fromisoformat(on) if on else None)
            console.print(f"{code}\t{resolver.regions[code].name_en}")
        elif kind == "party":
            console.print(resolver.party(text))
        else:
            raise typer.BadParameter("kind must be 'region' or 'party'")
    except UnknownNameError as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc


@app.command()
def run(
    base_url: Annotated[str, typer.Option("--base-url", help="Site to scrape (default: the real CEC).")] = "",
    election_id: Annotated[
        str | None,
        typer.Option("--election-id", help="Election id; recognised from the pages' dates if omitted."),
    ] = None,
    db: DbOption = None,
    build_dir: BuildDir = None,
    rate: Annotated[float, typer.Option(help="Requests per second per host (0 = unlimited).")] = 2.0,
    concurrency: Annotated[int, typer.Option(help="Requests in flight per host.")] = 2,
    runner: Annotated[str, typer.Option(help="Task runner: 'threads' or 'dask'.")] = "threads",
) -> None:
    """Run election night once: fetch what changed, stage, validate, rebuild marts, publish, report."""
    from saylau import pipeline
    from saylau.fetch import FetchPolicy
    from saylau.pipeline import ScrapeFailed
    from saylau.scrape import DEFAULT_BASE_URL

    s = _settings(build_dir, db)
    if runner not in ("threads", "dask"):
        raise typer.BadParameter("--runner must be 'threads' or 'dask'")
    steps = pipeline.DaskSteps() if runner == "dask" else pipeline.Steps()
    options = pipeline.NightOptions(
        base_url=base_url or DEFAULT_BASE_URL,
        election_id=election_id,
        policy=FetchPolicy(requests_per_second=rate, max_concurrency=concurrency),
    )
    failed: ScrapeFailed | None = None
    try:
        outcome = pipeline.election_night(s, options, steps)
    except ScrapeFailed as exc:
        failed, outcome = exc, exc.outcome
    console.print(
        f"Election {outcome.election_id}: {outcome.fetched} pages fetched, {outcome.not_modified} unchanged (304), "
        f"{outcome.new_versions} new versions, {outcome.staged_pages} parsed, "
        f"{outcome.figures_set_aside} figures set aside (quarantine.cec_figures)"
    )
    if outcome.postponed:  # robots.txt unreadable, or a host too slow: the next run asks for them
        console.print(f"{len(outcome.postponed)} pages postponed to the next run, e.g.", markup=False)
        console.print(outcome.postponed[0], markup=False, highlight=False)
    console.print(f"Published database: [bold]{outcome.published_db}[/]")
    if outcome.report:
        console.print(f"Report: [bold]{outcome.report}[/]")
    if failed is not None:
        console.print("[red]Run finished with failures[/] (everything else was published):")
        console.print(str(failed), markup=False, highlight=False)
        raise typer.Exit(2) from failed


@app.command()
def rebuild(
    election_id: Annotated[
        str | None, typer.Option("--election-id", help="Election id (else recognised).")
    ] = None,
    db: DbOption = None,
    build_dir: BuildDir = None,
) -> None:
    """Re-parse every archived page with no network, re-validate, rebuild the marts and publish."""
    from saylau import pipeline

    outcome = pipeline.rebuild(_settings(build_dir, db), election_id)
    console.print(
        f"Re-parsed {outcome.new_versions} archived page versions ({outcome.staged_pages} with figures; "
        f"{outcome.figures_set_aside} figures set aside: quarantine.cec_figures)"
    )
    for failure in outcome.failures:
        console.print(f"[red]{failure}[/]")
    console.print(f"Published database: [bold]{outcome.published_db}[/]")


@app.command()
def serve(
    base_url: Annotated[str, typer.Option("--base-url", help="Site to scrape (default: the real CEC).")] = "",
    election_id: Annotated[
        str | None, typer.Option("--election-id", help="Election id (else recognised).")
    ] = None,
    cron: Annotated[
        str, typer.Option(help="Cron schedule, in UTC (default: every 5 minutes).")
    ] = "*/5 * * * *",
    interval: Annotated[
        float | None, typer.Option(help="Run every N seconds instead of the cron schedule.")
    ] = None,
    db: DbOption = None,
    build_dir: BuildDir = None,
    server_port: Annotated[
        int | None,
        typer.Option("--server-port", help="Port for the Prefect server started here (default: free)."),
    ] = None,
    rate: Annotated[float, typer.Option(help="Requests per second per host (0 = unlimited).")] = 2.0,
    concurrency: Annotated[int, typer.Option(help="Requests in flight per host.")] = 2,
) -> None:
    """Serve the election-night flow on a schedule, on a real local Prefect server (started here if needed)."""
    s = _settings(build_dir, db)
    from saylau.config import apply_prefect_environment

    apply_prefect_environment(s)
    import os

    from flows.server import local_server

    with local_server(s.prefect_home / "server", port=server_port) as api_url:
        os.environ["PREFECT_API_URL"] = api_url
        console.print(f"Prefect server: [bold]{api_url.removesuffix('/api')}[/] (the UI shows every run)")
        from flows.scrape import election_night
        from saylau.scrape import DEFAULT_BASE_URL

        params = {
            "base_url": base_url or DEFAULT_BASE_URL,
            "election_id": election_id,
            "db": str(s.work_db),
            "build_dir": str(s.build_dir),
            "requests_per_second": rate,
            "max_concurrency": concurrency,
        }
        schedule = {"interval": interval} if interval else {"cron": cron}
        from flows.schedule import clear_stale_runs

        # a restart replaces the schedule: no run an earlier serve scheduled (late ones too) runs with its
        # old parameters (the server drops only future ones when the schedule changes)
        stale = clear_stale_runs()
        if stale:
            console.print(f"Removed {len(stale)} run(s) an earlier serve had scheduled")
        # limit=1: a run that outlasts the interval makes the next one wait, never overlap
        election_night.serve(name="election-night", parameters=params, limit=1, **schedule)


@app.command("import-precincts")
def import_precincts(
    path: Annotated[Path, typer.Argument(help="Precinct table: a CSV file or a zip holding one.")],
    election_id: Annotated[
        str, typer.Option("--election-id", help="Election id, e.g. 'ru-2011-12-04' or 'kz-2023-03-19'.")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="Table format: 'izbirkom-csv' or 'kz-precinct-csv'.")
    ] = "izbirkom-csv",
    contest: Annotated[
        str | None,
        typer.Option(help="Contest id (default: 'duma' for izbirkom-csv, 'mazhilis' for kz-precinct-csv)."),
    ] = None,
    leader: Annotated[
        str | None,
        typer.Option(help="Option the forensics follow (id or party name; default: the most votes)."),
    ] = None,
    source: Annotated[
        str,
        typer.Option(help="'official' for a commission's table, else the observer organisation's id."),
    ] = "official",
    columns: Annotated[
        Path | None,
        typer.Option(
            "--columns",
            help="Column map (CSV, or YAML): what each column of the table is (a protocol line, an option, "
            "region / tec / pec, or ignore); see docs/forensics.md.",
        ),
    ] = None,
    build_dir: BuildDir = None,
    db: DbOption = None,
) -> None:
    """Import a precinct-level results table, validate it, load core, rebuild the marts (incl. forensics)
    and publish."""
    from saylau import pipeline, precincts, warehouse
    from saylau.reference import UnknownNameError

    s = _settings(build_dir, db)
    try:
        results = pipeline.import_precincts(
            s, path, fmt, election_id, contest, leader, source, columns=columns
        ).results
    except (precincts.PrecinctImportError, UnknownNameError) as exc:
        console.print(str(exc), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    with warehouse.connect(s.work_db, read_only=True) as con:
        for result in results:
            for line in precincts.summary_lines(con, result):
                console.print(line, soft_wrap=True)
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in results[-1].timings.items())
    console.print(f"Loaded into {s.work_db} ({timing}); rejected rows: quarantine.precinct_protocols")
    console.print(f"Marts rebuilt; published database: [bold]{s.published_db}[/]")


@app.command("load-observers")
def load_observers(
    paths: Annotated[list[Path], typer.Argument(help="Observers' CSV/XLSX exports, or folders of them.")],
    election_id: Annotated[str, typer.Option("--election-id", help="The election, e.g. kz-2021-01-10.")],
    organisation: Annotated[
        str | None, typer.Option(help="Organisation name, where the files have no organisation column.")
    ] = None,
    contest: Annotated[
        str | None, typer.Option(help="Contest id, where protocol files have no ballot column.")
    ] = None,
    build_dir: BuildDir = None,
    db: DbOption = None,
    withdraw: Annotated[
        bool,
        typer.Option(
            "--withdraw",
            help="Take these files' current loads out of --election-id (e.g. loaded under the wrong one).",
        ),
    ] = False,
) -> None:
    """Load observers' protocol copies, turnout counts and violation reports (quarantining bad rows), then
    rebuild the marts and publish. With --withdraw, take the files' loads out of the election instead."""
    from saylau import pipeline

    s = _settings(build_dir, db)
    try:
        outcome = pipeline.load_observers(s, paths, election_id, organisation, contest, withdraw=withdraw)
    except Exception as exc:
        console.print(f"[red]{exc}[/]", markup=False, highlight=False)
        raise typer.Exit(1) from exc
    results, run_id = outcome.results, outcome.run_id
    for line in (line for r in results for line in r.terminal_lines()):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if withdraw:
        console.print(f"Withdrawn from {election_id} in {s.work_db} (run {run_id})", markup=False)
    else:
        console.print(
            f"Loaded into {s.work_db} (run {run_id}): rows in core.observer_*, core.protocol_values, "
            f"rejected rows in quarantine.observer_*, counts in meta.data_quality; bytes archived in {s.archive_dir}"
        )
    console.print(f"Marts rebuilt; published database: [bold]{s.published_db}[/]")
    if any(r.status in ("refused", "failed") for r in results):
        raise typer.Exit(1)


@app.command("demo-site")
def demo_site(
    port: Annotated[int, typer.Option(help="Port on the loopback interface (0 = any free port).")] = 8765,
    host: Annotated[str, typer.Option(help="Interface to bind; keep it on loopback.")] = "127.0.0.1",
    seed: Annotated[
        int | None, typer.Option(help="Seed of the demo election (default: the project's).")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            help="Simulated start time, capital time (UTC+6), e.g. 2021-01-10T09:00. Default: after all pages."
        ),
    ] = None,
    speed: Annotated[
        float, typer.Option(help="Simulated seconds per real second (0 = the clock stands still).")
    ] = 0.0,
    faults: Annotated[str, typer.Option(help="Fault preset: 'none' or 'realistic'.")] = "none",
    fault_seed: Annotated[int, typer.Option(help="Seed of the fault injection.")] = 0,
    protocols: Annotated[
        bool, typer.Option(help="Serve per-precinct protocol pages (some regions).")
    ] = False,
    write_to: Annotated[
        Path | None,
        typer.Option(
            help="Also write the election's files (official table, observers' exports, ground truth) here."
        ),
    ] = None,
    elections: Annotated[
        str,
        typer.Option(
            help="Comma-separated elections to serve: kz-2021-01-10 (the demo, default), kz-2022-11-20, "
            "kz-2023-03-19, kz-2024-10-06."
        ),
    ] = "kz-2021-01-10",
    noise: Annotated[
        str,
        typer.Option(
            help="Copies' noise on the pages: 'none' (tidy), 'real' (every kind), or kinds, comma-separated."
        ),
    ] = "none",
) -> None:
    """Serve the local double of election.gov.kz (the demo election) on loopback until Ctrl-C."""
    from demo.noise import Noise
    from demo.serve import serve_double

    try:
        chosen_noise = Noise.named(noise)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--noise") from exc
    serve_double(
        port=port,
        host=host,
        seed=seed,
        at=at,
        speed=speed,
        faults=faults,
        fault_seed=fault_seed,
        protocols=protocols,
        write_to=write_to,
        elections=elections,
        noise=chosen_noise,
        say=lambda line: console.print(line, markup=False, highlight=False),
    )


@app.command()
def report(
    election_id: Annotated[
        str | None,
        typer.Option("--election-id", help="Election to report (default: every election with figures)."),
    ] = None,
    build_dir: BuildDir = None,
) -> None:
    """Write the static HTML report of each election (build/report/<election_id>/index.html) from the
    published database."""
    from saylau.report import ReportError, build_reports

    s = _settings(build_dir)
    try:
        results = build_reports(s.published_db, s.report_dir, [election_id] if election_id else None)
    except (ReportError, ValueError) as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    if not results:
        console.print(f"No election with figures in {s.published_db}: nothing to report.")
    for r in results:
        waiting = f"; waiting for data: {', '.join(r.unavailable)}" if r.unavailable else ""
        console.print(
            f"Report of {r.election_id}: [bold]{r.path}[/] ({r.figures} figures, {r.seconds:.1f} s{waiting})"
        )


@app.command()
def query(
    sql: Annotated[
        str, typer.Argument(help='SQL, one or more statements, e.g. "select * from marts.election_totals".')
    ],
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (a list of objects).")] = False,
    db: Annotated[
        Path | None, typer.Option("--db", help="Database to query (default: the published one).")
    ] = None,
    max_rows: Annotated[
        int | None, typer.Option("--max-rows", help="Print at most this many rows per statement.")
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Stop a statement running longer than this many seconds (0 = never).")
    ] = 60.0,
    build_dir: BuildDir = None,
) -> None:
    """Run read-only SQL against the published database and print each answer (errors go to stderr, exit 1)."""
    from saylau.query import QueryError, run_queries

    path = db or _settings(build_dir).published_db
    try:
        answers = run_queries(path, sql, max_rows=max_rows, timeout=timeout or None)
    except QueryError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    if as_json:
        texts = [a.to_json() + "\n" for a in answers]
    elif as_csv:
        texts = [a.to_csv() for a in answers]
    else:
        texts = [a.to_text() for a in answers]
    typer.echo("\n".join(texts), nl=False)
    for answer in answers:
        if answer.truncated:
            typer.echo(f"(only the first {max_rows:,} rows shown: --max-rows)", err=True)
    if not (as_csv or as_json):
        rows = ", ".join(f"{len(a.rows):,}" for a in answers)
        typer.echo(f"{rows} rows from {path} (read-only)", err=True)


def _print_summary(published_db: Path, title: str) -> None:
    """Row counts of the published database, by table."""
    import duckdb

    from saylau.warehouse import row_counts

    con = duckdb.connect(str(published_db), read_only=True)
    try:
        counts = row_counts(con, ("ref", "raw", "core", "quarantine", "marts", "meta"))
        totals = (
            con.execute("select * from marts.elections").fetchall() if counts.get("marts.elections") else []
        )
    finally:
        con.close()
    table = Table(title=title)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in counts.items():
        table.add_row(name, f"{n:,}")
    console.print(table)
    if totals:
        console.print(
            f"{len(totals)} contests in {len({t[0] for t in totals})} elections known (marts.elections)"
        )


def main() -> None:  # pragma: no cover - console script entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
