"""Benchmark style grouping on 1k and 10k answers built from the seed.

Each corpus holds the 16 seed answers, resampled, shuffled and lightly perturbed (a few words
dropped or swapped, seeded RNG), so no two answers are identical. Prints wall time of
`StyleGrouper.fit`, peak memory, how well groups match the seed's four models, and how the
cost grows from 1k to 10k.

    .venv/bin/python scripts/bench_grouping.py            # 1k and 10k
    .venv/bin/python scripts/bench_grouping.py --sizes 1000 2000 4000 --no-trace
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.corpus import Boundary, Corpus, corpus_from_texts  # noqa: E402
from lib.grouping import StyleGrouper, group_by_style  # noqa: E402
from lib.splitter import split_text  # noqa: E402

SEED_PATH = ROOT / "data" / "000_dce1674832fde9a1.txt"
SEED_STARTS = [2, 21, 40, 63, 91, 120, 158, 193, 219, 268, 316, 374, 407, 443, 478, 508]
SEED_MODELS = ["claude"] * 4 + ["gemini"] * 4 + ["gpt"] * 4 + ["grok"] * 4


def seed_answers() -> tuple[str, list[str]]:
    lines = SEED_PATH.read_text(encoding="utf-8").split("\n")
    corpus = Corpus.from_boundaries(
        lines, [Boundary(s) for s in SEED_STARTS], prompt=lines[0].strip(), prompt_line=1
    )
    return lines[0].strip(), corpus.texts


def perturb(text: str, rng: random.Random, edits: int = 4) -> str:
    """Drop or swap a few words, keeping the line layout (bullets, headings) intact."""
    lines = text.split("\n")
    for _ in range(edits):
        i = rng.randrange(len(lines))
        words = lines[i].split(" ")
        if len(words) < 4:
            continue
        j = rng.randrange(1, len(words) - 1)
        if rng.random() < 0.5:
            del words[j]
        else:
            words[j], words[j + 1] = words[j + 1], words[j]
        lines[i] = " ".join(words)
    return "\n".join(lines)


def build(n: int, random_state: int = 0) -> tuple[list[str], list[str]]:
    """n perturbed seed answers in shuffled order, with their true models."""
    _, answers = seed_answers()
    rng = random.Random(random_state)
    picks = [rng.randrange(len(answers)) for _ in range(n)]
    texts = [perturb(answers[p], rng) for p in picks]
    return texts, [SEED_MODELS[p] for p in picks]


def purity(labels: list[str], models: list[str]) -> float:
    """Share of answers whose group's majority model is their own model."""
    by_group: dict[str, Counter] = {}
    for g, m in zip(labels, models, strict=True):
        by_group.setdefault(g, Counter())[m] += 1
    return sum(c.most_common(1)[0][1] for c in by_group.values()) / len(labels)


def run(n: int, trace: bool, split: bool) -> dict:
    prompt, _ = seed_answers()
    texts, models = build(n)
    t0 = time.perf_counter()
    corpus = corpus_from_texts(texts, prompt=prompt)
    t_corpus = time.perf_counter() - t0
    pasted = prompt + "\n" + "\n".join(texts) if split else ""
    del texts  # the corpus holds the text now; keep the process's memory to what a user has
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    grouper = StyleGrouper(random_state=0).fit(corpus)
    t_fit, c_fit = time.perf_counter() - t0, time.process_time() - c0
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = None
    if trace:
        # A second fit under tracemalloc (slower): the peak of Python + numpy allocations.
        tracemalloc.start()
        StyleGrouper(random_state=0).fit(corpus)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    t_split, n_split = None, None
    if split:
        # End to end as a user pastes it (prompt line, then the answers with no delimiters);
        # run last so its memory does not count in the fit's peak above.
        t0 = time.perf_counter()
        split_corpus = split_text(pasted)
        group_by_style(split_corpus)
        t_split, n_split = time.perf_counter() - t0, len(split_corpus)
        del pasted, split_corpus
    return {
        "n": n,
        "chars_m": sum(len(t) for t in corpus.texts) / 1e6,
        "split_s": t_split,
        "split_n": n_split,
        "corpus_s": t_corpus,
        "fit_s": t_fit,
        "fit_cpu_s": c_fit,
        "groups": grouper.n_groups_,
        "purity": purity(grouper.labels_, models),
        "rss_peak_mb": rss_after,
        "rss_before_mb": rss_before,
        "traced_peak_mb": peak,
    }


def cpu_calibration() -> float:
    """Seconds for a fixed pure-Python loop: compare runs across machines or load."""
    t0 = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument(
        "--no-split", action="store_true", help="skip the end-to-end split_text + grouping run"
    )
    args = parser.parse_args()
    print(f"calibration loop: {cpu_calibration():.2f} s (≈0.1 s on an idle modern core)")
    results = []
    for n in args.sizes:
        r = run(n, trace=not args.no_trace, split=not args.no_split)
        results.append(r)
        traced = f"{r['traced_peak_mb']:.0f} MB" if r["traced_peak_mb"] is not None else "-"
        print(
            f"n={r['n']:>6}  text={r['chars_m']:.1f}M chars  corpus={r['corpus_s']:.2f} s  "
            f"fit={r['fit_s']:.2f} s (cpu {r['fit_cpu_s']:.2f} s)  groups={r['groups']}  purity={r['purity']:.3f}  "
            f"rss peak={r['rss_peak_mb']:.0f} MB (before fit {r['rss_before_mb']:.0f} MB)  "
            f"traced peak (fit only)={traced}"
        )
        if r["split_s"] is not None:
            print(
                f"          split_text + group_by_style on the pasted text: {r['split_s']:.2f} s "
                f"({r['split_n']} responses found of {r['n']})"
            )
    for a, b in pairwise(results):
        ratio, cpu_ratio = b["fit_s"] / a["fit_s"], b["fit_cpu_s"] / a["fit_cpu_s"]
        print(
            f"{a['n']} → {b['n']}: size ×{b['n'] / a['n']:.1f}, fit time ×{ratio:.1f} "
            f"(cpu ×{cpu_ratio:.1f}) "
            f"(linear would be ×{b['n'] / a['n']:.1f})"
        )


if __name__ == "__main__":
    main()
