"""saylau.parse.page: a page's parts from its bytes, its links, and what its URL says of it."""

from __future__ import annotations

from saylau.parse.page import is_article, is_commission_document, is_news_article, normalise_link, read_page

URL = "http://127.0.0.1:8000/rus/news/releases/index.php?ID=9001"


def test_links_to_other_hosts_and_escaping_paths_are_dropped():
    assert normalise_link("index.php?ID=5", URL) == "http://127.0.0.1:8000/rus/news/releases/index.php?ID=5"
    assert normalise_link("http://evil.example/x", URL) is None
    assert normalise_link("/rus/../../etc/passwd", URL) is None
    assert normalise_link("javascript:alert(1)", URL) is None


def test_windows_1251_page_without_charset_is_read():
    body = "<html><body><h1>О явке избирателей</h1><p>по ЗКО – 61,5%</p></body></html>".encode("cp1251")
    page = read_page(URL, body, "text/html")
    assert page.title == "О явке избирателей" and page.encoding == "windows-1251"


def test_which_urls_are_articles():
    protocol = "http://h/rus/territorial/75/protocols/index.php?PEC=3"
    decision = "http://h/kaz/territorial/02/decisions/index.php?ID=7"
    assert is_news_article(URL) and not is_commission_document(URL)
    assert is_commission_document(protocol) and is_commission_document(decision)
    assert not is_news_article(protocol)
    assert all(is_article(u) for u in (URL, protocol, decision))
    assert not any(
        is_article(u)
        for u in (
            "http://h/rus/news/releases/",
            "http://h/rus/news/releases/index.php?PAGEN_1=2",
            "http://h/rus/territorial/75/",
        )
    )
