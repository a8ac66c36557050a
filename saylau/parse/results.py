"""Results communiques: by-region results tables, precinct protocols and commissions' decisions.

The communique's prose is read line by line in :mod:`saylau.parse.result_prose` (re-exported here). Tables
are read by their headers, which are mapped to protocol lines or parties; a header that maps to nothing is a
:class:`LayoutError` naming it, so a changed layout fails loudly instead of staging zeros. A cell that
cannot be read is reported with its row and column (the table's other cells load).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from saylau.parse.numbers import UncertainNumber, parse_count, parse_percent
from saylau.parse.result_prose import (  # noqa: F401  (the prose reader, where callers found it)
    ResultsStatement,
    find_mentions,
    find_parties,
    parse_results_text,
)
from saylau.reference import Resolver, UnknownNameError, default_resolver


class LayoutError(ValueError):
    """A page of a known kind that no longer has the expected shape; says what is missing or unknown."""


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
        if not name or name in {"№", "#", "No."} or (name == "No" and region_column is None):
            continue  # a row-number column ("No" after the region column is a referendum's answer)
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


_CONTEST_PATTERNS = tuple((contest, re.compile(pattern, re.IGNORECASE)) for contest, pattern in _CONTESTS)
_LINE_PATTERNS = tuple((line, re.compile(pattern, re.IGNORECASE)) for line, pattern in _PROTOCOL_LINES)


@lru_cache(maxsize=4096)
def contest_of(caption: str) -> str | None:
    """The contest a caption or title names ("Выборы депутатов городского (районного) маслихата")."""
    for contest, pattern in _CONTEST_PATTERNS:
        if pattern.search(caption):
            return contest
    return None


@lru_cache(maxsize=4096)
def _protocol_line(caption: str) -> str | None:
    """The protocol line a caption names, or None (captions repeat on every precinct's page: cached)."""
    return next((name for name, pattern in _LINE_PATTERNS if pattern.search(caption)), None)


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
        line = _protocol_line(caption)
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
