"""The benchmark's summary of repeated runs (scripts/bench.py): the figures in closing notes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(floor: float, work: float, peak: int) -> list[dict]:
    return [
        {
            "stage": "floor: read texts + TfidfVectorizer",
            "seconds": floor,
            "peak_mb": 200,
            "note": "",
        },
        {"stage": "topics", "seconds": work, "peak_mb": peak, "note": "", "analysis": True},
        {
            "stage": "ALL ANALYSES (sum of analysis rows)",
            "seconds": work,
            "peak_mb": peak,
            "note": "",
        },
    ]


def test_repeated_runs_give_the_median_the_range_and_each_runs_own_ratio(capsys):
    bench = _bench()
    # Ratios 2.0, 4.0 and 2.5: the median ratio is 2.5, not median work / median floor (2.0).
    runs = {("seed", 16): [_run(1.0, 2.0, 250), _run(0.5, 2.0, 260), _run(2.0, 5.0, 255)]}
    bench.report(runs)
    out = capsys.readouterr().out
    topics = next(line for line in out.splitlines() if " topics " in line)
    assert topics.split()[3:6] == ["2.000", "2.000-5.000", "260"]
    total = next(line for line in out.splitlines() if "ALL ANALYSES" in line)
    assert "2.5x the floor (median), 2.0-4.0x over 3 runs" in total


def test_one_run_prints_no_range(capsys):
    bench = _bench()
    bench.report({("pasted", 1000): [_run(1.0, 3.0, 300)]})
    topics = next(line for line in capsys.readouterr().out.splitlines() if " topics " in line)
    assert topics.split()[3:5] == ["3.000", "300"]
