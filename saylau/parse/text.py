"""From page bytes to text: encoding detection.

Pages arrive in UTF-8 or windows-1251, with a correct, wrong or missing charset header. UTF-8 is tried
strictly first (windows-1251 Cyrillic is practically never valid UTF-8), then the declared charset, then
windows-1251.
"""

from __future__ import annotations

import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def decode_page(body: bytes, declared_charset: str | None = None) -> tuple[str, str]:
    """The page as text and the encoding that read it."""
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = [declared_charset] if declared_charset else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for charset in [*candidates, "windows-1251"]:
        try:
            return body.decode(charset), charset.lower()
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("windows-1251", errors="replace"), "windows-1251"


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    return m.group(1) if m else None
