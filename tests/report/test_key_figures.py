"""The key figures section: the official totals, checked against the precinct rows."""

from __future__ import annotations

import duckdb

from tests.report.pages import sections_of
from tests.test_report_data import ELECTION


def test_key_figures_are_the_official_totals(small_report):
    s, page = small_report
    con = duckdb.connect(str(s.published_db), read_only=True)
    try:  # summed here from the precinct rows, not read from the mart the report uses
        registered, issued = con.execute(
            "select sum(value) filter (where line = 'registered'), sum(value) filter (where line = 'ballots_issued') "
            "from core.protocol_values where source = 'official' and election_id = ?",
            [ELECTION],
        ).fetchone()
    finally:
        con.close()
    key = sections_of(page)["key-figures"]
    assert f"{registered:,}" in key
    assert f"{100 * issued / registered:.2f}%" in key
