"""The election report, built from small published databases made by code (tests/test_report_data.py)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from saylau import marts, publish, reference, warehouse
from saylau.cli import app
from saylau.config import Settings
from saylau.report import SECTION_IDS, ReportError, build_report, build_reports, reportable_elections
from tests.test_report_data import ELECTION, build_small_published

# The marts issue 6 adds, and the section that shows each: until a mart lands its section says so.
SECTION_MARTS = {
    "observer-summary": "marts.observer_sample_summary",
    "regions": "marts.discrepancy_region",
    "turnout-timeline": "marts.turnout_timeline",
    "threshold": "marts.threshold_check",
    "precinct-discrepancies": "marts.discrepancy_pec",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_small_published(tmp_path_factory.mktemp("small") / "build")


@pytest.fixture(scope="module")
def small_report(small: Settings) -> tuple[Settings, str]:
    result = build_report(small.published_db, ELECTION, small.report_dir)
    return small, result.path.read_text(encoding="utf-8")


def sections_of(page: str) -> dict[str, str]:
    """Section id -> its HTML."""
    found = re.findall(r"<section id='([a-z-]+)' data-section='\1'>(.*?)</section>", page, flags=re.S)
    return dict(found)


def has_rows(db: Path, qualified: str) -> bool:
    con = duckdb.connect(str(db), read_only=True)
    try:
        schema, name = qualified.split(".")
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
        return bool(exists) and bool(
            con.execute(f"select count(*) from {qualified} where election_id = ?", [ELECTION]).fetchone()[0]
        )
    finally:
        con.close()


def test_every_section_is_there_in_order(small_report):
    _, page = small_report
    found = re.findall(r"<section id='([a-z-]+)'", page)
    assert tuple(found) == SECTION_IDS
    for section_id in SECTION_IDS:  # the table of contents links each
        assert f"href='#{section_id}'" in page


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


def test_names_in_three_languages_and_as_of_the_election(small_report):
    _, page = small_report
    assert "Ақмола облысы" in page and "Акмолинская область" in page  # KZ-11, Kazakh and Russian
    assert "Nur Otan" in page  # amanat as it was called in January 2021
    assert "Мәжіліс және мәслихат депутаттарының сайлауы 2021" in page


def test_sections_wait_for_their_marts(small_report):
    s, page = small_report
    sections = sections_of(page)
    for section_id, mart in SECTION_MARTS.items():
        if has_rows(s.published_db, mart):
            assert "not available yet" not in sections[section_id], section_id
        else:
            assert f"not available yet: {mart} is" in sections[section_id], section_id


def test_forensic_plots_are_inlined_pngs_with_captions(small_report):
    _, page = small_report
    forensics = sections_of(page)["forensics"]
    images = re.findall(r"<figure><img src='data:image/png;base64,([A-Za-z0-9+/=]+)'", forensics)
    assert len(images) == 4
    for data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert forensics.count("<figcaption>") == 4
    assert forensics.count("<b>Clean:</b>") == 4


def test_page_needs_nothing_outside_itself(small_report):
    _, page = small_report
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r"""(src|href)=['"]?(https?:|//)""", page)
    assert not re.search(r"url\(", page)


def test_data_quality_and_provenance(small_report):
    s, page = small_report
    sections = sections_of(page)
    assert (
        "round_turnout" in sections["data-quality"]
        or "No row of this election was flagged" in sections["data-quality"]
    )
    prov = sections["provenance"]
    con = duckdb.connect(str(s.published_db), read_only=True)
    try:
        file_sha = con.execute("select sha256 from raw.files where kind = 'precinct_table'").fetchone()[0]
        page_sha = con.execute("select sha256 from raw.pages limit 1").fetchone()[0]
        code = con.execute("select code_version from meta.runs order by started_at desc limit 1").fetchone()[
            0
        ]
    finally:
        con.close()
    assert file_sha in prov and page_sha in prov and code in prov
    assert "2021-01-10 04:05:00" in prov  # the 10:00 bulletin's fetch time (UTC)


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
