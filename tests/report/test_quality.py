"""The data quality section: what was flagged for the election."""

from __future__ import annotations

from tests.report.pages import sections_of


def test_data_quality(small_report):
    _, page = small_report
    quality = sections_of(page)["data-quality"]
    assert "round_turnout" in quality or "No row of this election was flagged" in quality
