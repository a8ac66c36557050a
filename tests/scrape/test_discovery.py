"""saylau.scrape.discovery: which pages are listings, and walking and probing a CEC-shaped site."""

from __future__ import annotations

from demo.site import DemoSite, start_site
from saylau.fetch import FetchPolicy, LiveFetcher
from saylau.scrape.discovery import SiteShape, discover, is_listing, is_navigation, probe_gaps

SHAPE = SiteShape(base_url="http://h")


def test_listings_are_every_page_of_a_news_listing_and_nothing_else():
    assert is_listing("http://h/rus/news/releases/", SHAPE)
    assert is_listing("http://h/kaz/news/acts/index.php?PAGEN_1=3", SHAPE)
    assert not is_listing("http://h/rus/news/releases/index.php?ID=5", SHAPE)
    assert not is_listing("http://h/rus/news/other/", SHAPE)


def test_navigation_stays_in_its_language_and_skips_articles():
    assert is_navigation("http://h/rus/territorial/75/", SHAPE, "rus")
    assert is_navigation("http://h/rus/news/releases/index.php?PAGEN_1=2", SHAPE, "rus")
    assert not is_navigation("http://h/kaz/territorial/75/", SHAPE, "rus")
    assert not is_navigation("http://h/rus/territorial/75/protocols/index.php?PEC=1", SHAPE, "rus")
    assert not is_navigation("http://h/rus/about/", SHAPE, "rus")


def test_probing_skips_jumps_wider_than_a_gap():
    assert probe_gaps([10, 12, 15], margin=2, max_gap=200) == [11, 13, 14, 16, 17]
    # a listing linking ID=999999999 adds the margin past it, not a billion IDs
    gaps = probe_gaps([5444, 5446, 999_999_999], margin=3, max_gap=200)
    assert gaps == [5445, 1_000_000_000, 1_000_000_001, 1_000_000_002]


class StrayIdSite(DemoSite):
    """The CEC double whose Russian releases listing also links ID=999999999."""

    def respond(self, target, headers=None):
        response = super().respond(target, headers)
        if target == "/rus/news/releases/" and response.status == 200:
            stray = b"<a href='/rus/news/releases/index.php?ID=999999999'>x</a></body>"
            response.body = response.body.replace(b"</body>", stray)
        return response


def test_a_listing_linking_a_huge_id_costs_a_few_probes():
    policy = FetchPolicy(requests_per_second=0, max_concurrency=8, retries=0)
    probes = {}
    for name, site in (("stray", StrayIdSite()), ("plain", DemoSite())):
        with start_site(site=site) as running:
            shape = SiteShape(base_url=running.base_url, territorial=False)
            found = discover(LiveFetcher(policy), shape, workers=8)
        probes[name] = len(found.probes)
        if name == "stray":
            assert any("ID=999999999" in u for u in found.articles)
    # past the stray ID: the margin, in each section of the one language that linked it
    assert probes["stray"] <= probes["plain"] + SiteShape().probe_margin * len(SiteShape().sections)
