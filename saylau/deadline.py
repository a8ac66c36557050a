"""A deadline for the whole response of one fetch attempt.

requests' timeouts bound each socket read, not a response: a host sending a byte every few seconds keeps
one answer going for good. Each attempt arms a :class:`Watchdog` that shuts the attempt's socket down at its
deadline; the connections of :class:`WatchedAdapter` register their socket with the watchdog of their
thread."""

from __future__ import annotations

import contextlib
import heapq
import os
import socket
import threading
import time

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# requests' timeouts bound each socket read, not a response: a host sending a byte every few seconds keeps
# one answer going for good. Each attempt arms a watchdog that shuts the attempt's socket down at its
# deadline; the connections of :func:`_session` register their socket with the watchdog of their thread.

_WATCH = threading.local()


class _Alarms:
    """One thread per process that fires every armed watchdog at its deadline (a timer thread per attempt
    cost more CPU than the request it watched). Restarted in a forked child, where it does not run."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Watchdog]] = []
        self._seq = 0
        self._pid: int | None = None

    def arm(self, watch: Watchdog, seconds: float) -> None:
        with self._cond:
            if self._pid != os.getpid():  # first use, or a child forked from a process that used it
                self._pid, self._heap = os.getpid(), []
                threading.Thread(target=self._run, name="saylau-fetch-deadlines", daemon=True).start()
            self._seq += 1
            heapq.heappush(self._heap, (time.monotonic() + max(0.0, seconds), self._seq, watch))
            if self._heap[0][2] is watch:
                self._cond.notify()

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].done or self._heap[0][0] <= now):
                    _, _, watch = heapq.heappop(self._heap)
                    watch.fire()  # shuts its sockets down: never blocks
                self._cond.wait(self._heap[0][0] - now if self._heap else None)


_ALARMS = _Alarms()


class Watchdog:
    def __init__(self, seconds: float) -> None:
        self.fired = False
        self.done = False  # the attempt ended (or the watchdog fired): nothing left to shut
        self._seconds = seconds
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()

    def __enter__(self) -> Watchdog:
        _WATCH.current = self
        _ALARMS.arm(self, self._seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.done = True
        _WATCH.current = None

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            fired = self.fired
        if fired:
            _shut(sock)

    def fire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.fired = True
            socks = list(self._socks)
        for sock in socks:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(sock: socket.socket | None) -> socket.socket | None:
    watch = getattr(_WATCH, "current", None)
    if watch is not None:
        watch.add(sock)
    return sock


class _Conn(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())

    def request(self, *args, **kwargs) -> None:  # a kept-alive connection: its socket is this attempt's
        _watched(getattr(self, "sock", None))
        super().request(*args, **kwargs)


class _TLSConn(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())

    def request(self, *args, **kwargs) -> None:
        _watched(getattr(self, "sock", None))
        super().request(*args, **kwargs)


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Conn


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConn


class WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}


class DeadlineExceeded(Exception):
    pass
