"""Work shared with one forked process when a second CPU is free.

The estimate and citation extractors, the word counts behind themes, topics and the answer
map, and the theme matching read each answer on its own: one CPU at a time. Community Cloud
gives an app up to two. `map_in_halves` runs a function over the first half of a list here
while a forked copy of this process runs it over the second half, and returns the results in
order: exactly what ``[fn(x) for x in items]`` gives (tests compare the two). The topic
stability runs and the word clouds use it too, on any corpus (`min_items=2`).

Only where it pays and is safe: Linux (fork), two usable CPUs, at least `MIN_ITEMS` items
(or the caller's `min_items`), not inside a child already, one child at a time per process,
and room in memory for it. The child only runs `fn` (its modules already imported) and writes
its results to a pipe, then exits without cleanup (`os._exit`), so the threads of the host
(Streamlit's server) it does not have are never missed; it closes the descriptors it
inherited (the server's sockets) and dies with its parent. The cyclic GC is frozen across the
fork: a collection in the child would touch, and so copy, every page of the parent's objects.
BLAS runs one thread in the whole process (set when this module is imported): OpenBLAS
shutting its thread pool down around a fork hung the process when another thread was inside
a threaded BLAS call.

Any failure other than `fn`'s own (the fork refused, the child died, stuck or unreadable)
falls back to running the child's half here: the caller always gets the full result, and an
error `fn` raises is raised as it would be without a second process.

Memory: the child shares the parent's pages until it writes to them; at 10k answers it holds
60-150 MB of its own while it runs, depending on the work (scripts/bench.py adds it to the
parent's, see `MEASURE`). A process near the host's memory budget first gives the heap pages
its finished work freed back to the host (`give_back_memory`); if still near, it does the work
alone.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import pickle
import selectors
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a fork (about 20-50 ms for a large process) costs more than it saves.
MIN_ITEMS = 2000
# The memory the host gives the app (Community Cloud's smallest tier; CHORUS_MEMORY_MB to
# change it), and what a child may add to it unless its caller knows better: at 10k answers
# the estimate extractor's and the theme matcher's children held up to 64-68 MB of their own
# (the word counts' 145 MB and the citation extractor's about 60 MB: they say so). Above the
# budget less that margin, the work stays here.
MEMORY_MB = 690
CHILD_MARGIN_MB = 100
# A child still writing this long after the parent finished its half (and 10 times the time
# the parent took) is taken as stuck: its half is done here instead.
CHILD_PATIENCE_S = 30.0
_IN_CHILD = False
# One child at a time: two sessions forking at once would each add a child's memory.
_ONE_CHILD = threading.Lock()
# Benchmarks set MEASURE: each child then reads its own memory once, as it finishes (a page
# walk of a few milliseconds), and `child_memory` gets (the most this process held while the
# child ran, the most the child held on its own: `private_peak_mb`). Their sum bounds what
# the host paid for the two together; sampling it from here every few milliseconds instead
# cost the work seconds. This process's resident peak is reset at each fork to see the
# window alone, so the peak before it is kept in `peaks_before`.
MEASURE = False
child_memory: list[tuple[float, float]] = []
peaks_before: list[float] = []
_HEADER = 8  # bytes before the results: the child's private memory in kB (0: not measured)


def _one_blas_thread() -> None:
    """One BLAS thread for the whole process, set once when this module is imported.

    OpenBLAS shuts its thread pool down around a fork: a fork while another thread (another
    session of the server) is inside a threaded BLAS call hung the whole process (a review
    reproduced it 3 times in 3 with an NMF fit here and a matrix product there). Without the
    pool there is nothing to shut down. On a two-CPU host the second process does the parallel
    work, and one BLAS thread also keeps floating-point sums the same everywhere.
    """
    try:
        import numpy  # noqa: F401  (both BLAS libraries loaded first: only loaded ones are limited)
        import scipy.linalg  # noqa: F401
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")  # kept: not used as a context
    except Exception:  # no threadpoolctl or no BLAS it knows: nothing to limit
        pass


_one_blas_thread()


def usable_cpus() -> int:
    """CPUs this process may use: its affinity, capped by a cgroup CPU quota (containers)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cpus = os.cpu_count() or 1
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cpus


def _status_kb() -> dict[str, int]:
    """This process's memory figures in kB from /proc/self/status ("VmHWM": resident peak,
    "VmRSS": resident now, ...); empty where they cannot be read."""
    try:
        with open("/proc/self/status") as f:
            return {
                name: int(rest.split()[0])
                for name, rest in (line.split(":", 1) for line in f if line.startswith("Vm"))
            }
    except (OSError, ValueError, IndexError):
        return {}


def private_peak_mb() -> float:
    """At most the memory this (forked) process has held on its own at any time (Linux; 0
    where it cannot be read): its private pages now, plus what its resident size has been
    above today's. Pages copied from the parent stay private; pages it allocated and gave
    back show in the resident peak."""
    status = _status_kb()
    try:
        with open("/proc/self/smaps_rollup") as f:
            private = sum(int(line.split()[1]) for line in f if line.startswith("Private_"))
        above = status["VmHWM"] - status["VmRSS"]
    except (OSError, ValueError, IndexError, KeyError):
        return 0.0
    return (private + max(above, 0)) / 1024


def _peak_resident_mb() -> float:
    """This process's resident peak (VmHWM), 0 where it cannot be read."""
    return _status_kb().get("VmHWM", 0) / 1024


def _reset_peak_resident() -> None:
    """Keep this process's resident peak so far, then start it again from now (Linux)."""
    peaks_before.append(_peak_resident_mb())
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


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


def can_fork(child_mb: float = CHILD_MARGIN_MB) -> bool:
    """Whether `map_in_halves` may use a second process here: Linux, two usable CPUs, not in
    a child already, not turned off (CHORUS_SERIAL), and room in memory for a child that
    holds `child_mb` of its own."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and not _IN_CHILD
        and os.environ.get("CHORUS_SERIAL", "") == ""
        and usable_cpus() >= 2
        and _room_for(child_mb)
    )


def _room_for(child_mb: float) -> bool:
    """Whether this process's resident memory plus `child_mb` fits the budget; when it does
    not, after giving freed heap memory back to the host first (`give_back_memory`)."""
    budget = memory_budget_mb()
    if resident_mb() + child_mb <= budget:
        return True
    return give_back_memory() and resident_mb() + child_mb <= budget


def give_back_memory() -> bool:
    """Return the heap's free pages to the host (glibc's `malloc_trim`); False where that
    cannot be done (another C library, not Linux).

    Python frees the objects of a finished analysis, but the C heap keeps most of their pages
    for later use: at 10k answers about 40 MB after each of the theme, topic and map stages,
    counted in the process's resident size (which is what the host's limit counts). A trim
    takes a few milliseconds, so it is done only when the budget is near.
    """
    if _MALLOC_TRIM is None:
        return False
    _MALLOC_TRIM(0)
    return True


def _find_malloc_trim():
    """glibc's `malloc_trim` from the C library this process runs on (None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None).malloc_trim
    except Exception:  # another C library (musl has none)
        return None


_MALLOC_TRIM = _find_malloc_trim()


def halfway(weights: Sequence[float]) -> int:
    """Where to cut a list so both halves weigh about the same (answers differ in length):
    the first index past half the total weight, kept off both ends."""
    n = len(weights)
    total = float(sum(weights))
    cut, running = n // 2, 0.0
    if total > 0:
        for i, w in enumerate(weights):
            running += w
            if running >= total / 2:
                cut = i + 1
                break
    return min(max(cut, 1), n - 1) if n > 1 else n


def map_in_halves(
    fn: Callable[[T], R],
    items: Sequence[T],
    min_items: int | None = None,
    weights: Sequence[float] | None = None,
    child_mb: float = CHILD_MARGIN_MB,
) -> list[R]:
    """``[fn(x) for x in items]``, the second half in a forked process when that pays.

    `fn` must be a pure function of its item whose result pickles; its results come back in
    the order of `items`. `min_items`: fewer items run here alone (default `MIN_ITEMS`).
    `weights`: each item's cost (say its text length), so the halves take about as long.
    `child_mb`: the memory the child holds of its own (measured for the caller's work), so
    that a process near its budget does the work alone.
    """
    items = list(items)
    least = MIN_ITEMS if min_items is None else min_items
    if (
        len(items) < max(least, 2)
        or not can_fork(child_mb)
        or not _ONE_CHILD.acquire(blocking=False)
    ):
        return [fn(x) for x in items]
    try:
        mid = halfway(weights) if weights is not None else len(items) // 2
        mine, theirs = _with_child(fn, items[mid:], lambda: [fn(x) for x in items[:mid]])
    finally:
        _ONE_CHILD.release()
    if theirs is None or len(theirs) != len(items) - mid:
        theirs = [fn(x) for x in items[mid:]]  # the child failed: its half here
    return mine + theirs


def _with_child(fn, theirs_items: list, mine_fn: Callable[[], list]) -> tuple[list, list | None]:
    """(mine_fn() here, [fn(x) for x in theirs_items] from a forked child or None)."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return mine_fn(), None
    if MEASURE:
        _reset_peak_resident()
    frozen_before = gc.get_freeze_count()
    gc.freeze()  # the child's collector must not walk (and so copy) the parent's objects
    try:
        pid = os.fork()
    except Exception:  # refused (no memory, interpreter shutting down): all of it here
        pid = -1
    if pid == 0:
        _child(fn, theirs_items, read_end, write_end)  # never returns
    if frozen_before == 0:  # a host's own freeze is left as it was
        gc.unfreeze()
    os.close(write_end)
    if pid < 0:
        os.close(read_end)
        return mine_fn(), None
    data = None
    try:
        started = time.monotonic()
        mine = mine_fn()  # an error of fn's here is raised (the child is stopped below)
        # The child has as much to do: one that takes far longer is stuck (say a lock
        # another thread held when it was forked), and is given up on, not waited for.
        patience = max(CHILD_PATIENCE_S, 10 * (time.monotonic() - started))
        try:
            data = _read_until_closed(read_end, time.monotonic() + patience)
            if data is not None:
                # The child closed the pipe when its results were written; its exit (giving
                # back a large process's pages, ~10 ms) is not waited for here.
                _reap(pid)
                pid = 0
                # Complete results or none: a child that failed wrote nothing, and a cut-off
                # pickle does not load.
                if len(data) > _HEADER:
                    child_kb = int.from_bytes(data[:_HEADER], "little")
                    if child_kb:
                        child_memory.append((_peak_resident_mb(), child_kb / 1024))
                    data = pickle.loads(memoryview(data)[_HEADER:])
                else:
                    data = None
        except Exception:  # unreadable, unpicklable or already reaped: its half here
            data = None
    finally:
        os.close(read_end)
        if pid > 0:  # our half raised, or the child is stuck or unread: stop it and reap it
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
    return mine, data


def _child(fn, items: list, read_end: int, write_end: int) -> None:
    """The forked child: its half, to the pipe, and out without running any cleanup."""
    status = 1
    try:
        global _IN_CHILD
        _IN_CHILD = True
        _die_with_parent()
        # The server's sockets and files are the parent's business: an orphan must not hold
        # its port. Only the standard streams and the pipe stay open.
        os.closerange(3, write_end)
        os.closerange(write_end + 1, _max_fd())
        data = pickle.dumps([fn(x) for x in items], protocol=pickle.HIGHEST_PROTOCOL)
        child_kb = round(private_peak_mb() * 1024) if MEASURE else 0
        for part in (child_kb.to_bytes(_HEADER, "little"), data):
            view = memoryview(part)
            while view:
                view = view[os.write(write_end, view) :]
        os.close(write_end)  # the parent reads the end of the results now, not at our exit
        status = 0
    finally:
        os._exit(status)


def _reap(pid: int) -> None:
    """Collect a child that has finished its work: now if it has exited, else in a thread of
    its own, so no zombie is left and nobody waits for it."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # already collected
        return
    if done == 0:
        threading.Thread(target=_wait_quietly, args=(pid,), daemon=True).start()


def _wait_quietly(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _die_with_parent() -> None:
    """Linux: the kernel kills this process when its parent dies (best effort). The libc
    function was looked up before the fork: loading a library in the child could wait on a
    lock another thread of the parent held."""
    if _PRCTL is not None:
        with contextlib.suppress(Exception):
            _PRCTL(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _find_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except Exception:
        return None


_PRCTL = _find_prctl()


def _max_fd() -> int:
    try:
        return min(os.sysconf("SC_OPEN_MAX"), 1 << 20)
    except (OSError, ValueError):
        return 1 << 16


def _read_until_closed(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes to `fd`, until it closes its end; None past `deadline`.

    A selector, not `select.select`: a busy server's descriptors can number past 1024."""
    chunks = []
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:  # closed: the child is done, or dead
                return b"".join(chunks)
            chunks.append(chunk)
