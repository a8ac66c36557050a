"""Personal data in observers' exports: hashed at parse time, scrubbed from free text, never stored.

The observer's name, phone and e-mail are replaced by ``observer_hash``, a salted sha256 (:func:`pii_salt`),
and removed from free-text notes; they never reach staging, core, quarantine or marts. The raw bytes stay
only in the (unpublished) archive.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable

from saylau.config import Settings, settings
from saylau.names import fold

PERSONAL_COLUMNS = ("observer_name", "observer_phone", "observer_email")
SALT_ENV = "SAYLAU_PII_SALT"

# Both patterns run in linear time on any text (no backtracking: possessive runs, and an e-mail address
# tried only where a run of its letters starts): notes are free text an attacker writes.
# a phone number: a digit, then digits with spaces, brackets or dashes between, ending on a digit; a run
# shorter than 10 characters is no phone number and is left as it is (see _phone)
_PHONE = re.compile(r"\+?\d(?:[\s()\-]*+\d)*+")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++\.[\w.-]++")
_PHONE_MIN = 10  # characters from the first digit to the last


def _phone(match: re.Match) -> str:
    found = match.group()
    return "[removed]" if len(found.lstrip("+")) >= _PHONE_MIN else found


def pii_salt(s: Settings | None = None) -> bytes:
    """The salt of observer hashes: ``$SAYLAU_PII_SALT``, else ``<build>/secrets/pii_salt`` (made once).

    The salt never goes into git (the build folder is ignored); with it, one observer's rows can be linked
    across files without anyone learning who the observer is.
    """
    value = os.environ.get(SALT_ENV)
    if value:
        return value.encode()
    s = s or settings()
    path = s.build_dir / "secrets" / "pii_salt"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def observer_hash(values: Iterable[str | None], salt: bytes) -> str | None:
    """A salted sha256 (first 16 hex digits) of an observer's first identifying value (name, else phone,
    else e-mail), folded by :func:`saylau.names.fold` (case, ё, quotes, dashes, spacing), so one
    observer's rows link across files; None when all are empty."""
    for value in values:
        if value and value.strip():
            key = fold(value, strip=" ")
            return hashlib.sha256(salt + key.encode()).hexdigest()[:16]
    return None


def personal_patterns(names: Iterable[str | None], others: Iterable[str | None] = ()) -> list[re.Pattern]:
    """Patterns finding personal values in free text: each full value, and each word of a name (3+
    letters) with any ending, since notes decline names ("Иванову", "Айгерим сказали") or reorder them."""
    words: set[str] = set()
    for name in names:
        if name:
            for w in re.findall(r"\w+", name):
                if len(w) >= 3 and not w.isdigit():
                    # a declined name changes its last vowel: Ольга, Ольге, Ольгой
                    words.add(w[:-1] if len(w) >= 4 and w[-1].lower() in "аяеиоуыйэюaeiouy" else w)
    values = {v.strip() for v in [*names, *others] if v and len(v.strip()) >= 3}
    patterns = [re.compile(re.escape(v), re.IGNORECASE) for v in sorted(values, key=len, reverse=True)]
    patterns += [
        re.compile(rf"(?<!\w){re.escape(w)}\w*", re.IGNORECASE) for w in sorted(words, key=len, reverse=True)
    ]
    return patterns


def scrub_text(text: str | None, patterns: Iterable[re.Pattern] = ()) -> str | None:
    """Free text without phone numbers, e-mail addresses and the given personal values."""
    if text is None:
        return None
    for pattern in patterns:
        text = pattern.sub("[removed]", text)
    text = _EMAIL.sub("[removed]", text)
    return _PHONE.sub(_phone, text)
