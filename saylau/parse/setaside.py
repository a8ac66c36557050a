"""A figure of a CEC page that cannot be read with certainty: set aside with the text around it and why.

Parsers are figure by figure: every figure paired with certainty loads, every other one becomes a
:class:`SetAside` on the page (``ParsedPage.set_aside``), which staging writes to ``quarantine.cec_figures``
(:mod:`saylau.scrape.quarantine`). Nothing here guesses a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

TURNOUT = "turnout"
RESULT = "result"


@dataclass(frozen=True)
class SetAside:
    kind: str  # TURNOUT | RESULT
    text: str  # the text around the figure, as written (see :func:`snippet`)
    reason: str  # why it was set aside, in words
    subject: str | None = None  # what the figure is of, as written (region, party, candidate name)
    as_of: datetime | None = None
    contest_id: str | None = None
    # for a result line, what it would have been (all optional: a turnout figure leaves them empty)
    rule: str | None = None  # a short name of the reason: uncertain_number, named_twice_different, ...
    level: str | None = None  # national | region | tec | pec
    unit_id: str | None = None
    line: str | None = None  # a protocol line, 'votes' or 'share'
    option_id: str | None = None
    value: int | None = None  # the count as read, when one was read
    share_pct: float | None = None  # the percentage as read, when one was read
    status: str | None = None  # preliminary | final


def snippet(text: str, start: int, end: int, width: int = 60) -> str:
    """The text from ``start`` to ``end`` with up to ``width`` characters either side, on one line."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    piece = re.sub(r"\s+", " ", text[lo:hi]).strip()
    return ("…" if lo > 0 else "") + piece + ("…" if hi < len(text) else "")
