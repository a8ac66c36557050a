"""Turnout bulletins: the national figure and each region's, from prose, lists or tables.

Real bulletins (see shared reference ``cec_wording.md``) come as one long sentence or one line per region,
with the number after the region ("по Акмолинской области – 72,8%", "Ақмола облысы бойынша – 56,9 пайыз")
or before it ("72.8% in Akmola region"), with abbreviations, three scripts of Kazakh, stray or missing
dashes and missing decimals. Regions are found by name (the resolver's aliases plus the grammatical
patterns of each language) and each is paired with the number written next to it. A region whose number
cannot be paired with certainty is reported in :attr:`Bulletin.problems`, never guessed.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from functools import cache

from saylau.parse.numbers import UncertainNumber, parse_percent
from saylau.reference import Resolver, UnknownNameError, default_resolver

_NATIONAL_PHRASES = (
    r"от\s+общего\s+(?:количества|числа)\s+избирателей",
    r"жалпы\s+санынан",
    r"of\s+(?:all|the\s+total\s+number\s+of)\s+voters",
    r"по\s+республике",
    r"республика\s+бойынша",
    r"nationwide",
    r"across\s+the\s+country",
)
_NATIONAL = re.compile("|".join(_NATIONAL_PHRASES), re.IGNORECASE)

_CLOCK = re.compile(r"(?<![\d,.])([012]?\d)[:.]([0-5]\d)(?![\d%])(?!\s*(?:%|пайыз|процент))")
_HOURS_WORD = re.compile(r"(?<![\d,.])([012]?\d)\s*(?:час\w*|сағат\w*)", re.IGNORECASE)
_DATE_WORDS = (
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йя]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|ноябр\w*|декабр\w*"
    r"|қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*|маусым\w*|шілде\w*|тамыз\w*|қыркүйек\w*|қазан\w*|қараша\w*"
    r"|желтоқсан\w*|january|february|march|april|may|june|july|august|september|october|november|december"
)
_DATE = re.compile(
    rf"(?<!\d)\d{{1,2}}\s+(?:{_DATE_WORDS})|(?:{_DATE_WORDS})\s+\d{{1,2}}(?!\d)", re.IGNORECASE
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_BIG = re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d,.])")
_PERCENT_TOKEN = re.compile(
    r"(?<![\d,.:])(\d{1,3}(?:[.,]\d{1,2})?)(?![\d:])(?:[.,](?!\d))?\s*[-–—]?\s*(%|пайыз\w*|процент\w*|percent|paiyz\w*|payyz\w*)?",
    re.IGNORECASE,
)
# What may stand between a region's name and its number: dashes, colons, spaces, "бойынша", "in", "в", "%".
_CONNECTOR = re.compile(
    r"^(?:[\s\-–—:=]|бойынша|boiynsha|boyynsha|составила|составляет|құрады|is|was|in|the|в|во|по|at|%|пайыз\w*|процент\w*|percent|paiyz\w*|payyz\w*)*$",
    re.IGNORECASE,
)

# Grammatical shapes of region names the alias list may not spell out (misspelt case endings and the like).
_GENERIC_REGION_PATTERNS = (
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?ск(?:ая|ой|ий|ую|ое|ом)\s+(?:област[а-яё]*|обл\.?)",
    r"област[а-яё]*\s+[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+",
    r"[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі-]+(?:\s+[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі-]+)?\s+облысы",
    r"(?!(?:By|In|The|Per|Each|Every|Of|For|This|That|And|Its|Our|Other)\s)[A-Z][a-z-]+(?:\s+[A-Z][a-z-]+)?\s+(?:[Rr]egion|[Oo]blast)",
)


@dataclass(frozen=True)
class RegionFigure:
    region_code: str
    turnout_pct: float
    text: str  # the region's name as written


@dataclass
class Bulletin:
    """What one turnout bulletin states."""

    hour: int | None = None
    minute: int | None = None
    national_pct: float | None = None
    regions: list[RegionFigure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    code: str
    text: str


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    value: float
    text: str


@cache
def _region_pattern(resolver_id: int) -> re.Pattern:
    resolver = _RESOLVERS[resolver_id]
    names = set(resolver.alias_surfaces())
    alternatives = sorted((re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len, reverse=True)
    alias_part = "|".join(alternatives)
    generic_part = "|".join(_GENERIC_REGION_PATTERNS)
    return re.compile(rf"(?<![\w-])(?:{alias_part}|{generic_part})(?![\w-])", re.IGNORECASE)


_RESOLVERS: dict[int, Resolver] = {}


def _pattern_for(resolver: Resolver) -> re.Pattern:
    _RESOLVERS[id(resolver)] = resolver
    return _region_pattern(id(resolver))


def find_regions(text: str, resolver: Resolver | None = None) -> tuple[list[_Mention], list[str]]:
    """Region mentions in reading order, and names that look like regions but resolve to none."""
    resolver = resolver or default_resolver()
    mentions, unknown = [], []
    for m in _pattern_for(resolver).finditer(text):
        surface = m.group(0)
        try:
            code = resolver.region(surface)
        except UnknownNameError:
            code = _resolve_by_trimming(surface, resolver)
            if code is None:
                unknown.append(surface)
                continue
        mentions.append(_Mention(m.start(), m.end(), code, surface))
    return mentions, unknown


def _resolve_by_trimming(surface: str, resolver: Resolver) -> str | None:
    """A generic match may have swallowed a word too many ("Итого Ақмола облысы"): try dropping leading words."""
    words = surface.split()
    for i in range(1, len(words)):
        try:
            return resolver.region(" ".join(words[i:]))
        except UnknownNameError:
            continue
    return None


def _mask(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def find_time(text: str) -> tuple[int | None, int | None]:
    """The bulletin's clock time ("на 10:00", "18.00", "20 часов", "сағат 12:00-дегі", "as of 10:00")."""
    m = _CLOCK.search(text)
    if m and int(m.group(1)) <= 23:
        return int(m.group(1)), int(m.group(2))
    m = _HOURS_WORD.search(text)
    if m and int(m.group(1)) <= 23:
        return int(m.group(1)), 0
    return None, None


def find_percentages(text: str) -> list[_Number]:
    """Numbers that can be shares, with times, dates, years and large counts masked out first."""
    masked = text
    for pattern in (_DATE, _YEAR, _BIG, _CLOCK, _HOURS_WORD):
        masked = _mask(masked, pattern)
    numbers = []
    for m in _PERCENT_TOKEN.finditer(masked):
        try:
            value = parse_percent(m.group(1))
        except UncertainNumber:
            continue
        numbers.append(_Number(m.start(1), m.end(), value, m.group(0).strip()))
    return numbers


def parse_bulletin_text(text: str, resolver: Resolver | None = None) -> Bulletin:
    """Read the time, the national turnout and every region's turnout from a bulletin's text."""
    bulletin = Bulletin()
    bulletin.hour, bulletin.minute = find_time(text)
    mentions, unknown = find_regions(text, resolver)
    bulletin.problems += [f"unknown region name {u!r}" for u in unknown]
    numbers = find_percentages(text)
    used: set[int] = set()

    orientation_votes = {"after": 0, "before": 0}
    candidates = []
    for i, mention in enumerate(mentions):
        lo = mentions[i - 1].end if i > 0 else 0
        hi = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        after = next((n for n in numbers if mention.end <= n.start < hi), None)
        before = next((n for n in reversed(numbers) if lo <= n.start and n.end <= mention.start), None)
        after_ok = after is not None and _CONNECTOR.match(text[mention.end : after.start]) is not None
        before_ok = before is not None and _CONNECTOR.match(text[before.end : mention.start]) is not None
        orientation_votes["after"] += after_ok and not before_ok
        orientation_votes["before"] += before_ok and not after_ok
        candidates.append((mention, after if after_ok else None, before if before_ok else None))
    prefer = "after" if orientation_votes["after"] >= orientation_votes["before"] else "before"

    seen_codes: dict[str, float] = {}
    for mention, after, before in candidates:
        chosen = (after or before) if prefer == "after" else (before or after)
        if chosen is None:
            bulletin.problems.append(f"no number can be read with certainty for {mention.text!r}")
            continue
        if mention.code in seen_codes:
            if seen_codes[mention.code] != chosen.value:
                bulletin.problems.append(
                    f"{mention.code} is given twice with different figures ({seen_codes[mention.code]} and "
                    f"{chosen.value})"
                )
            continue
        seen_codes[mention.code] = chosen.value
        used.add(chosen.start)
        bulletin.regions.append(RegionFigure(mention.code, chosen.value, mention.text))

    bulletin.national_pct = _national_figure(text, numbers, used)
    return bulletin


def _national_figure(text: str, numbers: list[_Number], used: set[int]) -> float | None:
    free = [n for n in numbers if n.start not in used]
    for m in _NATIONAL.finditer(text):
        start, end = m.start(), m.end()

        def distance(n: _Number, start: int = start, end: int = end) -> int:
            return start - n.end if n.end <= start else n.start - end

        near = [n for n in free if 0 <= distance(n) <= 40]
        if near:
            return min(near, key=distance).value
    return None


def parse_bulletin_table(rows: list[list[str]], resolver: Resolver | None = None) -> Bulletin:
    """A bulletin table (any column order or headers): in each row, the cell naming a region and the share.

    Column positions are learnt from the cells' content, so reordered or renamed columns read the same.
    """
    resolver = resolver or default_resolver()
    bulletin = Bulletin()
    for i, cells in enumerate(rows, start=1):
        codes, shares = [], []
        for cell in cells:
            cell = cell.strip()
            if not cell:
                continue
            try:
                codes.append((resolver.region(cell), cell))
                continue
            except UnknownNameError:
                pass
            with contextlib.suppress(UncertainNumber):
                shares.append(parse_percent(cell))
        if not codes:
            if (
                shares
                and _NATIONAL.search(" ".join(cells))
                or any(
                    c.strip().lower()
                    in {"итого", "всего", "барлығы", "total", "республика бойынша", "по республике"}
                    for c in cells
                )
            ):
                bulletin.national_pct = shares[-1] if shares else None
            continue
        if len(shares) != 1:
            bulletin.problems.append(
                f"table row {i} ({codes[0][1]!r}): {len(shares)} share cells, expected one"
            )
            continue
        bulletin.regions.append(RegionFigure(codes[0][0], shares[0], codes[0][1]))
    return bulletin
