"""The CEC double: URL shapes, the simulated clock, wording and numbers, faults, conditional GET."""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta

import pytest

from demo.clock import CAPITAL, SimClock
from demo.faults import FaultConfig, FaultInjector
from demo.pages import LANGS, PARTY_NAMES, REGION_ORDER, region_forms
from demo.site import DemoSite, start_site
from saylau.reference import default_resolver

SPACES = re.compile(r"[ \u00a0\u2009\u202f]|&#8201;|&#8239;")


def _item(site: DemoSite, kind: str, hour: int | None = None):
    return next(i for i in site.content.items if i.kind == kind and (hour is None or i.hour == hour))


def _text(body: bytes, encoding: str = "utf-8") -> str:
    return SPACES.sub(" ", body.decode(encoding))


def test_every_name_the_pages_use_resolves():
    resolver = default_resolver()
    for lang in LANGS:
        for code in REGION_ORDER:
            prose, labels = region_forms(code, lang)
            for name in [*prose, *labels]:
                assert resolver.region(name) == code, (lang, name)
        for party, names in PARTY_NAMES[lang].items():
            for name in names:
                assert resolver.party(name) == party, (lang, name)


def test_one_id_space_three_languages_and_sections(site):
    ids = [i.id for i in site.content.items]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    final = _item(site, "final")
    for lang in LANGS:
        assert site.respond(f"/{lang}/news/releases/index.php?ID={final.id}").status == 200
    assert site.respond(f"/rus/news/acts/index.php?ID={final.id}").status == 404  # a release is not an act
    act = _item(site, "resolution")
    assert site.respond(f"/kaz/news/acts/index.php?ID={act.id}").status == 200
    assert site.respond("/rus/news/releases/index.php?ID=abc").status == 404


def test_listing_pages_link_every_published_item(site):
    seen, page = set(), 1
    while True:
        r = site.respond(f"/rus/news/releases/index.php?PAGEN_1={page}")
        if r.status == 404:
            break
        seen |= {int(x) for x in re.findall(r'/rus/news/releases/index\.php\?ID=(\d+)"', r.body.decode())}
        page += 1
    expected = {i.id for i in site.content.items if i.section == "releases"}
    assert seen == expected and page > 2


def test_pages_appear_as_the_clock_moves(election):
    clock = SimClock(datetime(2021, 1, 10, 13, 0, tzinfo=CAPITAL))
    site = DemoSite(election, clock=clock)
    at12, at14 = _item(site, "turnout", 12), _item(site, "turnout", 14)
    assert site.respond(f"/rus/news/releases/index.php?ID={at12.id}").status == 200
    assert site.respond(f"/rus/news/releases/index.php?ID={at14.id}").status == 404
    listing = site.respond("/eng/news/releases/").body.decode()
    assert f"ID={at12.id}" in listing and f"ID={at14.id}" not in listing
    clock.advance(timedelta(hours=2))
    assert site.respond(f"/rus/news/releases/index.php?ID={at14.id}").status == 200
    final = _item(site, "final")
    assert site.respond(f"/rus/news/releases/index.php?ID={final.id}").status == 404
    clock.set(datetime(2021, 1, 16, 9, 0))
    assert site.respond(f"/rus/news/releases/index.php?ID={final.id}").status == 200


def test_running_clock_plays_election_night_fast():
    clock = SimClock(datetime(2021, 1, 10, 9, 0, tzinfo=CAPITAL), speed=3600 * 100)
    first = clock.now()
    import time

    time.sleep(0.05)
    assert clock.now() - first >= timedelta(hours=4)


def test_bulletin_at_2200_gives_every_region_its_figure(site):
    item = _item(site, "turnout", 22)
    expected = {code: site.content.bulletins[(22, code)] for code in REGION_ORDER}
    for lang in LANGS:
        text = _text(site.respond(f"/{lang}/news/releases/index.php?ID={item.id}").body)
        cells = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", text)
        resolver = default_resolver()
        got = {resolver.region(name): float(value.replace(",", ".")) for name, value in cells}
        assert got == expected, lang
        national = f"{site.content.bulletins[(22, 'KZ')]:.1f}"
        assert (national if lang == "eng" else national.replace(".", ",")) in text


def test_final_results_carry_the_official_totals(site):
    item = _item(site, "final")
    for lang in LANGS:
        text = _text(site.respond(f"/{lang}/news/releases/index.php?ID={item.id}").body)
        while lang == "eng" and re.search(r"\d,\d{3}", text):
            text = re.sub(r"(\d),(\d{3})", r"\1 \2", text)
        for figure in (
            "11 919 241",
            "7 539 280",
            "297 718",
            "5 148 074",
            "792 828",
            "659 019",
            "383 023",
            "258 618",
        ):
            assert figure in text, (lang, figure)
        assert ("71,09" if lang != "eng" else "71.09") in text
    act = _item(site, "resolution")
    assert "5 148 074" in _text(site.respond(f"/rus/news/acts/index.php?ID={act.id}").body)


def test_wording_varies_from_page_to_page(site):
    bodies = set()
    for item in (i for i in site.content.items if i.kind == "turnout"):
        text = site.respond(f"/rus/news/releases/index.php?ID={item.id}").body.decode()
        first = re.search(r"<h1>.*?</h1>\n<p>(.*?)\d", text, re.S).group(1)
        bodies.add(first)
    assert len(bodies) >= 2


def test_protocol_pages_show_the_official_not_the_honest_count(site, election):
    truth = election.manipulation
    rewritten = truth[
        (truth["contest"] == "mazhilis")
        & (truth["kind"] == "tec_rewrite")
        & (truth["region_code"] == "KZ-75")
    ]
    pec_id = rewritten["pec_id"].iloc[0]
    number = pec_id.split("/")[1]
    text = _text(site.respond(f"/rus/territorial/75/protocols/index.php?PEC={number}").body)
    official = election.protocol("mazhilis").set_index("pec_id").loc[pec_id]
    honest = election.protocol("mazhilis", "honest").set_index("pec_id").loc[pec_id]
    mazhilis = text.split('data-contest="mazhilis"')[1].split("</table>")[0]
    values = [int(v.replace(" ", "")) for v in re.findall(r"<td>([\d ]+)</td></tr>", mazhilis)]
    assert values[2] == official["ballots_issued"] != honest["ballots_issued"]
    # regions that do not publish protocols, and the switch off, answer 404
    assert site.respond("/rus/territorial/61/protocols/index.php?PEC=1").status == 404
    off = DemoSite(election, protocols=False)
    assert off.respond(f"/rus/territorial/75/protocols/index.php?PEC={number}").status == 404


def test_territorial_pages_are_linked_from_the_cec(site):
    links = _item(site, "maslikhat_links")
    text = site.respond(f"/rus/news/releases/index.php?ID={links.id}").body.decode()
    targets = re.findall(r'href="(/rus/territorial/\d+/)"', text)
    assert len(targets) == 17
    tec = site.respond(targets[0]).body.decode()
    decision = re.search(r'href="(/rus/territorial/\d+/decisions/index\.php\?ID=\d+)"', tec).group(1)
    assert "маслихат" in site.respond(decision).body.decode()


def test_conditional_get_answers_304(site):
    item = _item(site, "final")
    url = f"/rus/news/releases/index.php?ID={item.id}"
    first = site.respond(url)
    headers = dict(first.headers)
    assert site.respond(url, {"If-None-Match": headers["ETag"]}).status == 304
    assert site.respond(url, {"If-Modified-Since": headers["Last-Modified"]}).status == 304
    assert site.respond(url, {"If-Modified-Since": "Sat, 09 Jan 2021 00:00:00 GMT"}).status == 200
    assert site.respond(url, {"If-None-Match": '"other"'}).status == 200


@pytest.mark.parametrize(("kind", "status"), [("error_500", 500), ("error_503", 503), ("rate_limit", 429)])
def test_error_faults(election, kind, status):
    site = DemoSite(election, faults=FaultConfig(**{kind: 1.0}, max_faults_per_url=2))
    url = f"/rus/news/releases/index.php?ID={_item(site, 'final').id}"
    first = site.respond(url)
    assert first.status == status
    if status in (429, 503):
        assert int(dict(first.headers)["Retry-After"]) > 0
    assert site.respond(url).status == status
    assert site.respond(url).status == 200  # a retrying client gets through


def test_faults_are_seeded(election):
    urls = [f"/rus/news/releases/index.php?ID={i.id}" for i in DemoSite(election).content.items]

    def run(seed):
        injector = FaultInjector(FaultConfig.realistic(seed))
        return [injector.request_fault(u) for u in urls * 5]

    assert run(1) == run(1) and run(1) != run(2)
    assert any(run(1))


def test_windows_1251_with_and_without_charset(election):
    site = DemoSite(election, faults=FaultConfig(cp1251=1.0, cp1251_without_charset=0.5))
    seen = set()
    for item in site.content.items:
        r = site.respond(f"/rus/news/releases/index.php?ID={item.id}")
        if r.status != 200:
            continue
        ctype = dict(r.headers)["Content-Type"]
        seen.add(ctype)
        text = r.body.decode("windows-1251")
        assert "Центральная избирательная комиссия" in text
        with pytest.raises(UnicodeDecodeError):
            r.body.decode("utf-8")
    assert seen == {"text/html; charset=windows-1251", "text/html"}
    kaz = site.respond(f"/kaz/news/releases/index.php?ID={_item(site, 'final').id}")
    assert "UTF-8" in dict(kaz.headers)["Content-Type"]  # Kazakh letters are not in windows-1251


def test_changed_layout_renames_and_reorders_columns(election):
    plain = DemoSite(election)
    changed = DemoSite(election, faults=FaultConfig(changed_layout=1.0))
    url = f"/rus/news/releases/index.php?ID={_item(plain, 'final').id}"
    heads = [re.findall(r"<th>(.*?)</th>", s.respond(url).body.decode()) for s in (plain, changed)]
    assert heads[0] != heads[1] and len(heads[0]) == len(heads[1])
    assert heads[0][0] == "Регион" and heads[1][0] == "Область"


def test_robots_txt_disallows_a_path(site):
    robots = site.respond("/robots.txt").body.decode()
    assert "Disallow: /rus/search/" in robots
    assert site.respond("/rus/search/index.php?q=1").status == 403


def test_served_over_loopback(running_site, election):
    base = running_site.base_url
    assert base.startswith("http://127.0.0.1:")
    item = _item(running_site.site, "final")
    with urllib.request.urlopen(f"{base}/eng/news/releases/index.php?ID={item.id}", timeout=5) as r:
        assert r.status == 200 and "Nur Otan" in r.read().decode()
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{base}/rus/news/releases/index.php?ID=1", timeout=5)
    assert err.value.code == 404
    running_site.clock.set(datetime(2021, 1, 10, 11, 0))
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{base}/eng/news/releases/index.php?ID={item.id}", timeout=5)


def test_socket_faults_over_loopback(election):
    url_of = lambda s: f"/rus/news/releases/index.php?ID={_item(s, 'final').id}"  # noqa: E731
    errors = (ConnectionResetError, http.client.RemoteDisconnected, urllib.error.URLError)
    with start_site(DemoSite(election, faults=FaultConfig(reset=1.0))) as running, pytest.raises(errors):
        urllib.request.urlopen(running.base_url + url_of(running.site), timeout=5).read()
    with (
        start_site(DemoSite(election, faults=FaultConfig(truncate=1.0))) as running,
        pytest.raises(http.client.IncompleteRead),
    ):
        urllib.request.urlopen(running.base_url + url_of(running.site), timeout=5).read()
    with (
        start_site(DemoSite(election, faults=FaultConfig(timeout=1.0, timeout_seconds=1.0))) as running,
        pytest.raises((TimeoutError, urllib.error.URLError)),
    ):
        urllib.request.urlopen(running.base_url + url_of(running.site), timeout=0.3).read()


def test_a_bulletin_is_corrected_after_publication(election):
    clock = SimClock(datetime(2021, 1, 10, 20, 50, tzinfo=CAPITAL))
    site = DemoSite(election, clock=clock)
    item = _item(site, "turnout", 20)
    assert item.revised is not None and item.published < clock.now() < item.revised
    url = f"/rus/news/releases/index.php?ID={item.id}"
    first = site.respond(url)
    clock.set(item.revised)
    second = site.respond(url)
    resolver = default_resolver()

    def west_kazakhstan(body: bytes) -> float:
        text = _text(body)
        found = re.search(r"(?:Западно-Казахстанск\w+ обл\w*\.?|ЗКО)\s*[–—-]\s*(\d+(?:,\d)?)", text)
        if found:
            return float(found.group(1).replace(",", "."))
        cells = dict(re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", text))
        return float(next(v for k, v in cells.items() if resolver.region(k) == "KZ-27").replace(",", "."))

    assert west_kazakhstan(first.body) == 51.5 and west_kazakhstan(second.body) == 61.5
    h1, h2 = dict(first.headers), dict(second.headers)
    assert h1["ETag"] != h2["ETag"] and h1["Last-Modified"] != h2["Last-Modified"]
    # a client holding the first version's validators gets the corrected page, not a 304
    assert site.respond(url, {"If-None-Match": h1["ETag"]}).status == 200


@pytest.mark.slow
def test_every_link_on_the_site_leads_somewhere(site):
    """A crawl from the home pages: no dead link (precinct protocol pages sampled, five per listing page)."""
    seen, queue, dead = set(), ["/rus/", "/kaz/", "/eng/"], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        r = site.respond(url)
        if r.status != 200:
            dead.append((url, r.status))
            continue
        links = re.findall(r'href="(/[^"]*)"', r.body.decode("utf-8"))
        protocol_links = [u for u in links if "PEC=" in u]
        queue += [u for u in links if "PEC=" not in u] + protocol_links[:5]
    assert not dead
    assert len(seen) > 300
    assert any("PEC=" in u for u in seen) and any("/decisions/" in u for u in seen)


def test_the_site_code_never_touches_the_ground_truth():
    from pathlib import Path

    import demo.pages
    import demo.site

    for module in (demo.site, demo.pages):
        source = Path(module.__file__).read_text(encoding="utf-8")
        code = re.sub(r'"""[\s\S]*?"""|#.*', "", source)  # docstrings and comments may name it
        assert not re.search(
            r"manipulation|honest|\"pec\"|'pec'|ground_truth|\.observers\b|observer_turnout|\.violations\b",
            code,
        ), module.__name__
