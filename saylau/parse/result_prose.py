"""A results communique's prose, line by line: every line read with certainty, every other one set aside.

Prose gives the protocol lines as sentences ("в списки избирателей включено 11 919 241", "бюллетени
получили 7 539 280", "недействительными признаны 297 718") and each party, candidate or answer with its votes
and share ("«Nur Otan» – 5 148 074 голосов (71,09%)", "5,561,937 participants (71.12%) voted yes").
Real copies name an option more than once (a list, then a sentence; "партия «Аманат»" and "«Аманат»";
"AMANAT («Аманат»)"): the same figure named twice is one line; two different figures for one option are a
conflict, and neither is taken. A count that contradicts the percentage printed beside it (beyond the
rounding of the printed digits, against the page's own denominator) is set aside too
(``count_contradicts_share``). The turnout is read from who took part ("приняли участие 63,3%
избирателей", "63.66% of the participants ... took part", "сайлаушылардың 54,19% қатысты") as from
"явка"; a turnout stated as two different figures is a conflict. A protocol line given only as a percentage
is set aside (``share_without_count``), a total stated as the whole of a part ("Из 7 940 478 действительных
голосов за Токаева отдано 6 456 393") is read as its line. What is set aside is an :class:`Aside` with the
text around it and why; nothing is guessed. How the prose is cut (labels, numbers, clauses, dates) is in
:mod:`saylau.parse.result_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from rapidfuzz.distance import Levenshtein

from saylau.candidates import candidate_names
from saylau.parse.numbers import UncertainNumber, parse_count, parse_percent
from saylau.parse.result_lines import Reading as _Reading
from saylau.parse.result_lines import _decimals, _same_share
from saylau.parse.result_lines import combine as _combine
from saylau.parse.result_text import (
    _ANY_LABEL,
    _APPROXIMATE,
    _LABELS,
    _NOT_VOTES,
    _SP,
    _SUBCLAUSE_END,
    _TURNOUT_LABEL,
    _clauses,
    _mask,
    _sentences,
    _Token,
    _tokens,
)
from saylau.parse.setaside import snippet
from saylau.reference import Resolver, UnknownNameError, default_resolver, normalise_name


@dataclass
class Aside:
    """A line of the prose not read with certainty: what it names, the text around it and why."""

    subject: str | None
    text: str
    reason: str
    rule: str
    line: str | None = None  # protocol line, 'votes' or 'share'
    option_id: str | None = None
    value: int | None = None
    share_pct: float | None = None


@dataclass
class ResultsStatement:
    """What one results communique states nationally (or for one unit), and the lines set aside."""

    lines: dict[str, int] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    turnout_pct: float | None = None
    set_aside: list[Aside] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        """Each line set aside, in words (naming what it is of)."""
        return [f"{a.subject!r}: {a.reason}" if a.subject else a.reason for a in self.set_aside]

    def aside(self, **kwargs) -> None:
        self.set_aside.append(Aside(**kwargs))


# --- where the prose names an option ---------------------------------------------------------------------


@cache
def _party_pattern(resolver_id: int) -> re.Pattern:
    resolver = _RESOLVERS[resolver_id]
    names = sorted(resolver.party_alias_surfaces(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


_RESOLVERS: dict[int, Resolver] = {}


def find_parties(text: str, resolver: Resolver) -> list[tuple[int, int, str, str]]:
    """(start, end, party_id, surface) of every party or candidate named by one of its aliases."""
    _RESOLVERS[id(resolver)] = resolver
    return [
        (m.start(), m.end(), resolver.party(m.group(0)), m.group(0))
        for m in _party_pattern(id(resolver)).finditer(text)
    ]


_YES, _NO = r"за|да|иә|ия|yes", r"против|нет|жоқ|no"
_ANSWERS = [
    (option, re.compile(pattern.format(a=answer), re.IGNORECASE))
    for option, answer in (("yes", _YES), ("no", _NO))
    for pattern in (
        r"[«\"“„]\s*(?:{a})\s*[»\"”“]",  # quoted: «за», "Yes"
        r"(?<![\w-])(?:{a})(?=\s*[–—:-]\s*\d)",  # followed by its figure: "за – 5 561 937", "Yes: 5,561,937"
        r"проголосовал\w*\s+(?:{a})(?![\w-])(?!\s+[а-яё]{{3,}})",  # "проголосовали против," (not "за АЭС")
        r"(?<![\w-])(?:{a})(?=(?:\s+[^\s\d,.;]+){{0,4}}\s+проголосовал)",  # "За строительство АЭС проголосовали"
        r"voted\s+(?:{a})\b|\b(?:{a})\s+votes?\b|answered\s+(?:{a})\b",
        r"(?<![\w-])(?:{a})\s+(?:деп|деген)(?![\w-])",  # kk: "иә деп", "жоқ деп"
    )
]


def _answers(text: str) -> list[tuple[int, int, str, str]]:
    found = []
    for option, pattern in _ANSWERS:
        found += [(m.start(), m.end(), option, m.group(0)) for m in pattern.finditer(text)]
    return found


_JOIN = re.compile(r"^[\s()«»\"“”/,]*$")


def find_mentions(
    text: str, resolver: Resolver, election_id: str | None = None, referendum: bool = False
) -> list[tuple[int, int, str, str]]:
    """Every place the text names an option: parties by alias, candidates by name, answers of a referendum.

    Overlapping finds keep the longest; the same option named twice side by side ("AMANAT («Аманат»)")
    is one mention.
    """
    found = find_parties(text, resolver)
    if election_id:
        found += candidate_names(election_id).find(text)
    if referendum:
        found += _answers(text)
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str, str]] = []
    for f in found:
        if kept and f[0] < kept[-1][1]:
            continue
        if kept and kept[-1][2] == f[2] and _JOIN.match(text[kept[-1][1] : f[0]]):
            last = kept.pop()
            f = (last[0], f[1], f[2], text[last[0] : f[1]])
        kept.append(f)
    return kept


# --- reading ---------------------------------------------------------------------------------------------


def parse_results_text(
    text: str,
    lang: str = "ru",
    resolver: Resolver | None = None,
    *,
    options: tuple[str, ...] | None = None,
    election_id: str | None = None,
    referendum: bool = False,
    share_denominator: str = "valid",
) -> ResultsStatement:
    """Protocol lines, each option's votes and share and the turnout from a communique's prose, line by line.

    ``options`` (the contest's ballot) restricts what counts as an option line: a known party that is not on
    the ballot and comes with figures of its own is set aside, never loaded; one named inside another
    option's line ("Жигули Дайрабаев (партия «Ауыл») – 271 641") is part of that line.
    """
    resolver = resolver or default_resolver()
    result = ResultsStatement()
    masked, seen = _part_of_total(text, _mask(text), lang, result)
    named = find_mentions(text, resolver, election_id, referendum)
    mentions = _not_describing_lines(masked, named)
    on_ballot = [m for m in mentions if options is None or m[2] in options]
    _read_lines(text, masked, mentions, lang, result, seen)
    readings = _read_options(text, masked, on_ballot, mentions, lang, result, options)
    readings += _unknown_lines(text, masked, named, lang, resolver, result, options)
    _combine(text, readings, result, share_denominator)
    return result


_COUNT = rf"\d{{1,3}}(?:(?:{_SP}|,)\d{{3}})+(?!\d)|\d+"
_PART_OF = re.compile(
    rf"\s*(?:(?:[Ии]з|[Oo]f|[Oo]ut\s+of)\s+(?:the\s+|all\s+|общего\s+числа\s+)?(?P<count>{_COUNT})"
    rf"(?P<label>(?:\s+[^\W\d]+){{1,4}}?)(?=\s*,|\s+(?:за|for)\s|\s+\d|\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ«\"])"
    rf"|(?P<kcount>{_COUNT})(?P<klabel>(?:\s+[^\W\d]+){{0,3}}?\s+[^\W\d]+(?:ның|нің|дың|дің|тың|тің))(?=\s+\d))"
)


def _part_of_total(text: str, masked: str, lang: str, result: ResultsStatement) -> tuple[str, dict]:
    """A count stated as part of a total ("Из 7 940 478 действительных голосов за Токаева отдано 6 456 393",
    "Of the 7,940,478 valid votes, 6,456,393 were cast for Tokayev", "7 940 478 жарамды дауыстың 6 456 393
    дауысы ..."): the total is its protocol line, and is masked so that the rest of the sentence reads as
    the option's line. Returns the masked text and the lines read (as :func:`_read_lines` collects them)."""
    seen: dict[str, list] = {}
    for s_start, s_end in _sentences(masked):
        m = _PART_OF.match(masked, s_start, s_end)
        if not m:
            continue
        label = m.group("label") or m.group("klabel")
        lines = [line for line, pattern in _LABELS.items() if pattern.search(label)]
        if len(lines) != 1:
            continue
        try:
            value = parse_count(m.group("count") or m.group("kcount"), lang)
        except UncertainNumber:
            continue  # left to the sentence's own reading (set aside there)
        seen.setdefault(lines[0], []).append((value, snippet(text, s_start, s_end)))
        masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end() :]
    return masked, seen


def _not_describing_lines(masked: str, mentions: list) -> list:
    """The mentions that name an option's line: not those inside a protocol line's description, with no
    figure between the line's label and the name ("Действительных голосов, поданных за партии и против всех
    – 6 366 441" is the valid line, not a line for "against all")."""
    kept = []
    for m in mentions:
        s_start = next((a for a, b in _sentences(masked) if a <= m[0] < b), 0)
        previous = max([s_start] + [k[1] for k in kept if k[1] <= m[0]])
        labels = list(_ANY_LABEL.finditer(masked, previous, m[0]))
        label = labels[-1] if labels else None
        if label is not None and not _tokens(masked, label.end(), m[0]):
            continue
        kept.append(m)
    return kept


def _read_lines(
    text: str, masked: str, mentions: list, lang: str, result: ResultsStatement, seen: dict | None = None
) -> None:
    """The protocol lines and the turnout, clause by clause, from the clauses that name no option; a
    sentence naming no option whose clauses gave nothing is read whole (a label and its count split by a
    comma: "Бюллетеней, в которых отмечены оба варианта ответа, – 82 724"). ``seen`` holds lines read
    before (a total stated as part of a sentence about an option: see :func:`_part_of_total`)."""
    seen = seen if seen is not None else {}
    previous = None
    for s_start, s_end in _sentences(masked):
        if any(s_start <= a < s_end for a, _, _, _ in mentions):
            for start, end in _clauses(masked[:s_end]):
                if start < s_start:
                    continue
                if any(start <= a < end for a, _, _, _ in mentions):
                    previous = None
                    continue
                previous = _read_clause(text, masked, start, end, lang, result, previous, seen)
            continue
        read_before = sum(len(v) for v in seen.values()) + len(result.set_aside)
        for start, end in _clauses(masked[:s_end]):
            if start >= s_start:
                previous = _read_clause(text, masked, start, end, lang, result, previous, seen)
        if read_before == sum(len(v) for v in seen.values()) + len(result.set_aside):
            _read_clause(text, masked, s_start, s_end, lang, result, None, seen)
    _settle_turnout(seen.pop(_TURNOUT, []), result)
    for line, values in seen.items():
        if len({v for v, _ in values}) == 1:
            result.lines[line] = values[0][0]
            continue
        for value, around in values:
            result.aside(
                subject=line,
                text=around,
                line=line,
                value=value,
                rule="named_twice_different",
                reason=f"the page states {line} as "
                + " and as ".join(f"{v:,}".replace(",", " ") for v in sorted({v for v, _ in values}))
                + ": neither is taken",
            )


_TURNOUT = "turnout_pct"


def _turnout_reading(
    masked: str, percents: list[_Token], around: str, result: ResultsStatement, seen: dict
) -> None:
    """One clause's turnout ("явка составила 63,3%", "приняли участие 63,3% избирателей", "63.66% of the
    participants ... took part", "сайлаушылардың 54,19% қатысты"): one percentage is read, an approximate
    one or several are set aside."""
    if any(_APPROXIMATE.search(masked[max(0, t.start - 20) : t.start]) for t in percents):
        rule, reason = "approximate", 'the turnout is approximate ("more than", "about"): not loaded'
    elif len(percents) > 1:
        rule, reason = "figures_not_paired", f"{len(percents)} percentages in one turnout clause: not paired"
    else:
        try:
            seen.setdefault(_TURNOUT, []).append((parse_percent(percents[0].text), around, percents[0].text))
            return
        except UncertainNumber as exc:
            rule, reason = "uncertain_number", str(exc)
    result.aside(subject="turnout", text=around, line=_TURNOUT, reason=reason, rule=rule)


def _settle_turnout(readings: list[tuple[float, str, str]], result: ResultsStatement) -> None:
    """The page's turnout: its readings agree (at the coarser of their printed precisions: the most precise
    is taken) or, stated as two different figures, neither is taken."""
    if not readings:
        return
    as_read = [_Reading(_TURNOUT, "turnout", 0, 0, share=v, share_text=t) for v, _, t in readings]
    if all(_same_share(a, b) for a in as_read for b in as_read):
        result.turnout_pct = max(as_read, key=lambda r: _decimals(r.share_text)).share
        return
    for value, around, _printed in readings:
        result.aside(
            subject="turnout",
            text=around,
            line=_TURNOUT,
            share_pct=value,
            rule="named_twice_different",
            reason="the page states the turnout as "
            + " and as ".join(sorted({t for _, _, t in readings}))
            + ": neither is taken",
        )


def _percent_or_none(percents: list[_Token]) -> float | None:
    try:
        return parse_percent(percents[0].text) if len(percents) == 1 else None
    except UncertainNumber:
        return None


def _read_clause(
    text: str,
    masked: str,
    start: int,
    end: int,
    lang: str,
    result: ResultsStatement,
    previous: str | None,
    seen: dict,
) -> str | None:
    """Read one clause; returns the protocol line it gave (for "..., что составляет 63,25%")."""
    clause = masked[start:end]
    tokens = _tokens(clause)
    counts = [t for t in tokens if not t.is_percent]
    percents = [t for t in tokens if t.is_percent]
    labels = [line for line, pattern in _LABELS.items() if pattern.search(clause)]
    if "valid_not_counted" in labels:
        labels = ["valid_not_counted"]  # "both options marked" ballots, valid or not, are that one line
    if "invalid" in labels and "valid" in labels and not re.search(r"(?<![Нн]е)действительн", clause):
        labels.remove("valid")
    around = snippet(text, start, end)
    turnout = bool(percents) and bool(
        _TURNOUT_LABEL.search(clause)
        or ("ballots_issued" in labels and not counts)  # "приняли участие 63,3% избирателей"
        or (not labels and not counts and len(percents) == 1 and previous == "ballots_issued")
    )
    if turnout:
        _turnout_reading(clause, percents, around, result, seen)
        if not counts:
            return None
    elif labels and not counts and percents:
        result.aside(
            subject=", ".join(sorted(labels)),
            text=around,
            line=labels[0] if len(labels) == 1 else None,
            share_pct=_percent_or_none(percents),
            rule="share_without_count",
            reason=f"{' / '.join(sorted(labels))} is stated only as a percentage, with no count: "
            "not a protocol line to load",
        )
        return None
    if not labels or not counts:
        return None
    if len(labels) > 1 or len(counts) > 1:
        result.aside(
            subject=", ".join(sorted(labels)),
            text=around,
            rule="figures_not_paired",
            reason=f"the clause names {', '.join(sorted(labels))} with {len(counts)} counts: not paired",
        )
        return None
    line = labels[0]
    try:
        value = parse_count(counts[0].text, lang)
    except UncertainNumber as exc:
        result.aside(subject=line, text=around, line=line, reason=str(exc), rule="uncertain_number")
        return None
    seen.setdefault(line, []).append((value, around))
    if line == "ballots_issued" and percents and not turnout:
        _turnout_reading(clause, percents, around, result, seen)
    return line


def _read_options(
    text: str,
    masked: str,
    on_ballot: list,
    mentions: list,
    lang: str,
    result: ResultsStatement,
    options: tuple[str, ...] | None,
) -> list[_Reading]:
    """Each option mention's figures: after the name ("Tokayev – 6 456 393 (81,31%)") or, in a sentence
    whose first option comes after its figures ("5,561,937 (71.12%) voted yes"), before it."""
    readings = []
    for s_start, s_end in _sentences(masked):
        inside = [m for m in on_ballot if s_start <= m[0] < s_end]
        if not inside or _NOT_VOTES.search(masked[s_start:s_end]):
            continue
        first_start = _figures_start(masked, s_start, inside[0][0])
        last_end = inside[-1][1]
        figure_first = first_start is not None and not _tokens(masked, last_end, s_end)
        for i, (m_start, m_end, option_id, surface) in enumerate(inside):
            if figure_first:
                seg = (inside[i - 1][1] if i else first_start, m_start)
            else:
                seg = (m_end, inside[i + 1][0] if i + 1 < len(inside) else s_end)
            reading = _read_segment(
                text, masked, seg, _Reading(option_id, surface, m_start, m_end), lang, result
            )
            if reading is not None:
                readings.append(reading)
    for m_start, m_end, option_id, surface in mentions:
        if options is None or option_id in options:
            continue
        s_start, s_end = next(((a, b) for a, b in _sentences(masked) if a <= m_start < b), (0, len(text)))
        if any(s_start <= m[0] < m_start for m in on_ballot) or _NOT_VOTES.search(masked[s_start:s_end]):
            continue
        following = [m[0] for m in mentions if m[0] > m_start and m[0] < s_end]
        if _tokens(masked, m_end, min(following, default=s_end)):
            result.aside(
                subject=surface,
                text=snippet(text, m_start, min(following, default=s_end)),
                option_id=option_id,
                rule="not_on_ballot",
                reason=f"{surface!r} ({option_id}) is not on this contest's ballot: its line is not loaded",
            )
    return readings


def _figures_start(masked: str, sentence_start: int, mention_start: int) -> int | None:
    """Where the figures of a sentence's first option begin when they come before its name ("5,561,937
    participants, or 71.12%, voted yes"): the nearest clause start with figures between it and the name
    that belong to no protocol line; None when there are none."""
    starts = [sentence_start] + [
        m.end() for m in _SUBCLAUSE_END.finditer(masked, sentence_start, mention_start)
    ]
    found = None
    for start in reversed(starts):
        tokens = _tokens(masked, start, mention_start)
        if _ANY_LABEL.search(masked, start, mention_start):
            break
        if tokens:
            found = start
            if any(t.is_percent for t in tokens) and any(not t.is_percent for t in tokens):
                break  # a count and its share: the option's figures
    return found


def _read_segment(
    text: str, masked: str, seg: tuple[int, int], reading: _Reading, lang: str, result: ResultsStatement
) -> _Reading | None:
    tokens = _tokens(masked, *seg)
    around = snippet(text, min(seg[0], reading.start), max(seg[1], reading.end), 30)
    if not tokens:
        return None  # a name in a headline or a lead, with no figure: no line
    counts, shares = [t for t in tokens if not t.is_percent], [t for t in tokens if t.is_percent]
    if any(_APPROXIMATE.search(masked[max(0, t.start - 20) : t.start]) for t in tokens):
        result.aside(
            subject=reading.surface,
            text=around,
            option_id=reading.option_id,
            rule="approximate",
            reason='the figure is approximate ("more than", "about"): not a count or share to load',
        )
        return None
    if len(counts) > 1 or len(shares) > 1:
        result.aside(
            subject=reading.surface,
            text=around,
            option_id=reading.option_id,
            rule="figures_not_paired",
            reason=f"{len(counts)} counts and {len(shares)} percentages follow one name: not paired",
        )
        return None
    try:
        reading.votes = parse_count(counts[0].text, lang) if counts else None
        if shares:
            reading.share, reading.share_text = parse_percent(shares[0].text), shares[0].text
    except UncertainNumber as exc:
        result.aside(
            subject=reading.surface,
            text=around,
            option_id=reading.option_id,
            line="votes" if counts else "share",
            rule="uncertain_number",
            reason=str(exc),
        )
        return None
    return reading


_DATELINE = re.compile(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ-]{3,}\.\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ-]{3,}")
_LIST_LINE = re.compile(r"\s*[-•·*]?\s*(?P<name>[^\d–—:;]*?[^\W\d][^\d–—:;]*?)\s*[–—:-]\s*(?=\d)", re.UNICODE)


def _unknown_lines(
    text: str,
    masked: str,
    mentions: list,
    lang: str,
    resolver: Resolver,
    result: ResultsStatement,
    options: tuple[str, ...] | None,
) -> list[_Reading]:
    """List lines naming no known option ("Амант – 3 431 510 (53,90%)"): a name one edit off exactly one
    ballot option's name is that option (rapidfuzz); any other is set aside, never guessed."""
    readings = []
    keys = _option_keys(resolver, options)
    for start, end in _clauses(masked):
        if any(start <= a < end for a, _, _, _ in mentions) or _NOT_VOTES.search(masked[start:end]):
            continue
        m = _LIST_LINE.match(masked, start, end)
        if not m or _ANY_LABEL.search(m.group("name")) or _TURNOUT_LABEL.search(m.group("name")):
            continue
        if _DATELINE.search(masked, max(0, start - 40), m.end("name")):
            continue  # "ASTANA. KAZINFORM – 63.3% ...": a dateline, not a name
        name = text[m.start("name") : m.end("name")].strip()
        try:
            resolver.region(name)
            continue  # a region's figure (a turnout list): not an option line
        except UnknownNameError:
            pass
        key = normalise_name(name)
        close = {
            o for k, o in keys.items() if len(key) >= 4 and Levenshtein.distance(key, k, score_cutoff=1) <= 1
        }
        if len(close) == 1:
            reading = _Reading(close.pop(), name, m.start("name"), m.end("name"))
            got = _read_segment(text, masked, (m.end(), end), reading, lang, result)
            if got is not None:
                readings.append(got)
            continue
        result.aside(
            subject=name,
            text=snippet(text, start, end),
            rule="unknown_name",
            reason=f"{name!r} names no option on the ballot"
            + (" (as close to several)" if close else "")
            + ": its line is not loaded",
        )
    return readings


def _option_keys(resolver: Resolver, options: tuple[str, ...] | None) -> dict[str, str]:
    keys = {}
    for surface in resolver.party_alias_surfaces(("party", "candidate", "against_all", "answer")):
        option = resolver.party(surface)
        if options is None or option in options:
            keys[normalise_name(surface)] = option
    return keys
