"""Region names in running text: found, resolved to ISO codes, and never guessed.

Sources write regions in three languages and three scripts of Kazakh, in grammatical cases, with
abbreviations and typos ("по Туркестанский области", "Pavodar region", "Жетысуской области", "ВКО",
"Нұр-Сұлтан қаласында"). :class:`RegionMatcher` finds such names in a text (the resolver's aliases plus the
grammatical shapes of each language) and resolves each one:

1. exactly, through :meth:`saylau.reference.Resolver.region` (aliases, case endings folded);
2. after folding what the alias list does not spell out: Kazakh case endings ("облысында", "қаласының"),
   Latin letters typed inside a Cyrillic word, a word too many in front ("Итого Ақмола облысы");
3. by one edit (rapidfuzz's Levenshtein distance): a name one edit from the names of exactly one region,
   and at least one edit further from every other region, is that region. A name as close to two regions
   ("Wast Kazakhstan region": one edit from West and from East) is :data:`AMBIGUOUS`; a short name
   (fewer than five letters, "ХКО") is never resolved by an edit.

A region that did not exist on the day asked about (Abai, Jetisu and Ulytau before June 2022) resolves to
:data:`NOT_ON_DATE`. Astana resolves under each of its names (Astana, Nur-Sultan 2019-2022, Astana again from
17 September 2022): copies use the old and the new name alike, and no other region bears either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract

from saylau.reference import Resolver, UnknownNameError, default_resolver, normalise_name

FOUND = "found"
UNKNOWN = "unknown"
AMBIGUOUS = "ambiguous"
NOT_ON_DATE = "not_on_date"

_MIN_FUZZY_LENGTH = 5  # letters; shorter names (abbreviations) are one edit from too much

_UP = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_LOW = "а-яёәғқңөұүһі"
_STOP_EN = (
    r"(?:By|In|The|Per|Each|Every|All|Of|For|This|That|And|Its|Our|Other|Turnout|Voter|Voters|Capital|Highest"
    r"|Lowest|Largest|Least|Most|Same|Whole|Home|Central|Across|Region|Regions)"
)
# Grammatical shapes of region names the alias list may not spell out (typos, case forms, new regions).
# Case-sensitive: a region's name starts with a capital, headings' words ("by region", "по регионам") do not.
GENERIC_PATTERNS = (
    # ru adjectival: "по Туркестанский области", "Жетысуской области", "Восточно-Казахстанской обл."
    rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?(?:ск|цк)(?:ая|ой|ий|ую|ое|ом|ей)[ \t]+(?:област[{_LOW}]*|обл\.?)",
    # ru "области Жетісу", "область Ұлытау"
    rf"област[{_LOW}]*[ \t]+[{_UP}][{_LOW}]+",
    # ru cities: "по г. Нур-Султан", "городу Шымкенту"
    rf"(?:г\.|гор\.|город[{_LOW}]*)[ \t]*[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?",
    # kk: "Жетісу облысы", "Ақмола облысында", "Нұр-Сұлтан қаласы", "Ақтөбеде облысы", a capital typed
    # twice ("Нұр-ССұлтан қаласы")
    rf"[{_UP}]{{1,2}}[{_LOW}]+(?:-[{_UP}{_LOW}]{{1,2}}[{_LOW}]+)*(?:[ \t]+[{_UP}][{_LOW}-]+)?[ \t]+(?:облыс|қалас)[{_LOW}]*",
    # kk Latin: "Aqmola oblysy", "Almaty qalasy"
    r"[A-ZÁÓÚÝǴŃÖÜŞ][\w'-]+(?:[ \t]+[A-Z][\w'-]+)?[ \t]+(?:oblys|qalas)\w*",
    # en: "Pavodar region", "Zhetisu Region", "Shymkemt city"
    rf"(?!{_STOP_EN}\b)[A-Z][a-z-]+(?:[ \t]+(?!{_STOP_EN}\b)[A-Z][a-z-]+)?[ \t]+"
    r"(?:[Rr]egion|[Oo]blast|[Pp]rovince|city)(?![a-z])",
)

# Kazakh case endings written after an abbreviation or a name with a hyphen: "СҚО-да", "ШҚО-ның"
_KK_HYPHEN_SUFFIX = (
    r"-(?:да|де|та|те|да|ның|нің|дың|дің|тың|тің|ға|ге|қа|ке|на|не|ны|ні|ды|ді|нда|нде|дан|ден|тан|тен)"
)
_LEADING = re.compile(r"^(?:(?:по|в|во|на|г\.|гор\.|город\w*|the|city of|in)\s+)+")
_KK_CASE = re.compile(rf"\b(облыс|қалас)[{_LOW}]*", re.IGNORECASE)
_KK_LATIN_CASE = re.compile(r"\b(oblys|qalas)\w*", re.IGNORECASE)
# Latin letters that look Cyrillic, typed inside Cyrillic words ("Aктюбинской" with a Latin A)
_HOMOGLYPHS = str.maketrans("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху")
_CYRILLIC_WORD_WITH_LATIN = re.compile(rf"[\w-]*[{_UP}{_LOW}][\w-]*")


@dataclass(frozen=True)
class Resolution:
    status: str  # FOUND | UNKNOWN | AMBIGUOUS | NOT_ON_DATE
    code: str | None = None  # the region (for NOT_ON_DATE too: the one that did not exist yet)
    candidates: tuple[str, ...] = ()  # for AMBIGUOUS: the regions it is as close to
    how: str = "exact"  # exact | folded | one_edit

    def reason(self, text: str, on: date | None = None) -> str:
        """Why a name with this resolution is not read, in words (empty for a found name)."""
        if self.status == UNKNOWN:
            return f"unknown region name {text!r}"
        if self.status == AMBIGUOUS:
            return f"region name {text!r} is as close to {' and '.join(self.candidates)}: not guessed"
        if self.status == NOT_ON_DATE:
            return f"region {self.code} ({text!r}) did not exist on {on.isoformat() if on else 'that day'}"
        return ""


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    resolution: Resolution

    @property
    def code(self) -> str | None:
        return self.resolution.code if self.resolution.status == FOUND else None


def fold(text: str) -> str:
    """What the alias list does not spell out: Kazakh case endings and Latin look-alikes in Cyrillic words."""
    s = re.sub(rf"(?:{_KK_HYPHEN_SUFFIX})$", "", text.strip())
    s = _KK_CASE.sub(lambda m: m.group(1) + "ы", s)
    s = _KK_LATIN_CASE.sub(lambda m: m.group(1) + "y", s)
    return _CYRILLIC_WORD_WITH_LATIN.sub(lambda m: m.group(0).translate(_HOMOGLYPHS), s)


class RegionMatcher:
    """Finds and resolves region names for one resolver (built once per resolver: see :func:`matcher`)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        surfaces = sorted(set(resolver.alias_surfaces()), key=len, reverse=True)
        alias_part = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in surfaces)
        self._aliases = re.compile(
            rf"(?<![\w-])(?:{alias_part})(?:{_KK_HYPHEN_SUFFIX})?(?![\w-])", re.IGNORECASE
        )
        self._generic = [re.compile(rf"(?<![\w-]){p}(?![\w-])") for p in GENERIC_PATTERNS]
        # every known spelling, for one-edit matches: normalised keys and the surfaces as written (lowercase)
        names: dict[str, str] = {}
        for code, region in resolver.regions.items():
            for name in (region.name_en, region.name_ru, region.name_kk):
                names[name] = code
        for surface in surfaces:
            names.setdefault(surface, resolver.region(surface))
        self._keys: dict[str, str] = {}
        for name, code in names.items():
            self._keys.setdefault(normalise_name(name), code)
            self._keys.setdefault(name.lower(), code)
        self._key_list = list(self._keys)

    # --- resolving one name ----------------------------------------------------------------------------

    def resolve(self, text: str, on: date | None = None) -> Resolution:
        """What region ``text`` names (see the module's docstring for the rules)."""
        found = self._exact(text)
        how = "exact"
        if found is None:
            found, how = self._exact(fold(text)), "folded"
        if found is None:
            found = self._trimmed(fold(text))
        resolution = self._one_edit(fold(text)) if found is None else Resolution(FOUND, found, how=how)
        if (
            resolution.status == FOUND
            and on is not None
            and not self.resolver.regions[resolution.code].exists_on(on)
        ):
            return Resolution(NOT_ON_DATE, resolution.code, how=resolution.how)
        return resolution

    def _exact(self, text: str) -> str | None:
        try:
            return self.resolver.region(text)
        except UnknownNameError:
            return None

    def _trimmed(self, text: str) -> str | None:
        """A generic match may have swallowed a word too many ("Итого Ақмола облысы"): drop leading words."""
        words = text.split()
        for i in range(1, len(words)):
            code = self._exact(" ".join(words[i:]))
            if code is not None:
                return code
        return None

    def _one_edit(self, text: str) -> Resolution:
        queries = {normalise_name(text), _LEADING.sub("", text.lower().strip())}
        best: dict[str, int] = {}
        for query in queries:
            if not query:
                continue
            for key, distance, _ in extract(
                query, self._key_list, scorer=Levenshtein.distance, score_cutoff=2, limit=None
            ):
                code = self._keys[key]
                best[code] = min(best.get(code, 9), int(distance))
        if not best:
            return Resolution(UNKNOWN)
        closest = min(best.values())
        codes = tuple(sorted(c for c, d in best.items() if d == closest))
        if closest > 1:
            return Resolution(UNKNOWN)
        if len(codes) > 1:
            return Resolution(AMBIGUOUS, candidates=codes, how="one_edit")
        runner_up = min((d for c, d in best.items() if c != codes[0]), default=9)
        letters = len(re.sub(r"\W", "", normalise_name(text)))
        if runner_up <= closest or letters < _MIN_FUZZY_LENGTH:
            return Resolution(UNKNOWN)
        return Resolution(FOUND, codes[0], how="one_edit")

    # --- finding names in text -------------------------------------------------------------------------

    def find(self, text: str, on: date | None = None) -> list[Mention]:
        """Every region-like name in ``text``, in reading order, resolved (longest match wins overlaps)."""
        spans = [(m.start(), m.end()) for m in self._aliases.finditer(text)]
        for pattern in self._generic:
            spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
        chosen: list[tuple[int, int]] = []
        for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
            if all(end <= s or start >= e for s, e in chosen):
                chosen.append((start, end))
        return [
            Mention(start, end, text[start:end], self.resolve(text[start:end], on))
            for start, end in sorted(chosen)
        ]


_MATCHERS: dict[int, tuple[Resolver, RegionMatcher]] = {}


def matcher(resolver: Resolver | None = None) -> RegionMatcher:
    """The matcher of ``resolver`` (the packaged reference data by default), built once per resolver."""
    resolver = resolver or default_resolver()
    known = _MATCHERS.get(id(resolver))
    if known is None or known[0] is not resolver:
        known = _MATCHERS[id(resolver)] = (resolver, RegionMatcher(resolver))
    return known[1]
