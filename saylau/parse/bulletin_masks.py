"""What in a bulletin's text is not a figure: news framing (links, tags, bylines, datelines, numbering, the
headline repeated), and numbers that are no share (times, dates, years, counts, numbers of documents).
Both are blanked to spaces of the same length, so positions still point into the original text; what
is left of the numbers are the shares :func:`find_percentages` returns."""

from __future__ import annotations

import re
from dataclasses import dataclass

from saylau.parse.bulletin_time import find_times
from saylau.parse.numbers import UncertainNumber, parse_percent

# --- masking what is not a figure -------------------------------------------------------------------------

_CAPS = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_FRAMING = [
    re.compile(r"https?://\S+|www\.\S+"),
    # tags, "read also" links, bylines and photo credits: whole lines
    re.compile(
        r"(?im)^[ \t]*(?:теги|тегтер|tags?|читайте\s+также|read\s+(?:also|more)|see\s+also|смотрите\s+также"
        r"|толығырақ|автор|author|фото|photo|сурет|источник|source)\b.*$"
    ),
    re.compile(r"(?m)^[ \t]*By(?:[ \t]+[A-Z][\w'.-]+){1,4}[ \t]*$"),
    # a dateline: a city in capitals at the start of a paragraph ("ASTANA. KAZINFORM –", "НУР-СУЛТАН, 10 января")
    re.compile(rf"(?m)^[ \t]*[{_CAPS}][{_CAPS}-]{{3,}}(?:[ \t]+[{_CAPS}-]{{2,}})*[ \t]*[.,]"),
    # list numbering ("1. Акмолинская область")
    re.compile(r"(?m)^[ \t]*\d{1,2}[.)](?=[ \t])"),
]
_DATE_WORDS = (
    r"январ\w*|феврал\w*|март\w*|апрел\w*|ма[йя]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|ноябр\w*|декабр\w*"
    r"|қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*|маусым\w*|шілде\w*|тамыз\w*|қыркүйек\w*|қазан\w*|қараша\w*"
    r"|желтоқсан\w*|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_NOT_SHARES = [
    re.compile(
        rf"(?<!\d)\d{{1,2}}\s+(?:{_DATE_WORDS})\b|\b(?:{_DATE_WORDS})\.?\s+\d{{1,2}}(?!\d)", re.IGNORECASE
    ),
    re.compile(r"(?<!\d)\d{1,2}[./]\d{1,2}[./]\d{2,4}(?!\d)"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)"),
    re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d,.])"),  # counts: "4 530 521"
    re.compile(r"(?:№|#|ID=)\s*\d+"),
]
_PERCENT_TOKEN = re.compile(
    r"(?<![\d,.:])(\d{1,3}(?:[.,]\d{1,2})?)(?![\d:])(?:[.,](?!\d))?[ \t]*[-–—]?[ \t]*"
    r"(%|пайыз\w*|процент\w*|percent|paiyz\w*|payyz\w*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: float
    text: str


def mask_framing(text: str, title: str = "") -> str:
    """The text with framing blanked out (same length, so positions still point into the original)."""
    masked = text
    for pattern in _FRAMING:
        masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
    headline = " ".join(title.split())
    if headline:
        lines, pos = [], 0
        for line in masked.split("\n"):
            lines.append(" " * len(line) if " ".join(line.split()) == headline else line)
            pos += len(line) + 1
        masked = "\n".join(lines)
    return masked


def blank_not_shares(text: str) -> str:
    """The text with times, dates, years and counts blanked out (same length)."""
    masked = text
    for t in find_times(text):
        masked = masked[: t.start] + " " * (t.end - t.start) + masked[t.end :]
    for pattern in _NOT_SHARES:
        masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
    return masked


def find_percentages(text: str) -> list[Number]:
    """Numbers that can be shares, with times, dates, years, counts and numbering masked out first."""
    masked = blank_not_shares(text)
    numbers = []
    for m in _PERCENT_TOKEN.finditer(masked):
        try:
            value = parse_percent(m.group(1))
        except UncertainNumber:
            continue
        numbers.append(Number(m.start(1), m.end(), value, m.group(0).strip()))
    return numbers
