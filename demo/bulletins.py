"""Turnout bulletins as the CEC and its copies write them, for every election the double serves.

The national figure as a share of the voters on the lists (or, in a referendum, of the participants'
lists) who received ballots; then the regions in one long sentence, one line per region (with or without
"- "), a bulleted list, or a list and a table (the last bulletin of the day); the number after the region
in Russian and Kazakh, before it in English ("72.8% in Akmola region"). The noise of real copies
(:mod:`demo.noise`) is laid over it when the page draws any, and every figure the page states is noted
for :mod:`demo.truth` as it is written.

The wording generator ``rng`` is drawn in the same order whatever the noise, so a page without noise is
the same bytes it always was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from demo.noise import (
    HEADING,
    PageNoise,
    ambiguous_form,
    byline,
    closest_regions,
    dateline,
    misspell,
    quote,
    tags_html,
)
from demo.truth import Figure
from demo.wording import Style, esc, long_date, region_forms

Note = Callable[[Figure], None]


@dataclass(frozen=True)
class Bulletin:
    """What one bulletin is to state: its time, the national figure and each region's, in the CEC's order."""

    day: dt.date
    hour: int
    minute: int
    national: float
    rows: tuple[tuple[str, float], ...]
    published: dt.datetime
    referendum: bool = False
    names_on: dt.date | None = None  # None: the names of 2021 (pages.region_forms without a date)
    decimals: int = 1

    @property
    def as_of(self) -> dt.datetime:
        return dt.datetime(self.day.year, self.day.month, self.day.day, self.hour, self.minute)

    def hhmm(self) -> str:
        return f"{self.hour}:{self.minute:02d}"


def title(b: Bulletin, lang: str, noise: PageNoise, style: Style | None = None) -> str:
    """The page's title: the CEC's ("Явка избирателей на 12:00"), or a copy's headline repeating the figure."""
    t = b.hhmm()
    timed = noise.time_at != "text"
    if noise.has("headline") and style is not None:
        nat = style.number(b.national, b.decimals) + "%"
        what = {"rus": "референдуме" if b.referendum else "выборах", "kaz": "референдумға" if b.referendum else "сайлауға", "eng": "referendum" if b.referendum else "election"}[lang]  # fmt: skip
        if lang == "rus":
            return f"Явка на {what} к {t} составила {nat}" if timed else f"Явка на {what} составила {nat}"
        if lang == "kaz":
            return (
                f"Сағат {t}-ге дейін {what} қатысу {nat} құрады"
                if timed
                else f"{what.capitalize()} қатысу {nat} құрады"
            )
        return f"Voter turnout in the {what} reaches {nat} as of {t}" if timed else f"Voter turnout in the {what} reaches {nat}"  # fmt: skip
    if b.referendum:
        if not timed:
            return ("Явка участников референдума", "Референдумға қатысу", "Referendum turnout")[_i(lang)]
        return (f"Явка участников референдума на {t}", f"Сағат {t}-дегі референдумға қатысу", f"Referendum turnout as of {t}")[_i(lang)]  # fmt: skip
    if not timed:
        return ("Явка избирателей", "Сайлаушылардың қатысуы", "Voter turnout")[_i(lang)]
    return (f"Явка избирателей на {t}", f"Сағат {t}-дегі сайлаушылардың қатысуы", f"Voter turnout as of {t}")[_i(lang)]  # fmt: skip


def _i(lang: str) -> int:
    return ("rus", "kaz", "eng").index(lang)


def clock_text(hour: int, minute: int, lang: str, rng: np.random.Generator, noise: PageNoise) -> str:
    """The bulletin's time as the text writes it ("12:00 часов", "12.00", "сағат 12:00", "12:00 local time")."""
    choice = int(rng.integers(0, 3))
    mm = f"{minute:02d}"
    if lang == "rus":
        word = "часа" if hour % 10 in (2, 3, 4) and hour not in (12, 13, 14) else "часов"
        return [f"{hour}:{mm} часов", f"{hour}.{mm}", f"{hour} {word}" if not minute else f"{hour}:{mm}"][
            choice
        ]
    if lang == "kaz":
        return [f"сағат {hour}:{mm}", f"сағат {hour}.{mm}", f"{hour}:{mm}"][choice]
    if noise.has("pm_time") and hour > 12:
        return [f"{hour - 12}:{mm} pm local time", f"{hour - 12:02d}:{mm} pm", f"{hour - 12}:{mm} p.m."][
            choice
        ]
    return [f"{hour}:{mm}", f"{hour}.{mm}", f"{hour}:{mm} local time"][choice]


def _sentences(b: Bulletin, lang: str, t: str, date: str, nat: str, unit: str) -> tuple[list[str], list[str]]:
    """(timed, untimed) national sentences; ``unit`` is the sign or word after the number."""
    if b.referendum:
        who = {"rus": "участников референдума, включенных в списки", "kaz": "тізімге енгізілген референдумға қатысушылардың", "eng": "of all referendum participants included into the lists"}[lang]  # fmt: skip
    if lang == "rus":
        who = who if b.referendum else "избирателей, включенных в списки"
        timed = [
            f"По состоянию на {t} {date} избирательные бюллетени получили {nat}{unit} от общего количества {who}.",
            f"Центральная избирательная комиссия сообщает, что на {t} в голосовании приняли участие (получили бюллетени) {nat}{unit} от общего количества {who}.",
            f"На {t} бюллетени получили {nat}{unit} от общего числа {who} для голосования.",
        ]  # fmt: skip
        untimed = [f"Избирательные бюллетени получили {nat}{unit} от общего количества {who}."] * 3
    elif lang == "kaz":
        first, second, third = (
            (who, who, who)
            if b.referendum
            else (
                "сайлаушылар тізіміне енгізілген сайлаушылардың",
                "тізімге енгізілген сайлаушылардың",
                "сайлаушылардың",
            )
        )
        who = first
        timed = [
            f"{date} {t} жағдай бойынша {first} жалпы санынан {nat}{unit} бюллетень алды.",
            f"{t} жағдай бойынша {second} жалпы санынан {nat} пайызы сайлау бюллетенін алды.",
            f"Орталық сайлау комиссиясының мәліметінше, {t}-де {third} жалпы санынан {nat} пайызы дауыс берді.",
        ]
        untimed = [f"{who.capitalize()} жалпы санынан {nat} пайызы бюллетень алды."] * 3
    else:
        who = who if b.referendum else "of all voters included into the lists"
        total = (
            "of the total number of referendum participants"
            if b.referendum
            else "of the total number of voters"
        )
        timed = [
            f"As of {t} on {date}, {nat}{unit} {who} received ballot papers.",
            f"The Central Election Commission reports that by {t} {nat}{unit} {total} included into the lists received ballot papers.",
            f"By {t}, {nat}{unit} {who} had received ballot papers.",
        ]  # fmt: skip
        untimed = [f"{nat}{unit} {who} received ballot papers."] * 3
    return timed, untimed


_INTRO = {
    "rus": ["В разрезе регионов:", "По регионам:", "Явка по областям и городам республиканского значения:"],
    "kaz": [
        "Өңірлер бойынша:",
        "Облыстар мен республикалық маңызы бар қалалар бойынша:",
        "Өңірлер бөлінісінде:",
    ],
    "eng": [
        "By region:",
        "Turnout in the regions and cities of republican significance:",
        "Across the regions:",
    ],
}


def body(b: Bulletin, lang: str, rng: np.random.Generator, style: Style, layout: int, noise: PageNoise, note: Note) -> str:  # fmt: skip
    """The HTML inside the news block of a bulletin, noting every figure it states."""
    t = clock_text(b.hour, b.minute, lang, rng, noise)
    date = long_date(b.published, lang)
    word = style.percent == "" or rng.random() < 0.25
    if word:
        style.percent = ""
    nat = style.number(b.national, b.decimals)
    variant = int(rng.integers(0, 3))
    unit = {"rus": " процента", "kaz": " пайызы", "eng": " percent"}[lang] if word else ""
    unit = style.percent + unit
    if lang == "kaz":
        unit = " пайызы" if word else style.percent
    timed, untimed = _sentences(b, lang, t, date, nat, unit)
    intro = HEADING[lang] if noise.has("heading") else _INTRO[lang][variant]
    pick = int(rng.integers(0, 3))
    sentence = (untimed if noise.time_at == "title" else timed)[pick]
    if noise.has("dateline"):
        sentence = dateline(lang, b.day) + sentence
    note(Figure("bulletin", "KZ", "turnout_pct", b.national, as_of=b.as_of, text=sentence))
    parts = [f"<p>{esc(sentence)}</p>"]
    if noise.has("byline"):
        stamp = b.published + dt.timedelta(minutes=noise.byline_minutes)
        parts.insert(0, f'<p class="byline">{esc(byline(lang, stamp, noise.variant))}</p>')
    if noise.has("quote"):
        parts.append(f"<p>{esc(quote(lang))}</p>")
    rows = list(b.rows)
    if noise.has("resorted"):
        rows.sort(key=lambda r: -r[1])
    shape = int(rng.integers(0, 4))
    if b.hour >= 22:
        shape = 3  # the last bulletin of the day always has the table
    if shape == 3 and noise.duplicate:
        noise = replace(noise, duplicate=None)  # a table beside the list: no copy error in the list
    if shape == 0:
        lines = _lines(b, rows, lang, rng, style, word, True, noise, note)
        end = {"rus": " процента." if word else ".", "kaz": ".", "eng": "."}[lang]
        parts.append(f"<p>{esc(intro)} {esc(', '.join(lines) + end)}</p>")
    else:
        parts.append(f"<p>{esc(intro)}</p>")
        prose = rng.random() < 0.7
        lines = _lines(b, rows, lang, rng, style, word, prose, noise, note)
        if shape == 2:
            parts.append("<ul>" + "".join(f"<li>{esc(line)};</li>" for line in lines) + "</ul>")
        else:
            lead = "- " if rng.random() < 0.5 else ""
            parts.append("\n".join(f"<p>{esc(lead + line)};</p>" for line in lines))
        if shape == 3:
            parts.append(_table(b, list(b.rows), lang, style, layout, note))
    if word and lang != "eng" and shape != 0:
        parts.append(f"<p>{esc({'rus': '(в процентах)', 'kaz': '(пайызбен)'}[lang])}</p>")
    if noise.has("tags"):
        parts.append(tags_html(lang))
    return "\n".join(parts)


def _region_text(
    b: Bulletin, code: str, value: float, lang: str, rng, style: Style, word: bool, prose: bool
) -> tuple[str, str, str]:
    """(line, name, number and sign) of one region, drawing the wording generator as it always has."""
    forms = region_forms(code, lang, b.names_on)[0 if prose else 1]
    name = forms[int(rng.integers(0, len(forms)))]
    number = style.number(value, b.decimals, whole_if_round=rng.random() < 0.5)
    sign = "" if word else style.percent
    if lang == "kaz" and word:
        sign = " пайыз"
    if rng.random() < 0.02 and lang == "rus" and sign:
        return (
            f"{name} {style.dash} {number}{style.dash} %",
            name,
            "",
        )  # a misplaced dash, as the CEC once printed
    if lang == "eng":
        if prose or rng.random() < 0.5:
            return f"{number}{sign} in {name}", name, number + sign
        return f"{name} {style.dash} {number}{sign}", name, number + sign
    return f"{name} {style.dash} {number}{sign}", name, number + sign


def _lines(b: Bulletin, rows, lang, rng, style, word, prose, noise: PageNoise, note: Note) -> list[str]:
    """Each region's line, with the page's noise laid over it, noting each figure."""
    out = []
    nrng = np.random.default_rng([len(rows), b.hour, b.minute, _i(lang), noise.variant])
    for code, value in rows:
        line, name, number = _region_text(b, code, value, lang, rng, style, word, prose)
        kind = ""
        if code == noise.typo:
            bad = misspell(name, code, lang, nrng)
            if bad != name:
                line, kind = line.replace(name, bad, 1), "typo"
        if code == noise.missing_unit and number and not word and style.percent:
            bare = number[: -len(style.percent)]
            line, kind = line.replace(number, bare, 1), "missing_unit"
        if code == noise.ambiguous:
            bad = ambiguous_form(name, lang)
            line = line.replace(name, bad, 1)
            edits, near = closest_regions(bad, lang)
            reason = f"ambiguous name: {bad!r} is {edits} edit(s) from each of {', '.join(near)}"
            note(Figure("bulletin", None, "turnout_pct", value, as_of=b.as_of, certain=False, reason=reason, noise="ambiguous_name", text=line))  # fmt: skip
            out.append(line)
            continue
        if code == noise.duplicate and number:
            other = round(value - 10 if value >= 20 else value + 10, b.decimals)
            again = line.replace(
                number, style.number(other, b.decimals) + number[len(number.rstrip("% ")) :], 1
            )
            reason = f"given twice with two values ({_fmt(value)} and {_fmt(other)}): neither can be taken"
            for v, text in ((value, line), (other, again)):
                note(Figure("bulletin", code, "turnout_pct", v, as_of=b.as_of, certain=False, reason=reason, noise="duplicate_region", text=text))  # fmt: skip
            out.append(line)
            out.insert(int(nrng.integers(0, len(out) + 1)), again)
            continue
        note(Figure("bulletin", code, "turnout_pct", value, as_of=b.as_of, noise=kind, text=line))
        out.append(line)
    return out


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _table(b: Bulletin, rows, lang: str, style: Style, layout: int, note: Note) -> str:
    heads = {
        "rus": [("Регион", "Явка, %"), ("Область, город", "Получили бюллетени, %"), ("Наименование региона", "Проголосовало, %")],
        "kaz": [("Өңір", "Қатысу, %"), ("Облыс, қала", "Бюллетень алғандар, %"), ("Өңірдің атауы", "Дауыс бергендер, %")],
        "eng": [("Region", "Turnout, %"), ("Region / city", "Received ballots, %"), ("Name of region", "Voted, %")],
    }[lang]  # fmt: skip
    region_head, value_head = heads[layout]
    out = []
    for code, value in rows:
        label = region_forms(code, lang, b.names_on)[1][0]
        note(Figure("bulletin", code, "turnout_pct", value, as_of=b.as_of, text=f"{label} | {value}"))
        cells = [esc(label), style.number(value, b.decimals)]
        if layout == 2:
            cells.reverse()
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = [region_head, value_head] if layout != 2 else [value_head, region_head]
    return (
        '<table class="data-table"><thead><tr>'
        + "".join(f"<th>{esc(h)}</th>" for h in head)
        + "</tr></thead><tbody>\n"
        + "\n".join(out)
        + "\n</tbody></table>"
    )
