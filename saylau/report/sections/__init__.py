"""The report's sections, one module per section (or small group), in page order.

Each section is a function of the :class:`~saylau.report.data.ReportContext` returning a
:class:`~saylau.report.render.Section`; a section whose mart is missing or empty says so in a note.
"""

from __future__ import annotations

from collections.abc import Callable

from saylau.report.data import ReportContext
from saylau.report.render import Section
from saylau.report.sections.forensics import forensics
from saylau.report.sections.key_figures import key_figures
from saylau.report.sections.method import method
from saylau.report.sections.observers import observer_effect_html, observer_summary
from saylau.report.sections.precincts import precinct_discrepancies
from saylau.report.sections.provenance import provenance
from saylau.report.sections.quality import data_quality
from saylau.report.sections.regions import regions
from saylau.report.sections.threshold import threshold
from saylau.report.sections.turnout import turnout_timeline

# Section ids, in page order (key figures, then findings, then method; provenance is the appendix): the
# test and the table of contents rely on them.
SECTION_IDS = (
    "key-figures",
    "observer-summary",
    "regions",
    "turnout-timeline",
    "threshold",
    "precinct-discrepancies",
    "forensics",
    "method",
    "data-quality",
    "provenance",
)

SECTIONS: tuple[Callable[[ReportContext], Section], ...] = (
    key_figures,
    observer_summary,
    regions,
    turnout_timeline,
    threshold,
    precinct_discrepancies,
    forensics,
    method,
    data_quality,
    provenance,
)

__all__ = [
    "SECTIONS",
    "SECTION_IDS",
    "data_quality",
    "forensics",
    "key_figures",
    "method",
    "observer_effect_html",
    "observer_summary",
    "precinct_discrepancies",
    "provenance",
    "regions",
    "threshold",
    "turnout_timeline",
]
