"""saylau.scrape.staging: new page versions parsed into raw.pages and staging, failures recorded, restaging."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest

from saylau import warehouse
from saylau.archive import Archive
from saylau.fetch import Attempt, FetchResult
from saylau.scrape.fetchlog import record_fetches
from saylau.scrape.staging import recognise_election, restage_from_archive, stage_new_pages, still_broken

BASE = "http://127.0.0.1:8000/rus/news/releases/"
FINAL = (
    "<p>В списки избирателей включено 11 919 241 человек. Бюллетени получили 7 539 280 избирателей. "
    "Недействительными признаны 297 718 бюллетеней.</p><p>«Nur Otan» – 5 148 074 голосов (71,09%); «Ак жол» – "
    "792 828 (10,95%); НПК – 659 019 (9,10%); «Ауыл» – 383 023 (5,29%); «Adal» – 258 618 (3,57%).</p>"
)


def html(title: str, body: str) -> bytes:
    return (
        f"<html><head><meta charset='utf-8'></head><body><article><h1>{title}</h1>"
        f"<time datetime='2021-01-10'>10.01.2021</time>{body}</article></body></html>"
    ).encode()


def fetched(url: str, body: bytes, minute: int) -> FetchResult:
    sha = hashlib.sha256(body).hexdigest()
    when = datetime(2021, 1, 11, 3, minute, tzinfo=UTC)
    headers = {"content-type": "text/html; charset=utf-8"}
    return FetchResult(url, [Attempt(url, when, 200, headers, sha, len(body), 0.1, None, False)], body)


PAGES = [
    (BASE, html("Пресс-релизы", f"<a href='{BASE}index.php?ID=1'>итоги</a>")),
    (BASE + "index.php?ID=1", html("Окончательные итоги выборов депутатов Мажилиса", FINAL)),
    (
        BASE + "index.php?ID=2",
        # a results table whose layout changed (a header naming nothing known) fails the page
        html(
            "Окончательные итоги выборов депутатов Мажилиса",
            FINAL + "<table><tr><th>Регион</th><th>Партия X</th></tr><tr><td>ЗКО</td><td>1</td></tr></table>",
        ),
    ),
    (BASE + "index.php?ID=3", html("О семинаре для членов комиссий", "<p>Семинар прошёл.</p>")),
]


def staged_rows(con) -> list[tuple]:
    return con.execute("select * exclude (run_id) from staging.cec_results order by all").fetchall()


def test_new_versions_are_staged_once_failures_recorded_and_restaging_gives_the_same_rows(ref_warehouse):
    archive = Archive(ref_warehouse.parent / "archive")
    with warehouse.connect(ref_warehouse) as con:
        record_fetches(con, [fetched(u, b, n) for n, (u, b) in enumerate(PAGES)], archive, "run-1")
        summary = stage_new_pages(con, archive, None, "run-1")
        assert summary.election_id == "kz-2021-01-10"  # recognised from the pages' dates
        assert (summary.new_versions, summary.parsed, summary.unrelated) == (4, 1, 1)
        assert len(summary.failed) == 1 and "ID=2 (sha256 " in summary.failed[0]
        assert "Партия X" in summary.failed[0]
        statuses = dict(con.execute("select url, parse_status from raw.pages").fetchall())
        assert [statuses[u] for u, _ in PAGES] == ["listing", "parsed", "failed", "unrelated"]
        assert {r[0] for r in con.execute("select distinct url from staging.cec_results").fetchall()} == {
            PAGES[1][0]
        }
        assert still_broken(con) == summary.failed  # listed by every run until the page parses again
        rows = staged_rows(con)
        assert rows
        assert stage_new_pages(con, archive, None, "run-2").new_versions == 0  # nothing staged twice
        again = restage_from_archive(con, archive, None, "run-3")
        assert (again.new_versions, again.parsed, again.failed) == (4, 1, summary.failed)
        assert staged_rows(con) == rows


def test_the_election_is_the_one_the_pages_dates_cluster_after(ref_warehouse):
    with warehouse.connect(ref_warehouse) as con:
        assert recognise_election(con, [date(2021, 1, 10), date(2021, 1, 15)]) == "kz-2021-01-10"
        with pytest.raises(ValueError, match="pass --election-id"):
            recognise_election(con, [date(1990, 1, 1)])
