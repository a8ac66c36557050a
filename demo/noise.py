"""The noise real copies of CEC pages carry, for the double to serve (``../shared/reference/cec_wording.md``,
section "What real copies add").

Most copies of a bulletin or a results communique that survive are news reprints: a headline repeating a
figure, a dateline naming a city in capitals ("НУР-СУЛТАН. КАЗИНФОРМ –", "ASTANA. KAZINFORM –"), a byline
with a time stamp, a lead sentence quoting a CEC member, a heading ("Явка по регионам:", "Voter turnout by
region:") and trailing tags and links. Inside the figures: a region name one edit off a single region
("Pavodar region"), a name as close to two or three regions ("Est Kazakhstan region", "ЖКО"), a region
given twice with two values (a copy error), a figure without its "%" ("13.3 in Turkestan region"), the
bulletin's time only in the text or only in the headline, the regions re-sorted by value, and parties or
candidates named twice (a list, then a sentence).

:class:`Noise` says which kinds a site serves (``Noise()`` = none, the tidy pages the double always
served; ``Noise.real()`` = all). Each page draws its own from a generator of the site seed, the page's ID
and language (:meth:`Noise.draw`), separate from the generator of the page's wording, so a tidy page is
the same bytes with or without the switch; about one page in five stays tidy when the noise is on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from rapidfuzz.distance import Levenshtein

from demo.wording import ASTANA_FROM, REGION_ORDER, REGION_ORDER_2022, region_forms
from saylau.reference import default_resolver, normalise_name

KINDS: tuple[str, ...] = (
    "headline",  # the title is a news headline repeating the national figure
    "dateline",  # "НУР-СУЛТАН. КАЗИНФОРМ –" before the first sentence
    "byline",  # author and a time stamp (not the bulletin's time)
    "quote",  # a lead sentence quoting a CEC member
    "heading",  # "Явка по регионам:" above the regions
    "tags",  # trailing tags and "read also" links
    "time_placement",  # the bulletin's time only in the text, or only in the title
    "pm_time",  # English "as of 6:10 pm local time"
    "typo",  # a region name one edit off a single region
    "ambiguous_name",  # a name one edit off two or three regions (not to be taken)
    "duplicate_region",  # a region given twice with two values (neither to be taken)
    "missing_unit",  # one figure of a list of percentages printed without "%"
    "resorted",  # regions sorted by value, not in the CEC's order
    "repeated_names",  # results: each party or candidate named in a list, then again in a sentence
)

# ambiguous names: one edit off the abbreviations or names of several regions (see closest_regions)
AMBIGUOUS = {"rus": "ЖКО", "kaz": "ЖҚО", "eng": "Est Kazakhstan region"}


@dataclass(frozen=True)
class PageNoise:
    """The noise one page carries (all off = a tidy page)."""

    kinds: frozenset[str] = frozenset()
    time_at: str = "both"  # both | text | title
    typo: str | None = None  # region code whose name is misspelt
    ambiguous: str | None = None  # region code whose name is replaced by an ambiguous one
    duplicate: str | None = None  # region code given a second, different value
    missing_unit: str | None = None  # region code printed without "%"
    byline_minutes: int = 0
    variant: int = 0  # which wording of the framing

    def has(self, kind: str) -> bool:
        return kind in self.kinds


@dataclass(frozen=True)
class Noise:
    """Which kinds of noise the site serves; ``tidy_share`` of the pages stay tidy all the same."""

    kinds: frozenset[str] = field(default_factory=frozenset)
    tidy_share: float = 0.2

    @classmethod
    def real(cls) -> Noise:
        return cls(frozenset(KINDS))

    @classmethod
    def named(cls, name: str) -> Noise:
        """``none``, ``real`` or a comma-separated list of kinds."""
        if name in ("", "none"):
            return cls()
        if name == "real":
            return cls.real()
        kinds = frozenset(k.strip() for k in name.split(","))
        unknown = kinds - set(KINDS)
        if unknown:
            raise ValueError(f"unknown noise kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
        return cls(kinds)

    def draw(
        self, rng: np.random.Generator, codes: tuple[str, ...] = (), has_table: bool = False
    ) -> PageNoise:
        """The noise of one page, from its own generator; ``codes`` are the regions the page lists."""
        if not self.kinds or rng.random() < self.tidy_share:
            return PageNoise()
        on = {
            k for k in sorted(self.kinds) if rng.random() < 0.6
        }  # sorted: a set's order follows the hash seed
        pick = {k: (str(rng.choice(codes)) if codes else None) for k in ("typo", "duplicate", "missing_unit")}
        time_at = str(rng.choice(["both", "text", "title"])) if "time_placement" in on else "both"
        ambiguous = str(rng.choice(["KZ-27", "KZ-63"]))
        chosen = {
            "typo": pick["typo"] if "typo" in on else None,
            "ambiguous": ambiguous if "ambiguous_name" in on and ambiguous in codes else None,
            "duplicate": pick["duplicate"] if "duplicate_region" in on and not has_table else None,
            "missing_unit": pick["missing_unit"] if "missing_unit" in on else None,
        }
        taken = {chosen["ambiguous"], chosen["duplicate"]}
        if chosen["typo"] in taken:
            chosen["typo"] = None
        if chosen["missing_unit"] in taken:
            chosen["missing_unit"] = None
        return PageNoise(
            frozenset(on),
            time_at,
            byline_minutes=int(rng.integers(3, 40)),
            variant=int(rng.integers(0, 3)),
            **chosen,
        )


# ------------------------------------------------------------------------------------ misspelt names


@cache
def _known_keys(lang: str) -> tuple[tuple[str, str], ...]:
    """(normalised name, region) of every name a reader may know: the reference data's and the pages'."""
    resolver = default_resolver()
    keys = {(normalise_name(n), resolver.region(n)) for n in resolver.alias_surfaces()}
    day = dt.date(2023, 1, 1)
    for code in REGION_ORDER_2022:
        for forms in region_forms(code, lang, day) + (
            region_forms(code, lang) if code in REGION_ORDER else ([], [])
        ):
            keys |= {(normalise_name(f), code) for f in forms}
    return tuple(sorted(keys))


_GENERIC = {"области", "область", "облысы", "бойынша", "қаласы", "region", "городу"}


def closest_regions(name: str, lang: str) -> tuple[int, tuple[str, ...]]:
    """(edits, regions) of the known names nearest ``name``: more than one region is an ambiguous name."""
    key = normalise_name(name)
    near = sorted((Levenshtein.distance(key, k), c) for k, c in _known_keys(lang))
    best = near[0][0]
    return best, tuple(sorted({c for d, c in near if d == best}))


def misspell(name: str, code: str, lang: str, rng: np.random.Generator) -> str:
    """``name`` with one letter dropped, doubled or swapped for a neighbour, still nearer ``code`` than any other
    region by a margin of two edits (so a careful reader pairs it with certainty); ``name`` when no such
    edit is found."""
    words = [(i, w) for i, w in enumerate(name.split(" ")) if len(w) >= 6 and w.lower() not in _GENERIC]
    if not words:
        return name
    for _ in range(40):
        i, word = words[int(rng.integers(0, len(words)))]
        at = int(rng.integers(2, len(word) - 2))
        edit = int(rng.integers(0, 3))
        if edit == 0:
            new = word[:at] + word[at + 1 :]
        elif edit == 1:
            new = word[:at] + word[at] + word[at:]
        else:
            new = word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]
        if new == word or not word[at].isalpha():
            continue
        candidate = " ".join(new if j == i else w for j, w in enumerate(name.split(" ")))
        key = normalise_name(candidate)
        near = sorted((Levenshtein.distance(key, k), c) for k, c in _known_keys(lang))
        best = near[0]
        rival = next((d for d, c in near if c != code), 99)
        if best[1] == code and best[0] == 1 and rival >= 3:
            return candidate
    return name


def ambiguous_form(name: str, lang: str) -> str:
    """An ambiguous name in the shape of ``name`` (with its "по" or "бойынша")."""
    bad = AMBIGUOUS[lang]
    if lang == "rus":
        return f"по {bad}" if name.startswith("по ") or name.startswith("в ") else bad
    if lang == "kaz":
        return f"{bad} бойынша" if name.endswith("бойынша") else bad
    return bad


# ------------------------------------------------------------------------------------------ framing


_AGENCY = {"rus": "КАЗИНФОРМ", "kaz": "ҚАЗАҚПАРАТ", "eng": "KAZINFORM"}
_CAPITAL_NAME = {
    "rus": ("НУР-СУЛТАН", "АСТАНА"),
    "kaz": ("НҰР-СҰЛТАН", "АСТАНА"),
    "eng": ("NUR-SULTAN", "ASTANA"),
}
_AUTHORS = ("Айгерим Сапарова", "Данияр Ермеков", "Ольга Ким")  # fictitious
_AUTHORS_EN = ("Aigerim Saparova", "Daniyar Yermekov", "Olga Kim")
_QUOTES = {
    "rus": "«Голосование на всех участках проходит в штатном режиме, нарушений, влияющих на итоги, не выявлено», – сообщил на брифинге член ЦИК Ерлан Абдыкалыков.",
    "kaz": "«Дауыс беру барлық учаскелерде қалыпты режимде өтіп жатыр», – деді брифингте Орталық сайлау комиссиясының мүшесі Ерлан Әбдіқалықов.",
    "eng": "“Voting at all polling stations is proceeding normally,” Yerlan Abdykalykov, a member of the Central Election Commission, told a briefing.",
}  # fmt: skip  # a fictitious member
_QUOTES_RESULTS = {
    "rus": "«Все протоколы территориальных комиссий поступили и проверены», – сообщил председатель ЦИК на брифинге.",
    "kaz": "«Аумақтық комиссиялардың барлық хаттамалары түсіп, тексерілді», – деді брифингте ОСК төрағасы.",
    "eng": "“All protocols of the territorial commissions have arrived and been checked,” the CEC chairman told a briefing.",
}  # fmt: skip
HEADING = {"rus": "Явка по регионам:", "kaz": "Өңірлер бойынша сайлаушылардың қатысуы:", "eng": "Voter turnout by region:"}  # fmt: skip
_TAGS = {
    "rus": ("Теги", ["выборы", "ЦИК", "явка", "голосование"], "Читайте также", ["Как голосуют в регионах", "Наблюдатели на участках"]),
    "kaz": ("Тегтер", ["сайлау", "ОСК", "қатысу"], "Оқи отырыңыз", ["Өңірлерде дауыс беру қалай өтуде"]),
    "eng": ("Tags", ["elections", "CEC", "turnout", "Kazakhstan"], "Read also", ["How the regions vote", "Observers at the polling stations"]),
}  # fmt: skip


def dateline(lang: str, day: dt.date) -> str:
    """ "НУР-СУЛТАН. КАЗИНФОРМ – ": the capital of the day in capitals (a city that is no region figure)."""
    city = _CAPITAL_NAME[lang][int(day >= ASTANA_FROM)]
    return f"{city}. {_AGENCY[lang]} – "


def byline(lang: str, stamp: dt.datetime, variant: int) -> str:
    """An author and a time stamp (when the copy was posted, not the bulletin's time)."""
    who = (_AUTHORS_EN if lang == "eng" else _AUTHORS)[variant % 3]
    word = {"rus": "Автор", "kaz": "Авторы", "eng": "By"}[lang]
    return f"{word}: {who} | {stamp:%d.%m.%Y, %H:%M}"


def quote(lang: str, results: bool = False) -> str:
    return (_QUOTES_RESULTS if results else _QUOTES)[lang]


def tags_html(lang: str) -> str:
    """Trailing tags and "read also" links (to the listing, so every link leads somewhere)."""
    word, tags, also, links = _TAGS[lang]
    anchors = " ".join(f'<a href="/{lang}/news/releases/">{t}</a>' for t in links)
    return (
        f'<div class="tags">{word}: {", ".join(tags)}</div>\n<div class="read-also">{also}: {anchors}</div>'
    )


def frame(parts: list[str], lang: str, day: dt.date, published: dt.datetime, noise: PageNoise) -> list[str]:
    """A results communique's paragraphs as a news copy frames them: dateline, byline, quote, tags."""
    out = list(parts)
    if noise.has("dateline") and out and out[0].startswith("<p>"):
        out[0] = "<p>" + dateline(lang, day) + out[0][3:]
    if noise.has("byline"):
        stamp = published + dt.timedelta(minutes=noise.byline_minutes)
        out.insert(0, f'<p class="byline">{byline(lang, stamp, noise.variant)}</p>')
    if noise.has("quote"):
        out.insert(2 if noise.has("byline") else 1, f"<p>{quote(lang, results=True)}</p>")
    if noise.has("tags"):
        out.append(tags_html(lang))
    return out


def repeated(lang: str, name: str, share: str) -> str:
    """A sentence naming the leader again after the list, with the same share ("a list, then a sentence")."""
    return {
        "rus": f"Таким образом, {name} получает {share} голосов избирателей.",
        "kaz": f"Осылайша, {name} сайлаушылар дауысының {share} алды.",
        "eng": f"{name} thus wins {share} of the vote.",
    }[lang]
