"""quarantine.cec_figures: a bulletin's uncertain figures set aside with their page while the others load."""

from __future__ import annotations

from saylau import warehouse
from saylau.archive import Archive
from saylau.scrape.fetchlog import record_fetches
from saylau.scrape.quarantine import CEC_FIGURE_COLUMNS
from saylau.scrape.staging import restage_from_archive, stage_new_pages
from tests.scrape.test_staging import BASE, fetched, html

BULLETIN = html(
    "Явка избирателей на 12:00",
    "<p>НУР-СУЛТАН. КАЗИНФОРМ – На 12:00 бюллетени получили 28,8% от общего количества избирателей, "
    "включенных в списки.</p><p>Явка по регионам:</p><p>по Акмолинской области – 26,6%, по ЗКО – 32,2%, "
    "по Атлантидской области – 30,0%, по Западно-Казахстанской области – 23,2%, по г. Нур-Султан – 24,2%.</p>",
)


def test_uncertain_figures_are_quarantined_with_their_page_and_counted(ref_warehouse):
    archive = Archive(ref_warehouse.parent / "archive")
    url = BASE + "index.php?ID=7"
    with warehouse.connect(ref_warehouse) as con:
        record_fetches(con, [fetched(url, BULLETIN, 1)], archive, "run-1")
        summary = stage_new_pages(con, archive, "kz-2021-01-10", "run-1")
        assert summary.failed == [] and summary.parsed == 1 and summary.figures_set_aside == 3
        staged = con.execute("select region_code, turnout_pct from staging.cec_turnout order by 1").fetchall()
        assert staged == [("KZ", 28.8), ("KZ-11", 26.6), ("KZ-71", 24.2)]
        rows = con.execute(
            f"select {', '.join(CEC_FIGURE_COLUMNS)} from quarantine.cec_figures order by subject"
        ).fetchall()
        got = [dict(zip(CEC_FIGURE_COLUMNS, r, strict=True)) for r in rows]
        assert [(r["subject"], r["kind"], r["run_id"], r["lang"]) for r in got] == [
            ("Атлантидской области", "turnout", "run-1", "rus"),
            ("ЗКО", "turnout", "run-1", "rus"),
            ("Западно-Казахстанской области", "turnout", "run-1", "rus"),
        ]
        assert {r["url"] for r in got} == {url} and all(len(r["sha256"]) == 64 for r in got)
        assert "unknown region name" in got[0]["reason"] and "given twice" in got[1]["reason"]
        assert "30,0%" in got[0]["text"] and str(got[0]["as_of"]) == "2021-01-10 12:00:00"
        restage_from_archive(con, archive, "kz-2021-01-10", "run-2")
        assert con.execute("select count(*) from quarantine.cec_figures").fetchone()[0] == 3
