"""One deadline for a whole run, and what the run was doing when it passed.

Why: whatever the repository holds, a CI job must end. Each known way of making a run slow
is bounded where it happens (linear globs and patterns, file size caps, a time budget for
rule-pack searches), but a run is made of many parts and a hostile repository can pile them
up. ``check`` therefore gets a deadline (``--timeout``, the configuration's ``timeout``,
``PRACTICELINT_TIMEOUT``, else ``DEFAULT_SECONDS``); when it passes, the run stops with exit
code 2 and one line naming the phase, rule and detector that were running.

How: ``start`` arms an interval timer (``SIGALRM``) whose handler raises
``DeadlineExceeded`` in the main thread, wherever it is: between two bytecodes, or in a
``sleep``, a pipe read or a ``subprocess`` wait, which the signal interrupts. Without
``SIGALRM`` or off the main thread, a timer thread interrupts the main thread instead
(``_thread.interrupt_main``: it lands at the next bytecode, after a blocking call returns),
which the command tells from a Ctrl-C by ``expired()``.
``DeadlineExceeded`` derives from ``BaseException`` so that the code turning a broken check
into an ``error`` result does not swallow it. The forked child of ``--jobs 2`` re-arms the
timer (timers are not inherited) a little before the parent's, so it is the one that
reports what it was running. What cannot be interrupted: one long call inside C code (a
single regular-expression search); every pattern applied to repository text is linear, so
such a call is short.

Phases are a small stack of strings (``phase``): pushing one costs a list append, so the
engine marks every rule and ``Workspace.facts`` every detector it computes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

DEFAULT_SECONDS = 600.0
ENV = "PRACTICELINT_TIMEOUT"
#: How much earlier than the parent the child of ``--jobs 2`` stops (so its phase is the one told).
CHILD_HEAD_START = 0.5

_phases: list[str] = []
_started: float | None = None  # time.monotonic() at start
_seconds = 0.0  # the limit in force
_source = ""  # what set it, for the message ("--timeout", ".practicelint.yaml", ...)
_expired = False
_expired_what = ""
_timer: threading.Timer | None = None


class DeadlineExceeded(BaseException):
    """The run's deadline passed; ``str()`` is the one line to show, ``what`` the phase."""

    def __init__(self, text: str, what: str = "") -> None:
        super().__init__(text)
        self.what = what


def default_seconds() -> tuple[float, str]:
    """``PRACTICELINT_TIMEOUT`` when set to a number (0: no deadline), else ``DEFAULT_SECONDS``."""
    raw = os.environ.get(ENV, "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if value >= 0:
            return value, ENV
    return DEFAULT_SECONDS, "default"


def start(seconds: float, source: str) -> None:
    """Arm the deadline ``seconds`` from now (0: none); replaces any earlier one."""
    global _started, _seconds, _source, _expired, _expired_what
    stop()
    _phases.clear()
    _expired, _expired_what = False, ""
    if seconds <= 0:
        return
    _started, _seconds, _source = time.monotonic(), seconds, source
    _arm(seconds)


def active() -> bool:
    return _started is not None


def limit_to(seconds: float, source: str) -> None:
    """Lower the deadline in force to ``seconds`` after its start (a repository's own
    configuration may do this, never the opposite); nothing when none is armed."""
    if _started is not None and seconds < _seconds:
        _move(seconds, source)


def set_to(seconds: float, source: str) -> None:
    """Move the deadline in force to ``seconds`` after its start, up or down (the user's
    own configuration file); nothing when none is armed."""
    if _started is not None and seconds > 0:
        _move(seconds, source)


def _move(seconds: float, source: str) -> None:
    global _seconds, _source
    assert _started is not None
    _seconds, _source = seconds, source
    _disarm()
    _arm(max(_started + seconds - time.monotonic(), 0.001))


def remaining() -> float | None:
    """Seconds left (``None`` without a deadline)."""
    return None if _started is None else _started + _seconds - time.monotonic()


def rearm_in_child(label: str) -> None:
    """In a forked child: timers do not survive ``fork``, so arm one for what is left, a
    little earlier than the parent's (``CHILD_HEAD_START``); its phases start at ``label``."""
    _phases[:] = [label]
    left = remaining()
    if left is not None:
        _timer_reset()
        _arm(max(left - CHILD_HEAD_START, 0.001))


def stop() -> None:
    """Disarm (the run is over)."""
    global _started
    _disarm()
    _started = None


def expired() -> bool:
    """Whether the deadline passed (tells the fallback's interrupt from a Ctrl-C)."""
    return _expired


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Mark what the run is doing until the block ends (cheap: a list append and pop)."""
    _phases.append(name)
    try:
        yield
    finally:
        if _phases and _phases[-1] is name:
            _phases.pop()


def current() -> str:
    """What the run is doing, outermost first: ``running rule PERF001 on services/api >
    detector slo.detect``."""
    return " > ".join(_phases) or "starting"


def message(what: str | None = None) -> str:
    return f"stopped after {_seconds:g} s ({_source}) while {what or current()}"


def exceeded() -> DeadlineExceeded:
    """The exception for the deadline that passed (also after the fallback's interrupt,
    which unwound the phases: the one recorded when it fired)."""
    what = _expired_what or current()
    return DeadlineExceeded(message(what), what)


def _expire(*_: object) -> None:
    global _expired, _expired_what
    _expired, _expired_what = True, current()
    raise exceeded()


def _arm(seconds: float) -> None:
    global _timer
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, _expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        return
    _timer = threading.Timer(seconds, _interrupt)  # no SIGALRM here: interrupt the main thread
    _timer.daemon = True
    _timer.start()


def _interrupt() -> None:
    import _thread

    global _expired, _expired_what
    _expired, _expired_what = True, current()
    _thread.interrupt_main()


def _disarm() -> None:
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        signal.setitimer(signal.ITIMER_REAL, 0)
    _timer_reset()


def _timer_reset() -> None:
    global _timer
    if _timer is not None:
        _timer.cancel()
        _timer = None
