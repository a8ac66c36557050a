"""Results communiques of 2019-2024 as the CEC and its copies word them (docs: ../shared/reference/cec_wording.md),
written for these tests in our own words: a headline, a dateline naming a city, a lead, the lines as a list and
then again in a sentence, counts with thin or no-break spaces or in words, percentages in brackets, trailing tags.

Each sample states what a careful reader takes from it: ``votes`` and ``shares`` per option, the protocol
``lines`` (every certain line) and the national ``turnout``, and ``set_aside`` (option or line -> the rule it is set aside by). Nothing else
may be read from the page: a figure not listed is a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NB, TH = "\u00a0", "\u2009"  # no-break and thin spaces, as the CEC's CMS writes thousands


@dataclass(frozen=True)
class Sample:
    name: str
    election_id: str
    lang: str  # rus | kaz | eng
    kind: str  # preliminary | final
    title: str
    paragraphs: tuple[str, ...]
    published: str  # dd.mm.yyyy hh:mm
    lines: dict = field(default_factory=dict)
    votes: dict = field(default_factory=dict)
    shares: dict = field(default_factory=dict)
    set_aside: dict = field(default_factory=dict)  # option id or line -> rule
    turnout: float | None = None  # the national turnout the page states (None: it states none)

    def html(self) -> bytes:
        body = "".join(f"<p>{p}</p>" for p in self.paragraphs)
        return (
            "<html><head><meta charset='utf-8'><title>ЦИК РК</title></head><body>"
            f"<nav><a href='/{self.lang}/'>Главная</a> <a href='/{self.lang}/news/'>Новости</a></nav>"
            f"<article><h1>{self.title}</h1><time>{self.published}</time>{body}"
            "<p>Теги: выборы, ЦИК, итоги</p></article>"
            "<footer>010000, Астана, Дом министерств</footer></body></html>"
        ).encode()

    @property
    def url(self) -> str:
        return f"https://www.election.gov.kz/{self.lang}/news/releases/index.php?ID={abs(hash(self.name)) % 9000 + 1000}"


P19 = dict(
    tokayev=70.96,
    kosanov=16.23,
    yespayeva=5.05,
    rakhimbekov=3.04,
    taspikhov=1.98,
    akhmetbekov=1.82,
    tugel=0.92,
)
V19 = dict(
    tokayev=6539715,
    kosanov=1495491,
    yespayeva=465714,
    rakhimbekov=280451,
    taspikhov=182898,
    akhmetbekov=167649,
    tugel=84582,
)
V21 = dict(amanat=5148074, ak_zhol=792828, qhp=659019, auyl=383023, adal=258618)
P21 = dict(amanat=71.09, ak_zhol=10.95, qhp=9.10, auyl=5.29, adal=3.57)
L21 = dict(registered=11919241, ballots_issued=7539280, invalid=297718, valid=7241562)
V22 = dict(
    tokayev=6456393,
    dairabayev=271641,
    abden=206206,
    kazhyken=200907,
    auesbayev=176116,
    tursynbekova=168731,
    against_all=460484,
)
P22 = dict(
    tokayev=81.31,
    dairabayev=3.42,
    abden=2.60,
    kazhyken=2.53,
    auesbayev=2.22,
    tursynbekova=2.12,
    against_all=5.80,
)
L22 = dict(registered=11953465, ballots_issued=8300046, valid=7940478)
V23 = dict(
    amanat=3431510,
    auyl=693938,
    respublica=547154,
    ak_zhol=535139,
    qhp=432920,
    osdp=331058,
    baytaq=146431,
    against_all=248291,
)
P23 = dict(
    amanat=53.90,
    auyl=10.90,
    respublica=8.59,
    ak_zhol=8.41,
    qhp=6.80,
    osdp=5.20,
    baytaq=2.30,
    against_all=3.90,
)


def _without(d: dict, *keys: str) -> dict:
    return {k: v for k, v in d.items() if k not in keys}


SAMPLES = [
    # --- 9 June 2019, presidential ------------------------------------------------------------------
    Sample(
        "president_2019_final_rus",
        "kz-2019-06-09",
        "rus",
        "final",
        "ЦИК утвердил окончательные итоги выборов Президента Республики Казахстан",
        (
            "НУР-СУЛТАН. КАЗИНФОРМ – Центральная избирательная комиссия на заседании 12 июня 2019 года "
            "подвела окончательные итоги внеочередных выборов Президента Республики Казахстан.",
            "Голоса избирателей распределились следующим образом:",
            f"Токаев Касым-Жомарт Кемелевич – 6{NB}539{NB}715 голосов (70,96%);",
            f"Косанов Амиржан Сагидрахманович – 1{NB}495{NB}491 (16,23%);",
            "Еспаева Дания Макеновна – 465 714 (5,05%);",
            "Рахимбеков Толеутай Сулейменович – 280 451 (3,04%);",
            "Таспихов Амангельды Молдагалиевич – 182 898 (1,98%);",
            "Ахметбеков Жамбыл Аужанович – 167 649 (1,82%);",
            "Тугел Садыбек – 84 582 (0,92%).",
            "Таким образом, за К.-Ж. Токаева отдано 6 млн 539 тысяч 715 голосов, он избран Президентом.",
        ),
        "12.06.2019 15:30",
        votes=V19,
        shares=P19,
    ),
    Sample(
        "president_2019_final_kaz",
        "kz-2019-06-09",
        "kaz",
        "final",
        "ОСК Президент сайлауының түпкілікті қорытындысын шығарды",
        (
            "НҰР-СҰЛТАН. ҚАЗАҚПАРАТ – Орталық сайлау комиссиясы кезектен тыс Президент сайлауының "
            "түпкілікті қорытындысын шығарды.",
            f"Қ.-Ж. Тоқаев – 6{TH}539{TH}715 дауыс (70,96%), Ә. Қосанов – 1 495 491 дауыс (16,23%), "
            "Д. Еспаева – 465 714 (5,05%), Т. Рахымбеков – 280 451 (3,04%), А. Таспихов – 182 898 (1,98%), "
            "Ж. Ахметбеков – 167 649 (1,82%), С. Түгел – 84 582 (0,92%).",
            "Тоқаев Қасым-Жомарт Кемелұлы Қазақстан Республикасының Президенті болып сайланды.",
        ),
        "12.06.2019 15:30",
        votes=V19,
        shares=P19,
    ),
    Sample(
        "president_2019_final_eng",
        "kz-2019-06-09",
        "eng",
        "final",
        "Kassym-Jomart Tokayev elected President with 70.96% of votes",
        (
            "NUR-SULTAN. KAZINFORM – The Central Election Commission summed up the final results of the "
            "early presidential election on June 12, 2019.",
            "Kassym-Jomart Tokayev – 6,539,715 votes (70.96%); Amirzhan Kosanov – 1,495,491 (16.23%); "
            "Daniya Yespayeva – 465,714 (5.05%); Toleutai Rakhimbekov – 280,451 (3.04%); Amangeldy "
            "Taspikhov – 182,898 (1.98%); Zhambyl Akhmetbekov – 167,649 (1.82%); Sadybek Tugel – 84,582 "
            "(0.92%).",
        ),
        "12.06.2019 15:30",
        votes=V19,
        shares=P19,
    ),
    Sample(
        "president_2019_preliminary_rus",
        "kz-2019-06-09",
        "rus",
        "preliminary",
        "Предварительные итоги выборов Президента",
        (
            "НУР-СУЛТАН. КАЗИНФОРМ – По предварительным данным ЦИК, в списки избирателей включено "
            "11 960 364 человек. Бюллетени получили 9 261 460 избирателей, или 77,4%.",
            "Лидирует Касым-Жомарт Токаев, за которого проголосовали более 70% избирателей.",
            "Косанов Амиржан – 16,23%.",
        ),
        "10.06.2019 09:00",
        lines=dict(registered=11960364, ballots_issued=9261460),
        shares=dict(kosanov=16.23),
        set_aside=dict(tokayev="approximate"),
        turnout=77.4,
    ),
    # --- 10 January 2021, Mazhilis (the page that failed: parties named twice, Latin and Cyrillic) -----
    Sample(
        "mazhilis_2021_final_rus",
        "kz-2021-01-10",
        "rus",
        "final",
        "Окончательные итоги выборов депутатов Мажилиса: Nur Otan получает 71,09%",
        (
            "НУР-СУЛТАН. КАЗИНФОРМ – ЦИК подвел окончательные итоги выборов депутатов Мажилиса "
            "Парламента, сообщил член комиссии.",
            f"В списки избирателей включено 11{NB}919{NB}241 человек. Избирательные бюллетени получили "
            "7 539 280 избирателей, или 63,25%. Недействительными признаны 297 718 бюллетеней. "
            "Действительных бюллетеней – 7 241 562.",
            "Голоса распределились следующим образом:",
            "Nur Otan («Нур Отан») – 5 148 074 голосов (71,09%);",
            "AQ JOL («Ак жол») – 792 828 (10,95%);",
            "Народная партия Казахстана (НПК) – 659 019 (9,10%);",
            "Auyl («Ауыл») – 383 023 (5,29%);",
            "ADAL («Адал») – 258 618 (3,57%).",
            "Таким образом, партия «Нур Отан» набрала 71,09% голосов, а «Ак жол» – 10,95%.",
            "Семипроцентный барьер преодолели три партии. Мандаты распределены: Nur Otan – 76, Ак жол – 12, "
            "НПК – 10.",
        ),
        "15.01.2021 11:00",
        lines=L21,
        votes=V21,
        shares=P21,
        turnout=63.25,
    ),
    Sample(
        "mazhilis_2021_preliminary_eng",
        "kz-2021-01-10",
        "eng",
        "preliminary",
        "Nur Otan leads with 71.97%, preliminary results show",
        (
            "NUR-SULTAN. KAZINFORM – 63.3% of voters took part in the elections, the CEC said on January 11, "
            "2021.",
            "According to preliminary data, Nur Otan Party gained 71.97%, AQ JOL 10.95%, People's Party of "
            "Kazakhstan 9.03%, Auyl 5.29%, ADAL 3.57%.",
            "Nur Otan thus keeps its majority: 71.97% of votes.",
        ),
        "11.01.2021 09:30",
        shares=dict(amanat=71.97, ak_zhol=10.95, qhp=9.03, auyl=5.29, adal=3.57),
        turnout=63.3,
    ),
    # --- 20 November 2022, presidential ----------------------------------------------------------------
    Sample(
        "president_2022_final_rus",
        "kz-2022-11-20",
        "rus",
        "final",
        "ЦИК подвел окончательные итоги выборов Президента: Касым-Жомарт Токаев набрал 81,31%",
        (
            "АСТАНА. КАЗИНФОРМ – Центральная избирательная комиссия на заседании 24 ноября 2022 года "
            "утвердила окончательные итоги внеочередных выборов Президента Республики Казахстан.",
            "В списки избирателей было включено 11 953 465 человек. Избирательные бюллетени получили "
            f"8{NB}300{NB}046 избирателей, или 69,44%. Действительными признаны 7 940 478 бюллетеней.",
            "Голоса распределились следующим образом:",
            f"Токаев Касым-Жомарт Кемелевич – 6{TH}456{TH}393 (81,31%);",
            "Дайрабаев Жигули (партия «Ауыл») – 271 641 (3,42%);",
            "Абден Каракат – 206 206 (2,60%);",
            "Кажыкен Мейрам – 200 907 (2,53%);",
            "Ауесбаев Нурлан – 176 116 (2,22%);",
            "Турсынбекова Салтанат – 168 731 (2,12%);",
            "против всех – 460 484 (5,80%).",
            "Таким образом, за К.-Ж. Токаева отдано 6 млн 456 тысяч 393 голоса избирателей.",
            "Избранным Президентом признан Токаев Касым-Жомарт Кемелевич.",
        ),
        "24.11.2022 15:40",
        lines=L22,
        votes=V22,
        shares=P22,
        turnout=69.44,
    ),
    Sample(
        "president_2022_final_kaz",
        "kz-2022-11-20",
        "kaz",
        "final",
        "ОСК Президент сайлауының түпкілікті қорытындысын жариялады",
        (
            "АСТАНА. ҚАЗАҚПАРАТ – Орталық сайлау комиссиясы кезектен тыс Президент сайлауының түпкілікті "
            "қорытындысын шығарды.",
            "Сайлаушылар тізіміне 11 953 465 адам енгізілген. Сайлау бюллетеньдерін 8 300 046 сайлаушы "
            "алды, бұл 69,44% құрайды. Жарамды бюллетеньдер – 7 940 478.",
            "Қасым-Жомарт Тоқаев – 6 456 393 дауыс (81,31%), Жигули Дайрабаев – 271 641 дауыс (3,42%), "
            "Қаракат Әбден – 206 206 (2,60%), Мейрам Қажыкен – 200 907 (2,53%), Нұрлан Әуесбаев – 176 116 "
            "(2,22%), Салтанат Тұрсынбекова – 168 731 (2,12%). Бәріне қарсы – 460 484 (5,80%).",
            "Тоқаев Қасым-Жомарт Кемелұлы Қазақстан Республикасының Президенті болып сайланды.",
        ),
        "24.11.2022 15:40",
        lines=L22,
        votes=V22,
        shares=P22,
        turnout=69.44,
    ),
    Sample(
        "president_2022_final_eng",
        "kz-2022-11-20",
        "eng",
        "final",
        "Kassym-Jomart Tokayev wins presidential election with 81.31% of votes",
        (
            "ASTANA. KAZINFORM – The Central Election Commission announced the final results of the early "
            "presidential election on November 24, 2022.",
            "11,953,465 voters were included into the voter lists. Ballots were issued to 8,300,046 voters "
            "(69.44%). 7,940,478 ballots were found valid.",
            "Kassym-Jomart Tokayev received 6,456,393 votes, or 81.31%. Zhiguli Dairabayev (Auyl Party) "
            "gained 271,641 votes (3.42%), Karakat Abden 206,206 (2.60%), Meiram Kazhyken 200,907 (2.53%), "
            "Nurlan Auesbayev 176,116 (2.22%) and Saltanat Tursynbekova 168,731 (2.12%).",
            "460,484 voters, or 5.80%, voted against all candidates.",
        ),
        "24.11.2022 15:40",
        lines=L22,
        votes=V22,
        shares=P22,
        turnout=69.44,
    ),
    Sample(
        "president_2022_preliminary_rus",
        "kz-2022-11-20",
        "rus",
        "preliminary",
        "Предварительные итоги: К.-Ж. Токаев набирает 81,31%",
        (
            "АСТАНА. КАЗИНФОРМ – ЦИК огласил предварительные итоги выборов 21 ноября 2022 года.",
            "По предварительным данным, за Касым-Жомарта Токаева проголосовали 6 456 392 избирателя "
            "(81,31%). Дайрабаев Ж. – 3,42%, Абден К. – 2,60%, Кажыкен М. – 2,53%, Ауесбаев Н. – 2,22%, "
            "Турсынбекова С. – 2,12%, против всех – 5,80%.",
        ),
        "21.11.2022 10:00",
        votes=dict(tokayev=6456392),
        shares=P22,
    ),
    # --- 19 March 2023, Mazhilis party lists with "against all" ----------------------------------------
    Sample(
        "mazhilis_2023_final_rus",
        "kz-2023-03-19",
        "rus",
        "final",
        "ЦИК утвердил окончательные итоги выборов в Мажилис",
        (
            "АСТАНА. КАЗИНФОРМ – Центральная избирательная комиссия подвела окончательные итоги выборов "
            "депутатов Мажилиса по партийным спискам.",
            "В списки избирателей включено 12 035 578 человек. Действительных голосов, поданных за партии и "
            "против всех – 6 366 441.",
            "партия «AMANAT» («Аманат») – 3 431 510 голосов (53,90%);",
            "«Ауыл» – 693 938 (10,90%);",
            "Respublica – 547 154 (8,59%);",
            "«Ак жол» – 535 139 (8,41%);",
            "Народная партия Казахстана – 432 920 (6,80%);",
            "ОСДП – 331 058 (5,20%);",
            "«Байтак» – 146 431 (2,30%);",
            "против всех – 248 291 (3,90%);",
            "Партия «Байтерек» – 1 204 (0,02%).",
            "Таким образом, партия «Аманат» получила 3 431 510 голосов избирателей. Пятипроцентный барьер "
            "преодолели шесть партий.",
        ),
        "23.03.2023 12:00",
        lines=dict(registered=12035578, valid=6366441),
        votes=V23,
        shares=P23,
        set_aside=dict(Байтерек="unknown_name"),
    ),
    Sample(
        # a copy that printed Amanat's votes wrong: 3 341 510 beside 53.90% (only 3 431 510 fits)
        "mazhilis_2023_final_kaz_misprint",
        "kz-2023-03-19",
        "kaz",
        "final",
        "Мәжіліс сайлауының түпкілікті қорытындысы шықты",
        (
            "АСТАНА. ҚАЗАҚПАРАТ – ОСК Мәжіліс депутаттарын сайлаудың түпкілікті қорытындысын шығарды.",
            "«AMANAT» партиясы – 3 341 510 дауыс (53,90%), «Ауыл» – 693 938 (10,90%), Respublica – 547 154 "
            "(8,59%), «Ақ жол» – 535 139 (8,41%), ҚХП – 432 920 (6,80%), ЖСДП – 331 058 (5,20%), «Байтақ» – "
            "146 431 (2,30%), бәріне қарсы – 248 291 (3,90%).",
        ),
        "23.03.2023 12:00",
        votes=_without(V23, "amanat"),
        shares=_without(P23, "amanat"),
        set_aside=dict(amanat="count_contradicts_share"),
    ),
    Sample(
        "mazhilis_2023_final_eng_copy",
        "kz-2023-03-19",
        "eng",
        "final",
        "AMANAT wins 53.90% in Mazhilis election",
        (
            "ASTANA. KAZINFORM – The CEC announced the final results of the Mazhilis election. 6,366,441 ballots were valid.",
            "AMANAT received 3,341,510 votes (53.90%), Auyl 693,938 (10.90%), Respublica 547,154 (8.59%), Ak "
            "Zhol 535,139 (8.41%), People's Party of Kazakhstan 432,920 (6.80%), OSDP 331,058 (5.20%), Baytaq "
            "146,431 (2.30%).",
            "Against all – 248,291 (3.90%).",
            "Auyl came second with 693,983 votes.",
        ),
        "23.03.2023 13:10",
        lines=dict(valid=6366441),
        votes=_without(V23, "amanat", "auyl"),
        shares=_without(P23, "amanat", "auyl"),
        set_aside=dict(amanat="count_contradicts_share", auyl="named_twice_different"),
    ),
    # --- 5 June 2022, constitutional referendum (17 regions) -------------------------------------------
    Sample(
        "referendum_2022_preliminary_rus",
        "kz-2022-06-05",
        "rus",
        "preliminary",
        "Предварительные итоги республиканского референдума",
        (
            "НУР-СУЛТАН. КАЗИНФОРМ – В референдуме приняли участие 7 986 293 человека, или 68,06% от числа "
            "граждан, имеющих право участвовать в нем, сообщили в ЦИК 6 июня 2022 года.",
            "«За» проголосовали 6 163 863 участника референдума (77,18%), «против» – 18,66%.",
        ),
        "06.06.2022 09:00",
        lines=dict(ballots_issued=7986293),
        votes=dict(yes=6163863),
        shares=dict(yes=77.18, no=18.66),
        turnout=68.06,
    ),
    Sample(
        "referendum_2022_preliminary_eng",
        "kz-2022-06-05",
        "eng",
        "preliminary",
        "77.18% of participants say yes to constitutional amendments",
        (
            "NUR-SULTAN. KAZINFORM – According to the preliminary results, 7,986,293 people took part in the referendum (68.06%).",
            "6,163,863 participants (77.18%) voted yes and 18.66% voted no.",
        ),
        "06.06.2022 09:00",
        lines=dict(ballots_issued=7986293),
        votes=dict(yes=6163863),
        shares=dict(yes=77.18, no=18.66),
        turnout=68.06,
    ),
    # --- 6 October 2024, referendum on a nuclear power plant -------------------------------------------
    Sample(
        "referendum_2024_preliminary_rus",
        "kz-2024-10-06",
        "rus",
        "preliminary",
        "Предварительные итоги референдума по строительству АЭС",
        (
            "АСТАНА. КАЗИНФОРМ – В списки участников референдума включено 12 284 487 граждан. В референдуме "
            "приняли участие 7 820 204 человека, или 63,66%.",
            "За строительство атомной электростанции проголосовали 5 561 937 участников референдума, или "
            "71,12%, против – 2 045 271 (26,15%). Оба варианта ответа отмечены в 82 724 бюллетенях.",
        ),
        "07.10.2024 09:00",
        lines=dict(registered=12284487, ballots_issued=7820204, valid_not_counted=82724),
        votes=dict(yes=5561937, no=2045271),
        shares=dict(yes=71.12, no=26.15),
        turnout=63.66,
    ),
    Sample(
        "referendum_2024_preliminary_kaz",
        "kz-2024-10-06",
        "kaz",
        "preliminary",
        "АЭС салу туралы референдумның алдын ала қорытындысы",
        (
            "АСТАНА. ҚАЗАҚПАРАТ – Референдумға 7 820 204 адам қатысты (63,66%).",
            "«Иә» деп 5 561 937 қатысушы (71,12%), «Жоқ» деп 2 045 271 қатысушы (26,15%) дауыс берді.",
        ),
        "07.10.2024 09:00",
        lines=dict(ballots_issued=7820204),
        votes=dict(yes=5561937, no=2045271),
        shares=dict(yes=71.12, no=26.15),
        turnout=63.66,
    ),
    Sample(
        "referendum_2024_preliminary_eng",
        "kz-2024-10-06",
        "eng",
        "preliminary",
        "71.12% of participants voted yes to a nuclear power plant",
        (
            "ASTANA. KAZINFORM – The CEC announced the preliminary results of the referendum. 12,284,487 citizens were included into the lists. 7,820,204 participants "
            "took part in the referendum (63.66%).",
            "5,561,937 participants, or 71.12%, voted yes; 2,045,271 (26.15%) voted no.",
            "82,724 ballots had both options marked.",
        ),
        "07.10.2024 09:00",
        lines=dict(registered=12284487, ballots_issued=7820204, valid_not_counted=82724),
        votes=dict(yes=5561937, no=2045271),
        shares=dict(yes=71.12, no=26.15),
        turnout=63.66,
    ),
]
