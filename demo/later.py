"""The pages of the 2022 presidential election, the 2023 Mazhilis election and the 2024 referendum on the
CEC double: turnout bulletins and preliminary and final results, national and regional, in Russian,
Kazakh and English, in the IDs and URL shapes of the real site (``/{rus|kaz|eng}/news/releases/
index.php?ID=<n>``, one growing ID space after the 2021 one).

Served only when a site is started with them (``DemoSite(elections=(...))``, ``saylau demo-site
--elections``): the 2021 demo's pages, listings and marts stay exactly as they were. Figures come from
:mod:`demo.later_figures` (national ones published, regional ones made up); the twenty regions of 2022
in the CEC's Kazakh alphabetical order, Astana by its name of the day; "against all" on the 2022 and 2023
ballots; the referendum's participants, yes / no and ballots with both options marked. The noise of
real copies (:mod:`demo.noise`) is laid over them as over the 2021 pages, and every figure a page states
is noted for :mod:`demo.truth`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from demo import bulletins
from demo.later_figures import LATER, PRELIMINARY_VOTES, LaterElection, regional
from demo.noise import Noise, PageNoise, frame, repeated
from demo.pages import Item
from demo.truth import IGNORE, Figure
from demo.wording import LANGS, REGION_ORDER_2022, Style, esc, hash_text, region_forms

Note = bulletins.Note

OPTION_NAMES: dict[str, dict[str, list[str]]] = {
    "rus": {
        "tokayev": ["Касым-Жомарт Токаев", "Токаев Касым-Жомарт Кемелевич", "Токаев"],
        "dairabayev": ["Жигули Дайрабаев", "Дайрабаев Жигули"], "abden": ["Каракат Абден", "Абден Каракат"],
        "kazhyken": ["Мейрам Кажыкен", "Кажыкен Мейрам"], "auesbayev": ["Нурлан Ауесбаев", "Ауесбаев Нурлан"],
        "tursynbekova": ["Салтанат Турсынбекова", "Турсынбекова Салтанат"],
        "against_all": ["Против всех", "против всех"],
        "amanat": ["партия «AMANAT»", "«Аманат»", "AMANAT"], "auyl": ["НДПП «Ауыл»", "«Ауыл»"],
        "respublica": ["Партия «Respublica»", "Respublica"], "ak_zhol": ["ДПК «Ак жол»", "«Ак жол»"],
        "qhp": ["Народная партия Казахстана", "НПК"], "osdp": ["ОСДП", "Общенациональная социал-демократическая партия"],
        "baytaq": ["Партия зеленых «Байтак»", "«Байтак»"], "yes": ["За", "Да"], "no": ["Против", "Нет"],
    },
    "kaz": {
        "tokayev": ["Қасым-Жомарт Тоқаев", "Тоқаев"], "dairabayev": ["Жигули Дайрабаев"], "abden": ["Қаракат Әбден"],
        "kazhyken": ["Мейрам Қажыкен"], "auesbayev": ["Нұрлан Әуесбаев"], "tursynbekova": ["Салтанат Тұрсынбекова"],
        "against_all": ["Бәріне қарсы"], "amanat": ["«AMANAT» партиясы", "Аманат"], "auyl": ["«Ауыл» партиясы"],
        "respublica": ["«Respublica» партиясы"], "ak_zhol": ["«Ақ жол»"], "qhp": ["ҚХП"], "osdp": ["ЖСДП"],
        "baytaq": ["«Байтақ» жасылдар партиясы"], "yes": ["Иә"], "no": ["Жоқ"],
    },
    "eng": {
        "tokayev": ["Kassym-Jomart Tokayev", "Tokayev"], "dairabayev": ["Zhiguli Dairabayev", "Dairabayev"],
        "abden": ["Karakat Abden", "Abden"], "kazhyken": ["Meiram Kazhyken", "Kazhyken"],
        "auesbayev": ["Nurlan Auesbayev", "Auesbayev"], "tursynbekova": ["Saltanat Tursynbekova", "Tursynbekova"],
        "against_all": ["Against all"], "amanat": ["Amanat", "AMANAT"], "auyl": ["Auyl"], "respublica": ["Respublica"],
        "ak_zhol": ["Ak Zhol"], "qhp": ["People's Party of Kazakhstan", "QHP"], "osdp": ["OSDP"],
        "baytaq": ["Baytaq", "Baytaq Green Party"], "yes": ["Yes"], "no": ["No"],
    },
}  # fmt: skip

_WHAT = {
    "president": ("выборов Президента Республики Казахстан", "Қазақстан Республикасының Президентін сайлаудың", "presidential election of the Republic of Kazakhstan"),
    "mazhilis": ("выборов депутатов Мажилиса Парламента Республики Казахстан", "Қазақстан Республикасы Парламенті Мәжілісі депутаттарын сайлаудың", "elections of deputies of the Mazhilis of the Parliament of the Republic of Kazakhstan"),
    "referendum": ("республиканского референдума", "республикалық референдумның", "republican referendum"),
}  # fmt: skip
_NOTICES = (
    ("Заседание Центральной избирательной комиссии", "Орталық сайлау комиссиясының отырысы", "Meeting of the Central Election Commission"),
    ("О порядке голосования", "Дауыс беру тәртібі туралы", "On the voting procedure"),
    ("Брифинг Центральной избирательной комиссии", "Орталық сайлау комиссиясының брифингі", "Briefing of the Central Election Commission"),
)  # fmt: skip


def schedule(e: LaterElection, seed: int) -> list[Item]:
    """The election's items: notices, voting opened, the bulletins, preliminary and final results."""
    rng = np.random.default_rng([seed, e.first_id])
    day = dt.datetime(e.day.year, e.day.month, e.day.day, tzinfo=e.tz)
    plan: list[tuple[dt.datetime, str, int | None, int, int]] = []
    for k in range(5):
        plan.append((day - dt.timedelta(days=20 - 4 * k, hours=-10), "notice", None, 0, k % 3))
    plan.append((day + dt.timedelta(hours=7, minutes=5), "voting_opened", None, 0, 0))
    for h, m in e.times:
        plan.append((day + dt.timedelta(hours=h, minutes=m + int(rng.integers(8, 35))), "turnout", h, m, 0))
    plan.append((day + dt.timedelta(days=1, hours=10), "preliminary", None, 0, 0))
    plan.append((day + dt.timedelta(days=1, hours=16), "notice", None, 0, 2))
    plan.append((day + dt.timedelta(days=4, hours=11), "final", None, 0, 0))
    plan.sort(key=lambda p: p[0])
    items, next_id = [], e.first_id
    for moment, kind, hour, minute, topic in plan:
        next_id += int(rng.integers(1, 6))
        items.append(Item(next_id, "releases", kind, moment, hour, topic * 100 + minute))
    return items


class LaterContent:
    """Renders one later election's pages (same interface as :class:`demo.pages.Content` for items)."""

    def __init__(self, election_id: str, seed: int = 0, noise: Noise | None = None) -> None:
        self.e = LATER[election_id]
        self.seed = seed
        self.noise = noise or Noise()
        self.items = schedule(self.e, seed)
        self.by_id = {i.id: i for i in self.items}
        self.r = regional(election_id, seed)

    def rng(self, *key: object) -> np.random.Generator:
        return np.random.default_rng([self.seed, *(abs(hash_text(str(k))) for k in key)])

    def page_noise(self, item: Item, lang: str) -> PageNoise:
        if item.kind not in ("turnout", "preliminary", "final"):
            return PageNoise()
        last = item.kind == "turnout" and (item.hour, item.topic % 100) == self.e.times[-1]
        return self.noise.draw(
            self.rng("noise", item.id, lang), REGION_ORDER_2022, item.kind != "turnout" or last
        )

    def _bulletin(self, item: Item) -> bulletins.Bulletin:
        at = (int(item.hour or 0), item.topic % 100)
        figures = self.r.bulletins[at]
        rows = tuple((c, figures[c]) for c in REGION_ORDER_2022)
        return bulletins.Bulletin(
            self.e.day,
            at[0],
            at[1],
            figures["KZ"],
            rows,
            item.published,
            self.e.referendum,
            self.e.day,
            self.e.decimals,
        )

    def _name(self, option: str, lang: str, rng: np.random.Generator) -> str:
        names = OPTION_NAMES[lang][option]
        return names[int(rng.integers(0, len(names)))]

    # --- titles and bodies -------------------------------------------------------------------------------

    def title(self, item: Item, lang: str) -> str:
        i = LANGS.index(lang)
        if item.kind == "notice":
            return _NOTICES[item.topic // 100][i]
        if item.kind == "voting_opened":
            return ("Голосование началось", "Дауыс беру басталды", "Voting has begun")[i]
        if item.kind == "turnout":
            style = Style.draw(lang, self.rng("item", item.id, lang))
            return bulletins.title(self._bulletin(item), lang, self.page_noise(item, lang), style)
        what = _WHAT[self.e.contest][i]
        if item.kind == "preliminary":
            return (f"Предварительные итоги {what}", f"{what[0].upper()}{what[1:]} алдын ала қорытындылары", f"Preliminary results of the {what}")[i]  # fmt: skip
        return (f"Окончательные итоги {what}", f"{what[0].upper()}{what[1:]} түпкілікті қорытындылары", f"Final results of the {what}")[i]  # fmt: skip

    def body(self, item: Item, lang: str, layout: int = 0, version: int = 1, note: Note = IGNORE) -> str:
        rng = self.rng("item", item.id, lang)
        style = Style.draw(lang, rng)
        noise = self.page_noise(item, lang)
        if item.kind == "turnout":
            return bulletins.body(self._bulletin(item), lang, rng, style, layout, noise, note)
        if item.kind in ("preliminary", "final"):
            parts = self._results(item, lang, rng, style, layout, noise, note)
            return "\n".join(frame(parts, lang, self.e.day, item.published, noise))
        if item.kind == "voting_opened":
            text = {"rus": "В 7:00 по местному времени открылись избирательные участки. Голосование продлится до 20:00.", "kaz": "Жергілікті уақытпен сағат 7:00-де сайлау учаскелері ашылды. Дауыс беру 20:00-ге дейін жалғасады.", "eng": "Polling stations opened at 7:00 local time. Voting continues until 20:00."}[lang]  # fmt: skip
        else:
            text = {"rus": "Центральная избирательная комиссия рассмотрела вопросы подготовки к голосованию.", "kaz": "Орталық сайлау комиссиясы дауыс беруге дайындық мәселелерін қарады.", "eng": "The Central Election Commission considered the preparations for the vote."}[lang]  # fmt: skip
        return f"<p>{esc(text)}</p>"

    def _results(self, item: Item, lang: str, rng, style: Style, layout: int, noise: PageNoise, note: Note) -> list[str]:  # fmt: skip
        e, c, d = self.e, style.count, style.dash
        status = item.kind
        ref = e.referendum
        turnout = round(e.ballots / e.registered * 100, 2)
        who = {"rus": "участников референдума" if ref else "избирателей", "kaz": "референдумға қатысушы" if ref else "сайлаушы", "eng": "referendum participants" if ref else "voters"}[lang]  # fmt: skip
        lead = []
        if lang == "rus":
            lead.append(
                f"Центральная избирательная комиссия Республики Казахстан сообщает {'предварительные' if status == 'preliminary' else 'окончательные'} итоги {_WHAT[e.contest][0]}."
            )
            if status == "final":
                lead.append(
                    f"В списки включено {c(e.registered)} {who}. Бюллетени получили {c(e.ballots)} {who}, или {style.number(turnout, 2)}%."
                )
                lead.append(f"Недействительными признаны {c(e.invalid)} бюллетеней.")
            else:
                lead.append(
                    f"В голосовании приняли участие {style.number(turnout, 2)}% {who}, включенных в списки."
                )
        elif lang == "kaz":
            lead.append(
                f"Қазақстан Республикасының Орталық сайлау комиссиясы {_WHAT[e.contest][1]} {'алдын ала' if status == 'preliminary' else 'түпкілікті'} қорытындыларын хабарлайды."
            )
            if status == "final":
                lead.append(
                    f"Тізімге {c(e.registered)} {who} енгізілген. Бюллетеньді {c(e.ballots)} {who} алды, бұл {style.number(turnout, 2)}%."
                )
                lead.append(f"Жарамсыз деп {c(e.invalid)} бюллетень танылды.")
            else:
                lead.append(
                    f"Тізімге енгізілген {who}лардың {style.number(turnout, 2)}% дауыс беруге қатысты."
                )
        else:
            lead.append(
                f"The Central Election Commission of the Republic of Kazakhstan announces the {status} results of the {_WHAT[e.contest][2]}."
            )
            if status == "final":
                lead.append(
                    f"{c(e.registered)} {who} were included into the lists. {c(e.ballots)} {who} received ballot papers, or {style.number(turnout, 2)}%."
                )
                lead.append(f"{c(e.invalid)} ballots were declared invalid.")
            else:
                lead.append(
                    f"{style.number(turnout, 2)}% of the {who} included into the lists took part in the vote."
                )
        # fmt: on
        if status == "final":
            for line, value, text in (("registered", e.registered, lead[1]), ("ballots_issued", e.ballots, lead[1]), ("invalid", e.invalid, lead[2])):  # fmt: skip
                note(Figure("results", "KZ", line, value, status=status, text=text))
        note(Figure("results", "KZ", "turnout_pct", turnout, status=status, text=lead[1]))
        lines = []
        order = sorted(e.votes, key=lambda o: -e.votes[o]) if not ref else list(e.votes)
        word = {"rus": "голосов", "kaz": "дауыс", "eng": "votes"}[lang]
        for o in order:
            votes = (
                PRELIMINARY_VOTES.get((e.election_id, o), e.votes[o])
                if status == "preliminary"
                else e.votes[o]
            )
            share = round(e.votes[o] / e.share_base * 100, 2)
            name = self._name(o, lang, rng)
            with_votes = status == "final" or (e.election_id, o) in PRELIMINARY_VOTES or ref
            text = f"{name} {d} {c(votes)} {word} ({style.number(share, 2)}%)" if with_votes else f"{name} {d} {style.number(share, 2)}%"  # fmt: skip
            if with_votes:
                note(Figure("results", "KZ", "votes", votes, o, status=status, text=text))
            note(Figure("results", "KZ", "share", share, o, status=status, text=text))
            lines.append(text)
        intro = {"rus": "Голоса распределились следующим образом:", "kaz": "Дауыстар былайша бөлінді:", "eng": "The votes were distributed as follows:"}[lang]  # fmt: skip
        parts = [f"<p>{esc(s)}</p>" for s in lead] + [f"<p>{esc(intro)}</p>"]
        parts.append("\n".join(f"<p>{esc(line)};</p>" for line in lines))
        if ref:
            both = {"rus": f"Бюллетеней, в которых отмечены оба варианта ответа, {d} {c(e.valid_not_counted)}.", "kaz": f"Екі жауап нұсқасы да белгіленген бюллетеньдер {d} {c(e.valid_not_counted)}.", "eng": f"Ballots with both options marked: {c(e.valid_not_counted)}."}[lang]  # fmt: skip
            note(Figure("results", "KZ", "valid_not_counted", e.valid_not_counted, status=status, text=both))
            parts.append(f"<p>{esc(both)}</p>")
        if noise.has("repeated_names"):
            leader = order[0]
            again = self._name(leader, lang, self.rng("again", item.id, lang))
            parts.append(f"<p>{esc(repeated(lang, again, style.number(e.votes[leader] / e.share_base * 100, 2) + '%'))}</p>")  # fmt: skip
        if status == "final":
            caption = {"rus": "Итоги голосования по регионам:", "kaz": "Өңірлер бойынша дауыс беру қорытындылары:", "eng": "Results by region:"}[lang]  # fmt: skip
            parts += [f"<p>{esc(caption)}</p>", self._table(lang, style, note)]
        return parts

    def _table(self, lang: str, style: Style, note: Note) -> str:
        e, r = self.e, self.r
        heads = {"rus": ["Регион", "Избирателей в списках", "Получили бюллетени", "Явка, %"], "kaz": ["Өңір", "Тізімдегі сайлаушылар саны", "Бюллетень алғандар", "Қатысу, %"], "eng": ["Region", "Voters on the lists", "Received ballots", "Turnout, %"]}[lang]  # fmt: skip
        options = list(e.votes)
        heads += [OPTION_NAMES[lang][o][0] for o in options]
        rows = []
        for code in REGION_ORDER_2022:
            label = region_forms(code, lang, e.day)[1][0]
            turnout = round(r.ballots[code] / r.registered[code] * 100, 1)
            cells = [
                esc(label),
                style.count(r.registered[code]),
                style.count(r.ballots[code]),
                style.number(turnout),
            ]
            cells += [style.count(r.votes[code][o]) for o in options]
            for line, value in (("registered", r.registered[code]), ("ballots_issued", r.ballots[code]), ("turnout_pct", turnout)):  # fmt: skip
                note(Figure("results", code, line, value, status="final", text=label))
            for o in options:
                note(Figure("results", code, "votes", r.votes[code][o], o, status="final", text=label))
            rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
        head = "".join(f"<th>{esc(h)}</th>" for h in heads)
        return (
            f'<table class="data-table"><thead><tr>{head}</tr></thead><tbody>\n'
            + "\n".join(rows)
            + "\n</tbody></table>"
        )
