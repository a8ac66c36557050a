"""Building the report (saylau.report.build): the page, its sections in order, errors, the CLI verb."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from saylau import marts, publish, reference, warehouse
from saylau.cli import app
from saylau.config import Settings
from saylau.report import SECTION_IDS, ReportError, build_report, build_reports, reportable_elections
from saylau.report.render import DOCS_BASE_URL
from tests.report.pages import sections_of
from tests.test_report_data import ELECTION


def test_every_section_is_there_in_order(small_report):
    _, page = small_report
    found = re.findall(r"<section id='([a-z-]+)'", page)
    assert tuple(found) == SECTION_IDS
    for section_id in SECTION_IDS:  # the table of contents links each
        assert f"href='#{section_id}'" in page


def test_page_needs_nothing_outside_itself(small_report):
    _, page = small_report
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"""src=['"]?(https?:|//)""", page)
    # the only links out are to the project's public docs (a reader follows them; nothing is loaded)
    for url in re.findall(r"""href=['"]?((?:https?:)?//[^'" >]+)""", page):
        assert url.startswith(DOCS_BASE_URL), url
    assert not re.search(r"url\(", page)


def test_a_warehouse_with_no_figures_still_reports(tmp_path):
    s = Settings(build_dir=tmp_path / "b")
    warehouse.create_warehouse(s.work_db)
    with warehouse.connect(s.work_db) as con:
        reference.load_reference(con)
        marts.build_marts(con)
    publish.publish(s.work_db, s.published_db, s.parquet_dir)
    assert reportable_elections(s.published_db) == []
    result = build_report(s.published_db, ELECTION, s.report_dir)
    sections = sections_of(result.path.read_text(encoding="utf-8"))
    assert "not available yet: marts.election_totals is empty for kz-2021-01-10" in sections["key-figures"]
    assert "not available yet: marts.forensics_fingerprint is empty" in sections["forensics"]
    assert result.figures == 0


def test_unknown_election_and_missing_database(small, tmp_path):
    with pytest.raises(ReportError, match="kz-1999-01-01"):
        build_report(small.published_db, "kz-1999-01-01", tmp_path)
    with pytest.raises(Exception, match="no published database"):
        build_report(tmp_path / "nothing.duckdb", ELECTION, tmp_path)


def test_report_leaves_the_published_file_untouched(small, tmp_path):
    before = small.published_db.read_bytes()
    build_reports(small.published_db, tmp_path / "r")
    assert small.published_db.read_bytes() == before
    assert (tmp_path / "r" / ELECTION / "index.html").exists()


def test_cli_report(small):
    result = CliRunner().invoke(app, ["report", "--build-dir", str(small.build_dir)])
    assert result.exit_code == 0, result.output
    assert f"{ELECTION}/index.html" in result.output.replace("\n", "")
    assert (small.report_dir / ELECTION / "index.html").exists()
    bad = CliRunner().invoke(
        app, ["report", "--election-id", "kz-1999-01-01", "--build-dir", str(small.build_dir)]
    )
    assert bad.exit_code == 1 and "kz-1999-01-01" in bad.output
