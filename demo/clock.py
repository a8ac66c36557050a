"""The simulated clock of the demo site: pages appear as election day goes on.

Capital time on 10 January 2021 was UTC+6. The clock either stands still at a time tests set and move
(:meth:`SimClock.set`, :meth:`SimClock.advance`) or runs ``speed`` times faster than the wall clock from
a starting point, so a whole election night of scheduled runs plays out in seconds.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone

CAPITAL = timezone(timedelta(hours=6), "ALMT")
ELECTION_DAY = datetime(2021, 1, 10, tzinfo=CAPITAL)
# Far enough after the election that every page has been published.
AFTER_EVERYTHING = datetime(2021, 2, 1, 12, 0, tzinfo=CAPITAL)


class SimClock:
    """A settable, optionally running clock. ``now()`` is timezone-aware, in capital time.

    ``speed`` is simulated seconds per wall-clock second (0 = the clock stands still).
    """

    def __init__(self, start: datetime = AFTER_EVERYTHING, speed: float = 0.0) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=CAPITAL)
        self._lock = threading.Lock()
        self._anchor = start
        self._wall = time.monotonic()
        self.speed = speed

    def now(self) -> datetime:
        """The simulated time now."""
        with self._lock:
            elapsed = (time.monotonic() - self._wall) * self.speed
            return (self._anchor + timedelta(seconds=elapsed)).astimezone(CAPITAL)

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (naive times are capital time)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=CAPITAL)
        with self._lock:
            self._anchor = moment
            self._wall = time.monotonic()

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by ``delta``; returns the new time."""
        self.set(self.now() + delta)
        return self.now()
