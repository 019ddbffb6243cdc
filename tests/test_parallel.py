"""lib.parallel: the forked half gives exactly the serial result, and failures fall back."""

from __future__ import annotations

import gc
import os
import sys
import time

import pytest

from lib import parallel
from lib.parallel import can_fork, map_in_halves

needs_fork = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and parallel.usable_cpus() >= 2),
    reason="needs Linux fork and two usable CPUs",
)


@pytest.fixture(autouse=True)
def _room_in_memory(monkeypatch):
    """However large the test process has grown, forking is allowed unless a test says not."""
    monkeypatch.setenv("CHORUS_MEMORY_MB", "100000")
    monkeypatch.delenv("CHORUS_SERIAL", raising=False)


@pytest.fixture
def children_read(monkeypatch) -> list:
    """The second processes whose results were read (each reports its memory once measured):
    a test comparing forked and serial results must see its children deliver, not fail and
    have their halves redone here."""
    monkeypatch.setattr(parallel, "MEASURE", True)
    monkeypatch.setattr(parallel, "child_memory", [])
    return parallel.child_memory


def _square(x: int) -> int:
    return x * x


@needs_fork
def test_results_in_order_as_the_serial_map():
    items = list(range(101))
    assert map_in_halves(_square, items, min_items=2) == [x * x for x in items]


@needs_fork
def test_the_second_half_really_runs_in_another_process():
    parent = os.getpid()
    pids = map_in_halves(lambda _: os.getpid(), range(10), min_items=2)
    assert pids[:5] == [parent] * 5
    assert len(set(pids[5:])) == 1 and pids[5] != parent


def test_small_inputs_stay_here():
    parent = os.getpid()
    assert map_in_halves(lambda _: os.getpid(), range(10), min_items=11) == [parent] * 10


def test_serial_when_told(monkeypatch):
    monkeypatch.setenv("CHORUS_SERIAL", "1")
    parent = os.getpid()
    assert not can_fork()
    assert map_in_halves(lambda _: os.getpid(), range(10), min_items=2) == [parent] * 10


def test_serial_near_the_memory_budget(monkeypatch):
    """A process that a child's pages could push past the host's memory stays alone."""
    monkeypatch.setenv("CHORUS_MEMORY_MB", str(parallel.resident_mb() + 50))
    assert not can_fork()
    parent = os.getpid()
    assert map_in_halves(lambda _: os.getpid(), range(10), min_items=2) == [parent] * 10


@needs_fork
def test_a_caller_whose_child_writes_little_still_forks_near_the_budget(monkeypatch):
    monkeypatch.setenv("CHORUS_MEMORY_MB", str(parallel.resident_mb() + 80))
    assert not can_fork()  # the default margin (100 MB) does not fit
    assert can_fork(child_mb=60)
    parent = os.getpid()
    pids = map_in_halves(lambda _: os.getpid(), range(10), min_items=2, child_mb=60)
    assert pids[:5] == [parent] * 5 and parent not in pids[5:]


@needs_fork
def test_freed_heap_memory_is_given_back_before_a_child_is_refused(monkeypatch):
    """Freed objects' pages stay in the C heap, counted as resident, until trimmed: near the
    budget they are given back, and then there is room for the child."""
    blocks = [bytes(1000) + bytes([i % 256]) for i in range(150_000)]  # ~150 MB of heap
    last = blocks[-1]  # keeps the heap's top in use: freeing the rest returns nothing by itself
    del blocks
    held = parallel.resident_mb()
    monkeypatch.setenv("CHORUS_MEMORY_MB", str(held + 100 - 80))  # fits once 80 MB go back
    assert parallel.can_fork()
    assert parallel.resident_mb() < held - 80
    assert len(last) == 1001


def test_the_heap_is_trimmed_only_when_the_budget_is_near(monkeypatch):
    trims = []
    monkeypatch.setattr(parallel, "give_back_memory", lambda: trims.append(1) or True)
    monkeypatch.setattr(parallel, "resident_mb", lambda: 500.0)
    monkeypatch.setenv("CHORUS_MEMORY_MB", "600")
    assert parallel._room_for(100) and trims == []
    assert not parallel._room_for(101) and trims == [1]  # trimmed, and still no room


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_resident_memory_is_read():
    assert 10 < parallel.resident_mb() < 100_000


@needs_fork
def test_a_failing_child_half_is_redone_here():
    parent = os.getpid()

    def only_here(x: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return x + 1

    assert map_in_halves(only_here, range(8), min_items=2) == list(range(1, 9))


@needs_fork
def test_a_stuck_child_is_given_up_on_and_its_half_done_here(monkeypatch):
    monkeypatch.setattr(parallel, "CHILD_PATIENCE_S", 0.5)
    parent = os.getpid()

    def stuck_in_child(x: int) -> int:
        if os.getpid() != parent:
            time.sleep(3600)  # as if waiting on a lock no thread will release
        return -x

    before = _children()
    started = time.monotonic()
    assert map_in_halves(stuck_in_child, range(6), min_items=2) == [0, -1, -2, -3, -4, -5]
    assert time.monotonic() - started < 30
    assert _children() == before  # killed and reaped


@needs_fork
def test_an_error_here_is_raised_and_the_child_reaped():
    parent = os.getpid()

    def fails_here(x: int) -> int:
        if os.getpid() == parent and x == 1:
            raise ValueError("bad item 1")
        return x

    before = _children()
    with pytest.raises(ValueError, match="bad item 1"):
        map_in_halves(fails_here, range(8), min_items=2)
    assert _children() == before  # no child left behind, running or zombie


def _children() -> set[int]:
    """Pids of this process's children (a zombie is listed until it is reaped)."""
    pids = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as f:
            pids.update(int(p) for p in f.read().split())
    return pids


@needs_fork
def test_extractors_give_the_same_rows_forked_and_serial(monkeypatch, seed_corpus, children_read):
    from lib.citations import extract_citations
    from lib.estimates import extract_estimates
    from lib.text import clear_cache

    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    forked = (
        extract_estimates(seed_corpus, reference_year=2025),
        extract_citations(seed_corpus),
    )
    assert len(forks) == 2  # each extractor really used a second process
    assert len(children_read) == 2  # ... and its results were the ones used
    monkeypatch.setenv("CHORUS_SERIAL", "1")
    clear_cache()
    serial = (
        extract_estimates(seed_corpus, reference_year=2025),
        extract_citations(seed_corpus),
    )
    for a, b in zip(forked, serial, strict=True):
        assert len(a) > 0
        assert a.equals(b)


@needs_fork
def test_theme_hits_forked_equal_serial(monkeypatch, seed_corpus, children_read):
    """The second half's hits come back as columns per answer and are put together in order:
    the very frame of matching every answer here."""
    from lib import themes
    from lib.text import term_counts

    taxonomy = themes.load_taxonomy()
    term_counts(seed_corpus)  # counted first, so the one fork below is the matching's
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    forked, forked_cells = themes._match_themes(seed_corpus, taxonomy)
    assert forks == [1] and len(children_read) == 1
    monkeypatch.setenv("CHORUS_SERIAL", "1")
    serial, serial_cells = themes._match_themes(seed_corpus, taxonomy)
    assert len(serial) == 771  # the seed's golden hits
    assert forked.equals(serial)
    assert list(forked.dtypes) == list(serial.dtypes)
    assert forked_cells.equals(serial_cells)
    assert len(serial_cells) == 262  # the golden theme matrix's non-zero cells


@needs_fork
@pytest.mark.parametrize("fast", [False, True])
def test_word_counts_forked_equal_one_pass(monkeypatch, seed_corpus, fast, children_read):
    """Counting the second half apart and merging the vocabularies gives the very matrix of
    one pass: the same terms, and every row's columns and counts in the same order."""
    from lib import text

    if fast:  # the numpy tokeniser (large corpora), not the regex one
        monkeypatch.setattr(text, "FAST_FROM_CHARS", 0)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    # Blocks of 7 passages: each half merges many blocks, counted with a growing vocabulary.
    monkeypatch.setattr(text, "_CHUNK_PASSAGES", 7)
    text.clear_cache()
    forked = text.term_counts(seed_corpus)
    assert len(children_read) == 1  # the second half was counted in the child
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10_000)  # one pass over every answer
    text.clear_cache()
    serial = text.term_counts(seed_corpus)
    text.clear_cache()
    assert list(forked.terms) == list(serial.terms)
    for name in ("passage_counts", "response_counts"):
        a, b = getattr(forked, name), getattr(serial, name)
        assert a.shape == b.shape
        for part in ("data", "indices", "indptr"):
            assert getattr(a, part).tolist() == getattr(b, part).tolist(), (name, part)
    assert forked.passage_response.tolist() == serial.passage_response.tolist()
    assert forked.passage_order.tolist() == serial.passage_order.tolist()
    # The second half brought words the first had not seen: the merge had work to do.
    half = len(seed_corpus.responses) // 2
    first = set(text._count_part(seed_corpus.responses, 0, half, text._RegexTokens()).words)
    assert set(serial.terms) - first


@pytest.mark.parametrize(
    ("weights", "cut"),
    [([1, 1, 1, 1], 2), ([10, 1, 1, 1], 1), ([1, 1, 1, 10], 3), ([0, 0, 0], 1), ([5], 1), ([], 0)],
)
def test_halves_weigh_about_the_same(weights, cut):
    assert parallel.halfway(weights) == cut


@needs_fork
def test_a_heavy_first_item_is_a_half_of_its_own():
    parent = os.getpid()
    pids = map_in_halves(lambda _: os.getpid(), range(6), min_items=2, weights=[50, 1, 1, 1, 1, 1])
    assert pids[0] == parent and parent not in pids[1:]


@needs_fork
def test_one_child_at_a_time():
    parent = os.getpid()
    with parallel._ONE_CHILD:  # another session's child is running
        pids = map_in_halves(lambda _: os.getpid(), range(10), min_items=2)
    assert pids == [parent] * 10


@needs_fork
def test_a_refused_fork_runs_everything_here_and_leaks_nothing(monkeypatch):
    def refuse():
        raise RuntimeError("can't fork at interpreter shutdown")

    monkeypatch.setattr(os, "fork", refuse)
    fds = len(os.listdir("/proc/self/fd"))
    assert map_in_halves(_square, range(10), min_items=2) == [x * x for x in range(10)]
    assert len(os.listdir("/proc/self/fd")) == fds
    assert not gc.get_freeze_count()


@needs_fork
def test_the_child_does_not_keep_the_parents_files(tmp_path):
    """An orphaned child must not hold the server's port: it closes what it inherited."""
    with open(tmp_path / "held", "w") as held:
        fd = held.fileno()

        def is_open(_):
            try:
                os.fstat(fd)
            except OSError:
                return False
            return True

        assert map_in_halves(is_open, range(4), min_items=2) == [True, True, False, False]


@needs_fork
def test_results_are_read_from_a_pipe_numbered_past_1024():
    import resource

    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] <= 1500:
        pytest.skip("too few file descriptors allowed")
    read_end, write_end = os.pipe()
    high = os.dup2(read_end, 1500)
    os.close(read_end)
    os.write(write_end, b"done")
    os.close(write_end)
    try:
        assert parallel._read_until_closed(high, time.monotonic() + 5) == b"done"
    finally:
        os.close(high)


@needs_fork
def test_topic_stability_and_clouds_forked_equal_serial(monkeypatch, seed_labelled, children_read):
    """The larger k's stability runs and half the word clouds come from a second process:
    the same numbers and the same pixels as drawing them all here."""
    from lib.topics import TopicModel
    from lib.wordclouds import group_wordclouds, topic_wordclouds

    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())

    def run():
        model = TopicModel(random_state=0).fit(seed_labelled)
        clouds = {**topic_wordclouds(model), **group_wordclouds(seed_labelled)}
        return model, {name: image.tobytes() for name, image in clouds.items()}

    forked_model, forked_clouds = run()
    assert len(forks) == 3  # stability, topic clouds, group clouds
    assert len(children_read) == 3
    monkeypatch.setenv("CHORUS_SERIAL", "1")
    serial_model, serial_clouds = run()
    assert len(forks) == 3
    assert forked_model.stability_ == serial_model.stability_
    assert sorted(forked_model.stability_) == list(range(3, 11))
    assert forked_model.topics_.equals(serial_model.topics_)
    assert len(forked_clouds) == 8 and forked_clouds == serial_clouds


@needs_fork
def test_a_measured_child_reports_the_memory_only_it_holds(children_read):
    """Benchmarks add the child's own pages to this process's: the child held 40 MB of its
    own for a while, and reports at least that and far less than the whole process."""

    def hold(x: int) -> int:
        block = b"\x01" * (40 * 2**20)  # written, so the pages are the child's own ...
        return len(block) // 2**20 + x  # ... and given back before the child reports

    assert map_in_halves(hold, [0, 1], min_items=2) == [40, 41]
    [(here, child)] = children_read
    assert here == pytest.approx(parallel.resident_mb(), rel=0.5)
    assert 40 <= child < here


@needs_fork
def test_the_parents_own_peak_while_the_child_ran_is_counted(monkeypatch, children_read):
    """Memory this process took and gave back while its child ran still counts: both were
    paid for at once."""
    monkeypatch.setattr(parallel, "peaks_before", [])
    parent = os.getpid()
    base = parallel.resident_mb()

    def hold(x: int) -> int:
        size = 80 if os.getpid() == parent else 40
        block = b"\x01" * (size * 2**20)  # written, then given back before the results
        return len(block) // 2**20

    assert map_in_halves(hold, [0, 1], min_items=2) == [80, 40]
    [(here, child)] = children_read
    assert here >= base + 75  # the 80 MB the parent held for a while
    assert child >= 40
    assert parallel.peaks_before and parallel.peaks_before[0] >= base  # the peak before it


@needs_fork
def test_unmeasured_children_report_nothing(monkeypatch):
    monkeypatch.setattr(parallel, "child_memory", [])
    assert map_in_halves(_square, range(4), min_items=2) == [0, 1, 4, 9]
    assert parallel.child_memory == []


def test_blas_runs_one_thread_once_lib_is_imported():
    from threadpoolctl import threadpool_info

    blas = [d for d in threadpool_info() if d["user_api"] == "blas"]
    assert blas and all(d["num_threads"] == 1 for d in blas)


FORK_BESIDE_BLAS = """
import sys, threading
import numpy as np
sys.path.insert(0, {root!r})
from lib.corpus import corpus_from_texts
from lib.topics import TopicModel
from lib import text

texts = [" ".join(f"word{{(i * 7 + j) % 60}}" for j in range(40)) for i in range(30)]
corpus = corpus_from_texts(texts)
a = np.random.default_rng(0).random((2000, 100))
stop = False

def other_session():  # another session's answer map: a large matrix product, over and over
    while not stop:
        a @ a.T

threading.Thread(target=other_session, daemon=True).start()
for _ in range(5):
    text.clear_cache()
    TopicModel(random_state=0).fit(corpus)  # its stability runs fork
stop = True
print("done")
"""


@needs_fork
def test_a_fork_beside_another_threads_matrix_product_does_not_hang(tmp_path):
    """A fork while another thread was inside threaded OpenBLAS hung the whole process; with
    one BLAS thread (set when lib.parallel is imported) it cannot."""
    import subprocess
    from pathlib import Path

    script = tmp_path / "fork_beside_blas.py"
    script.write_text(FORK_BESIDE_BLAS.format(root=str(Path(__file__).parent.parent)))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "done"


@needs_fork
def test_a_finished_child_is_collected_without_waiting_for_its_exit():
    """The results are read as soon as the child closes the pipe; its exit is collected in
    the background, and no zombie stays behind."""
    before = _children()
    assert map_in_halves(_square, range(6), min_items=2) == [0, 1, 4, 9, 16, 25]
    deadline = time.monotonic() + 10
    while _children() != before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _children() == before
