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
