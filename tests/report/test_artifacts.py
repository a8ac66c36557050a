"""What a run's artifacts hold (saylau.report.artifacts), without Prefect: the summary and the key tables."""

from __future__ import annotations

import duckdb

from saylau.report.artifacts import TABLES, artifact_key, run_summary
from tests.test_report_data import ELECTION


def test_artifact_keys_are_what_prefect_accepts():
    assert artifact_key("saylau-summary", "kz-2021-01-10") == "saylau-summary-kz-2021-01-10"
    assert artifact_key("Election_Totals", "kz 2021/01") == "election-totals-kz-2021-01"


def test_run_summary_states_the_official_figures(small, tmp_path):
    report = tmp_path / "index.html"
    found = run_summary(small.published_db, ELECTION, report)
    con = duckdb.connect(str(small.published_db), read_only=True)
    try:
        registered = con.execute(
            "select sum(value) from core.protocol_values where source = 'official' and line = 'registered' "
            "and contest_id = 'mazhilis'"
        ).fetchone()[0]
        marts = {
            f"marts.{r[0]}"
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    assert found.key == f"saylau-summary-{ELECTION}"
    assert f"{registered:,}" in found.markdown and f"Report: `{report}`" in found.markdown
    assert "Rows quarantined for this election" in found.markdown
    # every key mart is either a table (it exists) or named as not available (it does not)
    assert sorted([t.mart for t in found.tables] + found.missing) == sorted(m for m, *_ in TABLES)
    for table in found.tables:
        assert table.mart in marts and table.key == artifact_key(table.mart.split(".")[1], ELECTION)
    for mart in found.missing:
        assert mart not in marts and mart in found.markdown
    totals = next(t for t in found.tables if t.mart == "marts.election_totals")
    assert [r["registered"] for r in totals.rows if r["contest"] == "mazhilis"] == [registered]
