"""The election report: one static, self-contained HTML page per election, built from the published database.

``build_report(published_db, election_id, report_dir)`` writes ``report_dir/<election_id>/index.html``:
styles inline, figures inlined as base64 PNG, no script and no network, so it opens from a file in any
browser. Text is English; regions and parties also carry their Kazakh and Russian names. The database is
opened read-only (the file analysts get), and every section reads only its marts: a section whose mart is
missing or empty says "not available yet" with the mart's name, so the report works at every stage.

The package, along its seams:

- ``data``: the election's context, the marts' rows (``election_rows``), the leader a mart states, runs and
  source files / pages;
- ``render``: escaping, cell formatters, tables, figures, the style sheet and the page;
- ``sections``: one module per section (or small group), in page order (``SECTIONS``, ``SECTION_IDS``);
- ``build``: ``build_report``, ``build_reports``, ``reportable_elections``;
- ``artifacts``: what a run's Prefect artifacts hold (the summary's markdown and the key tables' rows),
  without Prefect: ``flows/artifacts.py`` creates them.

The figures are ``saylau.plots`` (plain functions analysts call from notebooks too).
"""

from __future__ import annotations

from saylau.report.build import ReportResult, build_report, build_reports, reportable_elections
from saylau.report.data import Missing, ReportContext, ReportError, report_context
from saylau.report.render import Section, render_html
from saylau.report.sections import SECTION_IDS, SECTIONS

__all__ = [
    "SECTIONS",
    "SECTION_IDS",
    "Missing",
    "ReportContext",
    "ReportError",
    "ReportResult",
    "Section",
    "build_report",
    "build_reports",
    "render_html",
    "report_context",
    "reportable_elections",
]
