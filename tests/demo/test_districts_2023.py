"""The 2023 demo's single-member districts loaded and scored on their ground truth (issue 21 item 5).

The official precinct tables are imported and the observers' district copies (``demo/election_2023.py``,
the observers' own district form) loaded by the observers' loader, the marts built, and ``marts.winner_check`` held against ``ground_truth/districts.csv``: every reversed district is
found wherever the copies cover enough of it to show it (all of it, or the part the rewriting touched), no
district is called reversed that is not, and the coverage figures are exact.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from demo.election_2023 import CONTESTS, ELECTION_ID, OBSERVER_SOURCE, PUBLIC_CASE, generate_into
from saylau import reference, warehouse
from saylau.config import Settings

pytestmark = pytest.mark.xdist_group("districts-2023")  # one build per worker


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def built(tmp_path_factory):
    from saylau.marts import build_marts
    from saylau.observers import load_observers
    from saylau.precincts import import_precinct_file

    root = tmp_path_factory.mktemp("districts_2023")
    folder = root / "demo"
    generate_into(folder)
    s = Settings(build_dir=root / "build")
    db = s.work_db
    warehouse.create_warehouse(db)
    with warehouse.connect(db) as con:
        reference.load_reference(con)
    for contest in CONTESTS:
        import_precinct_file(
            db, folder / "official" / f"precincts_{contest}.csv", "kz-precinct-csv", ELECTION_ID, run_id="t",
            contest_id=contest, archive_dir=s.archive_dir, source="official",
        )  # fmt: skip
    # the observers' district copies through the observers' loader, as an organisation's file is loaded
    loaded = load_observers(db, [folder / "observers"], election_id=ELECTION_ID, run_id="t", s=s)
    assert [(r.status, r.rejected) for r in loaded] == [("loaded", 0)] * len(CONTESTS), [
        r.problems for r in loaded
    ]
    with warehouse.connect(db) as con:
        build_marts(con)
    con = duckdb.connect(str(db), read_only=True)
    check = con.execute("select * from marts.winner_check").df()
    results = con.execute("select * from marts.district_results").df()
    con.close()
    truth = pd.read_csv(folder / "ground_truth" / "districts.csv")
    return check, results, truth


def test_every_district_has_its_official_winner(built):
    check, results, truth = built
    winners = results.drop_duplicates("district_id").set_index("district_id")["winner"]
    assert len(winners) == len(truth) == 38
    assert winners.to_dict() == truth.set_index("district_id")["official_winner"].to_dict()


def test_the_public_case(built):
    check, results, _ = built
    row = check[check["district_id"] == PUBLIC_CASE].iloc[0]
    votes = results[results["district_id"] == PUBLIC_CASE].set_index("option_id")["votes"]
    assert (votes["om63_03_1"], votes["om63_03_2"]) == (2133, 2100)
    assert (row["official_margin_votes"], row["copies_winner"], row["copies_margin_votes"]) == (
        33,
        "om63_03_2",
        67,
    )
    assert row["verdict"] == "reversed" and row["coverage_pecs_pct"] == 100.0


def test_reversals_are_found_where_copies_cover_them_and_never_invented(built):
    check, _, truth = built
    observed = check[check["source"] == OBSERVER_SOURCE].set_index("district_id")
    t = truth.set_index("district_id")
    called = set(observed.index[observed["reverses"]])
    reversed_ = set(t.index[t["reversed"]])
    assert called <= reversed_  # no district called reversed that is not
    fully = set(t.index[t["reversed"] & (t["coverage"] == "full")])
    assert fully <= called and len(fully) >= 4  # every fully copied reversed district is found
    uncovered = set(t.index[t["reversed"] & (t["coverage"] == "none")])
    assert not uncovered & set(observed.index)  # nothing to find there: no copies
    assert check.loc[check["district_id"].isin(uncovered), "verdict"].eq("not_observed").all()
    # a partly copied reversed district is called reversed or left open, never 'holds' or 'confirmed'
    partly = reversed_ - fully - uncovered
    assert set(observed.loc[sorted(partly), "verdict"]) <= {"reversed", "open"}


def test_coverage_figures_are_exact(built):
    check, _, truth = built
    observed = check[check["source"] == OBSERVER_SOURCE].set_index("district_id")
    t = truth[truth["copied_pecs"] > 0].set_index("district_id")
    assert sorted(observed.index) == sorted(t.index)
    for column in ("district_pecs", "copied_pecs", "district_registered", "copied_registered"):
        assert observed.loc[t.index, column].astype(int).to_dict() == t[column].to_dict(), column
    expected = (100.0 * t["copied_registered"] / t["district_registered"]).round(2)
    assert (observed.loc[t.index, "coverage_voters_pct"] - expected).abs().max() < 1e-9
    clean = t.index[(t["scenario"] == "clean")]
    assert (observed.loc[clean, "shift_votes"] == 0).all()  # copies equal the official count there
