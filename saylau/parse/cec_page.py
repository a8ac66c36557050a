"""The CEC page parser: one page version's bytes in, its turnout and results rows out.

Pure: no network, no database (what it must know of the election comes in an :class:`ElectionContext`).
:func:`parse_page` reads the page, decides its kind and hands it to the one parser of that kind:

- a CEC release or act is of the kind its wording says (:func:`saylau.parse.classify.classify_page`):
  :func:`parse_turnout` for a turnout bulletin, :func:`parse_results` for preliminary or final results;
- a territorial commission's document is of the kind its URL says: :func:`parse_protocol` for a precinct's
  protocol, :func:`parse_decision` for a maslikhat decision.

Every parser has one shape, ``(page, parsed, ctx, lang) -> None``: it fills ``parsed.turnout`` /
``parsed.results`` or raises :class:`PageParseError` naming the page and what is missing. Other kinds
(resolutions, unrelated pages) are classified and not parsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from saylau.parse.bulletin import parse_bulletin_table, parse_bulletin_text, settle, turnout_aside
from saylau.parse.classify import PageKind, classify_page
from saylau.parse.district_results import read_district_results
from saylau.parse.numbers import UncertainNumber, parse_count
from saylau.parse.page import LANG_CODES, PageContent, is_commission_document, read_page
from saylau.parse.result_regions import Split, split_region_prose
from saylau.parse.results import (
    LayoutError,
    contest_of,
    parse_protocol_table,
    parse_results_table,
    parse_results_text,
    tec_number,
)
from saylau.parse.setaside import RESULT, SetAside
from saylau.reference import UnknownNameError, default_resolver


class PageParseError(ValueError):
    """A page of a known kind that does not yield the fields it must: names the URL, sha256 and what is missing."""


@dataclass
class ParsedPage:
    url: str
    sha256: str
    election_id: str
    kind: PageKind
    title: str
    lang: str | None
    published: datetime | None
    encoding: str
    turnout: list[tuple[str, datetime, float]] = field(
        default_factory=list
    )  # region ('KZ' = national), as_of, pct
    results: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)  # figures not read with certainty (quarantined)

    @classmethod
    def of(cls, page: PageContent, sha256: str, election_id: str, kind: PageKind) -> ParsedPage:
        """A page version of ``kind`` with what was read of it, and no rows yet."""
        return cls(page.url, sha256, election_id, kind, page.title, page.lang, page.published, page.encoding)


@dataclass(frozen=True)
class ElectionContext:
    """What parsing needs to know of the election: its id, day, regions in use and the mazhilis ballot."""

    election_id: str
    election_date: date
    regions: frozenset[str]
    options: tuple[str, ...]
    contest_id: str = "mazhilis"
    ballots: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (contest, options) of every contest of the day
    share_denominator: str = "valid"  # of the contest's shares: 'valid' votes or all 'ballots_cast'

    def options_of(self, contest_id: str) -> tuple[str, ...]:
        return dict(self.ballots).get(contest_id, ())


Parser = Callable[[PageContent, ParsedPage, ElectionContext, str], None]


def document_kind(url: str) -> PageKind | None:
    """The kind of a territorial commission's document, from its URL; None for any other page."""
    if not is_commission_document(url):
        return None
    return PageKind.PROTOCOL if "/protocols/" in url else PageKind.MASLIKHAT


def parse_page(
    url: str, sha256: str, body: bytes, content_type: str | None, ctx: ElectionContext
) -> ParsedPage:
    """Classify and parse one page version. Raises :class:`PageParseError` on layout drift."""
    page = read_page(url, body, content_type, links=False)
    document = document_kind(url)
    kind = document or classify_page(page.title, page.text, url)
    if document == PageKind.MASLIKHAT and classify_page(page.title, page.text[:600]) == PageKind.DISTRICTS:
        kind = PageKind.DISTRICTS  # a commission's decision on single-member districts' results
    parsed = ParsedPage.of(page, sha256, ctx.election_id, kind)
    # a release worded like a protocol is not parsed as one: document parsers only for documents
    parser = DOCUMENT_PARSERS[kind] if document else RELEASE_PARSERS.get(kind)
    if parser is not None:
        parser(page, parsed, ctx, LANG_CODES.get(page.lang or "", "ru"))
    return parsed


def _fail(parsed: ParsedPage, what: str) -> PageParseError:
    return PageParseError(f"{parsed.url} (sha256 {parsed.sha256}): {parsed.kind.value} page {what}")


def _unit_rows(
    ctx: ElectionContext,
    contest: str,
    level: str,
    unit: str,
    region: str | None,
    status: str,
    as_of: datetime | None,
    lines: dict[str, int],
    votes: dict[str, int],
    shares: dict[str, float] | None = None,
    turnout_pct: float | None = None,
) -> list[dict]:
    """The staging rows of one unit's figures: its protocol lines, each option's votes and share, its turnout."""

    def row(line: str, option: str | None, value: int | None = None, share: float | None = None) -> dict:
        return {
            "election_id": ctx.election_id,
            "contest_id": contest,
            "level": level,
            "unit_id": unit,
            "region_code": region,
            "line": line,
            "option_id": option,
            "value": value,
            "share_pct": share,
            "status": status,
            "as_of": as_of,
        }

    rows = [row(line, None, value=v) for line, v in lines.items()]
    rows += [row("votes", o, value=v) for o, v in votes.items()]
    rows += [row("share", o, share=s) for o, s in (shares or {}).items()]
    if turnout_pct is not None:
        rows.append(row("turnout_pct", None, share=turnout_pct))
    return rows


# --- a CEC turnout bulletin -------------------------------------------------------------------------------


def parse_turnout(page: PageContent, parsed: ParsedPage, ctx: ElectionContext, lang: str) -> None:
    """A turnout bulletin, figure by figure: the hour, the national figure and the regions', from prose and
    tables alike. Every figure read with certainty is staged; every other one is set aside (``set_aside``,
    quarantine.cec_figures) with the text around it and why. The page fails only when it states no time,
    or when nothing in it can be read."""
    prose = parse_bulletin_text(page.text, title=page.title, on=ctx.election_date, regions=ctx.regions)
    tables = [parse_bulletin_table(table, on=ctx.election_date) for table in page.tables]
    figures, twice = settle(prose.regions + [r for t in tables for r in t.regions])
    set_aside = prose.set_aside + [f for t in tables for f in t.set_aside] + twice
    strays = [f for f in figures if f.region_code not in ctx.regions]
    set_aside += [
        turnout_aside(
            f.context or f.text,
            f"region {f.region_code} did not exist on {ctx.election_date}",
            f.text,
            "region_not_on_date",
            f.region_code,
            f.turnout_pct,
        )
        for f in strays
    ]
    figures = [f for f in figures if f.region_code in ctx.regions]
    national = prose.national_pct
    national = (
        national
        if national is not None
        else next((t.national_pct for t in tables if t.national_pct is not None), None)
    )
    if prose.hour is None:
        raise _fail(parsed, "states no time")
    if national is None and not figures:
        reasons = "; ".join(f.reason for f in set_aside)
        raise _fail(
            parsed, "has nothing that can be read with certainty" + (f": {reasons}" if reasons else "")
        )
    as_of = datetime.combine(ctx.election_date, datetime.min.time()) + timedelta(
        hours=prose.hour, minutes=prose.minute or 0
    )
    if national is not None:
        parsed.turnout.append(("KZ", as_of, national))
    parsed.turnout += sorted((f.region_code, as_of, f.turnout_pct) for f in figures)
    parsed.set_aside += [replace(f, as_of=as_of) for f in set_aside]
    missing = sorted(ctx.regions - {f.region_code for f in figures})
    if missing:
        parsed.problems.append(f"no figure for {', '.join(missing)}")
    parsed.problems += [f.reason for f in set_aside]


# --- a CEC results communique (preliminary or final) ----------------------------------------------------


def parse_results(page: PageContent, parsed: ParsedPage, ctx: ElectionContext, lang: str) -> None:
    """A results communique, line by line: national figures in prose, regions' in tables.

    Every line read with certainty loads; every other one is set aside (``parsed.set_aside``) with the text
    around it and why, and the page's other lines load. The page fails only when nothing in it can be read,
    or when a table's layout changed (a header that names nothing known).
    """
    status = "preliminary" if parsed.kind == PageKind.PRELIMINARY else "final"
    as_of = page.published  # the communique's own publication time (local), which tells versions apart
    contest = ctx.contest_id
    how = dict(
        options=ctx.options or None,
        election_id=ctx.election_id,
        referendum=contest == "referendum",
        share_denominator=ctx.share_denominator,
    )
    prose = split_region_prose(page.title + "\n" + page.text, lang, ctx.election_date, **how)
    statement = parse_results_text(prose.national_text, lang, **how)
    aside = _asides(parsed, ctx, status, as_of)
    for a in statement.set_aside:
        aside(
            a.text, a.reason, a.rule, a.subject, "national", "KZ", a.line, a.option_id, a.value, a.share_pct
        )
    rows = _unit_rows(
        ctx,
        contest,
        "national",
        "KZ",
        None,
        status,
        as_of,
        statement.lines,
        statement.votes,
        statement.shares,
        statement.turnout_pct,
    )
    rows += _region_prose_rows(prose, ctx, status, as_of, aside)
    for table in page.tables:
        try:
            regions, problems = parse_results_table(table, lang)
        except LayoutError as exc:
            raise _fail(parsed, f"has a results table whose layout changed: {exc}") from exc
        for problem in problems:
            aside(problem, problem, "unreadable_cell", None, "region")
        for r in regions:
            code = r.region_code
            if code not in ctx.regions:
                aside(
                    f"row {code}",
                    f"region {code} did not exist on {ctx.election_date}",
                    "region_not_on_date",
                    code,
                    "region",
                    code,
                )
                continue
            for figures, line in ((r.votes, "votes"), (r.shares, "share")):
                for option in sorted(set(figures) - set(ctx.options or figures)):
                    value = figures.pop(option)
                    aside(
                        f"{code}: {option} {value}",
                        f"{option} is not on the {contest} ballot",
                        "not_on_ballot",
                        option,
                        "region",
                        code,
                        line,
                        option,
                        value if line == "votes" else None,
                        value if line == "share" else None,
                    )
            rows += _unit_rows(
                ctx, contest, "region", code, code, status, as_of, r.lines, r.votes, r.shares, r.turnout_pct
            )
    rows = _without_twice_stated(rows, aside)
    if not rows:
        reasons = "; ".join(f.reason for f in parsed.set_aside) or "no line names a figure"
        raise _fail(parsed, f"states no line that can be read with certainty: {reasons}")
    national = {(r["line"], r["option_id"]) for r in rows if r["level"] == "national"}
    missing = [o for o in ctx.options if ("votes", o) not in national and ("share", o) not in national]
    if status == "final":
        missing += [x for x in ("registered", "ballots_issued") if (x, None) not in national]
    if missing:
        parsed.problems.append("no national line for " + ", ".join(missing))
    parsed.results = rows


def _region_prose_rows(
    prose: Split, ctx: ElectionContext, status: str, as_of: datetime | None, aside
) -> list[dict]:
    """The rows of the regions' results written in prose; their uncertain lines set aside by region."""
    rows = []
    for r in prose.regions:
        s = r.statement
        for a in s.set_aside:
            aside(
                a.text,
                a.reason,
                a.rule,
                a.subject,
                "region",
                r.code,
                a.line,
                a.option_id,
                a.value,
                a.share_pct,
            )
        if r.code is None:
            continue
        if r.code not in ctx.regions:
            aside(r.name, f"region {r.code} did not exist on {ctx.election_date}", "region_not_on_date", r.name,
                  "region", r.code)  # fmt: skip
            continue
        rows += _unit_rows(
            ctx,
            ctx.contest_id,
            "region",
            r.code,
            r.code,
            status,
            as_of,
            s.lines,
            s.votes,
            s.shares,
            s.turnout_pct,
        )
    return rows


def _without_twice_stated(rows: list[dict], aside) -> list[dict]:
    """One row per figure of the page: the same figure stated twice (a region in prose and in a table) is one;
    two different values for one figure are a conflict, and neither is taken."""
    by: dict[tuple, list[dict]] = {}
    for r in rows:
        by.setdefault((r["level"], r["unit_id"], r["line"], r["option_id"]), []).append(r)
    out = []
    for (level, unit, line, option), rs in by.items():
        values = {(r["value"], r["share_pct"]) for r in rs}
        if len(values) == 1:
            out.append(rs[0])
            continue
        for r in rs:
            aside(f"{unit}: {option or line} {r['value'] if r['value'] is not None else r['share_pct']}",
                  f"{unit} {option or line} is stated with different figures on one page: neither is taken",
                  "named_twice_different", option or line, level, unit, line, option, r["value"], r["share_pct"])  # fmt: skip
    return out


def _asides(parsed: ParsedPage, ctx: ElectionContext, status: str, as_of: datetime | None):
    """A function setting one result line of the page aside (``parsed.set_aside``)."""

    def aside(
        text: str,
        reason: str,
        rule: str,
        subject: str | None = None,
        level: str | None = None,
        unit_id: str | None = None,
        line: str | None = None,
        option_id: str | None = None,
        value: int | None = None,
        share_pct: float | None = None,
    ) -> None:
        parsed.set_aside.append(
            SetAside(
                RESULT,
                text,
                reason,
                subject,
                as_of,
                ctx.contest_id,
                rule=rule,
                level=level,
                unit_id=unit_id,
                line=line,
                option_id=option_id,
                value=value,
                share_pct=share_pct,
                status=status,
            )
        )

    return aside


# --- a territorial commission's documents ---------------------------------------------------------------


_PEC = re.compile(r"PEC=(\d+)")


def _commission_region(url: str) -> str:
    return "KZ-" + re.search(r"/territorial/(\d{2})/", url).group(1)


def parse_protocol(page: PageContent, parsed: ParsedPage, ctx: ElectionContext, lang: str) -> None:
    """A precinct's protocol page: one table per contest, each under a heading naming the contest."""
    region = _commission_region(parsed.url)
    pec = f"{region}/{int(_PEC.search(parsed.url).group(1))}"
    if not page.tables:
        raise _fail(parsed, "has no protocol table")
    for caption, table in zip(page.table_captions, page.tables, strict=True):
        contest = contest_of(caption)
        if contest is None or contest not in dict(ctx.ballots):
            raise _fail(parsed, f"has a table under {caption!r}, which names no contest of {ctx.election_id}")
        try:
            lines, votes = parse_protocol_table(table, lang)
        except LayoutError as exc:
            raise _fail(parsed, f"has a protocol table whose layout changed: {exc}") from exc
        stray = sorted(set(votes) - set(ctx.options_of(contest)))
        if stray or "registered" not in lines:
            raise _fail(
                parsed,
                f"({contest}) "
                + (
                    f"names options not on the ballot: {stray}"
                    if stray
                    else "gives no number of registered voters"
                ),
            )
        parsed.results += _unit_rows(ctx, contest, "pec", pec, region, "final", page.published, lines, votes)


_PARTY_HEADER = re.compile(r"парти|party|наименование|атауы|name", re.IGNORECASE)
_VOTES_HEADER = re.compile(r"голос|дауыс|votes?\b", re.IGNORECASE)


def _decision_columns(header: list[str]) -> tuple[int | None, int | None]:
    """Which column of a decision's table names the party and which counts its votes (shares are not votes)."""
    party = next((i for i, h in enumerate(header) if _PARTY_HEADER.search(h) and "%" not in h), None)
    votes = next((i for i, h in enumerate(header) if _VOTES_HEADER.search(h) and "%" not in h), None)
    return party, votes


def parse_decision(page: PageContent, parsed: ParsedPage, ctx: ElectionContext, lang: str) -> None:
    """A territorial commission's decision on maslikhat results: totals in prose, votes in a party table."""
    region = _commission_region(parsed.url)
    contest = contest_of(page.title) or contest_of(page.text)
    if contest is None or contest not in dict(ctx.ballots):
        raise _fail(parsed, "names no contest of the election in its title")
    number = tec_number(page.text)
    level, unit = ("tec", f"{region}/T{number}") if number is not None else ("region", region)
    statement = parse_results_text(page.text, lang, options=ctx.options_of(contest) or None)
    ctx_of = ElectionContext(
        ctx.election_id, ctx.election_date, ctx.regions, ctx.options_of(contest), contest
    )
    aside = _asides(parsed, ctx_of, "final", page.published)
    votes: dict[str, int] = {}
    for table in page.tables:
        party_col, votes_col = _decision_columns(table[0])
        if party_col is None or votes_col is None:
            raise _fail(parsed, f"has a results table whose layout changed: headers {table[0]}")
        for row in table[1:]:
            if max(party_col, votes_col) >= len(row):
                continue
            try:
                option = default_resolver().party(row[party_col])
                votes[option] = parse_count(row[votes_col], lang)
            except (UnknownNameError, UncertainNumber) as exc:
                rule = "unknown_name" if isinstance(exc, UnknownNameError) else "uncertain_number"
                aside(" | ".join(row), str(exc), rule, row[party_col], level, unit, "votes")
    if not votes:
        reasons = "; ".join(f.reason for f in parsed.set_aside) or "no party table"
        raise _fail(parsed, f"states no party's votes that can be read with certainty: {reasons}")
    missing = [x for x in ("registered", "ballots_issued") if x not in statement.lines]
    missing += [f"votes for {o}" for o in ctx.options_of(contest) if o not in votes]
    if missing:
        parsed.problems.append("no line for " + ", ".join(missing))
    parsed.results += _unit_rows(
        ctx, contest, level, unit, region, "final", page.published, statement.lines, votes
    )


# --- results of single-member districts ------------------------------------------------------------------


def parse_districts(page: PageContent, parsed: ParsedPage, ctx: ElectionContext, lang: str) -> None:
    """A page of single-member districts' results (a CEC release or a commission's decision): per district
    its lines and each candidate's votes (:mod:`saylau.parse.district_results`); every figure not read with
    certainty set aside. Fails when the page names no single-member contest of the election or no district
    that can be read."""
    region = _commission_region(parsed.url) if is_commission_document(parsed.url) else None
    read = read_district_results(
        page.title, page.text, page.tables, page.table_captions, ctx.election_id, lang, region
    )
    if read.contest_id is None or (ctx.ballots and read.contest_id not in dict(ctx.ballots)):
        raise _fail(parsed, f"names no single-member contest of {ctx.election_id}")
    status = (
        "preliminary" if re.search(r"предварительн|алдын\s+ала|preliminary", page.title, re.I) else "final"
    )
    parsed.set_aside += [replace(a, as_of=page.published, status=status) for a in read.set_aside]
    parsed.problems += [a.reason for a in read.set_aside]
    for d in read.districts:
        stray = sorted(set(d.votes) - set(ctx.options_of(d.contest_id) or d.votes))
        if stray:
            raise _fail(parsed, f"({d.district_id}) names options not on the ballot: {stray}")
        parsed.results += _unit_rows(
            ctx,
            d.contest_id,
            "district",
            d.district_id,
            d.region_code,
            status,
            page.published,
            d.lines,
            d.votes,
        )
    if not parsed.results:
        reasons = "; ".join(a.reason for a in read.set_aside) or "no district heading with figures"
        raise _fail(parsed, f"states no district's figure that can be read with certainty: {reasons}")


# The parser of each kind of page that yields rows: a CEC release by its wording, a commission's document by
# its URL (see :func:`parse_page`).
RELEASE_PARSERS: dict[PageKind, Parser] = {
    PageKind.TURNOUT: parse_turnout,
    PageKind.PRELIMINARY: parse_results,
    PageKind.FINAL: parse_results,
    PageKind.DISTRICTS: parse_districts,
}
DOCUMENT_PARSERS: dict[PageKind, Parser] = {
    PageKind.PROTOCOL: parse_protocol,
    PageKind.MASLIKHAT: parse_decision,
    PageKind.DISTRICTS: parse_districts,
}
