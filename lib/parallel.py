"""Per-answer work on a large corpus, shared with one forked process when a second CPU is free.

The estimate and citation extractors and the theme matcher read each answer on its own, in
pure Python: one CPU at a time. Community Cloud gives an app up to two. `map_in_halves` runs a
function over the first half of a list here while a forked copy of this process runs it over
the second half, and returns the results in order: exactly what ``[fn(x) for x in items]``
gives (tests compare the two), in about half the time on 10k answers.

Only where it pays and is safe: Linux (fork), two usable CPUs, at least `MIN_ITEMS` items, and
not inside a child already. The child only runs `fn` (already imported, pure Python) and
writes its results to a pipe, then exits without cleanup (`os._exit`), so the threads of the
host (Streamlit's server) it does not have are never missed. The cyclic GC is frozen across
the fork: a collection in the child would touch, and so copy, every page of the parent's
objects. Any failure in the child (it died, its results did not arrive) falls back to running
its half here: the caller always gets the full result.

Memory: the child shares the parent's pages until it writes to them; at 10k answers it adds
about 50-60 MB while it runs (scripts/bench.py measures the process tree together). A process
already near the host's memory budget does the work alone rather than risk it.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import sys
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a fork (about 20-50 ms for a large process) costs more than it saves.
MIN_ITEMS = 2000
# The memory the host gives the app (Community Cloud's smallest tier; CHORUS_MEMORY_MB to
# change it), and what a child may add to it: at 10k answers the estimate extractor's child
# wrote 53 MB of its own pages. Above the budget less that margin, the work stays here.
MEMORY_MB = 690
CHILD_MARGIN_MB = 100
# A child still writing this long after the parent finished its half (and 10 times the time
# the parent took) is taken as stuck: its half is done here instead.
CHILD_PATIENCE_S = 30.0
_IN_CHILD = False


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def resident_mb() -> float:
    """This process's resident memory now (Linux), 0 where it cannot be read."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_budget_mb() -> float:
    try:
        return float(os.environ.get("CHORUS_MEMORY_MB", MEMORY_MB))
    except ValueError:
        return float(MEMORY_MB)


def can_fork() -> bool:
    """Whether `map_in_halves` may use a second process here: Linux, two usable CPUs, not in
    a child already, not turned off (CHORUS_SERIAL), and room in memory for a child."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and not _IN_CHILD
        and os.environ.get("CHORUS_SERIAL", "") == ""
        and usable_cpus() >= 2
        and resident_mb() + CHILD_MARGIN_MB <= memory_budget_mb()
    )


def map_in_halves(
    fn: Callable[[T], R], items: Sequence[T], min_items: int | None = None
) -> list[R]:
    """``[fn(x) for x in items]``, the second half in a forked process when that pays.

    `fn` must be a pure function of its item whose result pickles; its results come back in
    the order of `items`. `min_items`: fewer items run here alone (default `MIN_ITEMS`).
    """
    items = list(items)
    least = MIN_ITEMS if min_items is None else min_items
    if len(items) < max(least, 2) or not can_fork():
        return [fn(x) for x in items]
    mid = len(items) // 2
    read_end, write_end = os.pipe()
    gc.freeze()  # the child's collector must not walk (and so copy) the parent's objects
    try:
        pid = os.fork()
    except OSError:
        gc.unfreeze()
        os.close(read_end)
        os.close(write_end)
        return [fn(x) for x in items]
    if pid == 0:  # the child: its half, to the pipe, and out without running any cleanup
        status = 1
        try:
            global _IN_CHILD
            _IN_CHILD = True
            os.close(read_end)
            data = pickle.dumps([fn(x) for x in items[mid:]], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    gc.unfreeze()
    os.close(write_end)
    theirs = None
    try:
        with os.fdopen(read_end, "rb", buffering=0) as pipe:
            started = time.monotonic()
            mine = [fn(x) for x in items[:mid]]
            # The child has as much to do: one that takes far longer is stuck (say a lock
            # another thread held when it was forked), and is given up on, not waited for.
            patience = max(CHILD_PATIENCE_S, 10 * (time.monotonic() - started))
            data = _read_until_closed(pipe, time.monotonic() + patience)
        if data is not None:
            _, status = os.waitpid(pid, 0)
            pid = 0
            if status == 0 and data:
                theirs = pickle.loads(data)
    finally:
        if pid:  # our half raised, or the child is stuck: stop it and reap it
            try:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            except OSError:
                pass
    if theirs is None or len(theirs) != len(items) - mid:
        theirs = [fn(x) for x in items[mid:]]  # the child failed: its half here
    return mine + theirs


def _read_until_closed(pipe, deadline: float) -> bytes | None:
    """Everything the child writes, until it closes its end; None past `deadline`."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([pipe], [], [], left)[0]:
            return None
        chunk = pipe.read(1 << 20)
        if not chunk:  # closed: the child is done, or dead
            return b"".join(chunks)
        chunks.append(chunk)
