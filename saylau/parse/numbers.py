"""Numbers as the CEC and the press write them, read with certainty or not at all.

Counts come with space, thin-space or non-breaking-space thousands separators ("5 148 074"); percentages
with a decimal comma or point, with or without "%" ("71,09%", "10,95 %", "56,4 пайыз", "– 55%").
A string that could mean two different numbers ("1.234" as a count) raises :class:`UncertainNumber`:
the parser reports it, it never guesses.

:func:`count_cell` reads one cell of a table (observers' exports, precinct tables): the same certainty,
for what spreadsheets write rather than what the press writes.
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


_COMMA_COUNT = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_WORDS_COUNT = re.compile(
    r"^(?:(?P<mln>\d{1,3})\s*(?:млн\.?|миллион\w*|million))?\s*"
    r"(?:(?P<thousand>\d{1,3})\s*(?:тыс\.?|тысяч\w*|мың|thousand))?\s*(?P<rest>\d{1,3})?$",
    re.IGNORECASE,
)


def parse_count(text: str, lang: str = "ru") -> int:
    """A whole count: "5 148 074" (any space as thousands separator), "6 млн 456 тысяч 393", and in English
    copies "7,539,280" (a comma before three digits is a thousands separator only in English)."""
    s = text.strip().strip("–—-").strip()
    if _COUNT.match(s):
        return int(re.sub(_SPACE_CLASS, "", s))
    if lang == "en" and _COMMA_COUNT.match(s):
        return int(s.replace(",", ""))
    words = _WORDS_COUNT.match(re.sub(_SPACE_CLASS, " ", s))
    if words and (words.group("mln") or words.group("thousand")):
        return (
            int(words.group("mln") or 0) * 1_000_000
            + int(words.group("thousand") or 0) * 1_000
            + int(words.group("rest") or 0)
        )
    if _DOTTED_COUNT.match(s):
        raise UncertainNumber(
            text, "a dot or comma before three digits may be a thousands separator or a decimal"
        )
    raise UncertainNumber(text, "not a count")


# What a spreadsheet cell may hold between the digits of a count: any space, and "'" (Swiss-style
# thousands separator some locales save).
_CELL_SEPARATORS = re.compile(rf"[\s{SPACES}']+")
_CELL_WHOLE = re.compile(r"^[-+]?\d+$")
_CELL_SPREADSHEET_WHOLE = re.compile(r"^[-+]?\d+\.0+$")  # a whole number saved as a float: "123.0"


def count_cell(text: str | None) -> int | None:
    """One table cell as a whole count: ``"1 234"``, ``"1\u00a0234"`` -> 1234; ``"123.0"`` (a spreadsheet's
    whole number) -> 123; ``None`` or a blank cell -> ``None`` (missing, never 0).

    A sign is kept (``"-3"`` -> -3) so validation, not the reader, rejects a negative count, naming it.
    Anything else raises :class:`UncertainNumber` carrying the text as written: ``"12o0"``, ``"1.5"``, and
    ``"1.000"`` / ``"1,000"`` (a thousands separator or a decimal: the reader does not guess).
    """
    if text is None:
        return None
    s = text.strip()
    if not s:
        return None
    joined = _CELL_SEPARATORS.sub("", s)
    if _CELL_WHOLE.match(joined):
        return int(joined)
    if _DOTTED_COUNT.match(joined.lstrip("+-")):
        raise UncertainNumber(
            text, "a dot or comma before three digits may be a thousands separator or a decimal"
        )
    if _CELL_SPREADSHEET_WHOLE.match(joined):
        return int(joined.split(".", 1)[0])
    raise UncertainNumber(text, "not a whole count")


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
