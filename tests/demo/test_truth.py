"""The parser scored on the CEC double's ground truth (demo.truth): every certain figure right, every
uncertain one set aside, none guessed, for every election the double serves, in every language, on tidy
pages and on pages with the noise of real copies (demo.noise)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest

from demo.clock import CAPITAL, SimClock
from demo.later_figures import LATER, regional
from demo.noise import Noise
from demo.site import DemoSite
from demo.truth import Figure, page_truth
from saylau.parse.cec_page import ElectionContext, PageParseError, parse_page
from saylau.reference import REFERENCE_DATA_DIR, default_resolver

ELECTIONS = ("kz-2021-01-10", "kz-2022-11-20", "kz-2023-03-19", "kz-2024-10-06")
LANGS = ("rus", "kaz", "eng")
AFTER_ALL = datetime(2024, 12, 1, tzinfo=CAPITAL)


def context(election_id: str) -> ElectionContext:
    """What the pipeline knows of an election, from the packaged reference data (as staging builds it)."""
    with (REFERENCE_DATA_DIR / "elections.csv").open(encoding="utf-8") as f:
        day = date.fromisoformat(next(r for r in csv.DictReader(f) if r["election_id"] == election_id)["election_date"])  # fmt: skip
    with (REFERENCE_DATA_DIR / "ballot_options.csv").open(encoding="utf-8") as f:
        options: dict[str, list[str]] = {}
        for r in csv.DictReader(f):
            if r["election_id"] == election_id:
                options.setdefault(r["contest_id"], []).append(r["option_id"])
    ballots = tuple(sorted((c, tuple(sorted(o))) for c, o in options.items()))
    contest = {"kz-2022-11-20": "president", "kz-2024-10-06": "referendum"}.get(election_id, "mazhilis")
    regions = frozenset(c for c, r in default_resolver().regions.items() if r.exists_on(day))
    return ElectionContext(election_id, day, regions, dict(ballots)[contest], contest, ballots)


@dataclass
class Score:
    right: int = 0
    set_aside: int = 0
    missed: list[str] = field(default_factory=list)  # certain figures not read
    wrong: list[str] = field(default_factory=list)  # certain figures read with another value
    guessed: list[str] = field(
        default_factory=list
    )  # figures read that the page does not state with certainty
    dropped: list[str] = field(default_factory=list)  # uncertain figures neither read nor set aside
    failed_pages: list[str] = field(default_factory=list)
    by_noise: Counter = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        for name in ("right", "set_aside"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("missed", "wrong", "guessed", "dropped", "failed_pages"):
            getattr(self, name).extend(getattr(other, name))
        self.by_noise.update(other.by_noise)

    @property
    def clean(self) -> bool:
        return not (self.missed or self.wrong or self.guessed or self.dropped)

    def report(self) -> str:
        lines = [f"right {self.right}, set aside {self.set_aside}, missed {len(self.missed)}, wrong {len(self.wrong)}, guessed {len(self.guessed)}, dropped silently {len(self.dropped)}"]  # fmt: skip
        for name in ("failed_pages", "missed", "wrong", "guessed", "dropped"):
            items = getattr(self, name)
            if items:
                lines.append(
                    f"{name} ({len(items)}): " + "; ".join(items[:12]) + (" ..." if len(items) > 12 else "")
                )
        if self.by_noise:
            lines.append("not right, by noise kind: " + ", ".join(f"{k or 'tidy'} {v}" for k, v in self.by_noise.most_common()))  # fmt: skip
        return "\n".join(lines)


def _read(parsed) -> dict[tuple, float | int]:
    """What the parser loaded, keyed like :attr:`demo.truth.Figure.key`."""
    got: dict[tuple, float | int] = {}
    for unit, as_of, pct in parsed.turnout:
        got[("bulletin", unit, "turnout_pct", None, as_of)] = pct
    for r in parsed.results:
        if r["level"] not in ("national", "region"):
            continue
        value = r["share_pct"] if r["line"] in ("share", "turnout_pct") else r["value"]
        got[("results", r["unit_id"], r["line"], r["option_id"], None)] = value
    return got


def _mentioned(figure: Figure, set_aside) -> bool:
    """Whether the parser's set-aside figures name this one (by its number as the page prints it)."""
    value = float(figure.value)
    forms = {f"{value:.{d}f}" for d in (0, 1, 2)} | {str(figure.value)}
    forms |= {f.replace(".", ",") for f in forms}
    texts = [re.sub(r"[\s\u00a0\u2009\u202f]", " ", s.text) for s in set_aside]
    return any(re.search(rf"(?<![\d,.]){re.escape(f)}(?![\d])", t) for f in forms for t in texts)


def score_page(site: DemoSite, url: str, ctx: ElectionContext) -> Score:
    truth = page_truth(site, url)
    key = lambda f: f.key if f.kind == "bulletin" else (*f.key[:4], None)  # noqa: E731
    certain = {key(f): f for f in truth if f.certain}
    uncertain = [f for f in truth if not f.certain]
    r = site.respond(url)
    s = Score()
    try:
        parsed = parse_page("http://127.0.0.1" + url, "0" * 64, r.body, dict(r.headers)["Content-Type"], ctx)
        got, set_aside = _read(parsed), list(getattr(parsed, "set_aside", []))
    except PageParseError as exc:
        got, set_aside = {}, []
        s.failed_pages.append(f"{url}: {str(exc)[-160:]}")
    for k, f in certain.items():
        if k not in got:
            s.missed.append(
                f"{url} {k[1]} {k[2]} {k[3] or ''} {f.value} [{f.noise or 'tidy'}: {f.text[:50]!r}]"
            )
            s.by_noise[f.noise] += 1
        elif abs(float(got[k]) - float(f.value)) > 1e-6:
            s.wrong.append(f"{url} {k[1]} {k[2]} {k[3] or ''}: read {got[k]}, states {f.value}")
            s.by_noise[f.noise] += 1
        else:
            s.right += 1
    for k, v in got.items():
        if k not in certain:
            s.guessed.append(f"{url} {k[1]} {k[2]} {k[3] or ''} = {v}")
    for f in uncertain:
        taken = (k := key(f)) in got and abs(float(got[k]) - float(f.value)) < 1e-6
        if not taken and _mentioned(f, set_aside):
            s.set_aside += 1
        elif not taken:
            s.dropped.append(f"{url} {f.unit} {f.value} ({f.reason})")
            s.by_noise[f.noise] += 1
    return s


@pytest.fixture(scope="session")  # not module: xdist may interleave modules and rebuild it
def sites(election):
    every = ELECTIONS
    return {
        name: DemoSite(election, noise=noise, elections=every, clock=SimClock(AFTER_ALL))
        for name, noise in (("tidy", Noise()), ("real", Noise.real()))
    }


def _ids(site: DemoSite, election_id: str) -> set[int]:
    if election_id == "kz-2021-01-10":
        return {i.id for i in site.content.items}
    return {
        i.id
        for i in site.items
        if getattr(getattr(site.contents[i.id], "e", None), "election_id", "") == election_id
    }


# Cases the parser does not read right yet (election, language, noise, pages): what it lacks. Strict: each
# fails loudly once the parser reads it, so the list only shrinks.
XFAIL: dict[tuple[str, str, str, str], str] = {}
PAGES = {"bulletins": ("turnout",), "results": ("preliminary", "final")}

CASES = [
    pytest.param(
        e,
        lang,
        noise,
        pages,
        marks=[pytest.mark.xfail(strict=True, reason=XFAIL[(e, lang, noise, pages)])]
        if (e, lang, noise, pages) in XFAIL
        else [],
    )  # fmt: skip
    for e in ELECTIONS
    for noise in ("tidy", "real")
    for lang in LANGS
    for pages in PAGES
]


def score_case(site: DemoSite, election_id: str, lang: str, pages: str) -> Score:
    """The score of every page of one election, language and kind the site serves."""
    ids = _ids(site, election_id)
    ctx = context(election_id)
    total = Score()
    for url in site.figure_urls():
        item_id = int(url.rsplit("=", 1)[1])
        kind = site.contents[item_id].by_id[item_id].kind
        if url.startswith(f"/{lang}/") and item_id in ids and kind in PAGES[pages]:
            total.add(score_page(site, url, ctx))
    return total


@pytest.mark.parametrize(("election_id", "lang", "noise", "pages"), CASES)
def test_the_parser_reads_what_the_pages_state(sites, election_id, lang, noise, pages):
    total = score_case(sites[noise], election_id, lang, pages)
    assert total.right > 0
    assert total.clean, total.report()


# --- the ground truth itself -----------------------------------------------------------------------------


def test_tidy_2021_pages_state_the_election_s_figures(sites, election):
    site = sites["tidy"]
    known = {(int(h), c): float(v) for h, c, v in election.turnout_bulletins[["hour", "region_code", "turnout_pct"]].itertuples(index=False)}  # fmt: skip
    for item in (i for i in site.content.items if i.kind == "turnout"):
        for lang in LANGS:
            figures = page_truth(site, f"/{lang}/news/releases/index.php?ID={item.id}")
            assert all(f.certain for f in figures)
            assert {f.unit: f.value for f in figures} == {
                c: v for (h, c), v in known.items() if h == item.hour
            }
    final = next(i for i in site.content.items if i.kind == "final")
    national = {(f.line, f.option): f.value for f in page_truth(site, f"/eng/news/releases/index.php?ID={final.id}") if f.unit == "KZ"}  # fmt: skip
    totals = election.official_totals("mazhilis")
    assert national[("votes", "amanat")] == totals["amanat"] == 5_148_074
    assert national[("registered", None)] == totals["registered"]


def test_later_elections_add_up_to_the_published_totals():
    for election_id, e in LATER.items():
        r = regional(election_id, 20210110)
        assert len(r.registered) == 20 and sum(r.registered.values()) == e.registered
        assert sum(r.ballots.values()) == e.ballots and sum(r.invalid.values()) == e.invalid
        for option, votes in e.votes.items():
            assert sum(v[option] for v in r.votes.values()) == votes
    assert LATER["kz-2022-11-20"].valid == 7_940_478 and LATER["kz-2023-03-19"].valid == 6_366_441


def test_noisy_pages_state_uncertain_figures_with_reasons(sites):
    site = sites["real"]
    figures = [f for url in site.figure_urls() for f in page_truth(site, url)]
    kinds = Counter(f.noise for f in figures)
    assert {"typo", "missing_unit", "ambiguous_name", "duplicate_region"} <= set(kinds)
    assert all(f.reason for f in figures if not f.certain)
    assert not [f for f in figures if f.certain and f.unit is None]


def test_the_switches_leave_the_2021_demo_alone(election):
    plain, switched = DemoSite(election), DemoSite(election, elections=ELECTIONS, clock=SimClock())
    for item in plain.content.items:
        url = f"/rus/news/{item.section}/index.php?ID={item.id}"
        assert plain.respond(url).body == switched.respond(url).body
    assert plain.respond("/rus/news/releases/").body == switched.respond("/rus/news/releases/").body
