"""Results communiques of every contest kind since 2019, as real copies word them (tests/samples/results):
every certain line right, every uncertain one set aside with its rule, none guessed; and the national
figures agree with the CEC's announced totals (../shared/reference/kz_results_2019_2024_national.csv)."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from saylau.parse.cec_page import ElectionContext, parse_page
from saylau.parse.classify import PageKind
from saylau.reference import default_resolver, read_reference
from tests.samples.results import SAMPLES, Sample

ELECTIONS = read_reference("elections.csv").set_index("election_id")
CONTESTS = read_reference("contests.csv")
BALLOTS = read_reference("ballot_options.csv")


def context(election_id: str) -> ElectionContext:
    contest = CONTESTS[(CONTESTS.election_id == election_id) & (CONTESTS.level == "national")].iloc[0]
    options = tuple(
        sorted(
            BALLOTS[
                (BALLOTS.election_id == election_id) & (BALLOTS.contest_id == contest.contest_id)
            ].option_id
        )
    )
    day = date.fromisoformat(ELECTIONS.loc[election_id, "election_date"])
    regions = frozenset(c for c, r in default_resolver().regions.items() if r.exists_on(day))
    return ElectionContext(
        election_id,
        day,
        regions,
        options,
        contest.contest_id,
        ((contest.contest_id, options),),
        contest.share_denominator,
    )


def read(sample: Sample):
    parsed = parse_page(
        sample.url, "ab" * 32, sample.html(), "text/html; charset=utf-8", context(sample.election_id)
    )
    national = [r for r in parsed.results if r["level"] == "national"]
    lines = {r["line"]: r["value"] for r in national if r["option_id"] is None and r["value"] is not None}
    votes = {r["option_id"]: r["value"] for r in national if r["line"] == "votes"}
    shares = {r["option_id"]: r["share_pct"] for r in national if r["line"] == "share"}
    return parsed, lines, votes, shares


def score(sample: Sample) -> tuple[int, int, int]:
    """(right, set aside as expected, guessed or wrong) over the sample's figures."""
    parsed, lines, votes, shares = read(sample)
    right = sum(lines.get(k) == v for k, v in sample.lines.items())
    right += sum(votes.get(k) == v for k, v in sample.votes.items())
    right += sum(shares.get(k) == v for k, v in sample.shares.items())
    wrong = len(set(lines) ^ set(sample.lines)) + len(set(votes) ^ set(sample.votes))
    wrong += len(set(shares) ^ set(sample.shares))
    wrong += sum(lines.get(k) != v for k, v in sample.lines.items() if k in lines)
    wrong += sum(votes.get(k) != v for k, v in sample.votes.items() if k in votes)
    wrong += sum(shares.get(k) != v for k, v in sample.shares.items() if k in shares)
    aside = sum(1 for k in sample.set_aside if _rules(parsed, k))
    return right, aside, wrong


def _rules(parsed, key: str) -> set[str]:
    return {
        f.rule for f in parsed.set_aside if f.option_id == key or f.line == key or key in (f.subject or "")
    }


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_every_certain_line_right_every_uncertain_one_set_aside(sample):
    parsed, lines, votes, shares = read(sample)
    assert parsed.kind == (PageKind.FINAL if sample.kind == "final" else PageKind.PRELIMINARY)
    assert lines == sample.lines
    assert votes == sample.votes
    assert shares == sample.shares
    turnout = [
        r["share_pct"] for r in parsed.results if r["level"] == "national" and r["line"] == "turnout_pct"
    ]
    assert turnout == ([sample.turnout] if sample.turnout is not None else [])
    for key, rule in sample.set_aside.items():
        assert rule in _rules(parsed, key), (key, [(f.subject, f.rule, f.reason) for f in parsed.set_aside])
    expected_keys = set(sample.set_aside)
    for f in parsed.set_aside:
        assert any(f.option_id == k or f.line == k or k in (f.subject or "") for k in expected_keys), f
        assert f.text and f.reason and f.kind == "result" and f.status == sample.kind
    assert {r["status"] for r in parsed.results} == {sample.kind}


def test_the_samples_score_every_line_right_and_none_guessed():
    totals = [score(s) for s in SAMPLES]
    right, aside, wrong = (sum(t[i] for t in totals) for i in range(3))
    expected = sum(len(s.lines) + len(s.votes) + len(s.shares) for s in SAMPLES)
    assert (right, aside, wrong) == (expected, sum(len(s.set_aside) for s in SAMPLES), 0)


KEYS = {
    "president_2019": "kz-2019-06-09",
    "president_2022": "kz-2022-11-20",
    "mazhilis_2023": "kz-2023-03-19",
    "referendum_2022": "kz-2022-06-05",
    "referendum_2024": "kz-2024-10-06",
}
ITEMS = {
    "Ak_Zhol": "ak_zhol",
    "QHP": "qhp",
    "JSDP": "osdp",
    "participated": "ballots_issued",
    "ballots_received": "ballots_issued",
}


def announced() -> dict[tuple[str, str, str], tuple[int | None, float | None]]:
    from saylau.config import SHARED_DIR

    path = SHARED_DIR / "reference" / "kz_results_2019_2024_national.csv"
    if not path.exists():
        pytest.skip("shared reference data not present")
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["scope"] == "national" and r["election"] in KEYS]
    out = {}
    for r in rows:
        item = ITEMS.get(r["item"], r["item"].lower())
        out[(KEYS[r["election"]], r["stage"], item)] = (
            int(r["count"]) if r["count"] else None,
            float(r["pct"]) if r["pct"] else None,
        )
    return out


def test_national_figures_agree_with_the_announced_totals():
    truth = announced()
    checked = 0
    for sample in SAMPLES:
        _, lines, votes, shares = read(sample)
        for item, value in {**lines, **votes}.items():
            count, _ = truth.get((sample.election_id, sample.kind, item), (None, None))
            if count is not None:
                assert value == count, (sample.name, item)
                checked += 1
        for option, share in shares.items():
            _, pct = truth.get((sample.election_id, sample.kind, option), (None, None))
            if pct is not None:
                assert share == pytest.approx(pct), (sample.name, option)
                checked += 1
    assert checked >= 100
