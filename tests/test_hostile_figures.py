"""Impossible official figures (issue 22, item 2): a final-results page whose Almaty leader votes (1,175,189)
exceed Almaty's own ballots issued (341,618) is not published as official. The region's figures go to
quarantine with the rule and the page, the page's other units load, and the run says so in its summary line
and fails (after publishing everything else).
"""

from __future__ import annotations

import pytest

from demo.site import DemoSite, Response, start_site
from saylau import warehouse
from saylau.fetch import FetchPolicy
from saylau.pipeline import NightOptions, ScrapeFailed, Steps, election_night
from saylau.scrape import SiteShape

ELECTION = "kz-2021-01-10"
FINAL_ID = 9100
# The CEC's own words for a final communique and its table by region (as demo/pages.py writes them); the
# national figures are the real 2021 ones, Almaty's votes are more than three times its ballots.
LEAD = (
    "<p>Центральная избирательная комиссия Республики Казахстан подвела окончательные итоги выборов "
    "депутатов Мажилиса Парламента Республики Казахстан, избираемых по партийным спискам.</p>"
    "<p>В списки избирателей включено 11 919 241 избирателей. Избирательные бюллетени получили 7 539 280 "
    "избирателей, или 63,25%.</p><p>Недействительными признаны 297 718 бюллетеней, действительных "
    "бюллетеней – 7 241 562.</p><p>Голоса избирателей распределились следующим образом:</p>"
    "<p>«Nur Otan» – 5 148 074 голосов (71,09%); «Ак жол» – 792 828 голосов (10,95%); НПК – 659 019 "
    "голосов (9,10%); «Ауыл» – 383 023 голосов (5,29%); «Adal» – 258 618 голосов (3,57%).</p>"
    "<p>Итоги голосования по регионам:</p>"
)
HEAD = ("Регион", "Избирателей в списках", "Получили бюллетени", "Явка, %", "Nur Otan", "Ак жол")
REGIONS = [  # region, voters on the list, ballots issued, turnout, Nur Otan, Ak Zhol
    ("г. Алматы", "1 213 064", "341 618", "28,16", "1 175 189", "41 020"),
    ("г. Нур-Султан", "733 432", "402 150", "54,83", "268 110", "52 877"),
    ("Карагандинская область", "878 934", "600 342", "68,30", "412 005", "64 310"),
]


def final_page() -> bytes:
    head = "".join(f"<th>{h}</th>" for h in HEAD)
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in REGIONS)
    table = f'<table class="data-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    return (
        "<html><head><meta charset='utf-8'><title>ЦИК РК</title></head><body><article>"
        "<h1>Окончательные итоги выборов депутатов Мажилиса Парламента Республики Казахстан</h1>"
        f"<time datetime='2021-01-15'>15.01.2021</time>{LEAD}{table}</article></body></html>"
    ).encode()


class NoReport(Steps):
    """Plain steps without the HTML report (not what this test is about)."""

    def report(self, published_db, report_dir, election_id):
        return None


NO_REPORT = NoReport()


class ImpossibleSite(DemoSite):
    """The CEC double whose press releases list one page: the final results above."""

    def respond(self, target, headers=None):
        if target in ("/rus/news/releases/", "/rus/news/releases/index.php"):
            link = f"<a href='/rus/news/releases/index.php?ID={FINAL_ID}'>Итоги</a>"
            body = f"<html><body><h1>Пресс-релизы</h1>{link}</body></html>".encode()
            return Response(200, body, [("Content-Type", "text/html; charset=utf-8")])
        if target == f"/rus/news/releases/index.php?ID={FINAL_ID}":
            return Response(200, final_page(), [("Content-Type", "text/html; charset=utf-8")])
        return super().respond(target, headers)


def test_a_region_with_more_votes_than_ballots_is_quarantined_and_fails_the_run(
    ref_warehouse, build_settings
):
    policy = FetchPolicy(requests_per_second=0, retries=0, read_timeout=5)
    with start_site(site=ImpossibleSite()) as site:
        shape = SiteShape(site.base_url, ("rus",), ("releases",), probe_margin=0)
        with pytest.raises(ScrapeFailed) as failed:
            election_night(
                build_settings, NightOptions(election_id=ELECTION, policy=policy, site=shape), NO_REPORT
            )
    url = f"{site.base_url}/rus/news/releases/index.php?ID={FINAL_ID}"
    outcome = failed.value.outcome

    # the run fails for the contradiction, not for a page, and its summary line says so
    (problem,) = outcome.contradictions
    assert problem.startswith(f"{url}: region KZ-75 ") and "votes_above_ballots" in problem
    assert "ballots_issued=341618" in problem and "amanat=1175189" in problem
    assert outcome.failures == [problem]
    line = outcome.summary_line()
    assert "0 failed" in line and "1 contradictions in official figures" in line and "| published |" in line
    assert "1 contradiction(s) in official figures" in str(failed.value)

    with warehouse.connect(ref_warehouse, read_only=True) as con:
        quarantined = con.execute(
            "select unit_id, source_ref, failing_values from quarantine.cec_results where rule = ?",
            ["votes_above_ballots"],
        ).fetchall()
        units = con.execute(
            "select distinct unit_id from core.protocol_values where source = 'official' and source_ref = ? "
            "order by 1",
            [url],
        ).fetchall()
    # Almaty's row, with the page it came from; the country and the other regions load
    assert [(u, s) for u, s, _ in quarantined] == [("KZ-75", url)]
    assert "ballots_issued=341618" in quarantined[0][2] and "amanat=1175189" in quarantined[0][2]
    assert units == [("KZ",), ("KZ-35",), ("KZ-71",)]
    # the published file, which analysts read, has no Almaty figure from the page either
    with warehouse.connect(build_settings.published_db, read_only=True) as con:
        published = con.execute(
            "select count(*) from core.protocol_values where unit_id = 'KZ-75' and source_ref = ?", [url]
        ).fetchone()
    assert published == (0,)
