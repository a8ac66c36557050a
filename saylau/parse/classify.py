"""What kind of page a CEC page is, from its title (first) and body, in Russian, Kazakh or English.

A results page whose headline says neither "final" nor "preliminary results" ("CEC announces election
results", "Tokayev wins with 81.31%", "Тоқаев 81,31% дауыспен жеңді", "Токаев набирает 81,31%") is known by
its content: a list of two or more parties, candidates or "against all", each with its votes or share, on a
page about votes. Its status is what its text says ("предварительн", "алдын ала", "preliminary" or
"окончательн", "түпкілікті", "final"); a page that says neither is final when it gives vote counts and
preliminary when it gives shares only (the CEC's preliminary communique gives shares). Unrelated pages
(press releases about seminars, accreditation, ...) are recorded as such and not parsed.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache


class PageKind(StrEnum):
    TURNOUT = "turnout_bulletin"
    PRELIMINARY = "preliminary_results"
    FINAL = "final_results"
    RESOLUTION = "resolution"
    MASLIKHAT = "maslikhat_decision_link"
    PROTOCOL = "precinct_protocol"
    DISTRICTS = "district_results"
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
    # results of single-member districts (from 2023): a CEC release or a commission's decision
    (
        PageKind.DISTRICTS,
        re.compile(
            r"(?:итог|результат|қорытынды|нәтиже|result)[^\n]{0,160}(?:одномандатн|бір\s*мандатты|single[- ]member)"
            r"|(?:одномандатн|бір\s*мандатты|single[- ]member)[^\n]{0,160}(?:итог|результат|қорытынды|нәтиже|result)",
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
_ELECTION_WORDS = re.compile(
    r"выбор|сайлау|election|голосован|дауыс|vote|референдум|referendum", re.IGNORECASE
)


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
    by_title = next((kind for kind, pattern in _RULES if pattern.search(title)), None)
    if by_title in (None, PageKind.TURNOUT) and _lists_results(title + "\n" + body):
        return _results_status(title + "\n" + body)
    if by_title is not None:
        return by_title
    for kind, pattern in _RULES:
        if not pattern.search(body[:600]):
            continue
        # from the body alone, a results or turnout word counts only on a page about an election at all
        results_kind = kind in (PageKind.TURNOUT, PageKind.PRELIMINARY, PageKind.FINAL)
        if results_kind and not _ELECTION_WORDS.search(body[:2000]):
            continue
        return kind
    return PageKind.UNRELATED


_FIGURE_AFTER = re.compile(
    r"[^\d\n;]{0,40}?(?<![\w])(\d{1,3}(?:[ \u00a0\u2009\u202f,]\d{3})+|\d+(?:[.,]\d+)?\s*%?)"
)
_VOTE_WORDS = re.compile(r"голос|дауыс|votes?\b|проголосовал|ballots?\b|бюллетен", re.IGNORECASE)
_PRELIMINARY_WORDS = re.compile(r"предварительн|алдын\s+ала|preliminary", re.IGNORECASE)
_FINAL_WORDS = re.compile(r"окончательн|түпкілікті|\bfinal\b", re.IGNORECASE)


@cache
def _names():
    """Every party, candidate (of any election) and "against all" as the reference data names them."""
    from saylau.candidates import CandidateNames, read_candidates
    from saylau.parse.result_prose import find_parties
    from saylau.reference import default_resolver

    everyone = CandidateNames([c for cs in read_candidates().values() for c in cs])
    return lambda text: find_parties(text, default_resolver()) + everyone.find(text)


def _lists_results(text: str) -> bool:
    """Whether the text lists two or more options with a figure each (votes or a share), about votes."""
    text = text[:6000]
    if not _VOTE_WORDS.search(text):
        return False
    with_figures, shares = set(), 0
    for _, end, option, _ in _names()(text):
        m = _FIGURE_AFTER.match(text, end)
        if m:
            with_figures.add(option)
            shares += m.group(1).endswith("%")
    return len(with_figures) >= 2 and (shares >= 2 or bool(re.search(r"голос|дауыс|votes?\b", text, re.I)))


def _results_status(text: str) -> PageKind:
    if _PRELIMINARY_WORDS.search(text):
        return PageKind.PRELIMINARY
    if _FINAL_WORDS.search(text):
        return PageKind.FINAL
    counts = re.search(r"\d{1,3}(?:[ \u00a0\u2009\u202f,]\d{3}){2,}", text)
    return PageKind.FINAL if counts else PageKind.PRELIMINARY
