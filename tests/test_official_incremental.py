"""Incremental promotion: re-validating only the units whose pages changed gives what promoting everything
gives, through a seeded random history of corrections, reverts, broken versions and language disputes."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from saylau import warehouse
from saylau.official import promote_official

E = "kz-2021-01-10"
PARTIES = ("amanat", "ak_zhol", "qhp", "auyl", "adal")
UNITS = [("national", "KZ", None), ("region", "KZ-11", "KZ-11"), ("region", "KZ-15", "KZ-15"),
         ("region", "KZ-75", "KZ-75"), ("pec", "KZ-75/1", "KZ-75"), ("pec", "KZ-75/2", "KZ-75")]  # fmt: skip
# what a comparison ignores: who wrote the row and when, and its position in the frame validated
VOLATILE = {"run_id", "quarantined_at", "row_position"}


@pytest.fixture
def con(ref_warehouse):
    with warehouse.connect(ref_warehouse) as c:
        yield c


def _protocol(rng: random.Random, unit: tuple) -> list[tuple]:
    """Protocol lines of one unit: mostly consistent, sometimes votes that do not add up, or a share."""
    level, unit_id, region = unit
    votes = {p: rng.randint(0, 500) for p in PARTIES}
    valid = sum(votes.values()) + (rng.choice([0, 0, 0, 0, 7]))  # 1 in 5 does not add up: quarantined
    invalid = rng.randint(0, 30)
    rows = [("registered", None, valid + invalid + rng.randint(0, 900), None),
            ("ballots_issued", None, valid + invalid, None), ("invalid", None, invalid, None),
            ("valid", None, valid, None)]  # fmt: skip
    rows += [("votes", p, v, None) for p, v in votes.items()]
    if rng.random() < 0.5:
        rows.append(("share", "amanat", None, round(100 * votes["amanat"] / max(valid, 1), 2)))
    return [(level, unit_id, region, *r) for r in rows]


class Site:
    """Pages (one communique in three languages per ID) and their versions, staged as the scraper does."""

    def __init__(self, con, rng: random.Random):
        self.con, self.rng, self.clock, self.versions = con, rng, 0, {}

    def _tick(self) -> datetime:
        self.clock += 1
        return datetime(2021, 1, 11) + timedelta(minutes=self.clock)

    def publish(
        self, page: int, units: list[tuple], lang_dispute: bool = False, broken: bool = False
    ) -> None:
        shared = {u: _protocol(self.rng, u) for u in units}
        for lang in ("rus", "kaz", "eng"):
            url = f"http://x/{lang}/news/releases/index.php?ID={page}"
            sha = f"p{page}-{lang}-{self.clock}"
            at = self._tick()
            status = "failed" if broken else "parsed"
            self.con.execute(
                "insert into raw.pages (url, sha256, first_seen_at, parse_status) values (?, ?, ?, ?)",
                [url, sha, at, status],
            )
            self._fetch(url, sha, at)
            self.versions.setdefault(url, []).append(sha)
            if broken:
                continue
            rows = []
            for u in units:
                for level, unit_id, region, line, option, value, share in shared[u]:
                    if lang_dispute and lang == "kaz" and line == "valid":
                        value += 1  # the Kazakh page states another figure
                    rows.append((E, "mazhilis", level, unit_id, region, line, option, value, share, "final",
                                 datetime(2021, 1, 11), lang, url, sha, "r"))  # fmt: skip
            self.con.executemany(
                "insert into staging.cec_results values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def revert(self, page: int) -> None:
        """The CEC puts an earlier version of the page back."""
        for lang in ("rus", "kaz", "eng"):
            url = f"http://x/{lang}/news/releases/index.php?ID={page}"
            self._fetch(url, self.versions[url][0], self._tick())

    def _fetch(self, url: str, sha: str, at: datetime) -> None:
        self.con.execute(
            "insert into raw.fetches (run_id, url, attempt, requested_at, status, conditional, sha256) "
            "values ('r', ?, 1, ?, 200, false, ?)",
            [url, at, sha],
        )


def _state(con) -> dict:
    """Every table promotion writes, as sorted rows without the volatile columns."""
    tables = ["core.protocol_values", "core.result_shares", "core.turnout_official", "core.validation_flags"]
    tables += [
        f"quarantine.{t}"
        for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'quarantine' and table_name like 'cec_%'"
        ).fetchall()
    ]
    out = {}
    for table in tables:
        columns = [
            c
            for (c,) in con.execute(f"select column_name from (describe {table})").fetchall()
            if c not in VOLATILE
        ]
        out[table] = sorted(
            con.execute(f"select {', '.join(columns)} from {table}").fetchall(),
            key=lambda r: tuple(map(str, r)),
        )
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_promotion_equals_promoting_everything(con, seed):
    rng = random.Random(seed)
    site = Site(con, rng)
    for page in (1, 2, 3):
        site.publish(page, rng.sample(UNITS, 3))
    first = promote_official(con, E, "run-0")
    assert first.units is None  # never promoted: everything
    revalidated = []
    for step in range(20):
        action = rng.random()
        page = rng.choice((1, 2, 3, 4))
        if action < 0.5 or f"http://x/rus/news/releases/index.php?ID={page}" not in site.versions:
            site.publish(page, rng.sample(UNITS, rng.randint(1, 3)), lang_dispute=rng.random() < 0.2)
        elif action < 0.7:
            site.revert(page)
        elif action < 0.85:
            site.publish(page, rng.sample(UNITS, 2), broken=True)  # a layout the parser cannot read
        # else: nothing changed
        summary = promote_official(con, E, f"run-{step + 1}")
        revalidated.append(summary.units)
        incremental = _state(con)
        promote_official(con, E, f"full-{step + 1}", incremental=False)
        assert incremental == _state(con), f"seed {seed}, step {step}"
    # it was incremental: some runs re-validated nothing, none re-validated more than the units there are
    assert 0 in revalidated and all(u is not None and u <= len(UNITS) for u in revalidated)
