"""Numbers as the CEC and the press write them, read with certainty or not at all.

Counts come with space, thin-space or non-breaking-space thousands separators ("5 148 074"); percentages
with a decimal comma or point, with or without "%" ("71,09%", "10,95 %", "56,4 пайыз", "– 55%").
A string that could mean two different numbers ("1.234" as a count) raises :class:`UncertainNumber`:
the parser reports it, it never guesses.
"""

from __future__ import annotations

import re

SPACES = "\u0020\u00a0\u2009\u202f\u2007\u200a"
_SPACE_CLASS = f"[{SPACES}]"
_COUNT = re.compile(rf"^\d{{1,3}}(?:{_SPACE_CLASS}\d{{3}})+$|^\d+$")
_DOTTED_COUNT = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_PERCENT = re.compile(r"^(\d{1,3})(?:[.,](\d{1,3}))?$")
_PERCENT_SIGNS = re.compile(r"\s*(?:%|процент\w*|пайыз\w*|percent|per cent|pct)\s*$", re.IGNORECASE)


class UncertainNumber(ValueError):
    """Text that cannot be read as one number with certainty; carries the text."""

    def __init__(self, text: str, why: str) -> None:
        self.text = text
        super().__init__(f"cannot read {text!r} as a number with certainty: {why}")


def parse_count(text: str) -> int:
    """A whole count such as "5 148 074" (any space as thousands separator)."""
    s = text.strip().strip("–—-").strip()
    if _COUNT.match(s):
        return int(re.sub(_SPACE_CLASS, "", s))
    if _DOTTED_COUNT.match(s):
        raise UncertainNumber(
            text, "a dot or comma before three digits may be a thousands separator or a decimal"
        )
    raise UncertainNumber(text, "not a count")


def parse_percent(text: str) -> float:
    """A percentage such as "71,09%", "10,95 %", "56,4 пайыз", "55" -> 71.09, 10.95, 56.4, 55.0."""
    s = _PERCENT_SIGNS.sub("", text.strip().strip("–—-").strip())
    s = s.strip().strip("–—-").strip()
    m = _PERCENT.match(s)
    if not m:
        raise UncertainNumber(text, "not a percentage")
    value = float(f"{m.group(1)}.{m.group(2) or '0'}")
    if value > 100:
        raise UncertainNumber(text, "a share above 100%")
    return value
