"""Results communiques: national figures in prose, and by-region results tables.

Prose gives the protocol lines as sentences ("в списки избирателей включено 11 919 241", "бюллетени
получили 7 539 280", "недействительными признаны 297 718") and each party with its votes and share
("«Nur Otan» – 5 148 074 голосов (71,09%)"); preliminary communiques give shares only. Tables are read
by their headers, which are mapped to protocol lines or parties; a header that maps to nothing is a
:class:`LayoutError` naming it, so a changed layout fails loudly instead of staging zeros.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from saylau.parse.numbers import UncertainNumber, parse_count, parse_percent
from saylau.reference import Resolver, UnknownNameError, default_resolver

LINE_LABELS: dict[str, str] = {
    "registered": r"тізіміне|voters\s+on\s+the\s+lists?|включен\w*|внесен\w*|в\s+списк\w*|тізім\w*\s+енгізіл\w*|енгізілген|included\s+in(?:to)?\s+the"
    r"\s+(?:voter\s+)?lists?|registered|избирател\w+\s+в\s+списк\w*|тізімдегі",
    "ballots_issued": r"получил\w*\s+(?:избирательн\w+\s+)?бюллетен\w*|бюллетен\w*\s+получил\w*|бюллетен\w*[^.,;]{0,40}?\sалд[ыі]\w*|"
    r"бюллетень\s+алған|received\s+(?:the\s+)?ballot\w*|ballots?\s+(?:were\s+)?issued|выдано|берілген",
    "invalid": r"недействительн\w*|жарамсыз\w*|invalid|испорчен\w*",
    "valid": r"(?<![Нн]е)(?<!не\s)действительн\w*|(?<!\w)жарамды\w*|(?<![Ii]n)valid",
}
_LABELS = {line: re.compile(pattern, re.IGNORECASE) for line, pattern in LINE_LABELS.items()}
_TURNOUT_LABEL = re.compile(r"явк\w*|turnout|сайлауға\s+қатысу\w*|қатысқан", re.IGNORECASE)

_SP = "[ \u00a0\u2009\u202f]"
_NUMBER = re.compile(
    rf"\d{{1,3}}\s*(?:млн\.?|миллион\w*)\s*(?:\d{{1,3}}\s*(?:тысяч\w*|тыс\.?))?\s*\d{{0,3}}"
    rf"|\d{{1,3}}(?:{_SP}\d{{3}})+(?![\d])"
    rf"|\d{{1,3}}(?:,\d{{3}})+(?![\d.,]*%)"
    rf"|\d+(?:[.,]\d+)?(?:{_SP}?%)?",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r";|\n|\.(?=\s+[\dA-ZА-ЯЁӘҒҚҢӨҰҮҺІ«\"])|\.$")
# Within a sentence, ", " (comma and space) and " и " / " and " separate figures: thousands commas in English
# copies and decimal commas never have a space after them.
_SUBCLAUSE_END = re.compile(r",\s|\s(?:и|а\s+также|and|және)\s|:\s")


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause: sentences split further at ", " and conjunctions."""
    spans, start = [], 0
    for m in [*_CLAUSE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        sub_start = start
        for sub in _SUBCLAUSE_END.finditer(text, start, end):
            spans.append((sub_start, sub.start()))
            sub_start = sub.end()
        spans.append((sub_start, end))
        start = m.end() if m else len(text)
    return [(a, b) for a, b in spans if b > a]


_SEATS = re.compile(r"мандат|seats?\b|орын\w*|депутаттық\s+мандат", re.IGNORECASE)


def _sentence_of(text: str, position: int) -> str:
    """The sentence around a position (from the previous to the next sentence end or line break)."""
    start = max(
        text.rfind("\n", 0, position),
        max((m.end() for m in _SENTENCE_END.finditer(text, 0, position)), default=0),
    )
    end_match = _SENTENCE_END.search(text, position)
    newline = text.find("\n", position)
    ends = [e for e in (end_match.start() if end_match else -1, newline) if e >= 0]
    return text[max(start, 0) : min(ends) if ends else len(text)]


_SENTENCE_END = re.compile(r"\.(?=\s+[\dA-ZА-ЯЁӘҒҚҢӨҰҮҺІ«\"])")


class LayoutError(ValueError):
    """A page of a known kind that no longer has the expected shape; says what is missing or unknown."""


@dataclass
class ResultsStatement:
    """What one results communique states nationally (or for one unit)."""

    lines: dict[str, int] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    turnout_pct: float | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    is_percent: bool


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _NUMBER.finditer(text):
        raw = m.group(0).strip()
        after = text[m.end() : m.end() + 12]
        is_percent = raw.endswith("%") or bool(
            re.match(r"\s*(?:%|пайыз|процент|percent)", after, re.IGNORECASE)
        )
        out.append(_Token(m.start(), m.end(), raw, is_percent))
    return out


@cache
def _party_pattern(resolver_id: int) -> re.Pattern:
    resolver = _RESOLVERS[resolver_id]
    names = sorted(resolver.party_alias_surfaces(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


_RESOLVERS: dict[int, Resolver] = {}


def find_parties(text: str, resolver: Resolver) -> list[tuple[int, int, str, str]]:
    """(start, end, party_id, surface) of every party or candidate named in the text."""
    _RESOLVERS[id(resolver)] = resolver
    found = []
    for m in _party_pattern(id(resolver)).finditer(text):
        found.append((m.start(), m.end(), resolver.party(m.group(0)), m.group(0)))
    return found


def parse_results_text(text: str, lang: str = "ru", resolver: Resolver | None = None) -> ResultsStatement:
    """Protocol lines, each party's votes and share, and the turnout, from a communique's prose."""
    resolver = resolver or default_resolver()
    result = ResultsStatement()
    parties = find_parties(text, resolver)

    # protocol lines and turnout: clause by clause, in the clauses that name no party
    party_spans = [(a, b) for a, b, _, _ in parties]
    previous = None
    for start, end in _clauses(text):
        if not any(start <= a < end for a, _ in party_spans):
            previous = _read_clause(text[start:end], lang, result, previous)

    # parties: the numbers written after each name, up to the next name or the end of its clause;
    # a sentence about seats ("Мандаты распределены: Nur Otan – 76") names parties again and is not votes
    for i, (p_start, p_end, party_id, surface) in enumerate(parties):
        if _SEATS.search(_sentence_of(text, p_start)):
            continue
        limit = parties[i + 1][0] if i + 1 < len(parties) else len(text)
        clause_end = _CLAUSE_END.search(text, p_end, limit)
        segment = text[p_end : clause_end.start() if clause_end else limit]
        counts, shares = [], []
        for token in _tokens(segment):
            try:
                if token.is_percent:
                    shares.append(parse_percent(token.text))
                else:
                    counts.append(parse_count(token.text, lang))
            except UncertainNumber as exc:
                result.problems.append(f"{surface!r}: {exc}")
        if party_id in result.votes or party_id in result.shares:
            result.problems.append(f"{surface!r} ({party_id}) is named twice")
            continue
        if counts:
            result.votes[party_id] = counts[0]
        if shares:
            result.shares[party_id] = shares[0]
        if not counts and not shares:
            result.problems.append(f"no figure can be read with certainty for {surface!r}")
    return result


def _read_clause(clause: str, lang: str, result: ResultsStatement, previous: str | None) -> str | None:
    """Read one clause into ``result``; returns the protocol line it gave (for "..., что составляет 63,25%")."""
    tokens = _tokens(clause)
    counts = [t for t in tokens if not t.is_percent]
    percents = [t for t in tokens if t.is_percent]
    labels = []
    for line, pattern in _LABELS.items():
        m = pattern.search(clause)
        if m:
            labels.append((m.start(), m.end(), line))
    if _TURNOUT_LABEL.search(clause) and percents and result.turnout_pct is None:
        try:
            result.turnout_pct = parse_percent(percents[0].text)
        except UncertainNumber as exc:
            result.problems.append(str(exc))
    if not labels and not counts and len(percents) == 1 and previous == "ballots_issued":
        if result.turnout_pct is None:
            result.turnout_pct = parse_percent(percents[0].text)
        return None
    if not labels or not counts:
        return None
    if len(labels) > 1 or len(counts) > 1:
        lines = ", ".join(sorted(line for _, _, line in labels))
        result.problems.append(f"clause {clause.strip()!r} names {lines} with {len(counts)} counts: not read")
        return None
    line = labels[0][2]
    if line in result.lines:
        return None
    try:
        result.lines[line] = parse_count(counts[0].text, lang)
    except UncertainNumber as exc:
        result.problems.append(f"{line}: {exc}")
        return None
    if line == "ballots_issued" and percents and result.turnout_pct is None:
        result.turnout_pct = parse_percent(percents[0].text)
    return line


# --- tables -------------------------------------------------------------------------------------------

_HEADER_LINES = {
    "region": r"^(?:регион|область|облыс|өңір|region|oblast|наименование|атауы|territory|территория)\b",
    "registered": r"избирател\w*\s+в\s+списк|в\s+списк|включен|тізім|registered|on\s+the\s+lists?"
    r"|^число\s+избирателей$|^сайлаушылар\s+саны$",
    "ballots_issued": r"получил|бюллетень\s+алған|алды|received|issued|выдано|берілген",
    "turnout_pct": r"явк|turnout|қатысу",
    "invalid": r"недействительн|жарамсыз|invalid",
    "valid": r"^(?!.*не).*действительн|^жарамды|^valid",
}


@dataclass
class TableLayout:
    """How a results table's columns map: column index -> ('line', name) or ('party', id) (+ share or count)."""

    columns: dict[int, tuple[str, str, bool]]
    region_column: int


def read_results_header(header: list[str], resolver: Resolver | None = None) -> TableLayout:
    """Map every header cell to a protocol line or a party; an unknown header is a :class:`LayoutError`."""
    resolver = resolver or default_resolver()
    columns: dict[int, tuple[str, str, bool]] = {}
    region_column = None
    unknown = []
    for i, cell in enumerate(header):
        name = re.sub(r"\s+", " ", cell).strip()
        if not name or name in {"№", "#", "No", "No."}:
            continue
        is_share = "%" in name or bool(re.search(r"процент|пайыз|share", name, re.IGNORECASE))
        bare = re.sub(
            r"\(?\s*(?:%|голос\w*|дауыс\w*|votes?)\s*\)?|,\s*$", "", name, flags=re.IGNORECASE
        ).strip(" ,")
        matched = None
        for line, pattern in _HEADER_LINES.items():
            if re.search(pattern, name, re.IGNORECASE):
                matched = line
                break
        if matched == "region":
            region_column = i
            continue
        if matched == "turnout_pct":
            columns[i] = ("turnout", "turnout_pct", True)
            continue
        if matched:
            columns[i] = ("line", matched, is_share)
            continue
        try:
            columns[i] = ("party", resolver.party(bare), is_share)
        except UnknownNameError:
            unknown.append(name)
    if unknown:
        raise LayoutError(f"unknown column header(s) {unknown}")
    if region_column is None:
        raise LayoutError(f"no region column among headers {header}")
    return TableLayout(columns, region_column)


@dataclass
class RegionResult:
    region_code: str
    lines: dict[str, int] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    turnout_pct: float | None = None


def parse_results_table(
    rows: list[list[str]], lang: str = "ru", resolver: Resolver | None = None
) -> tuple[list[RegionResult], list[str]]:
    """A by-region results table (first row the header) -> one result per region, and problems found."""
    resolver = resolver or default_resolver()
    layout = read_results_header(rows[0], resolver)
    results, problems = [], []
    for n, cells in enumerate(rows[1:], start=2):
        if layout.region_column >= len(cells):
            problems.append(f"row {n}: too few cells")
            continue
        name = cells[layout.region_column].strip()
        if re.match(
            r"^(?:итого|всего|барлығы|total|республика|по республике|қазақстан)", name, re.IGNORECASE
        ):
            continue
        try:
            code = resolver.region(name)
        except UnknownNameError as exc:
            problems.append(f"row {n}: {exc}")
            continue
        item = RegionResult(code)
        for i, (kind, key, is_share) in layout.columns.items():
            cell = cells[i].strip() if i < len(cells) else ""
            if not cell:
                continue
            try:
                if kind == "turnout":
                    item.turnout_pct = parse_percent(cell)
                elif is_share:
                    item.shares[key] = parse_percent(cell)
                elif kind == "line":
                    item.lines[key] = parse_count(cell, lang)
                else:
                    item.votes[key] = parse_count(cell, lang)
            except UncertainNumber as exc:
                problems.append(f"row {n} ({name}), column {rows[0][i]!r}: {exc}")
        results.append(item)
    return results, problems


# --- commissions' own documents ------------------------------------------------------------------------

_CONTESTS = (
    (
        "maslikhat_regional",
        r"областн\w*\s+маслихат|облыстық\s+мәслихат|regional\s+(?:\(oblast\)\s+)?maslikhat"
        r"|oblast\s+maslikhat",
    ),
    (
        "maslikhat_city",
        r"городск\w*\s+\(районн\w*\)\s+маслихат|городск\w*\s+маслихат|районн\w*\s+маслихат"
        r"|қалалық\s+\(аудандық\)\s+мәслихат|қалалық\s+мәслихат|аудандық\s+мәслихат"
        r"|city\s+(?:\(district\)\s+)?maslikhat|district\s+maslikhat",
    ),
    ("mazhilis", r"мажилис|мәжіліс|mazhilis"),
)

_PROTOCOL_LINES = (
    (
        "registered",
        r"внесенн\w*\s+в\s+списк|включенн\w*\s+в\s+списк|енгізілген|included\s+in(?:to)?\s+the\s+lists?",
    ),
    ("ballots_received", r"полученн\w*\s+комисси|комиссия\s+алған|received\s+by\s+the\s+commission"),
    ("ballots_issued", r"получивш\w*\s+бюллетен|бюллетень\s+алған|who\s+received\s+ballots?"),
    ("ballots_cancelled", r"погашенн|өтелген|cancel+ed"),
    ("ballots_in_boxes", r"в\s+ящик|жәшіктердегі|in\s+the\s+(?:ballot\s+)?boxes"),
    ("invalid", r"недействительн|жарамсыз|invalid"),
    ("valid", r"действительн|жарамды|valid"),
)


def contest_of(caption: str) -> str | None:
    """The contest a caption or title names ("Выборы депутатов городского (районного) маслихата")."""
    for contest, pattern in _CONTESTS:
        if re.search(pattern, caption, re.IGNORECASE):
            return contest
    return None


def parse_protocol_table(
    rows: list[list[str]], lang: str = "ru", resolver: Resolver | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """A protocol table (line number, caption, value) -> (protocol lines, votes per option).

    A caption that is neither a known protocol line nor a party on any ballot is a :class:`LayoutError`.
    """
    resolver = resolver or default_resolver()
    lines: dict[str, int] = {}
    votes: dict[str, int] = {}
    for n, cells in enumerate(rows, start=1):
        cells = [c for c in cells if c.strip()]
        if len(cells) < 2:
            continue
        caption, value = cells[-2], cells[-1]
        line = next(
            (name for name, pattern in _PROTOCOL_LINES if re.search(pattern, caption, re.IGNORECASE)), None
        )
        try:
            count = parse_count(value, lang)
        except UncertainNumber as exc:
            raise LayoutError(f"protocol row {n} ({caption!r}): {exc}") from exc
        if line:
            if line in lines:
                raise LayoutError(f"protocol row {n}: {caption!r} repeats line {line}")
            lines[line] = count
            continue
        try:
            option = resolver.party(caption)
        except UnknownNameError as exc:
            raise LayoutError(f"protocol row {n}: unknown line {caption!r}") from exc
        votes[option] = count
    return lines, votes


_TEC_NUMBER = re.compile(
    r"(?:территориальн\w*\s+избирательн\w*\s+комисси\w*|аумақтық\s+сайлау\s+комиссиясы"
    r"|territorial\s+election\s+commission)\s*(?:№|No\.?|N)\s*(\d+)",
    re.IGNORECASE,
)


def tec_number(text: str) -> int | None:
    """The territorial commission's number a decision names ("Территориальная избирательная комиссия № 3")."""
    m = _TEC_NUMBER.search(text)
    return int(m.group(1)) if m else None
