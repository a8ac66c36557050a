"""The words and number habits of the CEC double's pages: region and party names in Russian, Kazakh and
English, dates, the number style of a page, and the CMS frame around every page.

Names follow ``../shared/reference/cec_wording.md``: adjectival names, abbreviations (ВКО, ЗКО, СКО; ШҚО,
БҚО, СҚО), city forms ("по г. Нур-Султан", "по городу Алматы", "по Шымкенту"); from 2022 the twenty
regions (Abai, Jetisu, Ulytau) and Astana for Nur-Sultan after 17 September 2022 (:func:`region_forms`
with ``on``). Every form resolves with ``saylau.reference.default_resolver()`` unless it is listed as a
case form a careful reader must know (:data:`CASE_FORMS`); ``tests/demo/test_site.py`` pins both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass
from datetime import datetime

import numpy as np

LANGS: tuple[str, ...] = ("rus", "kaz", "eng")
REGION_ORDER: tuple[str, ...] = (
    "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-63", "KZ-31", "KZ-27", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-71", "KZ-75", "KZ-79",
)  # fmt: skip  # the CEC's Russian alphabetical order of 2021, the three cities last
REGION_ORDER_2022: tuple[str, ...] = (
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
)  # fmt: skip  # the Kazakh alphabetical order the CEC used from 2022 (Abai first, East Kazakhstan late)
ASTANA_FROM = dt.date(2022, 9, 17)  # Nur-Sultan was renamed Astana on 17 September 2022

_RU_STEM = {
    "KZ-11": "Акмолинск", "KZ-15": "Актюбинск", "KZ-19": "Алматинск", "KZ-23": "Атырауск",
    "KZ-63": "Восточно-Казахстанск", "KZ-31": "Жамбылск", "KZ-27": "Западно-Казахстанск",
    "KZ-35": "Карагандинск", "KZ-39": "Костанайск", "KZ-43": "Кызылординск", "KZ-47": "Мангистауск",
    "KZ-55": "Павлодарск", "KZ-59": "Северо-Казахстанск", "KZ-61": "Туркестанск",
}  # fmt: skip
_RU_ABBR = {"KZ-63": "ВКО", "KZ-27": "ЗКО", "KZ-59": "СКО"}
_KK_ABBR = {"KZ-63": "ШҚО", "KZ-27": "БҚО", "KZ-59": "СҚО"}
_RU_CITY = {
    "KZ-71": (["по г. Нур-Султан", "по городу Нур-Султан", "в Нур-Султане"], "г. Нур-Султан"),
    "KZ-75": (["по г. Алматы", "по городу Алматы", "в Алматы"], "г. Алматы"),
    "KZ-79": (["по г. Шымкент", "по Шымкенту", "по городу Шымкент"], "г. Шымкент"),
}
_KK_NAME = {
    "KZ-11": "Ақмола облысы", "KZ-15": "Ақтөбе облысы", "KZ-19": "Алматы облысы", "KZ-23": "Атырау облысы",
    "KZ-63": "Шығыс Қазақстан облысы", "KZ-31": "Жамбыл облысы", "KZ-27": "Батыс Қазақстан облысы",
    "KZ-35": "Қарағанды облысы", "KZ-39": "Қостанай облысы", "KZ-43": "Қызылорда облысы",
    "KZ-47": "Маңғыстау облысы", "KZ-55": "Павлодар облысы", "KZ-59": "Солтүстік Қазақстан облысы",
    "KZ-61": "Түркістан облысы", "KZ-71": "Нұр-Сұлтан қаласы", "KZ-75": "Алматы қаласы", "KZ-79": "Шымкент қаласы",
}  # fmt: skip
_EN_NAME = {
    "KZ-11": ["Akmola region", "Akmola Region"], "KZ-15": ["Aktobe region", "Aktobe Region"],
    "KZ-19": ["Almaty region", "Almaty Region"], "KZ-23": ["Atyrau region", "Atyrau Region"],
    "KZ-63": ["East Kazakhstan region", "East Kazakhstan"], "KZ-31": ["Zhambyl region", "Zhambyl Region"],
    "KZ-27": ["West Kazakhstan region", "West Kazakhstan"], "KZ-35": ["Karaganda region", "Karaganda Region"],
    "KZ-39": ["Kostanay region", "Kostanay Region"], "KZ-43": ["Kyzylorda region", "Kyzylorda Region"],
    "KZ-47": ["Mangistau region", "Mangystau region"], "KZ-55": ["Pavlodar region", "Pavlodar Region"],
    "KZ-59": ["North Kazakhstan region", "North Kazakhstan"], "KZ-61": ["Turkistan region", "Turkestan region"],
    "KZ-71": ["Nur-Sultan", "Nur-Sultan city"], "KZ-75": ["Almaty city", "the city of Almaty"],
    "KZ-79": ["Shymkent", "Shymkent city"],
}  # fmt: skip
PARTY_NAMES = {
    "rus": {
        "amanat": ["«Nur Otan»", "партия «Нур Отан»", "Nur Otan"],
        "ak_zhol": ["Демократическая партия Казахстана «Ак жол»", "ДПК «Ак жол»", "«Ак жол»"],
        "qhp": ["Народная партия Казахстана", "НПК"],
        "auyl": ["НДПП «Ауыл»", "«Ауыл»"],
        "adal": ["партия «Adal»", "«Adal»", "Партия «Адал»"],
    },
    "kaz": {
        "amanat": ["«Nur Otan»", "«Нұр Отан»"],
        "ak_zhol": ["«Ақ жол» демократиялық партиясы", "«Ақ жол»"],
        "qhp": ["Қазақстан халық партиясы", "ҚХП"],
        "auyl": ["«Ауыл» партиясы", "«Ауыл»"],
        "adal": ["«Adal» партиясы", "«Адал»"],
    },
    "eng": {
        "amanat": ["Nur Otan", "Nur Otan Party"],
        "ak_zhol": ["Ak Zhol", "AQ JOL", "Ak Zhol Democratic Party"],
        "qhp": ["People's Party of Kazakhstan", "QHP"],
        "auyl": ["Auyl", "Auyl Party"],
        "adal": ["Adal", "ADAL"],
    },
}
_MONTHS = {
    "rus": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
    "kaz": ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"],
    "eng": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
}  # fmt: skip
SITE_NAME = {
    "rus": "Центральная избирательная комиссия Республики Казахстан",
    "kaz": "Қазақстан Республикасының Орталық сайлау комиссиясы",
    "eng": "Central Election Commission of the Republic of Kazakhstan",
}


# the twenty regions of 2022 on: the three new ones, and the capital's name after 17 September 2022
_NEW_FORMS = {
    "rus": {
        "KZ-10": (["по области Абай", "по Абайской области"], ["область Абай", "Абайская область"]),
        "KZ-33": (["по области Жетісу", "по области Жетысу", "по Жетысуской области"], ["область Жетісу", "область Жетысу"]),
        "KZ-62": (["по области Ұлытау", "по области Улытау", "по Улытауской области"], ["область Ұлытау", "область Улытау"]),
        "KZ-71": (["по г. Астана", "по городу Астане", "в Астане"], ["г. Астана", "город Астана"]),
    },
    "kaz": {
        "KZ-10": (["Абай облысы бойынша"], ["Абай облысы"]),
        "KZ-33": (["Жетісу облысы бойынша"], ["Жетісу облысы"]),
        "KZ-62": (["Ұлытау облысы бойынша"], ["Ұлытау облысы"]),
        "KZ-71": (["Астана қаласы бойынша", "Астанада"], ["Астана қаласы"]),
    },
    "eng": {
        "KZ-10": (["Abai region", "Abai Region"], ["Abai region", "Abai Region"]),
        "KZ-33": (["Jetisu region", "Zhetysu region"], ["Jetisu region", "Zhetysu Region"]),
        "KZ-62": (["Ulytau region", "Ulytau"], ["Ulytau region", "Ulytau Region"]),
        "KZ-71": (["Astana", "Astana city"], ["Astana", "Astana city"]),
    },
}  # fmt: skip
# case forms a careful reader knows though the reference data's aliases do not spell them out
CASE_FORMS = {"по Жетысуской области": "KZ-33", "по Улытауской области": "KZ-62"}


def region_forms(code: str, lang: str, on: dt.date | None = None) -> tuple[list[str], list[str]]:
    """(forms used in prose, forms used as a list or table label) of a region's name in ``lang``; with
    ``on``, the names of that day (the new regions of 2022, Astana after 17 September 2022)."""
    if on is not None and code in _NEW_FORMS[lang] and (code != "KZ-71" or on >= ASTANA_FROM):
        prose, label = _NEW_FORMS[lang][code]
        return list(prose), list(label)
    if lang == "rus":
        if code in _RU_CITY:
            prose, label = _RU_CITY[code]
            return prose, [label, label.replace("г. ", "город ")]
        stem = _RU_STEM[code]
        prose = [f"по {stem}ой области", f"по {stem}ой обл."]
        label = [f"{stem}ая область", f"{stem}ая обл."]
        if code in _RU_ABBR:
            prose.append(f"по {_RU_ABBR[code]}")
            label.append(_RU_ABBR[code])
        return prose, label
    if lang == "kaz":
        name = _KK_NAME[code]
        forms = [name] + ([_KK_ABBR[code]] if code in _KK_ABBR else [])
        return [f"{f} бойынша" for f in forms], forms
    return list(_EN_NAME[code]), list(_EN_NAME[code])


# ----------------------------------------------------------------------------------------- formatting


@dataclass
class Style:
    """The number habits of one page: decimal mark, percent sign, thousands separator."""

    lang: str
    thousands: str
    percent: str  # "%", " %", or "" (a word once at the end)
    dash: str

    @classmethod
    def draw(cls, lang: str, rng: np.random.Generator) -> Style:
        thousands = (
            str(rng.choice([" ", "\u00a0", "\u2009", "\u202f"]))
            if lang != "eng"
            else str(rng.choice([",", " "]))
        )
        percent = str(rng.choice(["%", "%", " %"]))
        dash = str(rng.choice(["–", "–", "-", "—"]))
        return cls(lang, thousands, percent, dash)

    def number(self, value: float, decimals: int = 1, whole_if_round: bool = False) -> str:
        text = f"{value:.{decimals}f}"
        if whole_if_round and text.endswith("." + "0" * decimals):
            text = text.split(".")[0]
        return text if self.lang == "eng" else text.replace(".", ",")

    def pct(self, value: float, decimals: int = 1, whole_if_round: bool = False) -> str:
        return self.number(value, decimals, whole_if_round) + self.percent

    def count(self, n: int) -> str:
        return f"{int(n):,}".replace(",", self.thousands)


def long_date(moment: datetime, lang: str) -> str:
    m = _MONTHS[lang][moment.month - 1]
    if lang == "rus":
        return f"{moment.day} {m} {moment.year} года"
    if lang == "kaz":
        return f"{moment.year} жылғы {moment.day} {m}"
    return f"{m} {moment.day}, {moment.year}"


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def hash_text(text: str) -> int:
    """A stable 63-bit integer of a text (not Python's salted hash)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") >> 1


# ----------------------------------------------------------------------------------------- the frame


_NAV = {
    "rus": ("Главная", "Пресс-релизы", "Постановления", "Территориальные комиссии"),
    "kaz": ("Басты бет", "Баспасөз релиздері", "Қаулылар", "Аумақтық комиссиялар"),
    "eng": ("Home", "Press releases", "Resolutions", "Territorial commissions"),
}


def page_html(lang: str, title: str, inner: str, date: datetime | None = None, charset: str = "utf-8") -> str:
    """A whole page in the CEC CMS's frame: header, navigation, the news block, footer."""
    home, releases, acts, tecs = _NAV[lang]
    stamp = f'<div class="news-date-time">{date:%d.%m.%Y %H:%M}</div>\n' if date else ""
    lang_attr = {"rus": "ru", "kaz": "kk", "eng": "en"}[lang]
    switch = " | ".join(
        f'<a href="/{code}/">{label}</a>' for code, label in zip(LANGS, ("РУС", "ҚАЗ", "ENG"), strict=True)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang_attr}">\n<head>\n<meta charset="{charset}">\n'
        f"<title>{esc(title)} | {esc(SITE_NAME[lang])}</title>\n</head>\n<body>\n"
        f'<div class="header"><a href="/{lang}/">{esc(SITE_NAME[lang])}</a><div class="lang">{switch}</div></div>\n'
        f'<div class="menu"><a href="/{lang}/">{home}</a> <a href="/{lang}/news/releases/">{releases}</a> '
        f'<a href="/{lang}/news/acts/">{acts}</a> <a href="/{lang}/territorial/">{tecs}</a></div>\n'
        f'<div class="content">\n<div class="news-detail">\n{stamp}<h1>{esc(title)}</h1>\n{inner}\n</div>\n</div>\n'
        f'<div class="footer">© {esc(SITE_NAME[lang])}</div>\n</body>\n</html>\n'
    )
