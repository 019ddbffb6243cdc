"""Time the estimate extractor on the seed and on 1k / 10k answers made by repeating it.

Usage: python scripts/bench_estimates.py   (prints process seconds; the seed, then bigger corpora)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.corpus import Boundary, Corpus, corpus_from_texts  # noqa: E402
from lib.estimates import extract_estimates, hedging  # noqa: E402

SEED = ROOT / "data" / "000_dce1674832fde9a1.txt"
SEED_STARTS = [2, 21, 40, 63, 91, 120, 158, 193, 219, 268, 316, 374, 407, 443, 478, 508]


def seed_corpus() -> Corpus:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    return Corpus.from_boundaries(
        lines, [Boundary(s) for s in SEED_STARTS], prompt=lines[0], prompt_line=1
    )


def timed(corpus: Corpus) -> tuple[float, int]:
    """Process seconds (steadier than the wall clock on a shared machine) and estimates found."""
    start = time.process_time()
    frame = extract_estimates(corpus, reference_year=2026)
    hedging(corpus)
    return time.process_time() - start, len(frame)


def main() -> None:
    seed = seed_corpus()
    timed(seed)  # warm the regex and scale caches, as the app would be
    seconds, rows = timed(seed)
    print(f"seed ({len(seed)} answers): {seconds:.3f} s, {rows} estimates")
    texts = seed.texts
    for n in (1_000, 10_000):
        corpus = corpus_from_texts([texts[i % len(texts)] for i in range(n)])
        seconds, rows = timed(corpus)
        print(f"{n} answers: {seconds:.3f} s, {rows} estimates")


if __name__ == "__main__":
    main()
