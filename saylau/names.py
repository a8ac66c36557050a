"""The one folding of names, captions and headers into lookup keys.

Every lookup of a name as a source writes it (a region, a party, a protocol caption, an observers' column
header) starts from :func:`fold`: Unicode NFC, case, ``ё`` -> ``е``, quotes dropped, every dash as ``-``,
runs of any space as one space, and leading or trailing punctuation stripped. Lookups that need more (the
Russian case endings of region names, a header's trailing ``*``) fold further on top of this one.
"""

from __future__ import annotations

import re
import unicodedata

QUOTES = re.compile(r"[«»\"“”„'’`]")
DASHES = re.compile(r"[‐‑‒–—―−]")
SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u2007\u200a]+")


def fold(text: object, strip: str = " .,:;") -> str:
    """The lookup key of a name: case, ё, quotes, dashes and spacing folded; ``strip`` off both ends."""
    s = unicodedata.normalize("NFC", str(text)).lower().replace("ё", "е")
    s = QUOTES.sub("", s)
    s = DASHES.sub("-", s)
    s = SPACES.sub(" ", s)
    return s.strip(strip)
