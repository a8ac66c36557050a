"""A CEC page as parts: title, date, main text, tables and links, from its bytes.

Pure: bytes in, a :class:`PageContent` out. Links are resolved against the page URL and kept only when they
stay on the same host (links to other hosts and paths escaping the site are dropped, never followed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from saylau.parse.text import charset_from_content_type, decode_page

_DATE = re.compile(
    r"(?<!\d)(\d{2})[./](\d{2})[./](\d{4})(?:\s+(\d{1,2}):(\d{2}))?(?!\d)"
    r"|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?(?!\d)"
)
LANGS = ("rus", "kaz", "eng")
LANG_CODES = {"rus": "ru", "kaz": "kk", "eng": "en"}
_NEWS_ARTICLE = re.compile(r"/news/(releases|acts)/index\.php\?ID=\d+$")
# Territorial commissions' own documents, linked from the CEC: maslikhat decisions and precinct protocols.
_COMMISSION_DOCUMENT = re.compile(
    r"/territorial/\d{2}/(?:decisions/index\.php\?ID=\d+|protocols/index\.php\?PEC=\d+)$"
)


@dataclass
class PageContent:
    url: str
    title: str
    text: str
    encoding: str
    published: datetime | None = None  # as the page states it (the capital's local time), else None
    tables: list[list[list[str]]] = field(default_factory=list)
    table_captions: list[str] = field(default_factory=list)  # the heading just before each table, or ""
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


def is_news_article(url: str) -> bool:
    """A CEC release or act (``/{lang}/news/{releases,acts}/index.php?ID=<n>``)."""
    return bool(_NEWS_ARTICLE.search(url))


def is_commission_document(url: str) -> bool:
    """A territorial commission's document: a maslikhat decision or a precinct protocol."""
    return bool(_COMMISSION_DOCUMENT.search(url))


def is_article(url: str) -> bool:
    """A page that holds content to parse: a CEC release or act, or a territorial commission's document."""
    return is_news_article(url) or is_commission_document(url)


def normalise_link(href: str, page_url: str) -> str | None:
    """An absolute URL on the page's own host, or None for other hosts, other schemes and escaping paths."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
        return None
    if "\\" in href or href.startswith("///"):
        return None  # browsers read "/\\evil.example" and "///evil.example" as another host
    if ".." in unquote(urlsplit(href).path).split("/"):
        return None  # a path climbing out of where it points (also as %2e%2e) is not a link a CEC page needs
    absolute = urljoin(page_url, href)
    parts, base = urlsplit(absolute), urlsplit(page_url)
    if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _text(node) -> str:
    """A cell's or heading's text on one line, spaces collapsed."""
    return " ".join(node.text_content().split())


_BLANKS = re.compile(r"[ \t\u00a0]+")


def _block_text(node) -> str:
    """Visible text of a node, each text piece on its own line (as a reader sees blocks), blanks dropped."""
    lines = []
    for piece in node.itertext():
        for line in piece.splitlines():
            line = _BLANKS.sub(" ", line).strip()
            if line:
                lines.append(line)
    return "\n".join(lines)


def _document(html: str) -> etree._Element:
    """The parsed document; an empty one for a body with nothing to parse (empty, blank, not HTML at all).

    lxml stops silently at about 255 levels of nesting (what is deeper is not read): a page nested that
    deep is no CEC page, and what remains of it is classified like any other.
    """
    for source in (html, html.encode("utf-8", "replace")):
        try:
            return lxml.html.document_fromstring(source)
        except (ValueError, etree.ParserError):
            continue
    return lxml.html.document_fromstring("<html><body></body></html>")


# compiled once: compiling an XPath on every page cost more than evaluating it
_DEAD = etree.XPath("//script|//style|//noscript")
_HEADINGS = etree.XPath("//h1|//h2")
_TITLE = etree.XPath("//title")
_LINKS = etree.XPath("//a[@href]")
_TABLES = etree.XPath("//table")
_ROWS = etree.XPath(".//tr")
_CAPTION = etree.XPath("./caption")
_HEADING_BEFORE = etree.XPath("preceding::*[self::h2 or self::h3 or self::h4][1]")
_CHROME = etree.XPath("//nav|//header|//footer")
_ARTICLE = etree.XPath("//article")
_MAIN = etree.XPath("//main")
_HEADING_BLOCK = etree.XPath("ancestor::*[self::div or self::section or self::td][1]")
_BODY = etree.XPath("//body")
_TIME = etree.XPath("//time")
_INNER_TABLES = etree.XPath(".//table")


def read_page(url: str, body: bytes, content_type: str | None = None, links: bool = True) -> PageContent:
    """Decode and take apart one page (lxml: a results night has thousands of pages to read).

    ``links=False`` leaves :attr:`PageContent.links` empty (only discovery follows links; resolving every
    link of every page against its URL was a tenth of the parse)."""
    html, encoding = decode_page(body, charset_from_content_type(content_type))
    doc = _document(html)
    for dead in _DEAD(doc):
        dead.drop_tree()
    headings = _HEADINGS(doc)
    heading = headings[0] if headings else None
    title_tags = _TITLE(doc)
    title = (_text(heading) if heading is not None else "") or (_text(title_tags[0]) if title_tags else "")
    found = []
    for a in _LINKS(doc) if links else ():
        target = normalise_link(a.get("href"), url)
        if target:
            found.append((target, _text(a)))
    tables, captions = [], []
    for table in _TABLES(doc):
        rows = [[_text(cell) for cell in tr.iterchildren("th", "td")] for tr in _ROWS(table)]
        if rows:
            tables.append(rows)
            caption = _CAPTION(table) or _HEADING_BEFORE(table)
            captions.append(_text(caption[0]) if caption else "")
    for nav in _CHROME(doc):
        nav.drop_tree()
    # the page's own content: the block holding its heading (menus and footers around it are not content)
    blocks = _ARTICLE(doc) or _MAIN(doc)
    if not blocks and heading is not None:
        blocks = _HEADING_BLOCK(heading)
    body_nodes = _BODY(doc)
    main = blocks[0] if blocks else (body_nodes[0] if body_nodes else doc)
    published = None
    time_tags = _TIME(doc)
    candidates = [time_tags[0].get("datetime", ""), time_tags[0].text_content()] if time_tags else []
    for table in _INNER_TABLES(main):
        table.drop_tree()
    text = _block_text(main)
    for candidate in [*candidates, text[:400]]:
        m = _DATE.search(candidate or "")
        if m:
            g = m.groups()
            day, month, year, hour, minute = g[0:5] if g[0] else (g[7], g[6], g[5], g[8], g[9])
            published = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
            break
    return PageContent(url, title, text, encoding, published, tables, captions, found)
