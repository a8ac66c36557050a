"""Finding a CEC-shaped site's pages: walk every listing (all pages of it), then probe the IDs they skip.

The site is addressed by URL shape only (``/{rus,kaz,eng}/news/{releases,acts}/index.php?ID=<n>``, the
listing pages linking to them and the territorial commissions' pages), so the same code runs against the real
CEC and the demo double. Network only, through a :class:`saylau.fetch.Fetcher`: no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import urlsplit

from saylau.fetch import Fetcher, FetchResult, Validators
from saylau.parse.page import is_article, is_news_article, page_id, page_lang, read_page

__all__ = [
    "DEFAULT_BASE_URL",
    "LANGUAGES",
    "SECTIONS",
    "Discovery",
    "SiteShape",
    "discover",
    "fetch_batch",
    "is_article",
    "is_listing",
    "is_navigation",
    "is_news_article",
    "probe_gaps",
]

DEFAULT_BASE_URL = "https://www.election.gov.kz"
LANGUAGES = ("rus", "kaz", "eng")
SECTIONS = ("releases", "acts")
_TERRITORIAL = re.compile(r"^/(rus|kaz|eng)/territorial/")


@dataclass(frozen=True)
class SiteShape:
    """Where a CEC-shaped site lists its pages."""

    base_url: str = DEFAULT_BASE_URL
    languages: tuple[str, ...] = LANGUAGES
    sections: tuple[str, ...] = SECTIONS
    probe_margin: int = 10  # IDs probed past the highest listed one, per language and section
    # a jump wider than this between two listed IDs is a stray link, not a gap to probe (a listing linking
    # ID=999999999 must not send the scraper through a billion IDs)
    max_probe_gap: int = 200
    max_listing_pages: int = 2000  # index pages walked per seed (listings are paginated)
    # probes of one run, at most this share of the documents the listings show (and at least the margin
    # past the newest ID in each section): newest gaps first, the older ones over the next runs (an ID that
    # answered 404 is not asked again), so a first crawl costs little more than its pages
    probe_share: float = 0.05
    territorial: bool = True  # also walk the territorial commissions' pages (decisions, precinct protocols)

    def listing_url(self, lang: str, section: str) -> str:
        return f"{self.base_url.rstrip('/')}/{lang}/news/{section}/"

    def article_url(self, lang: str, section: str, page_id: int) -> str:
        return f"{self.base_url.rstrip('/')}/{lang}/news/{section}/index.php?ID={page_id}"


def is_navigation(url: str, shape: SiteShape, lang: str) -> bool:
    """A page to walk for links: a news listing (any page of it) or a territorial commission's index pages."""
    if page_lang(url) != lang or is_article(url):
        return False
    return is_listing(url, shape) or bool(_TERRITORIAL.match(urlsplit(url).path))


def is_listing(url: str, shape: SiteShape) -> bool:
    """A listing page (any page of it: ``/rus/news/releases/``, ``.../index.php?PAGEN_1=2``), not an article."""
    if is_article(url):
        return False
    path = urlsplit(url).path
    if path.endswith("/index.php"):
        path = path[: -len("index.php")]
    listings = {urlsplit(shape.listing_url(lang, s)).path for lang in shape.languages for s in shape.sections}
    return (path if path.endswith("/") else path + "/") in listings


def _under(link: str, seed: str) -> bool:
    """Whether a link belongs to the walk started at ``seed`` (its own listing's pages, or the territorial tree)."""
    return urlsplit(link).path.startswith(urlsplit(seed).path)


@dataclass
class Discovery:
    articles: set[str] = field(default_factory=set)
    listings: list[FetchResult] = field(default_factory=list)  # listing and territorial index pages
    probes: list[FetchResult] = field(default_factory=list)
    fresh: set[str] = field(
        default_factory=set
    )  # documents linked from a listing that changed, or found by probes


def discover(
    fetcher: Fetcher,
    shape: SiteShape,
    known: Iterable[str] = (),
    absent: Iterable[str] = (),
    validators: dict[str, Validators] | None = None,
    archived: Callable[[str], bytes | None] | None = None,
    workers: int = 4,
) -> Discovery:
    """Walk every listing (all pages of it), then probe IDs the listings skipped, per language and section.

    ``known`` are article URLs fetched before (kept even when no listing shows them any more); ``absent``
    are URLs that answered 404 before: gap IDs among them are not probed again. Listings are fetched
    conditionally with ``validators``; a listing that answers 304 is read from ``archived`` (the body last
    fetched). When no listing changed, nothing is probed: an unchanged site costs only conditional requests.
    """
    absent = set(absent)
    validators = validators or {}
    found = Discovery(articles={u for u in known if is_article(u)})
    changed = False
    for lang in shape.languages:
        seeds = [shape.listing_url(lang, section) for section in shape.sections]
        if shape.territorial:
            seeds.append(f"{shape.base_url.rstrip('/')}/{lang}/territorial/")
        for seed in seeds:
            queue, seen = [seed], set()
            while queue and len(seen) < shape.max_listing_pages:
                url = queue.pop(0)
                if url in seen:
                    continue
                seen.add(url)
                result = fetcher.fetch(url, validators.get(url))
                found.listings.append(result)
                if result.ok:
                    body, content_type, changed = result.body, result.last.headers.get("content-type"), True
                elif result.not_modified and archived is not None:
                    body, content_type = archived(url), None
                else:
                    changed = changed or not result.not_modified
                    continue
                if body is None:
                    continue
                page = read_page(url, body, content_type)
                for link, _text in page.links:
                    if is_article(link) and page_lang(link) == lang:
                        found.articles.add(link)
                        if result.ok:
                            found.fresh.add(link)
                    elif link not in seen and is_navigation(link, shape, lang) and _under(link, seed):
                        queue.append(link)
    if not changed:
        return found
    # One ID space serves every section and language: an ID listed anywhere is not a gap. The IDs past the
    # newest listed (where tonight's pages appear) are probed every run; the gaps below it newest first, at
    # most ``probe_share`` of the documents listed per run (the older ones over the next runs: an ID that
    # answered 404 is not asked again). Section by section, a few at a time, in the first language; in the
    # others only the IDs found so far that their own listings do not show (one ID serves every language).
    budget = max(shape.probe_margin, int(shape.probe_share * len(found.articles)))
    found_ids: set[int] = set()
    first = True  # the first language with a listing probes the gaps
    for lang in shape.languages:
        seen = {
            i
            for u in found.articles
            if is_news_article(u) and page_lang(u) == lang and (i := page_id(u)) is not None
        }
        if not seen:
            continue
        newest = max(seen)
        if first:
            gaps = probe_gaps(sorted(seen), shape.probe_margin, shape.max_probe_gap)[::-1]
        else:
            gaps = sorted(found_ids - seen, reverse=True)
        for section in shape.sections:
            past = [shape.article_url(lang, section, pid) for pid in gaps if pid > newest]
            inner = [shape.article_url(lang, section, pid) for pid in gaps if pid <= newest]
            inner = [u for u in inner if u not in absent]
            if first:
                inner = inner[: max(0, budget)]
                budget -= len(inner)
            results = fetch_batch(fetcher, past + inner, {}, workers)
            found.probes += results
            hits = {page_id(r.url) for r in results if r.ok}
            found_ids |= hits
            found.articles |= {r.url for r in results if r.ok}
            found.fresh |= {r.url for r in results if r.ok}
            gaps = [pid for pid in gaps if pid not in hits]
        first = False
    return found


def probe_gaps(ids: Sequence[int], margin: int, max_gap: int) -> list[int]:
    """IDs to probe: those missing between consecutive listed ``ids`` (sorted) where the jump is at most
    ``max_gap`` wide, and ``margin`` past the newest."""
    gaps = [i for a, b in pairwise(ids) if b - a - 1 <= max_gap for i in range(a + 1, b)]
    return gaps + list(range(ids[-1] + 1, ids[-1] + margin + 1))


def fetch_batch(
    fetcher: Fetcher, urls: Sequence[str], validators: dict[str, Validators], workers: int = 4
) -> list[FetchResult]:
    """Fetch a batch of URLs (conditionally where validators are known), a few at a time."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda u: fetcher.fetch(u, validators.get(u)), urls))
