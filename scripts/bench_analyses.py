"""Benchmark the issue-4 analyses (topics and clusters) on 1k and 10k synthetic responses.

The synthetic corpora repeat the seed's 16 answers with light perturbation (lines shuffled,
10-20% of words dropped, a seeded RNG), so they have the seed's vocabulary and passage shapes
at scale. For each size it times every stage, the floor (building the corpus from the texts and
fitting scikit-learn's TfidfVectorizer once, timed in the same run) and reports peak traced
memory and the process's peak RSS.

    .venv/bin/python scripts/bench_analyses.py            # seed, 1k and 10k
    .venv/bin/python scripts/bench_analyses.py --sizes 1000

Memory here is this process's alone: the second processes of `lib.parallel` (topic stability
and word clouds on any corpus, more on large ones) are not counted. `scripts/bench.py` counts
them; its figures are the ones to quote.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402

from lib.citations import extract_citations  # noqa: E402
from lib.corpus import Boundary, Corpus, corpus_from_texts  # noqa: E402
from lib.distinctive import distinctive_words  # noqa: E402
from lib.similarity import (  # noqa: E402
    answer_map,
    group_consistency,
    near_duplicates,
    similarity_matrix,
)
from lib.topics import TopicModel  # noqa: E402
from lib.wordclouds import group_wordclouds, topic_wordclouds  # noqa: E402

SEED_PATH = ROOT / "data" / "000_dce1674832fde9a1.txt"
SEED_STARTS = [2, 21, 40, 63, 91, 120, 158, 193, 219, 268, 316, 374, 407, 443, 478, 508]
SEED_MODELS = ["claude"] * 4 + ["gemini"] * 4 + ["gpt"] * 4 + ["grok"] * 4


def seed_corpus() -> Corpus:
    lines = SEED_PATH.read_text(encoding="utf-8").split("\n")
    corpus = Corpus.from_boundaries(
        lines, [Boundary(s) for s in SEED_STARTS], prompt=lines[0].strip(), prompt_line=1
    )
    return corpus.with_groups(SEED_MODELS)


def synthetic_texts(n: int, random_state: int = 0) -> tuple[list[str], list[str], str]:
    """`n` perturbed copies of the seed answers (lines shuffled, words dropped) and models."""
    seed = seed_corpus()
    rng = random.Random(random_state)
    texts, models = [], []
    for i in range(n):
        source = seed.responses[i % len(seed.responses)]
        lines = [line for line in source.text.split("\n") if line.strip()]
        head, body = lines[:1], lines[1:]
        rng.shuffle(body)
        drop = rng.uniform(0.1, 0.2)
        kept_lines = []
        for line in head + body:
            words = [w for w in line.split(" ") if rng.random() >= drop]
            if words:
                kept_lines.append(" ".join(words))
        texts.append("\n".join(kept_lines))
        models.append(SEED_MODELS[i % len(SEED_MODELS)])
    return texts, models, seed.prompt or ""


def build(texts: list[str], models: list[str], prompt: str) -> Corpus:
    corpus = corpus_from_texts(texts, prompt=prompt, models=models, name="bench")
    return corpus


STAGES = {
    "topics": lambda c: TopicModel(random_state=0).fit(c),
    "similarity_matrix": lambda c: similarity_matrix(c),
    "near_duplicates": lambda c: near_duplicates(c, 0.9),
    "group_consistency": group_consistency,
    "answer_map": lambda c: answer_map(c, random_state=0),
    "distinctive_words": distinctive_words,
    "citations": extract_citations,
}


class _Clock:
    """Wall and CPU seconds of a block, stored under `name` and `name + CPU` in `times`.

    The machine is shared, so wall time alone can be inflated by other processes: CPU time
    (time.process_time, all threads of this process) is the fairer measure of our own work.
    """

    def __init__(self, times: dict[str, float], name: str) -> None:
        self.times, self.name = times, name

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc) -> None:
        self.times[self.name] = time.perf_counter() - self.wall
        self.times[self.name + CPU] = time.process_time() - self.cpu


CPU = " [cpu]"
FLOOR = "floor (corpus + TfidfVectorizer)"


def floor(texts: list[str], models: list[str], prompt: str) -> dict[str, float]:
    """The floor: build the corpus from the texts and fit TfidfVectorizer once.

    Run before the measured corpus is built and then freed, so its memory does not add to
    the analyses' peak.
    """
    times: dict[str, float] = {}
    with _Clock(times, FLOOR):
        floor_corpus = build(texts, models, prompt)
        TfidfVectorizer().fit(floor_corpus.texts)
    return times


def run(corpus: Corpus) -> dict[str, float]:
    times: dict[str, float] = {}
    model = None
    for name, stage in STAGES.items():
        with _Clock(times, name):
            result = stage(corpus)
        if name == "topics":
            model = result
        del result
    for suffix in ("", CPU):
        times["analyses total" + suffix] = sum(times[k + suffix] for k in STAGES)
    with _Clock(times, "word clouds (not in total)"):
        topic_wordclouds(model)
        group_wordclouds(corpus)
    return times


def measure(n: int, trace: bool) -> dict[str, float]:
    """Times (and peak memory) of one corpus size, in this process."""
    if n == 0:
        seed = seed_corpus()
        times = run(seed)
    else:
        texts, models, prompt = synthetic_texts(n)
        if trace:
            tracemalloc.start()
        floor_times = floor(texts, models, prompt)
        built: dict[str, float] = {}
        with _Clock(built, "corpus build (once)"):
            corpus = build(texts, models, prompt)
        del texts
        built["peak RSS before analyses MB"] = _peak_rss_mb()
        times = floor_times | built | run(corpus)
        if trace:
            times["peak traced MB"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        for suffix in ("", CPU):
            times["total / floor" + suffix] = (
                times["analyses total" + suffix] / times[FLOOR + suffix]
            )
    times["peak RSS MB"] = _peak_rss_mb()
    return times


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument(
        "--trace-memory", action="store_true", help="also trace Python allocations (slower)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one, args.trace_memory)))
        return

    # Each size runs in a fresh process, so its peak RSS is its own.
    results: dict[str, dict[str, float]] = {}
    for n in [0, *args.sizes]:
        command = [sys.executable, __file__, "--one", str(n)]
        if args.trace_memory:
            command.append("--trace-memory")
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results["seed (16)" if n == 0 else str(n)] = json.loads(out.strip().splitlines()[-1])
        print(f"done {n or 'seed'}", file=sys.stderr)
    print_table(results)


def print_table(results: dict[str, dict[str, float]]) -> None:
    names = list(dict.fromkeys(k for t in results.values() for k in t))
    sizes = [k for k in results if k.isdigit()]
    header = f"{'stage (seconds unless MB)':36}" + "".join(f"{k:>12}" for k in results)
    if len(sizes) >= 2:
        header += f"{'growth':>10}"
    print(header)
    for name in names:
        row = f"{name:36}"
        for k in results:
            value = results[k].get(name)
            row += f"{value:12.3f}" if value is not None else f"{'':>12}"
        if len(sizes) >= 2 and all(name in results[s] for s in sizes[:2]):
            a, b = results[sizes[0]][name], results[sizes[1]][name]
            row += f"{b / a:9.1f}x" if a else ""
        print(row)


if __name__ == "__main__":
    main()
