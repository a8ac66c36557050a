"""The sections (saylau.report.sections): each waits for its mart, saying which one."""

from __future__ import annotations

from tests.report.pages import has_rows, sections_of

# The marts issue 6 adds, and the section that shows each: until a mart lands its section says so.
SECTION_MARTS = {
    "observer-summary": "marts.observer_sample_summary",
    "regions": "marts.discrepancy_region",
    "turnout-timeline": "marts.turnout_timeline",
    "threshold": "marts.threshold_check",
    "precinct-discrepancies": "marts.discrepancy_pec",
}


def test_sections_wait_for_their_marts(small_report):
    s, page = small_report
    sections = sections_of(page)
    for section_id, mart in SECTION_MARTS.items():
        if has_rows(s.published_db, mart):
            assert "not available yet" not in sections[section_id], section_id
        else:
            assert f"not available yet: {mart} is" in sections[section_id], section_id
