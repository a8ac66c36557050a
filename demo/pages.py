"""The texts of the demo CEC site, in Russian, Kazakh and English, written to the CEC's habits.

Wording follows ``../shared/reference/cec_wording.md``: the national turnout as a share of the voters on
the lists who received ballots; regions in one long sentence, one per line or in a table; the number
after the region (Russian, Kazakh) or before it (English); adjectival names, abbreviations (ВКО, ЗКО,
СКО; ШҚО, БҚО, СҚО) and city forms ("по г. Нур-Султан", "по городу Алматы", "по Шымкенту"); decimal
commas in Russian and Kazakh; "%" with or without a space, or "пайыз"/"процента" without a sign;
thousands separated by spaces, thin or non-breaking spaces; shares in brackets "(71,09%)". Each page
picks its variants from a generator seeded by the site seed and the page's ID, so pages differ from one
another the way the real ones do, and the same page is the same bytes every time.

Nothing here reads the ground truth: pages are rendered from the official protocols and the bulletins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

import numpy as np
import pandas as pd

from demo import bulletins
from demo.clock import CAPITAL
from demo.election import CITY_REGIONS, PARTIES, Election
from demo.noise import Noise, PageNoise, frame, repeated
from demo.truth import IGNORE, Figure
from demo.wording import (  # noqa: F401 - re-exported: the site and the tests import them from here
    LANGS,
    PARTY_NAMES,
    REGION_ORDER,
    SITE_NAME,
    Style,
    esc,
    hash_text,
    long_date,
    page_html,
    region_forms,
)

Note = bulletins.Note
SEATS = {"amanat": 76, "ak_zhol": 12, "qhp": 10, "auyl": 0, "adal": 0}
# regions whose territorial commissions publish per-precinct protocols (when the switch is on)
PROTOCOL_REGIONS: tuple[str, ...] = ("KZ-75", "KZ-71", "KZ-55", "KZ-35")

# ----------------------------------------------------------------------------------------- the items


@dataclass(frozen=True)
class Item:
    """One news item of the CEC site: the same ID serves its Russian, Kazakh and English versions."""

    id: int
    section: str  # releases | acts
    kind: str  # notice | voting_opened | turnout | preliminary | maslikhat_links | final | resolution
    published: datetime
    hour: int | None = None
    topic: int = 0
    revised: datetime | None = None  # when a corrected version replaced the first one (None = never)

    def version_at(self, now: datetime) -> int:
        """0 = the first version, 1 = the corrected one."""
        return int(self.revised is not None and now >= self.revised)

    def modified_at(self, now: datetime) -> datetime:
        """Last-Modified of the version visible at ``now``."""
        return self.revised if self.revised is not None and now >= self.revised else self.published


# Figures published wrong first and corrected later on the same page: (hour, region) -> first value.
# The 20:00 figure of West Kazakhstan was printed 51,5 for 61,5 (shared/reference: "one media copy gives 51.5").
FIRST_VERSION_TYPOS: dict[tuple[int, str], float] = {(20, "KZ-27"): 51.5}
REVISION_DELAY = timedelta(minutes=47)

_NOTICES = [
    ("Об аккредитации наблюдателей", "Байқаушыларды аккредиттеу туралы", "On accreditation of observers"),
    ("О регистрации партийных списков", "Партиялық тізімдерді тіркеу туралы", "On registration of party lists"),
    ("О числе избирателей", "Сайлаушылар саны туралы", "On the number of voters"),
    ("Заседание Центральной избирательной комиссии", "Орталық сайлау комиссиясының отырысы", "Meeting of the Central Election Commission"),
    ("О порядке голосования", "Дауыс беру тәртібі туралы", "On the voting procedure"),
    ("Об изготовлении избирательных бюллетеней", "Сайлау бюллетеньдерін дайындау туралы", "On the printing of ballot papers"),
    ("О санитарных мерах на избирательных участках", "Сайлау учаскелеріндегі санитарлық шаралар туралы", "On sanitary measures at polling stations"),
    ("Брифинг Центральной избирательной комиссии", "Орталық сайлау комиссиясының брифингі", "Briefing of the Central Election Commission"),
]  # fmt: skip


def schedule(seed: int) -> list[Item]:
    """Every CEC item, in one growing ID space, with the simulated time it appears."""
    rng = np.random.default_rng([seed, 11])
    plan: list[tuple[datetime, str, str, int | None, int]] = []
    start = datetime(2020, 12, 1, 11, 0, tzinfo=CAPITAL)
    for k in range(36):
        moment = start + timedelta(days=int(k * 40 / 36), hours=int(rng.integers(0, 7)))
        plan.append((moment, "releases" if k % 5 else "acts", "notice", None, k % len(_NOTICES)))
    day = datetime(2021, 1, 10, tzinfo=CAPITAL)
    plan.append((day + timedelta(hours=7, minutes=5), "releases", "voting_opened", None, 0))
    for hour in (10, 12, 14, 16, 18, 20, 22):
        plan.append(
            (day + timedelta(hours=hour, minutes=int(rng.integers(8, 40))), "releases", "turnout", hour, 0)
        )
    plan.append((day + timedelta(days=1, hours=9, minutes=30), "releases", "preliminary", None, 0))
    plan.append((day + timedelta(days=1, hours=16), "releases", "notice", None, 7))
    plan.append((day + timedelta(days=2, hours=15), "releases", "maslikhat_links", None, 0))
    plan.append((day + timedelta(days=5, hours=11), "releases", "final", None, 0))
    plan.append((day + timedelta(days=5, hours=11, minutes=20), "acts", "resolution", None, 0))
    for k in range(6):
        plan.append((day + timedelta(days=6 + 3 * k, hours=10), "releases" if k % 3 else "acts", "notice", None, (k + 3) % len(_NOTICES)))  # fmt: skip
    plan.sort(key=lambda p: p[0])
    items, next_id = [], 5320
    typo_hours = {h for h, _ in FIRST_VERSION_TYPOS}
    for moment, section, kind, hour, topic in plan:
        next_id += int(rng.integers(1, 6))
        revised = moment + REVISION_DELAY if kind == "turnout" and hour in typo_hours else None
        items.append(Item(next_id, section, kind, moment, hour, topic, revised))
    return items


# ----------------------------------------------------------------------------------------- the content


class Content:
    """Renders the site's pages from an election (official figures and bulletins only)."""

    def __init__(self, election: Election, seed: int = 0, noise: Noise | None = None) -> None:
        self.election = election
        self.seed = seed
        self.noise = noise or Noise()
        self.items = schedule(seed)
        self.by_id = {item.id: item for item in self.items}

    # --- figures -----------------------------------------------------------------------------------

    @cached_property
    def bulletins(self) -> dict[tuple[int, str], float]:
        b = self.election.turnout_bulletins
        return {
            (int(h), str(c)): float(v)
            for h, c, v in zip(b["hour"], b["region_code"], b["turnout_pct"], strict=True)
        }

    @cached_property
    def official_by_region(self) -> pd.DataFrame:
        return (
            self.election.protocol("mazhilis")
            .groupby("region_code")
            .sum(numeric_only=True)
            .loc[list(REGION_ORDER)]
        )

    @cached_property
    def preliminary_by_region(self) -> pd.DataFrame:
        off = self.election.protocol("mazhilis")
        size = off.groupby("region_code")["pec_id"].transform("size")
        number = off["pec_id"].str.split("/").str[1].astype(int)
        arrived = off[number <= size * 0.97]
        return arrived.groupby("region_code").sum(numeric_only=True).loc[list(REGION_ORDER)]

    def _indexed(self, contest: str) -> pd.DataFrame:
        """The official protocols of a contest indexed by pec_id (built once)."""
        cache = self.__dict__.setdefault("_indexed_cache", {})
        if contest not in cache:
            cache[contest] = self.election.protocol(contest).set_index("pec_id")
        return cache[contest]

    def rng(self, *key: object) -> np.random.Generator:
        parts = [self.seed, *(abs(hash_text(str(k))) for k in key)]
        return np.random.default_rng(parts)

    # --- item pages ------------------------------------------------------------------------------------

    def title(self, item: Item, lang: str) -> str:
        i = LANGS.index(lang)
        if item.kind == "notice":
            return _NOTICES[item.topic][i]
        if item.kind == "voting_opened":
            return ("Начались выборы депутатов Мажилиса и маслихатов", "Мәжіліс және мәслихат депутаттарын сайлау басталды", "Elections of Mazhilis and maslikhat deputies have begun")[i]  # fmt: skip
        if item.kind == "turnout":
            style = Style.draw(lang, self.rng("item", item.id, lang))
            return bulletins.title(self._turnout_bulletin(item), lang, self.page_noise(item, lang), style)
        if item.kind == "preliminary":
            return ("Предварительные итоги выборов депутатов Мажилиса", "Мәжіліс депутаттарын сайлаудың алдын ала қорытындылары", "Preliminary results of the Mazhilis elections")[i]  # fmt: skip
        if item.kind == "maslikhat_links":
            return ("Итоги выборов депутатов маслихатов", "Мәслихат депутаттарын сайлау қорытындылары", "Results of the maslikhat elections")[i]  # fmt: skip
        if item.kind == "final":
            return ("Окончательные итоги выборов депутатов Мажилиса Парламента Республики Казахстан", "Қазақстан Республикасы Парламенті Мәжілісі депутаттарын сайлаудың түпкілікті қорытындылары", "Final results of the elections of deputies of the Mazhilis of the Parliament of the Republic of Kazakhstan")[i]  # fmt: skip
        if item.kind == "resolution":
            return ("Об итогах выборов депутатов Мажилиса Парламента Республики Казахстан, избираемых по партийным спискам", "Партиялық тізімдер бойынша сайланатын Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын сайлаудың қорытындылары туралы", "On the results of the elections of deputies of the Mazhilis elected from party lists")[i]  # fmt: skip
        raise ValueError(item.kind)

    def body(self, item: Item, lang: str, layout: int = 0, version: int = 1, note: Note = IGNORE) -> str:
        """The HTML inside the news-detail block of an item (``version`` 0 = as first published); ``note``
        hears every figure the page states (:mod:`demo.truth`)."""
        rng = self.rng("item", item.id, lang)
        style = Style.draw(lang, rng)
        render = getattr(self, f"_body_{item.kind}")
        return render(item, lang, rng, style, layout, version if item.revised is not None else 1, note)

    def _bulletin(self, hour: int, code: str, version: int = 1) -> float:
        """A bulletin figure as a page version shows it (a first version may carry a typo)."""
        if version == 0 and (hour, code) in FIRST_VERSION_TYPOS:
            return FIRST_VERSION_TYPOS[(hour, code)]
        return self.bulletins[(hour, code)]

    def _body_notice(
        self, item: Item, lang: str, rng, style: Style, layout: int, version: int = 1, note: Note = IGNORE
    ) -> str:
        voters = style.count(11_919_241 - int(rng.integers(0, 9000)))
        text = {
            "rus": f"Центральная избирательная комиссия провела очередное заседание. Рассмотрены вопросы подготовки к выборам {long_date(datetime(2021, 1, 10), 'rus')}. В списки избирателей на сегодня включено около {voters} граждан.",
            "kaz": f"Орталық сайлау комиссиясы кезекті отырысын өткізді. {long_date(datetime(2021, 1, 10), 'kaz')} өтетін сайлауға дайындық мәселелері қаралды. Сайлаушылар тізіміне шамамен {voters} азамат енгізілген.",
            "eng": f"The Central Election Commission held a regular meeting on the preparations for the elections of {long_date(datetime(2021, 1, 10), 'eng')}. About {voters} citizens are included in the voter lists.",
        }[lang]  # fmt: skip
        return f"<p>{esc(text)}</p>"

    def _body_voting_opened(
        self, item: Item, lang: str, rng, style: Style, layout: int, version: int = 1, note: Note = IGNORE
    ) -> str:
        text = {
            "rus": "В 7:00 по времени столицы открылись 10 060 избирательных участков, в том числе 66 за рубежом. Голосование продлится до 20:00.",
            "kaz": "Елорда уақытымен сағат 7:00-де 10 060 сайлау учаскесі ашылды, оның ішінде шетелде – 66. Дауыс беру 20:00-ге дейін жалғасады.",
            "eng": "At 7:00 capital time 10,060 polling stations opened, including 66 abroad. Voting continues until 20:00.",
        }[lang]
        return f"<p>{esc(text)}</p>"

    def _turnout_bulletin(self, item: Item, version: int = 1) -> bulletins.Bulletin:
        hour = int(item.hour or 0)
        rows = tuple((code, self._bulletin(hour, code, version)) for code in REGION_ORDER)
        day = item.published.date()
        return bulletins.Bulletin(day, hour, 0, self.bulletins[(hour, "KZ")], rows, item.published)

    def page_noise(self, item: Item, lang: str) -> PageNoise:
        """The noise the page of ``item`` in ``lang`` carries (none unless the site's noise is on)."""
        if item.kind not in ("turnout", "preliminary", "final"):
            return PageNoise()
        rng = self.rng("noise", item.id, lang)
        return self.noise.draw(rng, REGION_ORDER, has_table=item.kind != "turnout" or item.hour == 22)

    def _body_turnout(
        self, item: Item, lang: str, rng, style: Style, layout: int, version: int = 1, note: Note = IGNORE
    ) -> str:
        b = self._turnout_bulletin(item, version)
        return bulletins.body(b, lang, rng, style, layout, self.page_noise(item, lang), note)

    def _party_name(self, party: str, lang: str, rng) -> str:
        names = PARTY_NAMES[lang][party]
        return names[int(rng.integers(0, len(names)))]

    def _body_preliminary(
        self, item: Item, lang: str, rng, style: Style, layout: int, version: int = 1, note: Note = IGNORE
    ) -> str:
        shares = self.election.preliminary_share
        turnout = style.pct(self.bulletins[(22, "KZ")])
        order = sorted(PARTIES, key=lambda p: -float(shares[p]))
        lines = [(self._party_name(p, lang, rng), style.pct(float(shares[p]), 2)) for p in order]
        d = style.dash
        if lang == "rus":
            lead = f"По предварительным данным Центральной избирательной комиссии, в выборах депутатов Мажилиса Парламента Республики Казахстан, избираемых по партийным спискам, приняли участие {turnout} избирателей, включенных в списки. Голоса избирателей распределились следующим образом:"
        elif lang == "kaz":
            lead = f"Орталық сайлау комиссиясының алдын ала деректері бойынша, партиялық тізімдер бойынша сайланатын Мәжіліс депутаттарын сайлауға тізімге енгізілген сайлаушылардың {turnout} қатысты. Сайлаушылардың дауыстары былайша бөлінді:"
        else:
            lead = f"According to the preliminary data of the Central Election Commission, {turnout} of the voters included into the lists took part in the elections of deputies of the Mazhilis elected from party lists. The votes were distributed as follows:"
        items = "".join(f"<p>{esc(f'{name} {d} {share}')};</p>" for name, share in lines)
        table = self._results_table(self.preliminary_by_region, lang, style, layout, votes=False, note=note)
        caption = {"rus": "Предварительные итоги по регионам (в процентах от числа действительных бюллетеней):", "kaz": "Өңірлер бойынша алдын ала қорытындылар (жарамды бюллетеньдер санынан пайызбен):", "eng": "Preliminary results by region (percent of valid ballots):"}[lang]  # fmt: skip
        note(
            Figure(
                "results",
                "KZ",
                "turnout_pct",
                round(self.bulletins[(22, "KZ")], 1),
                status="preliminary",
                text=lead,
            )
        )
        for p, (name, share) in zip(order, lines, strict=True):
            note(Figure("results", "KZ", "share", round(float(shares[p]), 2), p, status="preliminary", text=f"{name} {d} {share}"))  # fmt: skip
        noise = self.page_noise(item, lang)
        if noise.has("repeated_names"):
            items += f"<p>{esc(repeated(lang, lines[0][0], lines[0][1]))}</p>"
        parts = [f"<p>{esc(lead)}</p>", items, f"<p>{esc(caption)}</p>", table]
        return "\n".join(frame(parts, lang, item.published.date(), item.published, noise))

    def _results_table(
        self, frame: pd.DataFrame, lang: str, style: Style, layout: int, votes: bool, note: Note = IGNORE
    ) -> str:
        """A by-region table: turnout and each party (votes and share, or share only)."""
        heads = {
            "rus": (["Регион", "Избирателей в списках", "Получили бюллетени", "Явка, %"], ["Область", "Число избирателей", "Выдано бюллетеней", "Явка (%)"]),
            "kaz": (["Өңір", "Тізімдегі сайлаушылар саны", "Бюллетень алғандар", "Қатысу, %"], ["Облыс", "Сайлаушылар саны", "Берілген бюллетеньдер", "Қатысу (%)"]),
            "eng": (["Region", "Voters on the lists", "Received ballots", "Turnout, %"], ["Oblast / city", "Registered voters", "Ballots issued", "Turnout (%)"]),
        }[lang]  # fmt: skip
        fixed = heads[1 if layout else 0]
        party_heads = [PARTY_NAMES[lang][p][-1 if layout else 0] for p in PARTIES]
        columns: list[tuple[str, str]] = [("region", fixed[0])]
        if votes:
            columns += [("registered", fixed[1]), ("ballots_issued", fixed[2])]
        columns.append(("turnout", fixed[3]))
        party_cols = [
            (p, h + (", %" if not votes else "")) for p, h in zip(PARTIES, party_heads, strict=True)
        ]
        if layout == 2:
            party_cols.reverse()
            columns = [columns[0], *party_cols, *columns[1:]]
        else:
            columns += party_cols
        rows = []
        for code, r in frame.iterrows():
            cells = []
            status = "final" if votes else "preliminary"
            label = region_forms(str(code), lang)[1][0]

            def cell(line: str, value: float | int, option: str | None = None) -> None:
                note(Figure("results", str(code), line, value, option, status=status, text=label))  # noqa: B023

            for key, _ in columns:
                if key == "region":
                    cells.append(esc(label))
                elif key == "turnout":
                    cells.append(style.number(r["ballots_issued"] / r["registered"] * 100))
                    cell("turnout_pct", round(r["ballots_issued"] / r["registered"] * 100, 1))
                elif key in PARTIES and not votes:
                    cells.append(style.number(r[key] / r["valid"] * 100, 2))
                    cell("share", round(r[key] / r["valid"] * 100, 2), key)
                else:
                    cells.append(style.count(int(r[key])))
                    cell("votes", int(r[key]), key) if key in PARTIES else cell(key, int(r[key]))
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th>{esc(h)}</th>" for _, h in columns)
        return (
            f'<table class="data-table"><thead><tr>{head}</tr></thead><tbody>\n'
            + "\n".join(rows)
            + "\n</tbody></table>"
        )

    def _national(self) -> dict[str, int]:
        return self.election.official_totals("mazhilis")

    def _body_final(
        self, item: Item, lang: str, rng, style: Style, layout: int, version: int = 1, note: Note = IGNORE
    ) -> str:
        t = self._national()
        c = style.count
        turnout = style.pct(t["ballots_issued"] / t["registered"] * 100, 2)
        d = style.dash
        order = sorted(PARTIES, key=lambda p: -t[p])
        party_lines = []
        for p in order:
            name = self._party_name(p, lang, rng)
            share = style.number(t[p] / t["valid"] * 100, 2)
            sign = style.percent or "%"
            word = {"rus": "голосов", "kaz": "дауыс", "eng": "votes"}[lang]
            party_lines.append(f"{name} {d} {c(t[p])} {word} ({share}{sign})")
        if lang == "rus":
            lead = [
                "Центральная избирательная комиссия Республики Казахстан подвела окончательные итоги выборов депутатов Мажилиса Парламента Республики Казахстан, избираемых по партийным спискам.",
                f"В списки избирателей включено {c(t['registered'])} избирателей. Избирательные бюллетени получили {c(t['ballots_issued'])} избирателей, или {turnout}.",
                f"Недействительными признаны {c(t['invalid'])} бюллетеней, действительных бюллетеней {d} {c(t['valid'])}.",
                "Голоса избирателей распределились следующим образом:",
            ]
            tail = f"Семипроцентный барьер преодолели три партии. Мандаты распределены: {self._party_name('amanat', lang, rng)} {d} 76, {self._party_name('ak_zhol', lang, rng)} {d} 12, {self._party_name('qhp', lang, rng)} {d} 10."
        elif lang == "kaz":
            lead = [
                "Қазақстан Республикасының Орталық сайлау комиссиясы партиялық тізімдер бойынша сайланатын Мәжіліс депутаттарын сайлаудың түпкілікті қорытындысын шығарды.",
                f"Сайлаушылар тізіміне {c(t['registered'])} сайлаушы енгізілген. Сайлау бюллетеньдерін {c(t['ballots_issued'])} сайлаушы алды, бұл {turnout} құрайды.",
                f"Жарамсыз деп {c(t['invalid'])} бюллетень танылды, жарамды бюллетеньдер {d} {c(t['valid'])}.",
                "Сайлаушылардың дауыстары былайша бөлінді:",
            ]
            tail = f"Жеті пайыздық шектен үш партия өтті. Мандаттар: {self._party_name('amanat', lang, rng)} {d} 76, {self._party_name('ak_zhol', lang, rng)} {d} 12, {self._party_name('qhp', lang, rng)} {d} 10."
        else:
            lead = [
                "The Central Election Commission of the Republic of Kazakhstan has established the final results of the elections of deputies of the Mazhilis elected from party lists.",
                f"{c(t['registered'])} voters were included into the voter lists. {c(t['ballots_issued'])} voters received ballot papers, or {turnout}.",
                f"{c(t['invalid'])} ballots were declared invalid; {c(t['valid'])} ballots were valid.",
                "The votes were distributed as follows:",
            ]
            tail = f"Three parties passed the 7% threshold. Seats: {self._party_name('amanat', lang, rng)} {d} 76, {self._party_name('ak_zhol', lang, rng)} {d} 12, {self._party_name('qhp', lang, rng)} {d} 10."
        if rng.random() < 0.5:
            parties_html = "<p>" + esc("; ".join(party_lines)) + ".</p>"
        else:
            parties_html = "\n".join(f"<p>{esc(line)};</p>" for line in party_lines)
        caption = {"rus": "Итоги голосования по регионам:", "kaz": "Өңірлер бойынша дауыс беру қорытындылары:", "eng": "Results by region:"}[lang]  # fmt: skip
        table = self._results_table(self.official_by_region, lang, style, layout, votes=True, note=note)
        for line in ("registered", "ballots_issued", "invalid", "valid"):
            note(Figure("results", "KZ", line, int(t[line]), status="final", text=lead[1] if line != "invalid" and line != "valid" else lead[2]))  # fmt: skip
        note(Figure("results", "KZ", "turnout_pct", round(t["ballots_issued"] / t["registered"] * 100, 2), status="final", text=lead[1]))  # fmt: skip
        for p, line in zip(order, party_lines, strict=True):
            note(Figure("results", "KZ", "votes", int(t[p]), p, status="final", text=line))
            note(
                Figure(
                    "results", "KZ", "share", round(t[p] / t["valid"] * 100, 2), p, status="final", text=line
                )
            )
        noise = self.page_noise(item, lang)
        if noise.has("repeated_names"):
            leader = order[0]
            share = style.number(t[leader] / t["valid"] * 100, 2) + "%"
            parties_html += f"\n<p>{esc(repeated(lang, self._party_name(leader, lang, self.rng('again', item.id, lang)), share))}</p>"
        parts = [*(f"<p>{esc(s)}</p>" for s in lead), parties_html, f"<p>{esc(tail)}</p>", f"<p>{esc(caption)}</p>", table]  # fmt: skip
        return "\n".join(frame(parts, lang, item.published.date(), item.published, noise))

    def _body_resolution(
        self, item: Item, lang: str, rng, style: Style, layout: int, version: int = 1, note: Note = IGNORE
    ) -> str:
        t = self._national()
        c = style.count
        pct = style.pct(t["ballots_issued"] / t["registered"] * 100, 2)
        d = style.dash
        shares = {p: style.pct(t[p] / t["valid"] * 100, 2) for p in PARTIES}
        names = {p: self._party_name(p, lang, rng) for p in PARTIES}
        if lang == "rus":
            paras = [
                f"Постановление Центральной избирательной комиссии Республики Казахстан от {long_date(item.published, 'rus')} № 14/{int(rng.integers(150, 260))}",
                "Рассмотрев протоколы избирательных комиссий областей, городов республиканского значения и столицы, Центральная избирательная комиссия ПОСТАНОВЛЯЕТ:",
                f"1. Установить, что в списки избирателей включено {c(t['registered'])} избирателей; в голосовании приняли участие {c(t['ballots_issued'])} избирателей, или {pct}.",
                f"2. Признать недействительными {c(t['invalid'])} бюллетеней.",
                "3. Установить, что голоса избирателей распределились следующим образом: "
                + ", ".join(f"{names[p]} {d} {c(t[p])} ({shares[p]})" for p in PARTIES) + ".",
                f"4. Распределить депутатские мандаты: {names['amanat']} {d} 76, {names['ak_zhol']} {d} 12, {names['qhp']} {d} 10.",
            ]  # fmt: skip
        elif lang == "kaz":
            paras = [
                f"Қазақстан Республикасы Орталық сайлау комиссиясының {long_date(item.published, 'kaz')} № 14/{int(rng.integers(150, 260))} қаулысы",
                "Облыстардың, республикалық маңызы бар қалалардың және астананың сайлау комиссияларының хаттамаларын қарап, Орталық сайлау комиссиясы ҚАУЛЫ ЕТЕДІ:",
                f"1. Сайлаушылар тізіміне {c(t['registered'])} сайлаушы енгізілгені, дауыс беруге {c(t['ballots_issued'])} сайлаушы немесе {pct} қатысқаны анықталсын.",
                f"2. {c(t['invalid'])} бюллетень жарамсыз деп танылсын.",
                "3. Сайлаушылардың дауыстары былайша бөлінгені анықталсын: "
                + ", ".join(f"{names[p]} {d} {c(t[p])} ({shares[p]})" for p in PARTIES) + ".",
                f"4. Депутаттық мандаттар бөлінсін: {names['amanat']} {d} 76, {names['ak_zhol']} {d} 12, {names['qhp']} {d} 10.",
            ]  # fmt: skip
        else:
            paras = [
                f"Resolution of the Central Election Commission of the Republic of Kazakhstan of {long_date(item.published, 'eng')} No. 14/{int(rng.integers(150, 260))}",
                "Having considered the protocols of the election commissions of the regions, the cities of republican significance and the capital, the Central Election Commission RESOLVES:",
                f"1. To establish that {c(t['registered'])} voters were included into the voter lists and {c(t['ballots_issued'])} voters, or {pct}, took part in the voting.",
                f"2. To declare {c(t['invalid'])} ballots invalid.",
                "3. To establish that the votes were distributed as follows: "
                + ", ".join(f"{names[p]} {d} {c(t[p])} ({shares[p]})" for p in PARTIES) + ".",
                f"4. To allocate the seats: {names['amanat']} {d} 76, {names['ak_zhol']} {d} 12, {names['qhp']} {d} 10.",
            ]  # fmt: skip
        return "\n".join(f"<p>{esc(p)}</p>" for p in paras)

    def _body_maslikhat_links(
        self, item: Item, lang: str, rng, style: Style, layout: int, version: int = 1, note: Note = IGNORE
    ) -> str:
        lead = {
            "rus": "Итоги выборов депутатов маслихатов устанавливаются территориальными избирательными комиссиями. Решения комиссий об итогах выборов размещены на их страницах:",
            "kaz": "Мәслихат депутаттарын сайлаудың қорытындыларын аумақтық сайлау комиссиялары белгілейді. Комиссиялардың шешімдері олардың беттерінде орналастырылған:",
            "eng": "The results of the maslikhat elections are established by the territorial election commissions. Their decisions are published on the commissions' pages:",
        }[lang]
        links = []
        for code in REGION_ORDER:
            label = region_forms(code, lang)[1][0]
            links.append(f'<li><a href="/{lang}/territorial/{code[3:]}/">{esc(label)}</a></li>')
        return f"<p>{esc(lead)}</p>\n<ul>" + "".join(links) + "</ul>"

    # --- territorial commissions --------------------------------------------------------------------

    def tec_decisions(self, code: str) -> list[tuple[int, str, str | None, datetime]]:
        """(decision id, contest, tec_id or None for the region, published) of a region's decisions."""
        out = []
        base = datetime(2021, 1, 12, 10, 0, tzinfo=CAPITAL)
        k = 1
        if code not in CITY_REGIONS:
            out.append((k, "maslikhat_regional", None, base))
            k += 1
        tecs = self.election.tecs
        for tec in tecs.loc[(tecs["region_code"] == code) & (tecs["number"] > 0), "tec_id"]:
            out.append((k, "maslikhat_city", str(tec), base + timedelta(minutes=7 * k)))
            k += 1
        return out

    def tec_name(self, code: str, tec_id: str | None, lang: str) -> str:
        region = region_forms(code, lang)[1][0]
        if tec_id is None or tec_id.endswith("T00"):
            return {"rus": f"Избирательная комиссия: {region}", "kaz": f"{region} сайлау комиссиясы", "eng": f"Election commission of {region}"}[lang]  # fmt: skip
        n = int(tec_id.split("/T")[1])
        return {"rus": f"Территориальная избирательная комиссия № {n} ({region})", "kaz": f"№ {n} аумақтық сайлау комиссиясы ({region})", "eng": f"Territorial election commission No. {n} ({region})"}[lang]  # fmt: skip

    def decision_title(self, decision: tuple[int, str, str | None, datetime], lang: str) -> str:
        """The title of a TEC decision on maslikhat results."""
        what = self._maslikhat_words(decision[1], lang)
        return {"rus": f"Решение об итогах выборов депутатов {what}", "kaz": f"{what.capitalize()} депутаттарын сайлау қорытындылары туралы шешім", "eng": f"Decision on the results of the elections to {what}"}[lang]  # fmt: skip

    @staticmethod
    def _maslikhat_words(contest: str, lang: str) -> str:
        return {
            ("rus", "maslikhat_regional"): "областного маслихата", ("rus", "maslikhat_city"): "городского (районного) маслихата",
            ("kaz", "maslikhat_regional"): "облыстық мәслихат", ("kaz", "maslikhat_city"): "қалалық (аудандық) мәслихат",
            ("eng", "maslikhat_regional"): "the regional maslikhat", ("eng", "maslikhat_city"): "the city (district) maslikhat",
        }[(lang, contest)]  # fmt: skip

    def decision_body(
        self, code: str, decision: tuple[int, str, str | None, datetime], lang: str, layout: int
    ) -> tuple[str, str]:
        """(title, body) of a TEC decision on maslikhat results."""
        k, contest, tec_id, published = decision
        rng = self.rng("decision", code, k, lang)
        style = Style.draw(lang, rng)
        frame = self.election.protocol(contest)
        part = frame[frame["region_code"] == code] if tec_id is None else frame[frame["tec_id"] == tec_id]
        t = part.sum(numeric_only=True)
        c = style.count
        name = self.tec_name(code, tec_id, lang)
        title = self.decision_title(decision, lang)
        turnout = style.pct(t["ballots_issued"] / t["registered"] * 100, 2)
        if lang == "rus":
            lead = f"{name}, рассмотрев протоколы участковых избирательных комиссий, установила: в списки избирателей включено {c(t['registered'])} избирателей, бюллетени получили {c(t['ballots_issued'])} избирателей ({turnout}), недействительных бюллетеней {c(t['invalid'])}."
        elif lang == "kaz":
            lead = f"{name} учаскелік сайлау комиссияларының хаттамаларын қарап, мынаны анықтады: сайлаушылар тізіміне {c(t['registered'])} сайлаушы енгізілген, бюллетеньді {c(t['ballots_issued'])} сайлаушы алды ({turnout}), жарамсыз бюллетеньдер {c(t['invalid'])}."
        else:
            lead = f"{name}, having considered the protocols of the precinct election commissions, established: {c(t['registered'])} voters on the lists, {c(t['ballots_issued'])} received ballots ({turnout}), {c(t['invalid'])} invalid ballots."
        heads = {
            "rus": ("Партия", "Голосов", "%"),
            "kaz": ("Партия", "Дауыс", "%"),
            "eng": ("Party", "Votes", "%"),
        }[lang]
        if layout:
            heads = {"rus": ("Наименование партии", "Число голосов", "Доля, %"), "kaz": ("Партияның атауы", "Дауыс саны", "Үлесі, %"), "eng": ("Name of party", "Number of votes", "Share, %")}[lang]  # fmt: skip
        rows = []
        for p in sorted(PARTIES, key=lambda p: -int(t[p])):
            cells = [
                esc(self._party_name(p, lang, rng)),
                c(int(t[p])),
                style.number(t[p] / t["valid"] * 100, 2),
            ]
            if layout == 2:
                cells = [cells[0], cells[2], cells[1]]
            rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
        head = list(heads) if layout != 2 else [heads[0], heads[2], heads[1]]
        table = '<table class="data-table"><thead><tr>' + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"  # fmt: skip
        return title, f"<p>{esc(lead)}</p>\n{table}"

    def protocol_body(self, pec_id: str, lang: str, layout: int) -> tuple[str, str]:
        """(title, body) of a precinct's official protocols page (every contest the precinct votes in)."""
        code, number = pec_id.split("/")
        rng = self.rng("protocol", pec_id, lang)
        style = Style.draw(lang, rng)
        labels = {
            "rus": {"registered": "Число избирателей, внесенных в списки", "ballots_received": "Число бюллетеней, полученных комиссией", "ballots_issued": "Число избирателей, получивших бюллетени", "ballots_cancelled": "Число погашенных бюллетеней", "ballots_in_boxes": "Число бюллетеней в ящиках", "invalid": "Число недействительных бюллетеней", "valid": "Число действительных бюллетеней"},
            "kaz": {"registered": "Тізімге енгізілген сайлаушылар саны", "ballots_received": "Комиссия алған бюллетеньдер саны", "ballots_issued": "Бюллетень алған сайлаушылар саны", "ballots_cancelled": "Өтелген бюллетеньдер саны", "ballots_in_boxes": "Жәшіктердегі бюллетеньдер саны", "invalid": "Жарамсыз бюллетеньдер саны", "valid": "Жарамды бюллетеньдер саны"},
            "eng": {"registered": "Voters included into the lists", "ballots_received": "Ballots received by the commission", "ballots_issued": "Voters who received ballots", "ballots_cancelled": "Cancelled ballots", "ballots_in_boxes": "Ballots in the boxes", "invalid": "Invalid ballots", "valid": "Valid ballots"},
        }[lang]  # fmt: skip
        contest_names = {
            "rus": {"mazhilis": "Выборы депутатов Мажилиса (по партийным спискам)", "maslikhat_regional": "Выборы депутатов областного маслихата", "maslikhat_city": "Выборы депутатов городского (районного) маслихата"},
            "kaz": {"mazhilis": "Мәжіліс депутаттарын сайлау (партиялық тізімдер)", "maslikhat_regional": "Облыстық мәслихат депутаттарын сайлау", "maslikhat_city": "Қалалық (аудандық) мәслихат депутаттарын сайлау"},
            "eng": {"mazhilis": "Mazhilis (party lists)", "maslikhat_regional": "Regional maslikhat", "maslikhat_city": "City (district) maslikhat"},
        }[lang]  # fmt: skip
        title = {"rus": f"Протокол участковой избирательной комиссии № {number}", "kaz": f"№ {number} учаскелік сайлау комиссиясының хаттамасы", "eng": f"Protocol of precinct election commission No. {number}"}[lang]  # fmt: skip
        parts = []
        for contest in ("mazhilis", "maslikhat_regional", "maslikhat_city"):
            indexed = self._indexed(contest)
            if pec_id not in indexed.index:
                continue
            r = indexed.loc[pec_id]
            lines = [(labels[k], int(r[k])) for k in labels]
            lines += [(self._party_name(p, lang, rng), int(r[p])) for p in PARTIES]
            if layout == 2:
                lines = lines[:7][::-1] + lines[7:]
            body = "\n".join(f"<tr><td>{i + 1}</td><td>{esc(label)}</td><td>{style.count(v)}</td></tr>" for i, (label, v) in enumerate(lines))  # fmt: skip
            parts.append(f'<h3 data-contest="{contest}">{esc(contest_names[contest])}</h3>\n<table class="protocol"><tbody>\n{body}\n</tbody></table>')  # fmt: skip
        return title, "\n".join(parts)
