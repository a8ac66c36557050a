"""What kind of page a CEC page is, from its title (first) and body, in Russian, Kazakh or English.

Unrelated pages (press releases about seminars, accreditation, ...) are recorded as such and not parsed.
"""

from __future__ import annotations

import re
from enum import StrEnum


class PageKind(StrEnum):
    TURNOUT = "turnout_bulletin"
    PRELIMINARY = "preliminary_results"
    FINAL = "final_results"
    RESOLUTION = "resolution"
    MASLIKHAT = "maslikhat_decision_link"
    PROTOCOL = "precinct_protocol"
    LISTING = "listing"
    UNRELATED = "unrelated"


# In order of precedence: the first kind whose pattern matches the title wins.
_RULES: list[tuple[PageKind, re.Pattern]] = [
    (
        PageKind.PROTOCOL,
        re.compile(
            r"протокол\w*[^.\n]{0,60}участк|участк\w*[^.\n]{0,60}протокол|хаттама\w*[^.\n]{0,60}учаске|учаске\w*[^.\n]{0,60}хаттама|(?:precinct|polling\s+station)[^.\n]{0,40}protocol"
            r"|protocol[^.\n]{0,60}(?:precinct|polling\s+station)",
            re.IGNORECASE,
        ),
    ),
    (
        PageKind.MASLIKHAT,
        re.compile(
            r"(?:маслихат|мәслихат|maslikhat)\w*[^.\n]{0,80}(?:решени|шешім|decision|итог|қорытынды|result)"
            r"|(?:решени|шешім|decision|итог|қорытынды|results?)\w*[^.\n]{0,80}(?:маслихат|мәслихат|maslikhat)",
            re.IGNORECASE,
        ),
    ),
    (
        PageKind.TURNOUT,
        re.compile(
            r"явк|получил\w*\s+(?:избирательн\w+\s+)?бюллетен|бюллетень\s+алд|сайлауға\s+қатыс|қатысуы"
            r"|қатысу(?![а-яәғқңөұүһі])|turnout"
            r"|received\s+(?:the\s+)?ballot",
            re.IGNORECASE,
        ),
    ),
    (PageKind.PRELIMINARY, re.compile(r"предварительн|алдын\s+ала|preliminary", re.IGNORECASE)),
    (PageKind.RESOLUTION, re.compile(r"постановлени|қаулы|resolution", re.IGNORECASE)),
    (
        PageKind.FINAL,
        re.compile(
            r"окончательн|итог\w*\s+(?:выбор|голосован)|результат\w*\s+выбор|қорытынды|түпкілікті|нәтиже"
            r"|final\s+results|results\s+of\s+the\s+(?:election|vote)",
            re.IGNORECASE,
        ),
    ),
]
_ELECTION_WORDS = re.compile(r"выбор|сайлау|election|голосован|дауыс|vote|референдум|referendum", re.IGNORECASE)


def classify_page(title: str, body: str = "", url: str = "") -> PageKind:
    """The kind of a page: decided by its title when the title says, else by the start of its body.

    Pages in the ``acts`` section are resolutions (one that establishes the results is a resolution, not a
    results communique), unless they are precinct protocols or maslikhat decisions.
    """
    kind = _classify(title, body)
    if "/news/acts/" in url and kind not in (PageKind.PROTOCOL, PageKind.MASLIKHAT):
        return PageKind.RESOLUTION
    return kind


def _classify(title: str, body: str) -> PageKind:
    for from_body, text in ((False, title), (True, body[:600])):
        for kind, pattern in _RULES:
            if not pattern.search(text):
                continue
            # from the body alone, a results or turnout word counts only on a page about an election at all
            results_kind = kind in (PageKind.TURNOUT, PageKind.PRELIMINARY, PageKind.FINAL)
            if from_body and results_kind and not _ELECTION_WORDS.search(body[:2000]):
                continue
            return kind
    return PageKind.UNRELATED
