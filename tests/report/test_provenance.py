"""The provenance section: the files, pages and code version behind the figures."""

from __future__ import annotations

import duckdb

from tests.report.pages import sections_of


def test_provenance(small_report):
    s, page = small_report
    prov = sections_of(page)["provenance"]
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
