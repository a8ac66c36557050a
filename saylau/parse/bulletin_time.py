"""A turnout bulletin's time, wherever and however the copy writes it.

The CEC's bulletins come every two hours of election day, at times that changed from election to election
(:data:`SCHEDULES`): 10:00..22:00 in 2021; 10:05, 12:05, .. 18:05 and 22:00 in 2022; 10:10..22:10 in 2023;
10:00..20:00 in 2024. The time is in the capital's local time (UTC+6 until 1 March 2024, UTC+5 after; see
``ref.elections.utc_offset_hours``) and is written in the title, in the text or only in the headline:
"на 10:00", "К 16:00", "16.00", "20 часов", "сағат 12:00-дегі", "as of 6:10 pm local time", "by 02:00 pm".

A copy also carries times that are not the bulletin's: its own time stamp ("10.01.2021 10:19"), the hours
polling stations open and close. So a time counts by how it is written (after "на", "к", "as of", before
"часов", "pm", "-дегі": :data:`CUED`) and by the election's schedule, in this order of preference: a
written-as-a-time time of the schedule in the title, then in the text, then any time of the schedule; with
no schedule known, the same order over the times of the day a bulletin can have (09:00 to 23:59).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

SCHEDULES: dict[int, frozenset[tuple[int, int]]] = {
    2021: frozenset((h, 0) for h in range(10, 23, 2)),
    2022: frozenset([(10, 5), (12, 5), (14, 5), (16, 5), (18, 5), (22, 0)]),
    2023: frozenset((h, 10) for h in range(10, 23, 2)),
    2024: frozenset((h, 0) for h in range(10, 21, 2)),
}

_BEFORE_CUE = re.compile(
    r"(?:\bна|\bк|\bдо|\bв|по\s+состоянию\s+на|сағат|\bas\s+of|\bby|\bat|\buntil|\bas\s+at)\s*$",
    re.IGNORECASE,
)
_AFTER_CUE = re.compile(
    r"^(?:\s*(?:час|ч\.|ч\b|pm|am|p\.\s?m|a\.\s?m|local|astana|-?дегі|-?гі|-?ге|-?ға|-?да|-?де|\s+жағдай"
    r"|\s+сағат|\s+по\s+местному|\s+времени|\s+мин))",
    re.IGNORECASE,
)
_NOT_LOCAL = re.compile(r"^\s*\(?\s*(?:GMT|UTC|мск|Moscow|по\s+московскому)", re.IGNORECASE)
_CLOCK = re.compile(
    r"(?<![\d.,:])([01]?\d|2[0-3])([:.])([0-5]\d)(?![\d]|[.,]\d)(?:\s*([ap])\.?\s?m\b\.?)?", re.IGNORECASE
)
_HOUR_ONLY = re.compile(
    r"(?<![\d.,:])([01]?\d|2[0-3])\s*(?:([ap])\.?\s?m\b\.?|час(?:а|ов)?\b|ч\.|(утра|дня|вечера)\b)"
    r"|сағат\s+([01]?\d|2[0-3])(?![\d:.])",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(r"^\s*[-–—]?\s*(?:%|пайыз|процент|percent)", re.IGNORECASE)


@dataclass(frozen=True)
class TimeMention:
    start: int
    end: int
    hour: int
    minute: int
    cued: bool  # written as a time (see the module's docstring)


def _twelve_hour(hour: int, half: str | None) -> int:
    if half is None:
        return hour
    if half.lower() == "p" and hour < 12:
        return hour + 12
    if half.lower() == "a" and hour == 12:
        return 0
    return hour


def find_times(text: str) -> list[TimeMention]:
    """Every clock time in ``text`` that may be a bulletin's (not shares like "13.30 %", not GMT times)."""
    found = []
    for m in _CLOCK.finditer(text):
        after = text[m.end() : m.end() + 30]
        if _UNIT_AFTER.match(after) or _NOT_LOCAL.match(after):
            continue
        cued = bool(m.group(4)) or bool(_BEFORE_CUE.search(text[max(0, m.start() - 25) : m.start()]))
        cued = cued or bool(_AFTER_CUE.match(after))
        if m.group(2) == "." and not cued and m.group(3) not in ("00", "05", "10"):
            continue  # "13.30" uncued is a share more likely than a time
        hour = _twelve_hour(int(m.group(1)), m.group(4))
        found.append(TimeMention(m.start(), m.end(), hour, int(m.group(3)), cued))
    for m in _HOUR_ONLY.finditer(text):
        if any(t.start <= m.start() < t.end for t in found):
            continue
        hour = int(m.group(1) or m.group(4))
        half = m.group(2) or ("p" if m.group(3) in ("дня", "вечера") else None)
        found.append(TimeMention(m.start(), m.end(), _twelve_hour(hour, half), 0, True))
    return sorted(found, key=lambda t: t.start)


def bulletin_time(title: str, text: str, on: date | None = None) -> tuple[int, int] | None:
    """The bulletin's (hour, minute), or None when neither the title nor the text states one."""
    schedule = SCHEDULES.get(on.year) if on is not None else None
    in_title, in_text = find_times(title), find_times(text)

    def fits(t: TimeMention) -> bool:
        return (t.hour, t.minute) in schedule if schedule else 9 <= t.hour <= 23

    for times, cued_only in ((in_title, True), (in_text, True), (in_title, False), (in_text, False)):
        for t in times:
            if (t.cued or not cued_only) and fits(t):
                return t.hour, t.minute
    return None
