"""How a communique's prose is cut for reading: its protocol lines' labels, its numbers (counts and
percentages, thousands written with any space or comma, counts in words), its sentences and their clauses,
and the dates and times that are no figures (masked before numbers are read)."""

from __future__ import annotations

import re
from dataclasses import dataclass

LINE_LABELS: dict[str, str] = {
    "registered": r"тізіміне|voters\s+on\s+the\s+lists?|включен\w*|внесен\w*|в\s+списк\w*|тізім\w*\s+енгізіл\w*"
    r"|енгізілген|included\s+in(?:to)?\s+the\s+(?:voter\s+)?lists?|registered|избирател\w+\s+в\s+списк\w*"
    r"|тізімдегі|имеющ\w+\s+право|eligible|құқығы\s+бар",
    "ballots_issued": r"получил\w*\s+(?:избирательн\w+\s+)?бюллетен\w*|бюллетен\w*\s+получил\w*"
    r"|бюллетен\w*[^.,;]{0,40}?\sалд[ыі]\w*|бюллетень\s+алған|received\s+(?:the\s+)?ballot\w*"
    r"|ballots?\s+(?:were\s+)?issued|выдано|берілген|принял\w*\s+участие|took\s+part|participated"
    r"|қатысты|қатысушы\w*\s+саны",
    "invalid": r"недействительн\w*|жарамсыз\w*|invalid|испорчен\w*",
    "valid_not_counted": r"оба\s+вариант\w*|both\s+(?:options|answers)|екі\s+(?:жауап|нұсқа)\w*",
    "valid": r"(?<![Нн]е)(?<!не\s)действительн\w*|(?<!\w)жарамды\w*|(?<![Ii]n)valid",
}
_LABELS = {line: re.compile(pattern, re.IGNORECASE) for line, pattern in LINE_LABELS.items()}
_ANY_LABEL = re.compile("|".join(f"(?:{p})" for p in LINE_LABELS.values()), re.IGNORECASE)
_TURNOUT_LABEL = re.compile(r"явк\w*|turnout|сайлауға\s+қатысу\w*|қатысқан", re.IGNORECASE)

_SP = "[ \u00a0\u2009\u202f]"
_NUMBER = re.compile(
    rf"\d{{1,3}}\s*(?:млн\.?|миллион\w*|million)\s*(?:\d{{1,3}}\s*(?:тысяч\w*|тыс\.?|мың|thousand))?\s*\d{{0,3}}"
    rf"|\d{{1,3}}(?:{_SP}\d{{3}})+(?![\d])"
    rf"|\d{{1,3}}(?:,\d{{3}})+(?![\d.,]*%)"
    rf"|\d+(?:[.,]\d+)?(?:{_SP}?%)?",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r";|\n|(?<!\b\w)\.(?=\s+[\dA-ZА-ЯЁӘҒҚҢӨҰҮҺІ«\"])|\.$")
# Within a sentence, ", " (comma and space) and " и " / " and " separate figures: thousands commas in English
# copies and decimal commas never have a space after them.
_SUBCLAUSE_END = re.compile(r",\s|\s(?:и|а\s+также|and|және)\s|:\s")
# sentences about seats or the threshold name parties again, with figures that are not votes
_NOT_VOTES = re.compile(r"мандат|seats?\b|орын\w*|барьер|порог|шек\w*|threshold|барьер", re.IGNORECASE)
_MONTHS = (
    r"январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр|қаңтар|ақпан|наурыз|сәуір"
    r"|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан|january|february|march|april|may|june|july"
    r"|august|september|october|november|december"
)
# dates and times are no figures: masked (same length) before numbers are read
_DATES = re.compile(
    rf"\b\d{{1,2}}\s+(?:{_MONTHS})\w*(?:\s+\d{{4}}(?:\s*(?:года|г\.|жылғы|жылы|year))?)?"
    rf"|\b(?:{_MONTHS})\w*\s+\d{{1,2}}(?:,\s*\d{{4}})?"
    r"|\b\d{4}\s*(?:года|году|год|г\.|жылғы|жылы|ж\.)"
    r"|\b(?:19|20)\d{2}\b(?!\s*[%\d])"
    r"|\b\d{1,2}:\d{2}\b|\b\d{2}\.\d{2}\.\d{4}\b",
    re.IGNORECASE,
)


def _mask(text: str) -> str:
    return _DATES.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    is_percent: bool


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[_Token]:
    out = []
    for m in _NUMBER.finditer(text, start, len(text) if end is None else end):
        raw = m.group(0).strip()
        if not raw:
            continue
        after = text[m.end() : m.end() + 12]
        is_percent = raw.endswith("%") or bool(re.match(r"\s*(?:%|пайыз|процент|percent)", after, re.I))
        out.append(_Token(m.start(), m.end(), raw, is_percent))
    return out


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause: sentences split further at ", " and conjunctions."""
    spans = []
    for start, end in _sentences(text):
        sub_start = start
        for sub in _SUBCLAUSE_END.finditer(text, start, end):
            spans.append((sub_start, sub.start()))
            sub_start = sub.end()
        spans.append((sub_start, end))
    return [(a, b) for a, b in spans if b > a]


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in [*_CLAUSE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        if end > start:
            spans.append((start, end))
        start = m.end() if m else len(text)
    return spans


_APPROXIMATE = re.compile(
    r"(?:более|около|свыше|почти|порядка|менее|примерно|more\s+than|over|about|almost|nearly|around"
    r"|шамамен|астам|жуық)\s*$",
    re.IGNORECASE,
)
