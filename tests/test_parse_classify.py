"""Page kinds from titles and bodies in three languages."""

from __future__ import annotations

import pytest

from saylau.parse.classify import PageKind, classify_page


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("О явке избирателей по состоянию на 10:00", PageKind.TURNOUT),
        ("Сағат 12:00-дегі жағдай бойынша сайлаушылардың сайлауға қатысуы туралы", PageKind.TURNOUT),
        ("Voter turnout as of 14:00", PageKind.TURNOUT),
        ("Предварительные итоги выборов депутатов Мажилиса", PageKind.PRELIMINARY),
        ("Мәжіліс депутаттарын сайлаудың алдын ала қорытындылары", PageKind.PRELIMINARY),
        ("Preliminary results of the elections to the Mazhilis", PageKind.PRELIMINARY),
        ("Окончательные итоги выборов депутатов Мажилиса", PageKind.FINAL),
        ("Final results of the elections of deputies of the Mazhilis", PageKind.FINAL),
        ("Постановление ЦИК об установлении итогов выборов", PageKind.RESOLUTION),
        ("ОСК қаулысы", PageKind.RESOLUTION),
        ("Решения территориальных избирательных комиссий об итогах выборов в маслихаты", PageKind.MASLIKHAT),
        (
            "Мәслихат депутаттарын сайлау қорытындылары туралы аумақтық комиссиялардың шешімдері",
            PageKind.MASLIKHAT,
        ),
        ("Протокол участковой избирательной комиссии № 123", PageKind.PROTOCOL),
        ("Учаскелік сайлау комиссиясының № 45 хаттамасы", PageKind.PROTOCOL),
        ("Protocol of precinct election commission No. 7", PageKind.PROTOCOL),
        ("О семинаре для членов избирательных комиссий", PageKind.UNRELATED),
        ("Accreditation of foreign journalists", PageKind.UNRELATED),
    ],
)
def test_titles(title, kind):
    assert classify_page(title) == kind


def test_body_decides_when_the_title_is_generic():
    assert (
        classify_page("Информационное сообщение", "Явка избирателей на выборах составила 63,3%")
        == PageKind.TURNOUT
    )
    assert classify_page("Ақпарат", "Семинар өтті") == PageKind.UNRELATED


# Results pages whose headline says neither "final" nor "preliminary results": known by their content (a list of
# options, each with its votes or share), their status by what the text says, else by whether it gives counts.
FINAL_LIST_EN = (
    "ASTANA. KAZINFORM – The Central Election Commission met on Thursday. 7,940,478 ballots were found valid. "
    "Kassym-Jomart Tokayev – 6,456,393 votes (81.31%); Zhiguli Dairabayev – 271,641 (3.42%); "
    "against all – 460,484 (5.80%)."
)
SHARES_RU = (
    "АСТАНА. КАЗИНФОРМ – В ЦИК огласили данные голосования. «Аманат» – 53,90%, «Ауыл» – 10,90%, "
    "Respublica – 8,59%, против всех – 3,90%."
)


@pytest.mark.parametrize(
    ("title", "body", "kind"),
    [
        ("CEC announces election results", FINAL_LIST_EN, PageKind.FINAL),
        ("Tokayev wins with 81.31%", FINAL_LIST_EN, PageKind.FINAL),
        ("Tokayev wins with 81.31% as turnout reaches 69.44%", FINAL_LIST_EN, PageKind.FINAL),
        ("AMANAT is ahead", "By preliminary count, AMANAT 53.90% of votes, Auyl 10.90%, Respublica 8.59%.",
         PageKind.PRELIMINARY),
        ("ЦИК огласил, как распределились голоса", SHARES_RU, PageKind.PRELIMINARY),
        ("Токаев набирает 81,31% голосов",
         "За Касым-Жомарта Токаева отдано 6 456 393 голоса (81,31%), за Дайрабаева – 271 641 (3,42%).",
         PageKind.FINAL),
        ("Тоқаев 81,31% дауыспен жеңіске жетті",
         "Қасым-Жомарт Тоқаев – 6 456 393 дауыс (81,31%), Жигули Дайрабаев – 271 641 дауыс (3,42%).",
         PageKind.FINAL),
        ("«AMANAT» алда",
         "Алдын ала деректер бойынша «AMANAT» – 53,90%, «Ауыл» – 10,90% дауыс жинады.", PageKind.PRELIMINARY),
    ],
)  # fmt: skip
def test_a_results_page_is_known_by_its_content(title, body, kind):
    assert classify_page(title, body) == kind


@pytest.mark.parametrize(
    ("title", "body", "kind"),
    [
        # parties with numbers that are no votes: candidates put forward
        ("Партии выдвинули кандидатов", "«Аманат» – 50 кандидатов, «Ак жол» – 20, «Ауыл» – 15.", PageKind.UNRELATED),
        # a bulletin lists regions, not options
        ("Voter turnout as of 18:10", "Turnout is 50.1%: Akmola region – 55.2%, Abai region – 60.1%.", PageKind.TURNOUT),
        ("Постановление ЦИК об итогах выборов", SHARES_RU, PageKind.RESOLUTION),
    ],
)  # fmt: skip
def test_numbers_beside_party_names_alone_do_not_make_a_results_page(title, body, kind):
    assert classify_page(title, body) == kind
