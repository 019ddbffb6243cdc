"""Derive the shipped verbal-probability tables from the public survey data.

Reads the CAPphrase survey (Kucharski 2026, CC-BY 4.0) and the perceptions survey (Zoni Nation
2016, MIT) and writes:

- data/verbal_probability.csv: phrase, value (median), low (25th pct), high (75th pct), n, source.
  CAPphrase phrases first; perceptions phrases only where CAPphrase has no such phrase.
- data/yardsticks.csv: scale, phrase, low, high, source (IPCC, US NIC, UK, NATO, EFSA).

As in the CAPphrase paper, answers more than 4 standard deviations from their phrase's mean are
removed before the quartiles are taken.

Usage: python scripts/build_verbal_scale.py [SOURCE_DIR]
(default SOURCE_DIR: ../shared/data/verbal-probability relative to the repo root)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "verbal-probability"
CAPPHRASE = "CAPphrase (Kucharski 2026, CC-BY 4.0)"
PERCEPTIONS = "perceptions (Zoni Nation 2016, MIT)"
YARDSTICKS = {
    "ipcc": "IPCC",
    "us_nic": "US NIC",
    "uk": "UK PHIA",
    "nato": "NATO",
    "efsa": "EFSA",
}
OUTLIER_SD = 4.0


def summarise(values: pd.Series, source: str) -> dict:
    """Median and quartiles of one phrase's answers after the 4-SD outlier rule."""
    x = values.astype(float).to_numpy()
    mean, sd = x.mean(), x.std(ddof=1)
    if sd > 0:
        x = x[np.abs(x - mean) <= OUTLIER_SD * sd]
    p25, med, p75 = np.percentile(x, [25, 50, 75])
    return {
        "value": round(float(med), 1),
        "low": round(float(p25), 1),
        "high": round(float(p75), 1),
        "n": len(x),
        "source": source,
    }


def build_verbal(source: Path) -> pd.DataFrame:
    cap = pd.read_csv(source / "capphrase_absolute_judgements.csv")
    cap = cap.dropna(subset=["term", "probability"])
    rows = [
        {"phrase": term.strip().lower(), **summarise(group["probability"], CAPPHRASE)}
        for term, group in cap.groupby("term", sort=True)
    ]
    known = {r["phrase"] for r in rows}
    probly = pd.read_csv(source / "perceptions_probly.csv")
    for column in probly.columns:
        phrase = column.strip().lower()
        if phrase in known:
            continue
        rows.append({"phrase": phrase, **summarise(probly[column].dropna(), PERCEPTIONS)})
    frame = pd.DataFrame(rows, columns=["phrase", "value", "low", "high", "n", "source"])
    return frame.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)


def build_yardsticks(source: Path) -> pd.DataFrame:
    parts = []
    for key, label in YARDSTICKS.items():
        table = pd.read_csv(source / f"capphrase_yardstick_{key}.csv")
        parts.append(
            pd.DataFrame(
                {
                    "scale": key,
                    "phrase": table["term"].str.strip().str.lower(),
                    "low": table["low"].astype(float),
                    "high": table["high"].astype(float),
                    "source": f"{label} yardstick via CAPphrase (CC-BY 4.0)",
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    if not (source / "capphrase_absolute_judgements.csv").exists():
        print(f"No CAPphrase data in {source}: pass the folder as the first argument.")
        return 1
    verbal = build_verbal(source)
    verbal.to_csv(ROOT / "data" / "verbal_probability.csv", index=False)
    yard = build_yardsticks(source)
    yard.to_csv(ROOT / "data" / "yardsticks.csv", index=False)
    print(f"wrote {len(verbal)} phrases and {len(yard)} yardstick rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
