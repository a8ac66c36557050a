"""Building the reports: one page per election, written atomically from the published database."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from saylau.query import open_published
from saylau.report.data import ReportError, report_context
from saylau.report.render import CONTEST_NAMES, Section, render_html
from saylau.report.sections import SECTIONS
from saylau.warehouse import table_exists


@dataclass
class ReportResult:
    """A written report: where it is, what it holds and how long it took."""

    election_id: str
    path: Path
    sections: list[Section]
    seconds: float

    @property
    def figures(self) -> int:
        return sum(s.figures for s in self.sections)

    @property
    def unavailable(self) -> list[str]:
        """The sections (ids) that show a 'not available yet' note somewhere."""
        return [s.id for s in self.sections if "class='na'" in s.body]


def build_report(published_db: Path, election_id: str, report_dir: Path) -> ReportResult:
    """Write ``report_dir/<election_id>/index.html`` from the published database (opened read-only)."""
    started = time.perf_counter()
    published_db = Path(published_db)
    if not published_db.exists():
        raise ReportError(f"no published database at {published_db} (run a flow, or `saylau publish`, first)")
    with open_published(published_db) as con:
        ctx = report_context(con, election_id)
        names = CONTEST_NAMES.set(ctx.contest_names)
        try:
            sections = [make(ctx) for make in SECTIONS]
            page = render_html(ctx, sections, datetime.now(UTC))
        finally:
            CONTEST_NAMES.reset(names)
    target = Path(report_dir) / election_id / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(target)
    return ReportResult(election_id, target, sections, time.perf_counter() - started)


def reportable_elections(published_db: Path) -> list[str]:
    """Elections the published database holds any figure for (official, observers' or turnout bulletins)."""
    with open_published(Path(published_db)) as con:
        sources = [
            f"select distinct election_id from {t}"
            for t in ("core.protocol_values", "core.turnout_official", "core.observer_turnout")
            if table_exists(con, t)
        ]
        if not sources:
            return []
        rows = con.execute(
            f"select distinct election_id from ({' union '.join(sources)}) order by 1"
        ).fetchall()
    return [r[0] for r in rows]


def build_reports(
    published_db: Path, report_dir: Path, election_ids: Sequence[str] | None = None
) -> list[ReportResult]:
    """One report per election (every election with figures when ``election_ids`` is None)."""
    ids = list(election_ids) if election_ids else reportable_elections(published_db)
    return [build_report(published_db, e, report_dir) for e in ids]
