"""Results of single-member districts (from 2023), from a CEC release or a territorial commission's decision.

A page reports one contest (the Mazhilis' single-member districts, a regional maslikhat's, a district
maslikhat's: its title and opening say which) and, per district, a block under a heading that names the
district by its number ("Одномандатный территориальный избирательный округ № 3 (Актюбинская область)",
"№ 3 бір мандатты аумақтық сайлау округі", "Single-member territorial district No. 3"). A block states the
district's voters on the lists and who received ballots (in prose, either order of number and words), each
candidate's votes by name ("Сарапова Айжан Сериковна – 4 123 голоса", "А. С. Сарапова", "Aizhan Sarapova";
in prose or in a table under the heading), "against all", and who was elected.

Read figure by figure (pure: the page's text and tables in, rows and set-aside figures out). A name is read
with the names of the district's own candidates (:func:`saylau.candidates.district_candidate_names`: any
order of the names, initials, Cyrillic or Latin, one letter off). Set aside, never guessed:

- ``unknown_candidate``: votes beside a name that is none of the district's candidates;
- ``uncertain_number``: a count that can be read two ways ("4.123");
- ``named_twice_different``: an option or a line given two different figures in one block (neither taken);
- ``winner_contradicts_votes``: the elected candidate is not the one with most votes; the two candidates'
  votes are set aside (one of them is wrong, the page does not say which), the rest load;
- ``unknown_district``: a heading whose number names no district of the contest (its figures with it).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache

from saylau.candidates import district_candidate_names
from saylau.config import REFERENCE_DATA_DIR
from saylau.parse.numbers import UncertainNumber, parse_count
from saylau.parse.setaside import RESULT, SetAside, snippet
from saylau.reference import UnknownNameError, default_resolver

SINGLE_MEMBER = re.compile(
    r"одномандатн|бір\s*мандатты|single[- ]member|по\s+избирательным\s+округам|сайлау\s+округтері\s+бойынша",
    re.IGNORECASE,
)
_CONTESTS = (
    ("maslikhat_district", r"районн\w*\s+маслихат|аудандық\s+мәслихат|district\s+maslikhat"),
    ("maslikhat_regional_smd", r"областн\w*\s+маслихат|облыстық\s+мәслихат|regional\s+maslikhat"),
    ("mazhilis_smd", r"мажилис|мәжіліс|mazhilis"),
)
# a district's heading: the word for a district next to its number, on a short line of its own
_HEADING = re.compile(
    r"округ\w*\s*(?:№|N|No\.?)\s*(\d{1,3})\b|(?:№|N)\s*(\d{1,3})\s+[^\n]{0,60}?округі"
    r"|district\s+(?:№|No\.?|N)\s*(\d{1,3})\b",
    re.IGNORECASE,
)
_COMMISSION = re.compile(r"комисси|комиссия|commission", re.IGNORECASE)
_TEC = re.compile(
    r"(?:территориальн\w*\s+избирательн\w*\s+комисси\w*|аумақтық\s+сайлау\s+комиссиясы"
    r"|territorial\s+election\s+commission)\s*(?:№|No\.?|N)\s*(\d+)",
    re.IGNORECASE,
)
_SP = "[ \u00a0\u2009\u202f]"
_NUMBER = re.compile(rf"(?<![\d.,])\d{{1,3}}(?:(?:{_SP}|[.,])\d{{3}})+(?![\d])|(?<![\d.,])\d+(?![\d]|[.,]\d)")
_PERCENT = re.compile(r"\(?\s*\d+(?:[.,]\d+)?\s*%\s*\)?|\d+(?:[.,]\d+)?\s*(?:процент\w*|пайыз\w*|percent)")
_LINES = (
    ("invalid", r"недействительн|жарамсыз|invalid"),
    ("valid", r"действительн|жарамды|valid"),
    ("ballots_issued", r"получил\w*|алды|алған|received"),
    ("registered", r"включен\w*|внесен\w*|енгізілген|included|on\s+the\s+lists"),
)
_AGAINST_ALL = re.compile(r"против\s+всех|бәріне\s+қарсы|against\s+all", re.IGNORECASE)
_ELECTED = re.compile(r"избран|сайлан|elected|признан\w*\s+победител|жеңімпаз|winner", re.IGNORECASE)
_VOTE_LINE = re.compile(
    rf"^\s*(?:\d+[.)]\s*)?(?P<name>[^\d\n–—:;]{{3,90}}?)\s*[–—:-]\s*(?P<n>\d[\d{_SP[1:-1]}.,]*\d|\d)"
    r"\s*(?:голос|дауыс|votes?)",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class DistrictResult:
    """One district's figures as a page states them."""

    contest_id: str
    district_id: str
    region_code: str
    lines: dict[str, int] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)  # candidate option_id or 'against_all'
    elected: str | None = None  # the candidate the page says was elected


@dataclass
class DistrictPage:
    contest_id: str | None
    districts: list[DistrictResult] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)


@cache
def _districts(election_id: str) -> dict[tuple, tuple[str, str]]:
    """(contest, number, region or None, tec_id or None) -> (district_id, region_code)."""
    out = {}
    with (REFERENCE_DATA_DIR / "districts.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["election_id"] != election_id:
                continue
            n, contest, region, tec = int(r["number"]), r["contest_id"], r["region_code"], r["tec_id"] or None
            key = (contest, n, None, None) if contest == "mazhilis_smd" else (contest, n, region, tec)
            out[key] = (r["district_id"], region)
    return out


def contest_of(title: str, text: str) -> str | None:
    """The single-member contest a page reports, from its title, else the start of its text."""
    for where in (title, text[:800]):
        for contest, pattern in _CONTESTS:
            if re.search(pattern, where, re.IGNORECASE):
                return contest
    return None


def _count(text: str, lang: str) -> int:
    return parse_count(re.sub(r"^[^\d]+|[^\d]+$", "", text), lang)


def _headings(text: str) -> list[tuple[int, int, int]]:
    """(start of line, end of line, district number) of every district heading in the text."""
    out, pos = [], 0
    for line in text.split("\n"):
        m = _HEADING.search(line)
        if (
            m
            and len(line) <= 200
            and not _COMMISSION.search(line)
            and not _NUMBER.search(_HEADING.sub("", line))
        ):
            out.append((pos, pos + len(line), int(next(g for g in m.groups() if g))))
        pos += len(line) + 1
    return out


class _Block:
    """One district's block: its figures gathered, then settled into a :class:`DistrictResult`."""

    def __init__(self, result: DistrictResult, election_id: str, lang: str, aside) -> None:
        self.r, self.lang, self.aside = result, lang, aside
        self.names = district_candidate_names(election_id, result.district_id)
        self.readings: dict[str, list[tuple[int, str]]] = {}  # option or line -> (value, text)

    def add(self, key: str, value_text: str, context: str, subject: str | None = None) -> None:
        line = key if not key.startswith("@") else "votes"
        option = key[1:] if key.startswith("@") else None
        try:
            value = _count(value_text, self.lang)
        except UncertainNumber as exc:
            self.aside(context, str(exc), "uncertain_number", subject, self.r, line, option)
            return
        self.readings.setdefault(key, []).append((value, context))

    def prose(self, text: str) -> None:
        for raw in re.split(r"(?<=;)\s+|(?<=[^\W\d_]{2}\.)\s+|\n", text):
            clause = _PERCENT.sub(" ", raw)
            if _ELECTED.search(clause):
                named = {o for _, _, o, _ in self.names.find(clause)}
                self.r.elected = named.pop() if len(named) == 1 else self.r.elected
                continue
            found = self.names.find(clause)
            against = _AGAINST_ALL.search(clause)
            if found or against:
                self._options(clause, found, against)
                continue
            for m in _VOTE_LINE.finditer(clause):  # votes beside a name of nobody standing here
                self.aside(clause.strip(), f"{m.group('name').strip()!r} is none of the candidates of "
                           f"{self.r.district_id}", "unknown_candidate", m.group("name").strip(), self.r,
                           "votes")  # fmt: skip
            if _VOTE_LINE.search(clause):
                continue
            numbers = _NUMBER.findall(clause)
            for line, pattern in _LINES:
                if len(numbers) == 1 and re.search(pattern, clause, re.IGNORECASE):
                    self.add(line, numbers[0], clause.strip())
                    break

    def _options(self, clause: str, found, against) -> None:
        spans = [(s, e, o, surface) for s, e, o, surface in found]
        if against:
            spans.append((against.start(), against.end(), "against_all", against.group(0)))
        spans.sort()
        for i, (_start, end, option, surface) in enumerate(spans):
            stop = spans[i + 1][0] if i + 1 < len(spans) else len(clause)
            m = _NUMBER.search(clause, end, stop)
            if m and not re.search(r"[^\s–—:,-]", clause[end : m.start()].replace("голос", "")[:12]):
                self.add("@" + option, m.group(0), clause.strip(), surface)

    def table(self, rows: list[list[str]]) -> None:
        for cells in rows[1:]:
            cells = [c for c in cells if c.strip()]
            if len(cells) < 2:
                continue
            name, value = cells[-2], cells[-1]
            context = " | ".join(cells)
            if _AGAINST_ALL.search(name):
                self.add("@against_all", value, context, name)
                continue
            option = self.names.resolve(name)
            if option is None:
                self.aside(context, f"{name!r} is none of the candidates of {self.r.district_id}",
                           "unknown_candidate", name, self.r, "votes")  # fmt: skip
                continue
            self.add("@" + option, value, context, name)

    def settle(self) -> DistrictResult:
        for key, readings in self.readings.items():
            values = sorted({v for v, _ in readings})
            option = key[1:] if key.startswith("@") else None
            line = "votes" if option else key
            if len(values) == 1:
                target = self.r.votes if option else self.r.lines
                target[option or key] = values[0]
                continue
            for value, context in readings:
                self.aside(context, f"{option or line} of {self.r.district_id} is given as "
                           f"{' and '.join(map(str, values))}: neither is taken", "named_twice_different",
                           option or line, self.r, line, option, value)  # fmt: skip
        self._check_winner()
        return self.r

    def _check_winner(self) -> None:
        r = self.r
        candidates = {o: v for o, v in r.votes.items() if o != "against_all"}
        if r.elected is None or not candidates:
            return
        top = max(candidates.values())
        leaders = [o for o, v in candidates.items() if v == top]
        if r.elected in leaders:
            return
        for option in {r.elected, *leaders} & set(candidates):
            self.aside(f"{r.district_id}: {option} {candidates[option]}", f"the page names {r.elected} "
                       f"elected in {r.district_id}, but {', '.join(leaders)} has most votes ({top}): the two "
                       "counts are not taken", "winner_contradicts_votes", option, r, "votes", option,
                       candidates.pop(option))  # fmt: skip
            r.votes.pop(option)


def read_district_results(
    title: str,
    text: str,
    tables: list[list[list[str]]],
    captions: list[str],
    election_id: str,
    lang: str = "ru",
    region: str | None = None,
) -> DistrictPage:
    """Every district block of a page: its figures and what was set aside. ``region`` is the region of
    the territorial commission publishing the page (from its URL), else read from the headings."""
    contest = contest_of(title, text)
    page = DistrictPage(contest)
    if contest is None:
        return page
    known = _districts(election_id)
    tec = _TEC.search(title + "\n" + text[:1500])

    def aside(context, reason, rule, subject, r, line=None, option=None, value=None) -> None:
        page.set_aside.append(
            SetAside(RESULT, context, reason, subject, None, contest, rule=rule, level="district",
                     unit_id=r.district_id if r else None, line=line, option_id=option, value=value)
        )  # fmt: skip

    def district(heading: str, number: int) -> DistrictResult | None:
        where = region or _region_in(heading)
        tec_id = (
            f"{where}/T{int(tec.group(1)):02d}" if tec and where and contest == "maslikhat_district" else None
        )
        key = (contest, number, None, None) if contest == "mazhilis_smd" else (contest, number, where, tec_id)
        if key not in known:
            return None
        district_id, code = known[key]
        return DistrictResult(contest, district_id, code)

    heads = _headings(text)
    blocks: dict[str, _Block] = {}
    for i, (start, end, number) in enumerate(heads):
        heading = text[start:end]
        body = text[end : heads[i + 1][0] if i + 1 < len(heads) else len(text)]
        r = district(heading, number)
        if r is None:
            aside(snippet(text, start, end), f"{heading.strip()!r} names no district of {contest} in "
                  f"{election_id}: its figures are not taken", "unknown_district", heading.strip(), None)  # fmt: skip
            continue
        block = blocks.setdefault(r.district_id, _Block(r, election_id, lang, aside))
        block.prose(body)
    for caption, rows in zip(captions, tables, strict=False):
        m = _HEADING.search(caption)
        r = district(caption, int(next(g for g in m.groups() if g))) if m else None
        if r is None:
            continue
        blocks.setdefault(r.district_id, _Block(r, election_id, lang, aside)).table(rows)
    page.districts = [b.settle() for b in blocks.values()]
    return page


def _region_in(heading: str) -> str | None:
    """The region a heading names in brackets ("(Восточно-Казахстанская область)"), if any."""
    for inside in re.findall(r"\(([^)]+)\)", heading):
        try:
            return default_resolver().region(inside.strip())
        except UnknownNameError:
            continue
    return None
