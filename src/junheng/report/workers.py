"""Worker processes that die with their parent (``report --jobs``).

A ``ProcessPoolExecutor`` worker outlives a parent killed with ``kill -9`` (or by the OOM killer):
it keeps writing into a staging folder nobody will publish and holds memory and a core. The pool
is made by :func:`worker_pool` (``initializer=die_with_parent, initargs=(parent_token(),)``):

- on Linux the kernel sends the worker SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``
  through ctypes); the parent pid is checked right after, in case it died before the call;
- everywhere (and as a second line on Linux) a daemon thread checks every
  ``WATCH_SECONDS`` that the parent is still the same process and ends the worker with
  ``os._exit`` otherwise.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from ..errors import WorkerLost

#: How often the watchdog thread checks its parent (seconds).
WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


def parent_token() -> int:
    """What a worker is given to recognise its parent: this process's pid."""
    return os.getpid()


def _pdeathsig() -> bool:
    """Ask Linux to SIGKILL this process when its parent dies; False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(WATCH_SECONDS)


def die_with_parent(parent: int) -> None:
    """Pool initializer: end this worker as soon as process ``parent`` is gone (module doc)."""
    _pdeathsig()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="junheng-parent-watch", daemon=True).start()


@contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes started with ``spawn`` (polars' thread pool does not
    survive ``fork``) that die with this process (:func:`die_with_parent`). When the block
    raises (a worker's error, Ctrl-C, SIGTERM turned into SystemExit by the CLI), tasks not yet
    started are cancelled instead of being run to the end."""
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=die_with_parent,
                               initargs=(parent_token(),))
    try:
        yield pool
    except BrokenProcessPool:  # a worker was killed (OOM killer, kill -9): say so, in Chinese
        pool.shutdown(wait=True, cancel_futures=True)
        raise WorkerLost() from None
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
