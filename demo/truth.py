"""The ground truth of what each page of the CEC double states: every figure a careful reader takes, and
every figure such a reader must not take, with the reason.

The pages record what they state as they are rendered (a bulletin each region's figure as its line
gives it, a results communique each protocol line, option and table cell), so the record cannot drift
from the text. A :class:`Figure` is *certain* when the page pairs it with one unit and one number beyond
doubt (even with a misspelt name one edit off a single region, a missing "%" in a list of percentages, or
the time given only in the headline); it is *uncertain* when a careful reader must set it aside:

- ``ambiguous name``: a name one edit off two or more regions ("Est Kazakhstan region", "по ЖКО");
  ``unit`` is None, the region it was meant for has no certain figure on that page;
- ``given twice``: a region given twice with two different values; both are uncertain, neither taken.

:func:`page_truth` gives the figures of one URL as the site serves it at its clock's time (version and
layout included); :func:`site_truth` every bulletin and results page the site has published;
:func:`write_truth` writes them as JSON lines. Pages that state no turnout or results figure (notices,
listings, resolutions restating the final figures, the commissions' documents, whose figures are the
official protocols themselves) have no record.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One figure a page states.

    ``kind`` is ``bulletin`` (a turnout bulletin: ``line`` = ``turnout_pct``, ``as_of`` the time it gives,
    naive local time) or ``results`` (``status`` preliminary or final; ``line`` one of ``registered``,
    ``ballots_issued``, ``invalid``, ``valid``, ``valid_not_counted`` (both options marked), ``turnout_pct``,
    ``votes`` or ``share``, the last two with ``option``). ``unit`` is ``KZ`` for the country, a region's
    ISO code, or None where no region can be paired.
    """

    kind: str
    unit: str | None
    line: str
    value: float | int
    option: str | None = None
    as_of: datetime | None = None
    status: str = ""
    certain: bool = True
    reason: str = ""
    noise: str = ""  # the kind of noise on its line (demo.noise.KINDS), "" on a tidy line
    text: str = ""  # the words that state it

    @property
    def key(self) -> tuple:
        return (self.kind, self.unit, self.line, self.option, self.as_of)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["as_of"] = self.as_of.isoformat() if self.as_of else None
        return out


class Recorder:
    """Collects the figures a page states while it is rendered (a no-op when nobody listens)."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def __call__(self, figure: Figure) -> None:
        self.figures.append(figure)

    def result(self) -> list[Figure]:
        """Each figure once: a figure stated twice with one value (list and table, list and sentence) is one
        certain figure; a unit whose figure is certain once and uncertain elsewhere stays uncertain."""
        out: dict[tuple, Figure] = {}
        doubtful = {f.key for f in self.figures if not f.certain and f.unit is not None}
        values: dict[tuple, set] = {}
        for f in self.figures:
            if f.certain:
                values.setdefault(f.key, set()).add(f.value)
        for f in self.figures:
            if f.certain and (f.key in doubtful or len(values[f.key]) > 1):
                continue
            key = (*f.key, f.value, f.certain, f.text if not f.certain else "")
            if key not in out or (f.noise and not out[key].noise):
                out[key] = f
        return list(out.values())


def _ignore(figure: Figure) -> None:
    return None


IGNORE = _ignore


def page_truth(site: Any, url: str) -> list[Figure]:
    """The figures the page at ``url`` (path and query, or a whole URL) states, as ``site`` (a
    :class:`demo.site.DemoSite`) serves it now; [] for pages that state none."""
    return site.truth(url)


def site_truth(site: Any) -> dict[str, list[Figure]]:
    """URL (path and query) -> figures, for every bulletin and results page published by the site's clock."""
    out = {}
    for url in site.figure_urls():
        out[url] = page_truth(site, url)
    return out


def write_truth(site: Any, path: Path) -> int:
    """Write :func:`site_truth` as JSON lines (one figure a line, with its ``url``); returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for url, figures in site_truth(site).items():
            for figure in figures:
                f.write(json.dumps({"url": url, **figure.as_json()}, ensure_ascii=False) + "\n")
                n += 1
    return n
