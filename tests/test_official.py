"""Staged CEC figures into core: languages counted once, disagreements and bad figures quarantined."""

from __future__ import annotations

from datetime import datetime

import pytest

from saylau import warehouse
from saylau.official import promote_official

E = "kz-2021-01-10"
T10 = datetime(2021, 1, 10, 10, 0)


@pytest.fixture
def con(ref_warehouse):
    with warehouse.connect(ref_warehouse) as c:
        yield c


def stage_turnout(con, rows):
    con.executemany(
        "insert or ignore into raw.pages (url, sha256, first_seen_at) values (?, ?, '2021-01-10 10:05')",
        sorted({(f"http://x/{lang}/news/releases/index.php?ID=1", f"sha-{lang}") for *_, lang in rows}),
    )
    con.executemany(
        "insert into staging.cec_turnout values (?, ?, ?, ?, ?, ?, ?, 'r0')",
        [
            (E, region, as_of, pct, lang, f"http://x/{lang}/news/releases/index.php?ID=1", f"sha-{lang}")
            for region, as_of, pct, lang in rows
        ],
    )


def test_three_languages_count_once_and_cite_the_russian_page(con):
    stage_turnout(con, [("KZ-11", T10, 10.2, lang) for lang in ("eng", "kaz", "rus")])
    summary = promote_official(con, E, "run-1")
    rows = con.execute(
        "select region_code, turnout_pct, source_ref, languages from core.turnout_official"
    ).fetchall()
    assert rows == [("KZ-11", 10.2, "http://x/rus/news/releases/index.php?ID=1", "eng,kaz,rus")]
    assert summary.turnout_rows == 1 and summary.quarantined == 0


def test_disagreeing_languages_are_quarantined_not_chosen(con):
    stage_turnout(
        con, [("KZ-27", T10, 61.5, "rus"), ("KZ-27", T10, 51.5, "kaz"), ("KZ-11", T10, 10.2, "rus")]
    )
    promote_official(con, E, "run-1")
    assert con.execute("select region_code from core.turnout_official").fetchall() == [("KZ-11",)]
    rules = con.execute(
        "select rule, failing_values from quarantine.cec_turnout order by failing_values"
    ).fetchall()
    assert rules == [("languages_disagree", "kaz: 51.5"), ("languages_disagree", "rus: 61.5")]


def test_impossible_share_and_region_of_another_year_are_quarantined(con):
    stage_turnout(
        con, [("KZ-11", T10, 101.5, "rus"), ("KZ-10", T10, 20.0, "rus"), ("KZ-15", T10, 9.9, "rus")]
    )
    promote_official(con, E, "run-1")
    assert con.execute("select region_code from core.turnout_official").fetchall() == [("KZ-15",)]
    rules = dict(con.execute("select rule, count(*) from quarantine.cec_turnout group by 1").fetchall())
    assert rules == {"share_in_0_100": 1, "region_exists_on_election_day": 1}
    dq = dict(
        con.execute(
            "select rule, failed_rows from meta.data_quality where table_name = 'cec_turnout'"
        ).fetchall()
    )
    assert dq == {"share_in_0_100": 1, "region_exists_on_election_day": 1}


def stage_result(con, rows, status="final", lang="rus"):
    con.execute(
        "insert or ignore into raw.pages (url, sha256, first_seen_at) values (?, ?, '2021-01-12 10:00')",
        [f"http://x/{lang}/news/releases/index.php?ID=2", f"sha-{lang}"],
    )
    con.executemany(
        "insert into staging.cec_results values (?, 'mazhilis', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'r0')",
        [
            (
                E,
                level,
                unit,
                None if unit == "KZ" else unit,
                line,
                option,
                value,
                share,
                status,
                datetime(2021, 1, 12),
                lang,
                f"http://x/{lang}/news/releases/index.php?ID=2",
                f"sha-{lang}",
            )
            for level, unit, line, option, value, share in rows
        ],
    )


def test_final_counts_become_protocol_values_and_shares_stay_shares(con):
    votes = {"amanat": 70, "ak_zhol": 10, "qhp": 10, "auyl": 5, "adal": 5}
    rows = [
        ("national", "KZ", "registered", None, 200, None),
        ("national", "KZ", "ballots_issued", None, 110, None),
        ("national", "KZ", "invalid", None, 10, None),
        ("national", "KZ", "valid", None, 100, None),
    ]
    rows += [("national", "KZ", "votes", p, v, None) for p, v in votes.items()]
    rows += [("national", "KZ", "share", "amanat", None, 70.0)]
    for lang in ("rus", "kaz"):
        stage_result(con, rows, lang=lang)
    summary = promote_official(con, E, "run-1")
    values = dict(con.execute("select coalesce(option_id, line), value from core.protocol_values").fetchall())
    assert values == {"registered": 200, "ballots_issued": 110, "invalid": 10, "valid": 100, **votes}
    assert con.execute("select option_id, share_pct, languages from core.result_shares").fetchall() == [
        ("amanat", 70.0, "kaz,rus")
    ]
    assert summary.protocol_rows == 1


def test_protocol_whose_votes_do_not_add_up_is_quarantined(con):
    rows = [
        ("region", "KZ-11", "registered", None, 200, None),
        ("region", "KZ-11", "valid", None, 100, None),
        ("region", "KZ-11", "votes", "amanat", 90, None),
        ("region", "KZ-11", "votes", "ak_zhol", 20, None),
    ]
    stage_result(con, rows)
    promote_official(con, E, "run-1")
    assert con.execute("select count(*) from core.protocol_values").fetchone()[0] == 0
    rules = {r[0] for r in con.execute("select rule from quarantine.cec_results").fetchall()}
    assert "valid_is_sum_of_options" in rules


def test_promotion_twice_gives_the_same_core(con):
    stage_turnout(con, [("KZ-11", T10, 10.2, "rus")])
    promote_official(con, E, "run-1")
    first = con.execute("select * exclude (run_id) from core.turnout_official").fetchall()
    promote_official(con, E, "run-2")
    assert con.execute("select * exclude (run_id) from core.turnout_official").fetchall() == first


def test_promotion_twice_quarantines_each_rejection_once(con):
    stage_turnout(
        con, [("KZ-11", T10, 101.5, "rus"), ("KZ-27", T10, 61.5, "rus"), ("KZ-27", T10, 51.5, "kaz")]
    )
    promote_official(con, E, "run-1")
    promote_official(con, E, "run-2")
    rows = con.execute("select rule, run_id from quarantine.cec_turnout order by all").fetchall()
    assert rows == [
        ("languages_disagree", "run-2"),
        ("languages_disagree", "run-2"),
        ("share_in_0_100", "run-2"),
    ]


def test_a_corrected_page_counts_in_its_latest_version_only(con):
    url = "http://x/rus/news/releases/index.php?ID=1"
    con.execute(
        "insert into raw.pages (url, sha256, first_seen_at) values (?, 'v1', '2021-01-10 20:10'), "
        "(?, 'v2', '2021-01-10 20:57')",
        [url, url],
    )
    con.executemany(
        "insert into staging.cec_turnout values (?, 'KZ-27', ?, ?, 'rus', ?, ?, 'r0')",
        [(E, datetime(2021, 1, 10, 20), 51.5, url, "v1"), (E, datetime(2021, 1, 10, 20), 61.5, url, "v2")],
    )
    promote_official(con, E, "run-1")
    assert con.execute("select turnout_pct, source_sha256 from core.turnout_official").fetchall() == [
        (61.5, "v2")
    ]
    assert con.execute("select count(*) from staging.cec_turnout").fetchone()[0] == 2  # history kept


def test_a_finished_promotion_is_recorded_and_a_new_page_version_makes_it_pending(con):
    from saylau.official import pending_promotions

    assert pending_promotions(con) == []  # nothing staged
    stage_turnout(con, [("KZ-11", T10, 10.2, "rus")])
    assert pending_promotions(con) == [E]  # staged, never promoted
    promote_official(con, E, "run-1")
    assert pending_promotions(con) == []
    con.execute(
        "insert into raw.pages (url, sha256, first_seen_at) values (?, 'v2', '2021-01-10 20:57')",
        ["http://x/rus/news/releases/index.php?ID=1"],
    )
    con.execute(
        "insert into staging.cec_turnout values (?, 'KZ-11', ?, 10.4, 'rus', ?, 'v2', 'r1')",
        [E, T10, "http://x/rus/news/releases/index.php?ID=1"],
    )
    assert pending_promotions(con) == [E]  # a corrected bulletin staged by a run that died before promoting
    promote_official(con, E, "run-2")
    assert pending_promotions(con) == []


def test_a_promotion_that_fails_half_way_stays_pending(con, monkeypatch):
    from saylau import official

    stage_turnout(con, [("KZ-11", T10, 10.2, "rus")])
    stage_result(con, [("national", "KZ", "registered", None, 11_919_241, None)])

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(official, "_store_counts_as_protocols", broken)
    with pytest.raises(RuntimeError):
        official.promote_official(con, E, "run-1")
    assert official.pending_promotions(con) == [E]  # turnout promoted, results not: not recorded
    monkeypatch.undo()
    official.promote_official(con, E, "run-2")
    assert official.pending_promotions(con) == []


def test_a_corrected_results_page_replaces_its_earlier_version_in_core(con):
    stage_result(con, [("national", "KZ", "registered", None, 11_919_241, None)])
    promote_official(con, E, "run-1")
    url = "http://x/rus/news/releases/index.php?ID=2"
    con.execute(
        "insert into raw.pages (url, sha256, first_seen_at) values (?, 'v2', '2021-01-12 12:00')", [url]
    )
    con.execute(
        "insert into staging.cec_results values "
        "(?, 'mazhilis', 'national', 'KZ', null, 'registered', null, 11919242, null, 'final', ?, 'rus', ?, 'v2', 'r1')",
        [E, datetime(2021, 1, 12), url],
    )
    promote_official(con, E, "run-2")
    rows = con.execute(
        "select value, source_sha256 from core.protocol_values where line = 'registered'"
    ).fetchall()
    assert rows == [(11_919_242, "v2")]  # the corrected figure only, not both


def test_promotion_leaves_official_rows_imported_from_files_alone(con):
    con.execute(
        "insert into core.protocol_values (election_id, contest_id, source, level, unit_id, region_code, line, "
        "value, status, source_ref, source_sha256, source_row, run_id) values "
        "(?, 'mazhilis', 'official', 'pec', 'KZ-75/1', 'KZ-75', 'registered', 2000, 'final', "
        "'official/precincts.csv', 'file-sha', 2, 'import')",
        [E],
    )
    stage_result(con, [("national", "KZ", "registered", None, 11_919_241, None)])
    promote_official(con, E, "run-1")
    assert con.execute(
        "select count(*) from core.protocol_values where source_sha256 = 'file-sha'"
    ).fetchone() == (1,)


def _fetched(con, url, sha, at):
    con.execute(
        "insert into raw.fetches (run_id, url, attempt, requested_at, status, conditional, sha256) "
        "values ('r', ?, 1, ?, 200, false, ?)",
        [url, at, sha],
    )


def test_a_correction_the_cec_reverted_counts_as_reverted(con):
    url = "http://x/rus/news/releases/index.php?ID=1"
    con.execute(
        "insert into raw.pages (url, sha256, first_seen_at) values (?, 'a', '2021-01-10 20:10'), "
        "(?, 'b', '2021-01-10 20:30')",
        [url, url],
    )
    con.executemany(
        "insert into staging.cec_turnout values (?, 'KZ-27', ?, ?, 'rus', ?, ?, 'r0')",
        [(E, datetime(2021, 1, 10, 20), 51.5, url, "a"), (E, datetime(2021, 1, 10, 20), 61.5, url, "b")],
    )
    for sha, at in (("a", "2021-01-10 20:10"), ("b", "2021-01-10 20:30"), ("a", "2021-01-10 20:50")):
        _fetched(con, url, sha, at)  # A, then B, then A again: the page as first published is back
    promote_official(con, E, "run-1")
    assert con.execute("select turnout_pct, source_sha256 from core.turnout_official").fetchall() == [
        (51.5, "a")
    ]


def test_a_new_version_that_fails_to_parse_keeps_the_last_good_figures(con):
    from saylau.official import pending_promotions

    url = "http://x/rus/news/releases/index.php?ID=1"
    con.execute(
        "insert into raw.pages (url, sha256, first_seen_at, parse_status) values "
        "(?, 'good', '2021-01-10 20:10', 'parsed')",
        [url],
    )
    con.execute(
        "insert into staging.cec_turnout values (?, 'KZ-27', ?, 61.5, 'rus', ?, 'good', 'r0')",
        [E, datetime(2021, 1, 10, 20), url],
    )
    promote_official(con, E, "run-1")
    con.execute(
        "insert into raw.pages (url, sha256, first_seen_at, parse_status, parse_error) values "
        "(?, 'broken', '2021-01-10 20:40', 'failed', 'no turnout table')",
        [url],
    )
    _fetched(con, url, "broken", "2021-01-10 20:40")
    assert pending_promotions(con) == []  # nothing promotion reads has changed
    promote_official(con, E, "run-2")
    assert con.execute("select turnout_pct, source_sha256 from core.turnout_official").fetchall() == [
        (61.5, "good")
    ]


def test_a_language_dispute_keeps_every_version_in_quarantine_beside_good_units_of_the_page(con):
    """One communique (rus, kaz, eng) states two regions; the Kazakh page gives KZ-15 another figure. KZ-11
    enters core from the Russian page; all three versions of KZ-15's disputed figure stay in quarantine,
    the Russian one included, although the Russian page's bytes also gave good rows."""
    for lang in ("rus", "kaz", "eng"):
        stage_result(
            con,
            [
                ("region", "KZ-11", "registered", None, 200, None),
                ("region", "KZ-15", "registered", None, 300 if lang != "kaz" else 301, None),
            ],
            lang=lang,
        )
    promote_official(con, E, "run-1")
    assert con.execute("select unit_id, value from core.protocol_values").fetchall() == [("KZ-11", 200)]
    disputed = con.execute(
        "select unit_id, failing_values from quarantine.cec_results where rule = 'languages_disagree' order by 2"
    ).fetchall()
    assert disputed == [("KZ-15", "eng: 300"), ("KZ-15", "kaz: 301"), ("KZ-15", "rus: 300")]


def test_regions_adding_up_above_the_national_figure_flag_the_page_and_fail_the_run(con):
    """Issue 22: a final page whose Almaty leader votes exceed what the country's figure allows (the regions
    add up to 6,148,074 against a national 5,148,074) is not published as if consistent."""
    national = [("national", "KZ", "registered", None, 9000000, None),
                ("national", "KZ", "ballots_issued", None, 6500000, None),
                ("national", "KZ", "votes", "amanat", 5148074, None)]  # fmt: skip
    regions = [("region", "KZ-75", "votes", "amanat", 1175189, None),
               ("region", "KZ-71", "votes", "amanat", 4972885, None),
               ("region", "KZ-75", "ballots_issued", None, 1200000, None),  # each region within its ballots
               ("region", "KZ-71", "ballots_issued", None, 5000000, None)]  # fmt: skip
    stage_result(con, national + regions)
    summary = promote_official(con, E, "run-1")
    assert len(summary.inconsistent) == 1
    (problem,) = summary.inconsistent
    assert "ID=2" in problem and "6,148,074" in problem and "5,148,074" in problem and "amanat" in problem
    flags = con.execute(
        "select rule, unit_id, source_ref from core.validation_flags where rule = 'regions_above_national'"
    ).fetchall()
    assert flags == [("regions_above_national", "KZ", "http://x/rus/news/releases/index.php?ID=2")]
    again = promote_official(con, E, "run-2")  # promoting again flags it once, not twice
    assert again.inconsistent == summary.inconsistent
    assert con.execute(
        "select count(*) from core.validation_flags where rule = 'regions_above_national'"
    ).fetchone() == (1,)


def test_regions_within_the_national_figure_are_no_problem(con):
    rows = [("national", "KZ", "votes", "amanat", 1000, None), ("region", "KZ-75", "votes", "amanat", 400, None),
            ("region", "KZ-71", "votes", "amanat", 600, None)]  # fmt: skip
    stage_result(con, rows)
    assert promote_official(con, E, "run-1").inconsistent == []


def test_a_unit_with_more_votes_than_its_ballots_is_quarantined_and_listed_while_it_stays(con):
    """Issue 22: the nation's votes above its own valid ballots, a region's above its ballots issued (more
    than the 2% the boxes may exceed them by), are quarantined with the page; a region a few votes over
    its ballots issued (within 2%) loads."""
    rows = [("national", "KZ", "valid", None, 1000, None), ("national", "KZ", "votes", "amanat", 700, None),
            ("national", "KZ", "votes", "ak_zhol", 301, None),
            ("region", "KZ-75", "ballots_issued", None, 341618, None),
            ("region", "KZ-75", "votes", "amanat", 1175189, None),
            ("region", "KZ-71", "ballots_issued", None, 1000, None),
            ("region", "KZ-71", "votes", "amanat", 1015, None)]  # fmt: skip
    stage_result(con, rows)
    summary = promote_official(con, E, "run-1")
    quarantined = con.execute(
        "select unit_id, source_ref from quarantine.cec_results where rule = 'votes_above_ballots' order by 1"
    ).fetchall()
    url = "http://x/rus/news/releases/index.php?ID=2"
    assert quarantined == [("KZ", url), ("KZ-75", url)]
    assert con.execute("select distinct unit_id from core.protocol_values").fetchall() == [("KZ-71",)]
    assert [p.split(" states ")[0] for p in summary.inconsistent] == [
        f"{url}: national KZ",
        f"{url}: region KZ-75",
    ]
    # a later promotion that re-validates nothing still lists them (they are still the page's figures)
    assert promote_official(con, E, "run-2").inconsistent == summary.inconsistent
