"""What a run's Prefect artifacts hold, read from the published database: no Prefect here.

``run_summary(published_db, election_id, report_path)`` returns the summary's markdown (official figures
against the observers', discrepancies, threshold, forensics, data quality, where the report is) and the rows
of a table per key mart, each with the artifact key and description to create it under. ``flows/artifacts.py``
creates them on the current flow or task run. A mart that is not built yet is named in the summary and
gets no table.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from saylau.query import open_published
from saylau.report.data import quarantine_tables
from saylau.report.render import fmt_pct
from saylau.warehouse import table_exists

# (mart, where, order, limit, description) of each table artifact
TABLES: tuple[tuple[str, str, str, int, str], ...] = (
    ("marts.election_totals", "", "contest", 50, "Official national figures per contest (status, as_of)"),
    (
        "marts.results_official",
        "level in ('national', 'region')",
        "contest, level, unit_code, origin, share_pct desc",
        400,
        "Official results of the country and the regions: preliminary or final, shares only where no count is out",
    ),
    (
        "marts.observer_sample_summary",
        "region_code is null and basis = 'resolved'",
        "contest, source, share_of_ballots_cast_pct desc",
        100,
        "The observers' summary: their precincts, turnout and party shares (all regions, resolved copies)",
    ),
    (
        "marts.discrepancy_region",
        "significant",
        "abs(share_gap_pp) desc",
        50,
        "Regions where an official share lies outside the observers' 95% interval (largest gaps first)",
    ),
    (
        "marts.threshold_check",
        "",
        "contest, official_share_pct desc",
        100,
        "Who passes the threshold, official vs observers",
    ),
    (
        "marts.discrepancy_pec",
        "flagged",
        "abs(diff) desc",
        50,
        "Precinct protocol lines where the official figure differs from the observers' copy (worst first)",
    ),
    ("marts.forensics_shpilkin", "", "contest", 50, "Shpilkin's estimate of anomalous votes per contest"),
    ("marts.forensics_integer_percent", "", "contest", 50, "Integer-percent test per contest"),
)


@dataclass(frozen=True)
class TableArtifact:
    """One key mart's rows for the election, as a table artifact: its key, mart and description."""

    key: str
    mart: str
    description: str
    rows: list[dict]


@dataclass
class RunSummary:
    """The artifacts of a run, ready to create: the summary (markdown) and a table per key mart built."""

    election_id: str
    key: str
    description: str
    markdown: str
    tables: list[TableArtifact] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # key marts not built yet (named in the summary)


def artifact_key(*parts: str) -> str:
    """An artifact key Prefect accepts (lowercase letters, digits and dashes)."""
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", "-".join(parts).lower())).strip("-")


def run_summary(published_db: Path, election_id: str, report_path: Path | None = None) -> RunSummary:
    """The summary and the key tables of ``election_id`` in the published database, as artifacts to create
    (``report_path``: the report to point at, if one was written)."""
    markdown, tables = summary_markdown(Path(published_db), election_id, report_path)
    summary = RunSummary(
        election_id,
        artifact_key("saylau-summary", election_id),
        f"What the run found for {election_id}",
        markdown,
    )
    descriptions = {mart: description for mart, _, _, _, description in TABLES}
    for mart, rows in tables.items():
        if rows is None:
            summary.missing.append(mart)
        else:
            key = artifact_key(mart.split(".")[1], election_id)
            summary.tables.append(TableArtifact(key, mart, descriptions[mart], rows))
    return summary


def _cell(value: object) -> object:
    """A value as JSON can carry it (dates as ISO text, NaN as null)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _rows(
    con: duckdb.DuckDBPyConnection, mart: str, election_id: str, where: str, order: str, limit: int
) -> list[dict] | None:
    """The mart's rows for the election as dicts, or None when the mart (or a column used) is missing."""
    if not table_exists(con, mart):
        return None
    sql = f"select * from {mart} where election_id = ?" + (f" and ({where})" if where else "")
    sql += (f" order by {order}" if order else "") + f" limit {int(limit)}"
    cursor = con.execute(sql, [election_id])
    columns = [d[0] for d in cursor.description]
    return [{c: _cell(v) for c, v in zip(columns, row, strict=True)} for row in cursor.fetchall()]


def summary_markdown(
    published_db: Path, election_id: str, report_path: Path | None = None
) -> tuple[str, dict[str, list[dict] | None]]:
    """The summary's markdown and the table rows behind it (by mart; None for a missing mart)."""
    tables: dict[str, list[dict] | None] = {}
    with open_published(Path(published_db)) as con:
        for mart, where, order, limit, _ in TABLES:
            tables[mart] = _rows(con, mart, election_id, where, order, limit)
        name = con.execute(
            "select name_en from ref.elections where election_id = ?", [election_id]
        ).fetchone()
        quarantined = 0
        for table in quarantine_tables(con):
            quarantined += con.execute(
                f"select count(*) from {table} where election_id = ?", [election_id]
            ).fetchone()[0]
        flagged_pecs = None
        if tables["marts.discrepancy_pec"] is not None:
            flagged_pecs = con.execute(
                "select count(distinct pec_id) filter (where flagged), count(distinct pec_id) "
                "from marts.discrepancy_pec where election_id = ?",
                [election_id],
            ).fetchone()
        significant = None
        if tables["marts.discrepancy_region"] is not None:
            significant = con.execute(
                "select count(*) filter (where significant), count(*) from marts.discrepancy_region "
                "where election_id = ? and region_code is not null",
                [election_id],
            ).fetchone()
    lines = [f"# {name[0] if name else election_id} ({election_id})", ""]
    totals = tables["marts.election_totals"]
    observers = {
        (r["contest"], r["party"]): r
        for r in (tables["marts.observer_sample_summary"] or [])
        if r.get("party")
    }
    if totals:
        lines += [
            "| contest | registered | turnout % | leader | leader % | of | observers' turnout % "
            "| observers' leader % | official figures |",
            "|---|---:|---:|---|---:|---|---:|---:|---|",
        ]
        for t in totals:
            obs = observers.get((t["contest"], t["leader"]), {})
            registered = f"{t['registered']:,}" if t.get("registered") is not None else "– (shares only)"
            status = t.get("status") or ""
            if status and t.get("as_of") is not None:
                status += f", as of {t['as_of']:%Y-%m-%d %H:%M}" if hasattr(t["as_of"], "strftime") else ""
            # the contest's one official leader share, and the observers' share of the same ballots
            of_valid = t.get("leader_share_of_valid_pct") is not None
            share = t.get("leader_share_of_valid_pct" if of_valid else "leader_share_of_ballots_cast_pct")
            observed = obs.get("share_of_valid_pct" if of_valid else "share_of_ballots_cast_pct")
            lines.append(
                f"| {t['contest']} | {registered} | {fmt_pct(t['turnout_pct'])} | {t['leader']} | "
                f"{fmt_pct(share)} | {'valid ballots' if of_valid else 'ballots cast'} | "
                f"{fmt_pct(obs.get('turnout_pct'))} | {fmt_pct(observed)} | {status} |"
            )
        if any(t.get("status") == "preliminary" for t in totals):
            lines.append("\n**Preliminary figures**: the final results replace them when published.")
        lines.append("")
    else:
        lines.append("No official totals yet (marts.election_totals is empty for this election).\n")
    if flagged_pecs is not None:
        lines.append(
            f"- Precincts whose official protocol differs from the observers' copy: {flagged_pecs[0]} of {flagged_pecs[1]} compared"
        )
    if significant is not None:
        lines.append(
            f"- Region x party results outside the observers' 95% interval: {significant[0]} of {significant[1]}"
        )
    threshold = tables["marts.threshold_check"]
    if threshold is not None:
        differ = [
            r
            for r in threshold
            if r.get("passes_observer") is not None and r["passes_official"] != r["passes_observer"]
        ]
        lines.append(
            "- Threshold: "
            + (
                ", ".join(f"{r['party']} ({r['contest']}) passes on one count only" for r in differ)
                if differ
                else "the official count and the observers agree on who passes"
            )
        )
    for r in tables["marts.forensics_shpilkin"] or []:
        lines.append(
            f"- Shpilkin, {r['contest']}: {r['anomalous_votes'] or 0:,.0f} anomalous votes; the leader's share "
            f"of ballots cast {fmt_pct(r['leader_share_of_ballots_cast_pct'])}%, "
            f"{fmt_pct(r['clean_leader_share_of_ballots_cast_pct'])}% without them"
        )
    for r in tables["marts.forensics_integer_percent"] or []:
        lines.append(
            f"- Integer percents, {r['contest']}: {r['observed_integer']} observed vs "
            f"{fmt_pct(r['expected_integer'], 1)} expected ({fmt_pct(r['excess_sd'], 1)} sd)"
        )
    lines.append(f"- Rows quarantined for this election: {quarantined:,} (see quarantine.*)")
    missing = [mart for mart, rows in tables.items() if rows is None]
    if missing:
        lines.append(f"- Not available yet: {', '.join(missing)}")
    if report_path:
        lines.append(f"\nReport: `{report_path}`")
    lines.append(f'\nPublished database: `{published_db}` (open it read-only; `saylau query "..."`)')
    return "\n".join(lines), tables
