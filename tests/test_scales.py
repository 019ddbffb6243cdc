"""Verbal-probability scales: the shipped tables, their derivation and the fallback chain."""

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from lib.scales import SCALE_COLUMNS, SCALES, load_scale, scale_lookup

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "verbal-probability"


def test_every_scale_loads_with_the_contract_columns():
    assert set(SCALES) == {"capphrase", "ipcc", "us_nic", "uk", "nato", "efsa", "own"}
    for name in SCALES:
        frame = load_scale(name)
        assert list(frame.columns) == SCALE_COLUMNS
        assert len(frame) >= 5
        assert (frame["low"] <= frame["value"]).all() and (frame["value"] <= frame["high"]).all()
        assert frame["phrase"].is_unique
        assert frame["source"].str.len().gt(0).all()


def test_capphrase_medians_and_quartiles():
    frame = load_scale("capphrase").set_index("phrase")
    assert tuple(frame.loc["likely", ["value", "low", "high"]]) == (75.0, 67.0, 80.0)
    assert tuple(frame.loc["remote chance", ["value", "low", "high"]]) == (5.0, 3.0, 10.0)
    assert frame.loc["likely", "source"].startswith("CAPphrase")
    assert frame.loc["probably", "source"].startswith("perceptions")  # a gap CAPphrase leaves


def test_yardstick_value_is_the_midpoint():
    frame = load_scale("nato").set_index("phrase")
    assert tuple(frame.loc["likely", ["value", "low", "high"]]) == (75.0, 60.0, 90.0)


def test_lookup_falls_back_and_names_the_scale():
    table = scale_lookup("uk")
    assert table["likely"] == (65.0, 55.0, 75.0, "uk")
    assert table["almost no chance"][3] == "capphrase"
    assert table["low to moderate probability"] == (30.0, 10.0, 50.0, "own")


def test_unknown_scale():
    with pytest.raises(ValueError, match="Unknown scale"):
        load_scale("nope")


@pytest.mark.skipif(not SOURCE.exists(), reason="survey data not on this machine")
def test_build_script_reproduces_the_shipped_table(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "build", ROOT / "scripts" / "build_verbal_scale.py"
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    fresh = build.build_verbal(SOURCE)
    shipped = pd.read_csv(ROOT / "data" / "verbal_probability.csv")
    pd.testing.assert_frame_equal(fresh.reset_index(drop=True), shipped, check_dtype=False)
    # The 4-SD rule drops a few answers: fewer than 5,174 kept for "likely".
    assert fresh.set_index("phrase").loc["likely", "n"] < 5174


def test_outlier_rule_drops_far_answers():
    spec = importlib.util.spec_from_file_location(
        "build", ROOT / "scripts" / "build_verbal_scale.py"
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    values = pd.Series([50] * 40 + [51] * 40 + [0])
    row = build.summarise(values, "test")
    assert row["n"] == 80
    assert (row["value"], row["low"], row["high"]) == (50.5, 50.0, 51.0)
