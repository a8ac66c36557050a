"""One line per option from its readings on a page, and the check of each count against its printed share.

An option named several times on one page ("a list, then a sentence") is one line when every reading states
the same figure (percentages compared at the coarser of their printed precisions); with two different
figures it is a conflict and neither is taken (``named_twice_different``). A count that is not the printed
percentage of the page's denominator, beyond the rounding of the printed digits, is set aside
(``count_contradicts_share``), as are none of the page's other lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from saylau.parse.setaside import snippet

if TYPE_CHECKING:
    from saylau.parse.result_prose import ResultsStatement


@dataclass
class Reading:
    option_id: str
    surface: str
    start: int
    end: int
    votes: int | None = None
    share: float | None = None
    share_text: str | None = None


def _decimals(share_text: str | None) -> int:
    m = re.search(r"[.,](\d+)", share_text or "")
    return len(m.group(1)) if m else 0


def _same_share(a: Reading, b: Reading) -> bool:
    """Two printed shares are the same figure when they agree at the coarser of their precisions."""
    digits = min(_decimals(a.share_text), _decimals(b.share_text))
    return abs(a.share - b.share) <= 0.5 * 10**-digits + 1e-9


# --- one line per option --------------------------------------------------------------------------------


def combine(text: str, readings: list[Reading], result: ResultsStatement, denominator_rule: str) -> None:
    """The readings of each option into one line; different figures for one option are set aside."""
    by: dict[str, list[Reading]] = {}
    for r in readings:
        by.setdefault(r.option_id, []).append(r)
    kept: list[Reading] = []
    for option_id, rs in by.items():
        votes = sorted({r.votes for r in rs if r.votes is not None})
        with_share = [r for r in rs if r.share is not None]
        shares_agree = all(_same_share(a, b) for a in with_share for b in with_share)
        if len(votes) > 1 or not shares_agree:
            for r in rs:
                result.aside(
                    subject=r.surface,
                    text=snippet(text, r.start, r.end),
                    option_id=option_id,
                    line="votes" if r.votes is not None else "share",
                    value=r.votes,
                    share_pct=r.share,
                    rule="named_twice_different",
                    reason=f"{option_id} is named with different figures on one page "
                    f"({_figures(rs)}): neither is taken",
                )
            continue
        best = max(with_share, key=lambda r: _decimals(r.share_text), default=None)
        line = Reading(option_id, rs[0].surface, rs[0].start, rs[0].end, votes[0] if votes else None)
        if best is not None:
            line.share, line.share_text = best.share, best.share_text
        kept.append(line)
    contradicting = _contradicting(kept, result.lines, denominator_rule)
    for r in kept:
        if r.option_id in contradicting:
            result.aside(
                subject=r.surface,
                text=snippet(text, r.start, r.end, 40),
                option_id=r.option_id,
                line="votes",
                value=r.votes,
                share_pct=r.share,
                rule="count_contradicts_share",
                reason=contradicting[r.option_id],
            )
            continue
        if r.votes is not None:
            result.votes[r.option_id] = r.votes
        if r.share is not None:
            result.shares[r.option_id] = r.share


def _figures(rs: list[Reading]) -> str:
    return "; ".join(" ".join(x for x in (_count_text(r.votes), r.share_text) if x) for r in rs)


def _count_text(value: int | None) -> str | None:
    return None if value is None else f"{value:,}".replace(",", "\u00a0")


def _contradicting(readings: list[Reading], lines: dict[str, int], rule: str) -> dict[str, str]:
    """The options whose count is not the printed percentage of the page's denominator, with why.

    The denominator is the page's own: the valid ballots (elections) or the ballots cast (referendums)
    when the page states them; otherwise the one most of its lines agree on (each line's count and printed
    share, with the rounding of the printed digits, bound it), when a majority agree.
    """
    paired = [r for r in readings if r.votes is not None and r.share]
    stated = lines.get("ballots_issued") if rule == "ballots_cast" else lines.get("valid")
    bounds = {}
    for r in paired:
        half = 0.5 * 10 ** -_decimals(r.share_text)
        low = r.votes * 100 / (r.share + half)
        high = r.votes * 100 / (r.share - half) if r.share > half else float("inf")
        bounds[r.option_id] = (low - 1e-6, high + 1e-6)
    if stated is None:
        stated = _majority_point(list(bounds.values()))
        if stated is None:
            return {}
        how = "the denominator most of the page's lines agree on"
    else:
        how = "valid votes" if rule == "valid" else "ballots cast"
    out = {}
    for r in paired:
        low, high = bounds[r.option_id]
        if not low <= stated <= high:
            out[r.option_id] = (
                f"{_count_text(r.votes)} is {100 * r.votes / stated:.2f}% of {_count_text(round(stated))} "
                f"({how}), not the {r.share_text} printed beside it"
            )
    return out


def _majority_point(bounds: list[tuple[float, float]]) -> float | None:
    """A value inside more than half of the intervals (the most covered), or None when no majority."""
    if len(bounds) < 3:
        return None
    events = sorted([(lo, 0) for lo, _ in bounds] + [(hi, 1) for _, hi in bounds])
    best, best_at, depth = 0, None, 0
    for x, kind in events:
        depth += 1 if kind == 0 else -1
        if kind == 0 and depth > best:
            best, best_at = depth, x
    return best_at if best > len(bounds) / 2 else None
