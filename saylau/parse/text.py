"""From page bytes to text: encoding detection.

Pages arrive in UTF-8 or windows-1251, with a correct, wrong or missing charset header. UTF-8 is tried
strictly first (windows-1251 Cyrillic is practically never valid UTF-8), then the declared charset (the
HTTP header's, then the ``<meta>``'s), then windows-1251.

A page its charset does not read whole is never decoded as another charset instead (a UTF-8 results page
with one bad byte read as windows-1251 would turn into an unrelated page of mojibake): it is decoded in
the charset declared (else the one that reads it with the fewest invalid bytes), each invalid byte
replaced by U+FFFD, and the replacement is reported (:attr:`Decoded.note`; raw.pages' ``encoding`` says
it, e.g. ``utf-8 (1 invalid byte replaced)``).
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec's name, e.g. utf-8, windows-1251
    replaced: int = 0  # invalid bytes replaced by U+FFFD

    @property
    def note(self) -> str | None:
        if not self.replaced:
            return None
        s = "" if self.replaced == 1 else "s"
        return f"{self.encoding} ({self.replaced} invalid byte{s} replaced)"

    @property
    def label(self) -> str:
        """What raw.pages records as the page's encoding: the codec, and any replacement."""
        return self.note or self.encoding


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name.replace("cp1251", "windows-1251")
    except LookupError:
        return None


_COUNTED = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    n = exc.end - exc.start
    _COUNTED.n = getattr(_COUNTED, "n", 0) + n
    return "\ufffd" * n, exc.end


codecs.register_error("saylau-count-replace", _count_and_replace)


def _replaced(body: bytes, codec: str) -> Decoded:
    _COUNTED.n = 0
    text = body.decode(codec, errors="saylau-count-replace")
    return Decoded(text, codec, _COUNTED.n)


def decode(body: bytes, declared_charset: str | None = None) -> Decoded:
    """The page as text, the encoding that read it, and how many invalid bytes were replaced."""
    try:
        return Decoded(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = [_codec(declared_charset)]
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        declared.append(_codec(meta.group(1).decode("ascii", "replace")))
    declared = [c for c in dict.fromkeys(declared) if c]
    for codec in [*declared, "windows-1251"]:
        try:
            return Decoded(body.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    if declared:  # the page says what it is: read it so, replacing what is not
        return _replaced(body, declared[0])
    # nothing declared, nothing reads it whole: the one of UTF-8 and windows-1251 with fewer bad bytes
    return min((_replaced(body, c) for c in ("utf-8", "windows-1251")), key=lambda d: d.replaced)


def decode_page(body: bytes, declared_charset: str | None = None) -> tuple[str, str]:
    """The page as text and the encoding that read it (with any replacement said, see :class:`Decoded`)."""
    decoded = decode(body, declared_charset)
    return decoded.text, decoded.label


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    return m.group(1) if m else None
