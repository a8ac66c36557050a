"""A CEC page as parts: title, date, main text, tables and links, from its bytes.

Pure: bytes in, a :class:`PageContent` out. Links are resolved against the page URL and kept only when they
stay on the same host (links to other hosts and paths escaping the site are dropped, never followed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

from saylau.parse.text import decode_page, html_to_soup, soup_text

_DATE = re.compile(
    r"(?<!\d)(\d{2})[./](\d{2})[./](\d{4})(?:\s+(\d{1,2}):(\d{2}))?(?!\d)"
    r"|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?(?!\d)"
)
LANGS = ("rus", "kaz", "eng")
LANG_CODES = {"rus": "ru", "kaz": "kk", "eng": "en"}


@dataclass
class PageContent:
    url: str
    title: str
    text: str
    encoding: str
    published: datetime | None = None  # as the page states it (the capital's local time), else None
    tables: list[list[list[str]]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute url, link text)

    @property
    def lang(self) -> str | None:
        return page_lang(self.url)


def page_lang(url: str) -> str | None:
    first = urlsplit(url).path.strip("/").split("/", 1)[0]
    return first if first in LANGS else None


def page_id(url: str) -> int | None:
    values = parse_qs(urlsplit(url).query).get("ID")
    return int(values[0]) if values and values[0].isdigit() else None


def page_section(url: str) -> str | None:
    parts = urlsplit(url).path.strip("/").split("/")
    if len(parts) >= 3 and parts[1] == "news":
        return parts[2]
    return parts[1] if len(parts) > 1 else None


def normalise_link(href: str, page_url: str) -> str | None:
    """An absolute URL on the page's own host, or None for other hosts, other schemes and escaping paths."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    if ".." in urlsplit(href).path.split("/"):
        return None  # a path climbing out of where it points is not a link a CEC page needs
    absolute = urljoin(page_url, href)
    parts, base = urlsplit(absolute), urlsplit(page_url)
    if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def read_page(url: str, body: bytes, content_type: str | None = None) -> PageContent:
    """Decode and take apart one page."""
    from saylau.parse.text import charset_from_content_type

    html, encoding = decode_page(body, charset_from_content_type(content_type))
    soup = html_to_soup(html)
    heading = soup.find(["h1", "h2"])
    title_tag = soup.find("title")
    title = (heading.get_text(" ", strip=True) if heading else "") or (
        title_tag.get_text(" ", strip=True) if title_tag else ""
    )
    links = []
    for a in soup.find_all("a", href=True):
        target = normalise_link(a["href"], url)
        if target:
            links.append((target, a.get_text(" ", strip=True)))
    tables = []
    for table in soup.find_all("table"):
        rows = []
        for tr in table.find_all("tr"):
            rows.append([cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])])
        if rows:
            tables.append(rows)
    for nav in soup.find_all(["nav", "header", "footer"]):
        nav.decompose()
    # the page's own content: the block holding its heading (menus and footers around it are not content)
    main = soup.find("article") or soup.find("main")
    if main is None and heading is not None:
        main = heading.find_parent(["div", "section", "td"])
    main = main or soup.body or soup
    published = None
    time_tag = soup.find("time")
    candidates = [time_tag.get("datetime", ""), time_tag.get_text()] if time_tag else []
    for candidate in [*candidates, soup_text(main)[:400]]:
        m = _DATE.search(candidate or "")
        if m:
            g = m.groups()
            day, month, year, hour, minute = g[0:5] if g[0] else (g[7], g[6], g[5], g[8], g[9])
            published = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
            break
    for table in main.find_all("table"):
        table.decompose()
    return PageContent(url, title, soup_text(main), encoding, published, tables, links)
