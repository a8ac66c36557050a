"""The archive's manifest: records written once, read once, and fetch attempts put back where missing."""

from __future__ import annotations

from datetime import UTC, datetime

from saylau import manifest, warehouse
from saylau.scrape import FETCH_COLUMNS


def attempt(url: str, n: int, status: int | None = 200, run: str = "r1") -> dict:
    row = dict.fromkeys(FETCH_COLUMNS)
    row.update(
        run_id=run,
        url=url,
        attempt=n,
        requested_at=datetime(2021, 1, 10, 4, n, 30, 123456, tzinfo=UTC),
        status=status,
        conditional=False,
        sha256="ab" * 32 if status == 200 else None,
        error=None if status == 200 else "HTTP 503",
    )
    return row


def test_records_are_stored_once_and_read_back_equal(tmp_path):
    rows = [attempt("http://x/a", 1, 503), attempt("http://x/a", 2)]
    first = manifest.write(tmp_path, manifest.FETCHES, rows)
    again = manifest.write(tmp_path, manifest.FETCHES, rows)  # a rerun writing the same records
    assert first == again and len(list((tmp_path / "manifest" / "fetches").iterdir())) == 1
    assert manifest.write(tmp_path, manifest.FETCHES, []) is None
    back = manifest.read(tmp_path, manifest.FETCHES)
    assert [(r["url"], r["attempt"], r["status"], r["error"]) for r in back] == [
        ("http://x/a", 1, 503, "HTTP 503"),
        ("http://x/a", 2, 200, None),
    ]
    assert back[1]["requested_at"] == "2021-01-10T04:02:30.123456+00:00"


def test_restore_puts_back_only_the_missing_attempts(tmp_path, ref_warehouse):
    manifest.write(tmp_path, manifest.FETCHES, [attempt("http://x/a", 1, 503), attempt("http://x/a", 2)])
    manifest.write(tmp_path, manifest.FETCHES, [attempt("http://x/a", 2), attempt("http://x/b", 1)])
    with warehouse.connect(ref_warehouse) as con:
        assert manifest.restore_fetches(con, tmp_path) == 3
        assert manifest.restore_fetches(con, tmp_path) == 0  # the warehouse that has them: nothing to add
        rows = con.execute(
            "select url, attempt, status, requested_at from raw.fetches order by fetch_id"
        ).fetchall()
    # in the order they happened (b's first attempt was at the same time as a's)
    assert [r[:3] for r in rows] == [("http://x/a", 1, 503), ("http://x/b", 1, 200), ("http://x/a", 2, 200)]
    assert rows[0][3] == datetime(2021, 1, 10, 4, 1, 30, 123456, tzinfo=UTC)


def test_loads_come_back_in_the_order_they_happened(tmp_path):
    later, earlier = datetime(2021, 1, 11, tzinfo=UTC), datetime(2021, 1, 10, tzinfo=UTC)
    manifest.record_load(tmp_path, "observer_file", "s2", "b.csv", later, organisation="haq")
    manifest.record_load(tmp_path, "precinct_table", "s1", "a.csv", earlier, fmt="kz-precinct-csv")
    loads = manifest.loads(tmp_path)
    assert [(r["op"], r["path"], r["arguments"]) for r in loads] == [
        ("precinct_table", "a.csv", {"fmt": "kz-precinct-csv"}),
        ("observer_file", "b.csv", {"organisation": "haq"}),
    ]
