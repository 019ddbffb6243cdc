"""Benchmark: time and peak memory of each stage on growing corpora (`make bench`).

Builds corpora of N responses from the seed's 16 answers (shuffled, lightly perturbed with a
seeded RNG), both as one pasted file and as JSONL spread over several prompts, then times
every stage in a fresh process per (size, format), so peak memory belongs to that run alone.
Prints one table; nothing here is a test: figures go in the closing note.

    python scripts/bench.py                 # 1k and 10k, pasted and JSONL
    python scripts/bench.py --sizes 1000    # just one size
    python scripts/bench.py --seed --repeat 10           # the seed, 10 fresh processes
    python scripts/bench.py --seed --repeat 10 --warm    # ... each after another corpus

On a noisy host one run says little: `--repeat N` runs each corpus in N fresh processes,
interleaved, and prints each stage's median and range.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = ROOT / "data" / "000_dce1674832fde9a1.txt"
FLOOR = "floor: read texts + TfidfVectorizer"
SEED_STARTS = [2, 21, 40, 63, 91, 120, 158, 193, 219, 268, 316, 374, 407, 443, 478, 508]


def seed_answers() -> tuple[str, list[list[str]]]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    stops = [*SEED_STARTS[1:], len(lines) + 1]
    return lines[0], [lines[a - 1 : b - 1] for a, b in zip(SEED_STARTS, stops, strict=True)]


def perturb(block: list[str], rng: random.Random) -> list[str]:
    """Drop or swap a word in about one line in ten, so answers are not exact copies.

    The first line is left alone: it is what a person would recognise the answer by.
    """
    out = [block[0]]
    for line in block[1:]:
        words = line.split(" ")
        if len(words) > 6 and rng.random() < 0.1:
            i = rng.randrange(1, len(words) - 1)
            if rng.random() < 0.5:
                del words[i]
            else:
                words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return out


def build(n: int, fmt: str, folder: Path) -> Path:
    prompt, blocks = seed_answers()
    rng = random.Random(n)
    picks = [rng.randrange(len(blocks)) for _ in range(n)]
    if fmt == "pasted":
        lines = [prompt]
        for i in picks:
            lines.extend(perturb(blocks[i], rng))
        path = folder / f"bench_{n}.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        return path
    models = ["claude", "gemini", "gpt", "grok"]
    path = folder / f"bench_{n}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for k, i in enumerate(picks):
            row = {
                "prompt": f"{prompt} (variant {k % 10})",
                "model": models[i // 4],
                "response": "\n".join(perturb(blocks[i], rng)),
            }
            fh.write(json.dumps(row) + "\n")
    return path


def peak_mb() -> float:
    """Peak memory of this process and its forked children together (`lib.parallel`).

    Alone, a process's peak RSS is exact (`ru_maxrss`; reset at each fork, the peaks before
    are kept). Each child reports the most memory only it held (pages it shares with this
    process are not counted again), and this process's peak while the child ran is added to
    it: an upper bound of what the host paid for both. (A thread sampling the children every
    20 ms cost the work seconds at 10k answers.)
    """
    from lib import parallel

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    forks = [here + child for here, child in parallel.child_memory]
    return max([own, *parallel.peaks_before, *forks])


def analyses(corpus, run) -> None:
    """Every analysis the app shows, on `corpus`, each through `run(name, fn)`."""
    done: dict[str, object] = {}

    def analysis(name: str, fn) -> None:
        done[name] = run(name, fn)

    def estimates():
        from lib.estimates import extract_estimates

        return extract_estimates(corpus, reference_year=2025)

    analysis("estimates", estimates)

    def themes():
        from lib.themes import group_theme_scores, load_taxonomy, match_themes, theme_scores

        taxonomy = load_taxonomy()
        hits = match_themes(corpus, taxonomy, texts=False)  # as the app keeps them
        scores = theme_scores(corpus, taxonomy)  # from the hits just found (remembered)
        return hits, scores, group_theme_scores(corpus, taxonomy, scores=scores)

    analysis("themes (hits, answer and group scores)", themes)

    def topics():
        from lib.topics import TopicModel

        return TopicModel(random_state=0).fit(corpus)

    analysis("topics", topics)

    def similarity():
        from lib.similarity import answer_map, group_consistency, near_duplicates

        return answer_map(corpus), near_duplicates(corpus), group_consistency(corpus)

    analysis("map+near-dups+consistency", similarity)

    def distinctive():
        from lib.distinctive import distinctive_words

        return distinctive_words(corpus)

    analysis("distinctive words", distinctive)

    def citations():
        from lib.citations import extract_citations

        return extract_citations(corpus)

    analysis("citations", citations)

    def clouds():
        from lib.wordclouds import group_wordclouds, topic_wordclouds

        # At the size the Topics page draws them (lib.state.wordclouds).
        size = {"width": 600, "height": 300}
        return topic_wordclouds(done["topics"], **size), group_wordclouds(corpus, **size)

    analysis("word clouds (topics, groups)", clouds)

    def findings():
        from lib.findings import key_findings

        # As the app calls it: the estimates and topics already computed are passed in; the
        # theme hits are remembered per corpus (lib.text.cached) and found again, not redone.
        return key_findings(corpus, estimates=done["estimates"], topics=done["topics"])

    analysis("key findings", findings)


def child(path: Path, n: int, warm: Path | None = None) -> list[dict]:
    """Run every stage once on one file; return one row per stage.

    `warm`: first run every analysis on that other corpus, untimed per stage, as a server
    that has served a corpus before has done: what is worked out once per process (patterns
    compiled on first use, the verbal scale and the taxonomy read, fonts loaded) is then
    done, and the timed analyses are what each later corpus costs.
    """
    from lib import parallel

    parallel.MEASURE = True
    rows: list[dict] = []

    def stage(name: str, fn):
        t0 = time.perf_counter()
        forks = len(parallel.child_memory)
        try:
            out = fn()
            # Each second process: this one's peak MB while it ran + the child's own at most.
            note = " ".join(f"[{a:.0f}+{b:.0f}]" for a, b in parallel.child_memory[forks:])
        except ImportError as exc:  # a stage whose module is not there is reported, not hidden
            out, note = None, f"skipped: {exc}"
        rows.append(
            {
                "stage": name,
                "seconds": round(time.perf_counter() - t0, 3),
                "peak_mb": round(peak_mb()),
                "note": note,
            }
        )
        return out

    # Imports are timed apart from the work: a server imports them once, before any corpus.
    t0 = time.perf_counter()
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401

    import lib.citations
    import lib.distinctive
    import lib.estimates
    import lib.findings
    import lib.grouping
    import lib.loaders
    import lib.similarity
    import lib.themes
    import lib.topics
    import lib.wordclouds  # noqa: F401

    rows.append(
        {
            "stage": "imports",
            "seconds": round(time.perf_counter() - t0, 3),
            "peak_mb": round(peak_mb()),
            "note": "not counted in the analyses",
        }
    )
    from lib.loaders import load_path

    if warm is not None:
        from lib.grouping import group_by_style

        t0 = time.perf_counter()
        analyses(group_by_style(max(load_path(warm).corpora, key=len)), lambda _, fn: fn())
        rows.append(
            {
                "stage": "warm-up: all of it on another corpus",
                "seconds": round(time.perf_counter() - t0, 3),
                "peak_mb": round(peak_mb()),
                "note": "not counted in the analyses",
            }
        )
    result = stage("load+split", lambda: load_path(path))
    corpora = result.corpora if result else []
    biggest = max(corpora, key=len) if corpora else None
    rows[-1]["note"] = f"{sum(len(c) for c in corpora)} responses in {len(corpora)} prompt(s)"

    def group_all():
        from lib.grouping import group_by_style

        return [group_by_style(c) for c in corpora]

    grouped = stage("group", group_all) or corpora
    corpus = max(grouped, key=len) if grouped else biggest

    def floor():
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = corpus.texts
        return TfidfVectorizer(stop_words="english").fit_transform(texts)

    stage(FLOOR, floor)
    # With several prompts (JSONL) the analyses run on the largest one, as the app opens one.
    rows[-1]["note"] = f"analyses below on {len(corpus)} answers (the largest prompt)"

    def analysis(name: str, fn):
        out = stage(name, fn)
        rows[-1]["analysis"] = True
        return out

    analyses(corpus, analysis)
    spent = sum(r["seconds"] for r in rows if r.get("analysis"))
    floor_s = next(r["seconds"] for r in rows if r["stage"] == FLOOR)
    rows.append(
        {
            "stage": "ALL ANALYSES (sum of analysis rows)",
            "seconds": round(spent, 3),
            "peak_mb": round(peak_mb()),
            "note": f"{spent / floor_s:.1f}x the floor" if floor_s else "",
        }
    )
    for r in rows:
        r["n"] = n
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--formats", nargs="*", default=["pasted", "jsonl"])
    parser.add_argument(
        "--seed", action="store_true", help="time the bundled seed corpus as it is instead"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="fresh processes per corpus (median, min-max)"
    )
    parser.add_argument(
        "--warm", action="store_true", help="each process first analyses another corpus"
    )
    parser.add_argument("--child", nargs="+", metavar="FILE N [WARM]", help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=3, metavar=("N", "FORMAT", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        warm = Path(args.child[2]) if len(args.child) > 2 else None
        print(json.dumps(child(Path(args.child[0]), int(args.child[1]), warm)))
        return 0
    if args.build:
        print(build(int(args.build[0]), args.build[1], Path(args.build[2])))
        return 0
    runs: dict[tuple[str, int], list[list[dict]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # The warm-up corpus: the seed's answers, shuffled and perturbed (not the seed).
        warm = [str(build_apart(16, "pasted", folder / "warm"))] if args.warm else []
        if args.seed:
            corpora = [("seed", 16, SEED)]
        else:
            corpora = [
                (fmt, n, build_apart(n, fmt, folder)) for fmt in args.formats for n in args.sizes
            ]
        # Runs interleaved (each corpus once, then again), so a slow spell of a noisy host
        # falls on every corpus rather than on one.
        for _ in range(args.repeat):
            for fmt, n, path in corpora:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(path), str(n), *warm],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if out.returncode != 0:
                    print(out.stderr, file=sys.stderr)
                    return 1
                runs.setdefault((fmt, n), []).append(
                    json.loads(out.stdout.strip().splitlines()[-1])
                )
    report(runs)
    return 0


def build_apart(n: int, fmt: str, folder: Path) -> Path:
    """`build` in a process of its own: on Linux a child starts with its parent's peak
    memory, so a parent that held the corpus would inflate every child's figure."""
    folder.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(
        [sys.executable, __file__, "--build", str(n), fmt, str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(made.stdout.strip().splitlines()[-1])


def report(runs: dict[tuple[str, int], list[list[dict]]]) -> None:
    """One table: each stage's seconds (the median and range over runs when there are
    several) and peak MB (the most over runs), then how each stage grows with size."""
    several = any(len(r) > 1 for r in runs.values())
    header = (
        f"{'format':7} {'n':>6}  {'stage':38} {'seconds':>8} {'min-max':>13} {'peak MB':>8}  note"
    )
    print(header)
    print("-" * len(header))
    medians: dict[tuple[str, int], dict[str, float]] = {}
    for (fmt, n), reps in runs.items():
        for i, row in enumerate(reps[0]):
            seconds = [rep[i]["seconds"] for rep in reps]
            mid = statistics.median(seconds)
            medians.setdefault((fmt, n), {})[row["stage"]] = mid
            spread = f"{min(seconds):.3f}-{max(seconds):.3f}" if several else ""
            peak = max(rep[i]["peak_mb"] for rep in reps)
            note = row["note"]
            if row["stage"].startswith("ALL") and several:
                ratios = sorted(rep[i]["seconds"] / floor_of(rep) for rep in reps)
                note = (
                    f"{statistics.median(ratios):.1f}x the floor (median), "
                    f"{ratios[0]:.1f}-{ratios[-1]:.1f}x over {len(reps)} runs"
                )
            print(f"{fmt:7} {n:>6}  {row['stage']:38} {mid:>8.3f} {spread:>13} {peak:>8}  {note}")
    print(
        "[a+b] in a note: while a second process (lib.parallel) ran, this one held at most a MB "
        "and it at most b MB of its own. Peak MB counts a+b."
    )
    if several:
        print("seconds: the median over fresh processes; each run's ratio uses its own floor.")
    sizes = sorted({n for _, n in runs})
    if len(sizes) < 2:
        return
    print()
    print(
        "Growth from the smallest to the largest size (seconds ratio; linear would be the size ratio):"
    )
    for fmt in dict.fromkeys(f for f, _ in runs):
        lo, hi = medians.get((fmt, sizes[0]), {}), medians.get((fmt, sizes[-1]), {})
        for name, t in hi.items():
            if lo.get(name):
                print(
                    f"  {fmt:7} {name:38} x{t / lo[name]:.1f} for x{sizes[-1] / sizes[0]:.0f} responses"
                )


def floor_of(rows: list[dict]) -> float:
    return next(r["seconds"] for r in rows if r["stage"] == FLOOR) or float("nan")


if __name__ == "__main__":
    raise SystemExit(main())
