"""Regional results written in prose, not in a table: each region's lines read with the national rules.

A communique or its copy may give the regions' results as text, in one of two shapes:

- one line per region: "Акмолинская область: «Аманат» – 55,12%, «Ауыл» – 10,2%", "In Akmola region, AMANAT
  received 55.12% and Auyl 10.2%", "Ақмола облысы бойынша – «AMANAT» 55,12%";
- a heading naming the region on its own line, then its list: "Акмолинская область:" / "«Аманат» – 55,12%;" /
  "«Ауыл» – 10,2%;" (the list ends at the first line that is not a list line, or at the next region).

A line counts as a region's only when it starts with the region's name (after a bullet and "по", "в",
"in", "for") and the name is followed by a colon, comma, dash, "бойынша", the end of the line, or (after a
preposition or in the Kazakh locative, "Абай облысында") by the rest of a sentence; a dateline ("ASTANA. KAZINFORM –") is not a region. Each region's
text is read by :func:`saylau.parse.result_prose.parse_results_text`, the same line rules as the national
figures. A region whose name is not certain (unknown, as close to two regions, not existing on the day) has
its lines set aside one by one, never attributed; so has a list line after the regions' results that
follows no region (it could be the last region's or the country's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from saylau.parse.region_names import AMBIGUOUS, FOUND, NOT_ON_DATE, matcher
from saylau.parse.result_prose import ResultsStatement, parse_results_text
from saylau.parse.setaside import snippet

_LEAD = re.compile(r"[\s\-•·*–—]*(?P<prep>(?:по|в|во|in|for)\s+(?:the\s+)?)?", re.IGNORECASE)
_AFTER_NAME = re.compile(r"\s*(?:бойынша|boiynsha)?\s*(?:[:,–—-]|$)", re.IGNORECASE)
_LIST_LINE = re.compile(r"\s*[-•·*]?\s*[^\d–—:;.]{2,80}?\s*[–—:-]\s*\d[^\n]*$")
_HAS_NUMBER = re.compile(r"\d")
_LOCATIVE = re.compile(r"(?:облыс|қалас)(?:ында|інде)$|(?:oblys|qalas)ynda$")  # kk "in": "Абай облысында"
_RULES = {AMBIGUOUS: "ambiguous_name", NOT_ON_DATE: "region_not_on_date"}


@dataclass
class RegionProse:
    """One region's results as the prose gives them (``code`` None: the name is not certain)."""

    code: str | None
    name: str
    statement: ResultsStatement = field(default_factory=ResultsStatement)


@dataclass
class Split:
    """A communique's text with its regions' sections blanked out, and what the sections gave."""

    national_text: str
    regions: list[RegionProse] = field(default_factory=list)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _region_at_start(line: str, on: date | None):
    """The region mention a line starts with and where its own text begins, or None."""
    lead = _LEAD.match(line)
    for mention in matcher().find(line, on):
        if mention.start != lead.end():
            return None
        rest = line[mention.end :]
        after = _AFTER_NAME.match(rest)
        if rest.startswith("."):
            return None  # a dateline: "ASTANA. KAZINFORM – ..."
        if after is None and not lead.group("prep") and not _LOCATIVE.search(mention.text):
            return None
        return mention, mention.end + (after.end() if after else 0)
    return None


def split_region_prose(
    text: str,
    lang: str,
    on: date | None,
    *,
    options: tuple[str, ...] | None = None,
    election_id: str | None = None,
    referendum: bool = False,
    share_denominator: str = "valid",
) -> Split:
    """The regions' sections of a communique, each read with the national line rules, and the rest."""
    blank = list(text)
    out = Split(text)
    spans = _lines(text)
    current: tuple[RegionProse, list[str]] | None = None  # a heading's region and its list lines
    seen_region = False

    def close() -> None:
        nonlocal current
        if current is not None:
            _read(current[0], "\n".join(current[1]))
            current = None

    def _read(region: RegionProse, body: str) -> None:
        if region.code is None:
            return
        region.statement = parse_results_text(
            body,
            lang,
            options=options,
            election_id=election_id,
            referendum=referendum,
            share_denominator=share_denominator,
        )
        if not _said_anything(region.statement) and _HAS_NUMBER.search(body):
            region.statement.aside(
                subject=region.name,
                text=snippet(body, 0, len(body)),
                rule="figures_not_paired",
                reason=f"the figures given for {region.name!r} name no option or protocol line",
            )

    for start, end in spans:
        line = text[start:end]
        found = _region_at_start(line, on)
        if found is None:
            if current is not None and _LIST_LINE.match(line):
                current[1].append(line)
                _blank(blank, start, end)
                if current[0].code is None:
                    _aside_uncertain(current[0], line)
                continue
            close()
            if seen_region and _LIST_LINE.match(line):
                stray = RegionProse(None, "")
                stray.statement.aside(
                    subject=line.strip()[:60],
                    text=snippet(line, 0, len(line)),
                    rule="region_not_certain",
                    reason="a list line after the regions' results follows no region's name: it could be "
                    "the last region's or the country's, and is not loaded",
                )
                out.regions.append(stray)
                _blank(blank, start, end)
            continue
        close()
        mention, own_start = found
        seen_region = True
        resolution = mention.resolution
        region = RegionProse(resolution.code if resolution.status == FOUND else None, mention.text)
        if region.code is None:
            region.statement.aside(
                subject=mention.text,
                text=snippet(line, 0, len(line)),
                rule=_RULES.get(resolution.status, "unknown_name"),
                reason=resolution.reason(mention.text, on) + ": its results are not loaded",
            )
        out.regions.append(region)
        _blank(blank, start, end)
        own = line[own_start:]
        if _HAS_NUMBER.search(own):
            _read(region, own)
        else:
            current = (region, [])
    close()
    out.national_text = "".join(blank)
    return out


def _aside_uncertain(region: RegionProse, line: str) -> None:
    region.statement.aside(
        subject=region.name,
        text=snippet(line, 0, len(line)),
        rule="region_not_certain",
        reason=f"a line of {region.name!r}, whose region is not certain: not loaded",
    )


def _said_anything(s: ResultsStatement) -> bool:
    return bool(s.lines or s.votes or s.shares or s.turnout_pct is not None or s.set_aside)


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        chars[i] = " "
