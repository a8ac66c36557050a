"""Run artifacts: a flow leaves a markdown summary and the key tables, read back from the Prefect server."""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.test_report_data import ELECTION, build_small_published

pytestmark = [pytest.mark.flow, pytest.mark.xdist_group("prefect")]


def test_flow_leaves_summary_and_tables(tmp_path):
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.runtime import flow_run

    from flows.artifacts import report_and_artifacts, run_artifacts

    s = build_small_published(tmp_path / "build")

    @flow(name="artifacts-test")
    def publish_and_report() -> tuple[str, object, str]:
        created = run_artifacts(str(s.published_db), ELECTION)
        report = report_and_artifacts(str(s.published_db), str(s.report_dir), ELECTION)
        return str(flow_run.id), created, report

    run_id, created, report = publish_and_report()
    assert report == str(s.report_dir / ELECTION / "index.html")
    assert "<section id='forensics'" in (s.report_dir / ELECTION / "index.html").read_text(encoding="utf-8")
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    summaries = [a.data for a in artifacts if a.key == f"saylau-summary-{ELECTION}"]
    assert len(summaries) == 2 and sum(f"Report: `{report}`" in m for m in summaries) == 1
    by_key = {a.key: a for a in artifacts}
    summary = by_key[f"saylau-summary-{ELECTION}"]
    assert summary.type == "markdown"
    totals = by_key[f"election-totals-{ELECTION}"]
    assert totals.type == "table"
    rows = json.loads(totals.data) if isinstance(totals.data, str) else totals.data
    con = duckdb.connect(str(s.published_db), read_only=True)
    try:
        registered = con.execute(
            "select sum(value) from core.protocol_values where source = 'official' and line = 'registered' "
            "and contest_id = 'mazhilis'"
        ).fetchone()[0]
        marts = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    assert [r["registered"] for r in rows if r["contest"] == "mazhilis"] == [registered]
    assert f"{registered:,}" in summary.data  # the summary states the official figure
    assert "mazhilis" in summary.data and "Rows quarantined for this election" in summary.data
    # every key table whose mart exists became a table artifact; the others are named as not available
    for key in created.tables:
        assert by_key[key].type == "table"
    for mart in created.missing:
        assert mart.split(".")[1] not in marts and mart in summary.data
    if "threshold_check" in marts:
        assert f"threshold-check-{ELECTION}" in by_key
