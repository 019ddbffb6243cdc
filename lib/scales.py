"""Verbal-probability scales: what "likely" or "remote chance" means as a number.

The default scale ("capphrase") holds survey medians and quartiles, built from public data by
scripts/build_verbal_scale.py; the official yardsticks give ranges (their value is the range's
midpoint); "own" is Chorus's written-down mapping for phrases no survey covers. Provenance is
in data/README_scales.md.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "data"
SCALE_COLUMNS = ["phrase", "value", "low", "high", "source"]
DEFAULT_SCALE = "capphrase"
OWN_SCALE = "own"

SCALES: dict[str, str] = {
    "capphrase": "Survey medians and quartiles (CAPphrase, 5,174 people; perceptions survey for a few more)",
    "ipcc": "IPCC likelihood scale (climate reports): ranges, value = midpoint",
    "us_nic": "US National Intelligence Council scale: ranges, value = midpoint",
    "uk": "UK Professional Head of Intelligence Assessment yardstick: ranges, value = midpoint",
    "nato": "NATO intelligence yardstick: ranges, value = midpoint",
    "efsa": "European Food Safety Authority scale: ranges, value = midpoint",
    "own": "Chorus's own mapping for phrases no scale covers (e.g. 'low to moderate', 'non-trivial')",
}


def load_scale(name: str = DEFAULT_SCALE) -> pd.DataFrame:
    """The phrases of one scale: phrase (lower case), value, low, high (percent), source.

    >>> float(load_scale("ipcc").set_index("phrase").loc["likely", "value"])
    83.0
    """
    return _load(name).copy()


@lru_cache(maxsize=16)
def _load(name: str) -> pd.DataFrame:
    if name not in SCALES:
        known = ", ".join(SCALES)
        raise ValueError(f"Unknown scale {name!r}: choose one of {known}.")
    if name == DEFAULT_SCALE:
        frame = pd.read_csv(DATA / "verbal_probability.csv")
    elif name == OWN_SCALE:
        frame = pd.read_csv(DATA / "verbal_probability_extra.csv")
        frame["source"] = "Chorus own mapping: " + frame["note"]
    else:
        yard = pd.read_csv(DATA / "yardsticks.csv")
        frame = yard[yard["scale"] == name].copy()
        frame["value"] = (frame["low"] + frame["high"]) / 2
    frame = frame.assign(phrase=frame["phrase"].str.strip().str.lower())
    for column in ("value", "low", "high"):
        frame[column] = frame[column].astype(float)
    return frame[SCALE_COLUMNS].reset_index(drop=True)


def scale_lookup(name: str = DEFAULT_SCALE) -> dict[str, tuple[float, float, float, str]]:
    """phrase -> (value, low, high, scale name): the chosen scale, then the default, then own.

    A phrase missing from a yardstick falls back to the survey scale, then to the own mapping;
    the scale name returned says which table gave the number.
    """
    return dict(_lookup(name))


@lru_cache(maxsize=16)
def _lookup(name: str) -> tuple[tuple[str, tuple[float, float, float, str]], ...]:
    chain = [name, DEFAULT_SCALE, OWN_SCALE]
    table: dict[str, tuple[float, float, float, str]] = {}
    for scale in dict.fromkeys(chain):
        frame = _load(scale)
        for row in frame.itertuples(index=False):
            if row.phrase in table:
                continue
            # Within the default table, perceptions rows fill gaps; say so in the scale name.
            given_by = "perceptions" if row.source.startswith("perceptions") else scale
            table[row.phrase] = (row.value, row.low, row.high, given_by)
    return tuple(table.items())
