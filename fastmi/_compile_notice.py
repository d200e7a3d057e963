"""One line on stderr when compiling fastmi's kernels takes a while.

A fresh install compiles the Numba kernels a call needs the first time it runs it,
which can take tens of seconds; afterwards they load from Numba's on-disk cache.
Silence during that minute reads as a hang, so when a compilation of fastmi kernels
is still running ``NOTICE_AFTER_SECONDS`` after it started, one line says what is
happening, once per process. ``FASTMI_COMPILE_NOTICE=0`` turns it off.
"""

from __future__ import annotations

import sys
import threading

from numba.core import event

from ._config import NUMBA_CACHE, _env_flag

NOTICE_AFTER_SECONDS = 2.0


def notice_text() -> str:
    if NUMBA_CACHE:
        when = "once per install: the compiled code is cached on disk for later calls"
    else:
        when = "once per process: FASTMI_NUMBA_CACHE=0 turns the on-disk cache off"
    return f"fastmi: compiling the kernels this call needs ({when}) ...\n"


class CompileNotice(event.Listener):
    """Listens to Numba's ``numba:compile`` events of fastmi's dispatchers: a timer
    starts with the outermost one, and says its line if a fastmi compilation is still
    running when it fires. Nested and consecutive compilations of one call form one
    burst; the line is said once."""

    def __init__(self, stream=None, after: float = NOTICE_AFTER_SECONDS):
        self.stream = stream
        self.after = after
        self.depth = 0
        self.timer = None
        self.said = False
        self.lock = threading.Lock()

    @staticmethod
    def _ours(ev) -> bool:
        dispatcher = ev.data.get("dispatcher") if isinstance(ev.data, dict) else None
        module = getattr(getattr(dispatcher, "py_func", None), "__module__", "") or ""
        return module.startswith("fastmi.")

    def on_start(self, ev) -> None:
        if not self._ours(ev):
            return
        with self.lock:
            self.depth += 1
            if self.said or self.timer is not None:
                return
            self.timer = threading.Timer(self.after, self._fire)
            self.timer.daemon = True
            self.timer.start()

    def on_end(self, ev) -> None:
        if self._ours(ev):
            with self.lock:
                self.depth -= 1

    def _fire(self) -> None:
        with self.lock:
            self.timer = None
            if self.depth <= 0 or self.said:
                return  # the burst ended in time; a later one starts a new timer
            self.said = True
        stream = self.stream if self.stream is not None else sys.stderr
        try:
            stream.write(notice_text())
            stream.flush()
        except (OSError, ValueError):  # a closed or broken stream: say nothing
            pass


_listener: CompileNotice | None = None


def install() -> None:
    """Register the listener once (at import: it compiles nothing)."""
    global _listener
    if _listener is None and _env_flag("FASTMI_COMPILE_NOTICE", True):
        _listener = CompileNotice()
        event.register("numba:compile", _listener)
