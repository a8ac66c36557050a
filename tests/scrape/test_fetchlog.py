"""saylau.scrape.fetchlog: what raw.fetches tells the next run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from saylau import warehouse
from saylau.archive import Archive
from saylau.fetch import Attempt, FetchResult
from saylau.scrape.discovery import Discovery
from saylau.scrape.fetchlog import failed_fetches, record_fetches, select_due


def test_which_documents_a_run_asks_for_again():
    now = datetime(2021, 1, 11, 3, 0, tzinfo=UTC)
    base = "http://h/rus/territorial/75/protocols/index.php?PEC="
    news = "http://h/rus/news/releases/index.php?ID=5450"
    found = Discovery(articles={news, base + "1", base + "2", base + "3", base + "4"}, fresh={base + "2"})
    checked = {
        news: now,
        base + "1": now - timedelta(minutes=5),
        base + "2": now,
        base + "3": now - timedelta(hours=2),
    }
    due = select_due(found, checked, revisit_after=1800, now=now)
    # news always; a document its changed listing links to; one not asked for in two hours; one never fetched
    assert due == sorted([news, base + "2", base + "3", base + "4"])


REFUSED = "body larger than the cap of 1500000 bytes"


def test_a_page_over_the_cap_is_listed_among_the_runs_failures(ref_warehouse):
    url = "http://127.0.0.1:8000/rus/news/releases/index.php?ID=1"
    over = Attempt(url, datetime.now(UTC), 200, {}, None, None, 0.1, REFUSED, False)
    with warehouse.connect(ref_warehouse) as con:
        record_fetches(con, [FetchResult(url, [over])], Archive(ref_warehouse.parent / "archive"), "run-1")
        assert failed_fetches(con, "run-1") == [f"{url}: {REFUSED}"]
