"""Turnout bulletins: the time, the national figure and each region's, figure by figure, from prose or tables.

Real bulletins and their copies (shared reference ``cec_wording.md``) come as one long sentence or one line per
region, with the number after the region ("по Акмолинской области – 72,8%", "Ақмола облысы бойынша – 56,9
пайыз") or before it ("72.8% in Akmola region"), with abbreviations, case forms and typos in the names, stray,
missing or misplaced units and dashes, and news framing around them: a headline, a dateline naming a city in
capitals ("ASTANA. KAZINFORM –"), a byline and time stamp, a lead sentence, a heading ("Явка по регионам:"),
tags and links.

The text is read item by item (an item ends at a line break, ";", a comma, a sentence's end, ": ", "и" /
"and" / "және"): an item naming one region and stating one share is that region's figure. Framing is masked
first (datelines, tag and byline lines, links, the headline repeated in the text). Every figure that cannot
be paired with certainty is set aside (:class:`saylau.parse.setaside.SetAside`) with the text around it and
why: a name no region bears or as close to two regions (:mod:`saylau.parse.region_names`), a region that did
not exist on the day, a region given twice with two values (neither is taken), a region with no number or
with two. The other figures are read. Nothing is guessed.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date

from saylau.parse.bulletin_masks import Number, blank_not_shares, find_percentages, mask_framing
from saylau.parse.bulletin_time import bulletin_time
from saylau.parse.numbers import UncertainNumber, parse_percent
from saylau.parse.region_names import AMBIGUOUS, FOUND, NOT_ON_DATE, UNKNOWN, Mention, Resolution, matcher
from saylau.parse.setaside import TURNOUT, SetAside, snippet
from saylau.reference import Resolver

_NATIONAL = re.compile(
    r"от\s+общего\s+(?:количества|числа)\s+(?:избирателей|участников)|жалпы\s+санынан"
    r"|of\s+(?:all|the\s+total\s+number\s+of)\s+(?:referendum\s+)?(?:voters|participants|eligible)|по\s+республике"
    r"|по\s+стране|по\s+Казахстану|республика\s+бойынша|ел\s+бойынша|nationwide|across\s+the\s+country"
    r"|national\s+turnout|in\s+the\s+country|countrywide",
    re.IGNORECASE,
)
_TOTAL_WORDS = {"итого", "всего", "барлығы", "total", "республика бойынша", "по республике", "жалпы"}

# --- items ------------------------------------------------------------------------------------------------

_SEPARATOR = re.compile(
    r"\n|;|•|·|\||,(?!\d)|(?<![гГ])(?<!обл)(?<!гор)(?<!\bул)\.(?=\s|$)|:(?=\s)"
    r"|\s(?:и|and|және|а\s+также|as\s+well\s+as)\s",
    re.IGNORECASE,
)
# What may stand between a region's name and its number, or around them in an item.
_CONNECTOR_WORDS = (
    r"бойынша|boiynsha|boyynsha|составила|составляет|составил|достигла|құрады|болды|is|was|stood|reached"
    r"|amounted|to|in|the|at|в|во|по|на|явка|turnout|қатысу\w*|%|пайыз\w*|процент\w*|percent|paiyz\w*|payyz\w*"
)
_CONNECTOR = re.compile(rf"^(?:[ \t\-–—:=(),]|(?:{_CONNECTOR_WORDS})(?![\w]))*$", re.IGNORECASE)
_CONNECTOR_WORD = re.compile(rf"(?<![\w])(?:{_CONNECTOR_WORDS})(?![\w])|[-–—:=()%*•·]", re.IGNORECASE)
# words of headings and lead sentences: an item whose leftover words have one names no region
_NOT_A_NAME = re.compile(
    r"явк|turnout|регион|region|өңір|област(?:ям|ях)|voter|избирател|сайлаушы|бюллетен|ballot|ЦИК|CEC|ОСК|комисси"
    r"|commission|participant|участник|қатысушы|updated|обновлено",
    re.IGNORECASE,
)
_PENDING = re.compile(
    r"уточня|нет\s+данных|не\s+поступ|нақтылан|жоқ|күтілу|not\s+(?:yet\s+)?available|pending|awaited|to\s+follow"
    r"|no\s+data|n/a",
    re.IGNORECASE,
)
_FAR = 40  # characters: a name and a number further apart in one item are not paired


@dataclass(frozen=True)
class RegionFigure:
    region_code: str
    turnout_pct: float
    text: str  # the region's name as written
    context: str = ""  # the text around the figure (for setting it aside later, e.g. against a table)


@dataclass
class Bulletin:
    """What one turnout bulletin states: figures read with certainty, and those set aside."""

    hour: int | None = None
    minute: int | None = None
    national_pct: float | None = None
    regions: list[RegionFigure] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """Why each set-aside figure was set aside."""
        return [f.reason for f in self.set_aside]


@dataclass
class _Item:
    start: int
    end: int
    mentions: list[Mention] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    national: bool = False
    sep: str = ""  # the separator before the item ("\n", ",", ". ", ...)


def _items(text: str) -> list[_Item]:
    items, pos, sep = [], 0, "\n"
    for m in [*_SEPARATOR.finditer(text), None]:
        end = m.start() if m else len(text)
        if text[pos:end].strip():
            items.append(_Item(pos, end, sep=sep))
            sep = ""
        sep += m.group(0) if m else ""
        pos = m.end() if m else len(text)
    return items


def _sep_kind(sep: str) -> str:
    return "line" if "\n" in sep else "sentence" if "." in sep else "clause"


def _residual(text: str, item: _Item) -> str:
    """The item's words that are neither a region's name, a number nor a connector."""
    chars = list(text[item.start : item.end])
    for span in [*item.mentions, *item.numbers]:
        for i in range(span.start - item.start, min(span.end, item.end) - item.start):
            chars[i] = " "
    rest = _CONNECTOR_WORD.sub(" ", "".join(chars))
    return " ".join(re.sub(r"[^\w'’.-]", " ", rest).replace(" . ", " ").split()).strip(" .")


def _gap(text: str, a, b) -> str:
    return text[a.end : b.start] if a.end <= b.start else text[b.end : a.start]


class _Reader:
    """One bulletin text read item by item (see the module's docstring)."""

    def __init__(self, text: str, title: str, resolver: Resolver | None, on: date | None, regions) -> None:
        self.text, self.on, self.regions = text, on, regions
        self.matcher = matcher(resolver)
        self.masked = mask_framing(text, title)
        self.plain = blank_not_shares(self.masked)  # what is left for names: no counts, dates or times
        self.figures: list[RegionFigure] = []
        self.set_aside: list[SetAside] = []
        self.nationals: list[tuple[float, str]] = []

    def context(self, start: int, end: int) -> str:
        return snippet(self.text, start, end, width=40)

    def aside(
        self,
        reason: str,
        subject: str | None,
        start: int,
        end: int,
        rule: str,
        code: str | None = None,
        share: float | None = None,
    ) -> None:
        self.set_aside.append(turnout_aside(self.context(start, end), reason, subject, rule, code, share))

    def figure(self, mention: Mention, number: Number, item: _Item) -> None:
        """A name paired with a number: a figure if the name is certain, else set aside with why."""
        res = mention.resolution
        if res.status != FOUND:
            rule = {AMBIGUOUS: "ambiguous_name", NOT_ON_DATE: "region_not_on_date"}.get(
                res.status, "unknown_name"
            )
            self.aside(
                res.reason(mention.text, self.on),
                mention.text,
                item.start,
                item.end,
                rule,
                res.code,
                number.value,
            )
        elif self.regions is not None and res.code not in self.regions:
            self.aside(
                f"region {res.code} ({mention.text!r}) is not one of the election's regions",
                mention.text,
                item.start,
                item.end,
                "region_not_on_date",
                res.code,
                number.value,
            )
        else:
            self.figures.append(
                RegionFigure(res.code, number.value, mention.text, self.context(item.start, item.end))
            )

    def read(self) -> None:
        items = _items(self.masked)
        mentions = self.matcher.find(self.masked, self.on)
        numbers = find_percentages(self.masked)
        for item in items:
            item.mentions = [m for m in mentions if item.start <= m.start < item.end]
            item.numbers = [n for n in numbers if item.start <= n.start < item.end]
            item.national = not item.mentions and bool(_NATIONAL.search(self.masked[item.start : item.end]))
        items = self._merge_bare_numbers(items)
        self._name_orphans(items)
        figure_items = [i for i, it in enumerate(items) if it.mentions and it.numbers]
        lo, hi = (figure_items[0], figure_items[-1]) if figure_items else (len(items), -1)
        prefer_after = self._orientation(items)
        for i, item in enumerate(items):
            inside = lo <= i <= hi
            near = inside or i in (lo - 1, hi + 1)
            if item.national:
                self._national(item)
            elif item.mentions and item.numbers:
                self._pair(item, prefer_after)
            elif item.mentions and self._listed_without_number(items, i, figure_items):
                for m in item.mentions:
                    self.aside(
                        f"no number stated for {m.text!r}", m.text, item.start, item.end, "no_number", m.code
                    )
            elif item.numbers and near:
                self._orphan(item, inside)

    def _listed_without_number(self, items: list[_Item], i: int, figure_items: list[int]) -> bool:
        """A name with no number is a figure set aside when it stands in the list: between two figures, or
        after one saying the figure is pending ("по Актюбинской области данные уточняются"). Names around
        the list ("самая низкая – в городе Алматы", "сообщил он в Нур-Султане") are framing."""
        after_figure = i - 1 in figure_items
        if after_figure and _PENDING.search(self.masked, items[i].start, items[i].end):
            return True
        # between two figures, and set off from them as list items are from each other
        if not after_figure or i + 1 not in figure_items:
            return False
        before, after = _sep_kind(items[i].sep), _sep_kind(items[i + 1].sep)
        return before == after != "sentence"

    def _merge_bare_numbers(self, items: list[_Item]) -> list[_Item]:
        """ "Акмолинская область: 72,8%", "In Akmola region, 10.2%": a bare number joins the name before it."""
        merged: list[_Item] = []
        for item in items:
            prev = merged[-1] if merged else None
            bare = (
                item.numbers and not item.mentions and not item.national and not _residual(self.plain, item)
            )
            if bare and prev is not None and not prev.numbers and (prev.mentions or prev.national):
                prev.end, prev.numbers = item.end, item.numbers
                continue
            merged.append(item)
        return merged

    def _name_orphans(self, items: list[_Item]) -> None:
        """An item with a number and a short name no pattern found ("Shymkemt – 14,4%"): resolve the name."""
        for item in items:
            if item.mentions or not item.numbers or item.national:
                continue
            residual = _residual(self.plain, item)
            if not residual or len(residual.split()) > 4 or _NOT_A_NAME.search(residual):
                continue
            resolution = self.matcher.resolve(residual, self.on)
            if resolution.status != UNKNOWN:
                where = self.masked.find(residual.split()[0], item.start, item.end)
                start = where if where >= 0 else item.start
                item.mentions = [Mention(start, start + len(residual), residual, resolution)]

    def _orientation(self, items: list[_Item]) -> bool:
        """Whether this text writes numbers after names (most do) or before them ("72.8% in Akmola region")."""
        votes = {True: 0, False: 0}
        for item in items:
            for m in item.mentions:
                after = any(
                    n.start >= m.end and _CONNECTOR.match(_gap(self.masked, m, n)) for n in item.numbers
                )
                before = any(
                    n.end <= m.start and _CONNECTOR.match(_gap(self.masked, m, n)) for n in item.numbers
                )
                if after != before:
                    votes[after] += 1
        return votes[True] >= votes[False]

    def _pair(self, item: _Item, prefer_after: bool) -> None:
        if len(item.mentions) == 1:
            mention = item.mentions[0]
            if len(item.numbers) > 1:
                values = ", ".join(n.text for n in item.numbers)
                self.aside(
                    f"more than one number next to {mention.text!r} ({values})",
                    mention.text,
                    item.start,
                    item.end,
                    "figures_not_paired",
                    mention.code,
                )
                return
            number = item.numbers[0]
            gap = _gap(self.masked, mention, number)
            if len(gap) > _FAR and not _CONNECTOR.match(gap):
                self.aside(
                    f"{mention.text!r} and {number.text!r} are too far apart to pair",
                    mention.text,
                    item.start,
                    item.end,
                    "figures_not_paired",
                    mention.code,
                    number.value,
                )
                return
            self.figure(mention, number, item)
            return
        # several names in one item: each takes the number written next to it (connectors only between)
        used: dict[int, Mention] = {}
        chosen: list[tuple[Mention, Number | None]] = []
        for i, m in enumerate(item.mentions):
            lo = item.mentions[i - 1].end if i else item.start
            hi = item.mentions[i + 1].start if i + 1 < len(item.mentions) else item.end
            after = next((n for n in item.numbers if m.end <= n.start < hi), None)
            before = next((n for n in reversed(item.numbers) if lo <= n.start and n.end <= m.start), None)
            after = after if after and _CONNECTOR.match(self.masked[m.end : after.start]) else None
            before = before if before and _CONNECTOR.match(self.masked[before.end : m.start]) else None
            number = (after or before) if prefer_after else (before or after)
            chosen.append((m, number))
        counts: dict[int, int] = {}
        for _, n in chosen:
            if n is not None:
                counts[n.start] = counts.get(n.start, 0) + 1
        for m, n in chosen:
            if n is None:
                why = f"no number can be paired with certainty with {m.text!r}"
                self.aside(why, m.text, m.start, m.end, "figures_not_paired", m.code)
            elif counts[n.start] > 1:
                self.aside(
                    f"{n.text!r} stands next to two names",
                    m.text,
                    m.start,
                    n.end,
                    "figures_not_paired",
                    m.code,
                    n.value,
                )
            else:
                used[n.start] = m
                self.figure(m, n, _Item(min(m.start, n.start), max(m.end, n.end)))
        for n in item.numbers:
            if n.start not in used and counts.get(n.start, 0) == 0:
                self.aside(
                    f"{n.text!r} is next to no region's name",
                    None,
                    n.start,
                    n.end,
                    "unknown_name",
                    None,
                    n.value,
                )

    def _orphan(self, item: _Item, inside: bool) -> None:
        residual = _residual(self.plain, item)
        words = residual.split()
        if not inside and (not words or len(words) > 4 or _NOT_A_NAME.search(residual)):
            return  # framing next to the list: a headline's or lead's figure, not a region's
        for n in item.numbers:
            why = f"unknown region name {residual!r}" if words else f"{n.text!r} is next to no region's name"
            self.aside(why, residual or None, item.start, item.end, "unknown_name", None, n.value)

    def _national(self, item: _Item) -> None:
        phrase = _NATIONAL.search(self.masked, item.start, item.end)

        def distance(n: Number) -> int:
            return phrase.start() - n.end if n.end <= phrase.start() else n.start - phrase.end()

        near = [n for n in item.numbers if 0 <= distance(n) <= _FAR]
        if near:
            self.nationals.append((min(near, key=distance).value, self.context(item.start, item.end)))


def turnout_aside(
    text: str,
    reason: str,
    subject: str | None,
    rule: str,
    code: str | None = None,
    share: float | None = None,
) -> SetAside:
    """A bulletin's figure set aside: what it is of (the region, 'KZ' nationally) and the share, if read."""
    level = "national" if code == "KZ" else "region"
    return SetAside(
        TURNOUT,
        text,
        reason,
        subject,
        rule=rule,
        level=level,
        unit_id=code,
        line="turnout_pct",
        share_pct=share,
    )


def settle(figures: list[RegionFigure]) -> tuple[list[RegionFigure], list[SetAside]]:
    """One figure per region: a region stated twice with one value once; with two values, neither."""
    by_code: dict[str, list[RegionFigure]] = {}
    for f in figures:
        by_code.setdefault(f.region_code, []).append(f)
    kept, aside = [], []
    for code, group in by_code.items():
        values = sorted({f.turnout_pct for f in group})
        if len(values) == 1:
            kept.append(group[0])
            continue
        listed = " and ".join(f"{v:g}" for v in values)
        for f in group:
            reason = f"{code} is given twice with different figures ({listed}): neither is taken"
            aside.append(
                turnout_aside(
                    f.context or f.text, reason, f.text, "named_twice_different", code, f.turnout_pct
                )
            )
    return kept, aside


def parse_bulletin_text(
    text: str,
    resolver: Resolver | None = None,
    *,
    title: str = "",
    on: date | None = None,
    regions: frozenset[str] | None = None,
) -> Bulletin:
    """Read the time, the national turnout and every region's turnout from a bulletin's text.

    ``title`` is the page's headline (its time is read; its figures are not: a headline repeats them);
    ``on`` the election's day (the regions of the day, the schedule of bulletin times); ``regions`` the
    election's regions, when known.
    """
    reader = _Reader(text, title, resolver, on, regions)
    reader.read()
    bulletin = Bulletin()
    when = bulletin_time(title, reader.masked, on)
    if when is None and not title:
        when = bulletin_time("", text, on)
    bulletin.hour, bulletin.minute = when if when else (None, None)
    bulletin.regions, twice = settle(reader.figures)
    bulletin.set_aside = reader.set_aside + twice
    nationals = sorted({v for v, _ in reader.nationals})
    values = {context: v for v, context in reader.nationals}
    if len(nationals) == 1:
        bulletin.national_pct = nationals[0]
    elif nationals:
        listed = " and ".join(f"{v:g}" for v in nationals)
        for _, context in reader.nationals:
            reason = f"the national figure is given twice with different values ({listed}): neither is taken"
            aside = turnout_aside(context, reason, "national", "named_twice_different", "KZ", values[context])
            bulletin.set_aside.append(aside)
    if bulletin.national_pct is None and not nationals and title and _NATIONAL.search(title):
        title_reader = _Reader(title, "", resolver, on, regions)
        title_reader.read()
        values = sorted({v for v, _ in title_reader.nationals})
        bulletin.national_pct = values[0] if len(values) == 1 else None
    return bulletin


def parse_bulletin_table(
    rows: list[list[str]], resolver: Resolver | None = None, on: date | None = None
) -> Bulletin:
    """A bulletin table (any column order or headers): in each row, the cell naming a region and the share.

    Column positions are learnt from the cells' content, so reordered or renamed columns read the same. A row
    whose name is not certain, or with no share or two, is set aside; the other rows are read.
    """
    names = matcher(resolver)
    bulletin = Bulletin()
    for i, cells in enumerate(rows, start=1):
        named: list[tuple[Resolution, str]] = []
        shares = []
        for cell in cells:
            cell = cell.strip()
            if not cell:
                continue
            share = None
            with contextlib.suppress(UncertainNumber):
                share = parse_percent(cell)
            if share is not None:
                shares.append(share)
                continue
            resolution = names.resolve(cell, on)
            if resolution.status != UNKNOWN:
                named.append((resolution, cell))
        row_text = " | ".join(c.strip() for c in cells)
        if not named:
            total = any(c.strip().lower() in _TOTAL_WORDS for c in cells) or _NATIONAL.search(" ".join(cells))
            if total and shares:
                bulletin.national_pct = shares[-1]
            elif shares and i > 1:
                bulletin.set_aside.append(
                    turnout_aside(
                        row_text,
                        f"table row {i}: no known region name",
                        cells[0].strip(),
                        "unknown_name",
                        None,
                        shares[0],
                    )
                )
            continue
        resolution, name = named[0]
        if resolution.status != FOUND:
            bulletin.set_aside.append(
                turnout_aside(
                    row_text,
                    f"table row {i}: {resolution.reason(name, on)}",
                    name,
                    {AMBIGUOUS: "ambiguous_name", NOT_ON_DATE: "region_not_on_date"}.get(
                        resolution.status, "unknown_name"
                    ),
                    resolution.code,
                    shares[0] if len(shares) == 1 else None,
                )
            )
        elif len(shares) != 1:
            reason = f"table row {i} ({name!r}): {len(shares)} share cells, expected one"
            bulletin.set_aside.append(
                turnout_aside(
                    row_text, reason, name, "figures_not_paired" if shares else "no_number", resolution.code
                )
            )
        else:
            bulletin.regions.append(RegionFigure(resolution.code, shares[0], name, row_text))
    bulletin.regions, twice = settle(bulletin.regions)
    bulletin.set_aside += twice
    return bulletin
