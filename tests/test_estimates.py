"""Estimates from prose: the seed as a golden case, each pattern and trap, and a fuzz."""

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lib.estimates import (
    AROUND,
    COLUMNS,
    HEDGING_COLUMNS,
    estimates_in_text,
    extract_estimates,
    hedging,
)

REF = 2026


def _nan_to_none(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v


@pytest.fixture(scope="module")
def seed_estimates(seed_labelled):
    return extract_estimates(seed_labelled, reference_year=REF)


# --- the seed, read by hand ----------------------------------------------------------------
# (response_index, kind, low, high) for shares; (response_index, kind, years_low, years_high)
# for timelines. Answer 13's "50-70% ... in the near term (next 5-10 years)" is a share only:
# the years are the period the share covers, not a date by which AGI arrives.
# "within / (in) the next N years" means any time from now up to N, so it starts at 0.
SEED_SHARES = [
    (1, 30, 60),  # "we're maybe 30-60% of the way there"
    (6, 50, None),  # "50% or more of the puzzle pieces"
    (7, 80, 90),  # "80-90% of the way toward ..." (its "final, crucial 10-20%" is not another)
    (13, 50, 70),  # "50-70% of the progress toward AGI in the near term"
    (14, 50, 70),  # "50-70% of the progress toward AGI"
    (14, 80, 90),  # "80-90% of AGI capabilities in narrow senses"
    (15, 50, 70),  # "perhaps 50-70% of the way"
    (16, 50, 70),  # "50-70% of the way to AGI"
]
SEED_TIMELINES = [
    (13, 5, 50, "others (estimates range)"),  # "estimates range from 5-50 years"
    (13, 4, 13, None),  # "by the 2030s" -> 2030-2039
    (14, 0, 20, "some researchers"),  # "within a decade or two"
    (14, 3, 3, "Ray Kurzweil"),  # "optimists like Ray Kurzweil predict AGI by 2029"
    (14, 20, None, "Gary Marcus"),  # "skeptics like Gary Marcus argue it'll take decades"
    (15, 3, None, "others (estimates ranging)"),  # "estimates ranging from a few years to decades"
    (15, 0, 10, "Sam Altman; Ilya Sutskever"),  # "AGI within the next decade"
    (16, 5, 15, None),  # "AGI in the next 5-15 years"
]
# (response_index, quote, scale, low, high) for verbal probabilities.
SEED_VERBAL = [
    (1, "probably", "perceptions"),
    (2, "probably", "perceptions"),
    (5, "likely", "capphrase"),
    (6, "most probable", "own"),
    # 7's "The most likely path to AGI is not a monolithic, scaled-up GPT-7" rates no path.
    (8, "likely", "capphrase"),
    (9, "probably", "perceptions"),
    (10, "probably", "perceptions"),
    (11, "probably", "perceptions"),
    (11, "most plausible", "own"),
    (11, "unlikely", "capphrase"),
    (11, "low to moderate probability", "own"),
    (11, "most likely", "own"),
    (11, "possible but less likely", "own"),
    # not 11's "...; more likely as complementary modules": not the label's claim.
    (13, "probably", "perceptions"),
    (14, "probably", "perceptions"),
    (15, "unlikely", "capphrase"),
]


def test_seed_shares_exact(seed_estimates):
    shares = seed_estimates[seed_estimates["kind"] == "share"]
    got = [(r.response_index, r.low, _nan_to_none(r.high)) for r in shares.itertuples()]
    assert got == SEED_SHARES
    assert shares["attributed_to"].isna().all()  # every share in the seed is the answer's own


def test_seed_timelines_exact(seed_estimates):
    t = seed_estimates[seed_estimates["kind"] == "timeline"]
    got = [
        (r.response_index, r.years_low, _nan_to_none(r.years_high), _nan_to_none(r.attributed_to))
        for r in t.itertuples()
    ]
    assert got == SEED_TIMELINES
    by_2029 = t[t["quote"] == "by 2029"].iloc[0]
    assert (by_2029.year_low, by_2029.year_high) == (2029, 2029)
    by_2030s = t[t["quote"] == "by the 2030s"].iloc[0]
    assert (by_2030s.year_low, by_2030s.year_high) == (2030, 2039)


def test_seed_verbal_probabilities(seed_estimates):
    p = seed_estimates[seed_estimates["kind"] == "probability"]
    got = [(r.response_index, r.quote, r.scale) for r in p.itertuples()]
    assert got == SEED_VERBAL
    low_mod = p[p["quote"] == "low to moderate probability"].iloc[0]
    assert (low_mod.low, low_mod.high, low_mod.about) == (
        10.0,
        50.0,
        "Scale-only LLMs reaching robust, autonomous AGI",
    )
    # Answer 11's verdict list outranks the hedge-like verdicts in confidence.
    assert low_mod.confidence > p[p["quote"] == "probably"]["confidence"].max()


def test_seed_about_and_contract(seed_estimates, seed_labelled):
    assert list(seed_estimates.columns) == COLUMNS
    shares = seed_estimates[seed_estimates["kind"] == "share"]
    assert "of the progress toward AGI in the near term" in shares["about"].tolist()
    assert "of the puzzle pieces" in shares["about"].tolist()
    texts = {r.index: r.text for r in seed_labelled.responses}
    for r in seed_estimates.itertuples():
        assert texts[r.response_index][r.start : r.end] == r.quote
        assert r.quote in r.sentence
    assert set(seed_estimates["group"]) <= {"claude", "gemini", "gpt", "grok"}


def test_seed_traps_are_not_reported(seed_estimates):
    quotes = " | ".join(seed_estimates["quote"])
    for trap in ["1.5B", "1.7T", "100T", "20 watts", "2020", "2023", "10-20%", "thousands"]:
        assert trap not in quotes


def test_reference_year_moves_calendar_years(seed_corpus):
    later = extract_estimates(seed_corpus, reference_year=2029)
    row = later[later["quote"] == "in the next 5-15 years"].iloc[0]
    assert (row.year_low, row.year_high, row.years_low, row.years_high) == (2034, 2044, 5, 15)
    kurzweil = later[later["quote"] == "by 2029"].iloc[0]
    assert (kurzweil.years_low, kurzweil.year_low) == (0, 2029)
    # A year before the reference year is history, not a forecast.
    assert "by 2029" not in extract_estimates(seed_corpus, reference_year=2030)["quote"].tolist()


def test_default_reference_year_is_today(make_corpus):
    from datetime import date

    frame = extract_estimates(make_corpus(["AGI could arrive within 5 years."]))
    assert frame["year_low"].tolist() == [date.today().year]
    assert frame["year_high"].tolist() == [date.today().year + 5]


def test_yardstick_scale_with_fallback(seed_corpus):
    frame = extract_estimates(seed_corpus, reference_year=REF, scale="ipcc")
    p = frame[frame["kind"] == "probability"]
    likely = p[p["quote"] == "likely"].iloc[0]
    assert (likely.low, likely.high, likely.scale) == (66.0, 100.0, "ipcc")
    unlikely = p[p["quote"] == "unlikely"].iloc[0]
    assert (unlikely.low, unlikely.high, unlikely.scale) == (0.0, 33.0, "ipcc")
    # Not on the IPCC scale: falls back to the survey, then to the own mapping.
    assert set(p[p["quote"] == "probably"]["scale"]) == {"perceptions"}
    assert set(p[p["quote"] == "most likely"]["scale"]) == {"own"}


def test_unknown_scale_is_a_clear_error(make_corpus):
    with pytest.raises(ValueError, match="Unknown scale 'wmo'"):
        extract_estimates(make_corpus(["x"]), scale="wmo")


# --- hand-made sentences: each pattern --------------------------------------------------------
def _probabilities(text):
    return [r for r in estimates_in_text(text, reference_year=REF) if r["kind"] == "probability"]


def _one(text, **kw):
    rows = estimates_in_text(text, reference_year=REF, **kw)
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize(
    ("text", "quote", "low", "high", "about"),
    [
        ("We're maybe 30-60% of the way there.", "30-60%", 30, 60, "of the way there"),
        ("It could provide 50% or more of the puzzle pieces.", "50% or more", 50, None, "of the puzzle pieces"),
        ("Scaling could cover up to 30% of the gap.", "up to 30%", 0, 30, "of the gap"),
        ("We are maybe 40 percent of the way to human-level AI.", "40 percent", 40, 40, "of the way to human-level AI"),
        ("It might get us 80-90% of the way there, but the final, crucial 10-20% may differ.", "80-90%", 80, 90, "of the way there"),
    ],
)  # fmt: skip
def test_share_patterns(text, quote, low, high, about):
    row = _one(text)
    assert (row["kind"], row["quote"], row["low"], row["high"], row["about"]) == (
        "share",
        quote,
        low,
        high,
        about,
    )


@pytest.mark.parametrize(
    ("text", "quote", "years", "calendar"),
    [
        ("AGI could come in the next 5-15 years.", "in the next 5-15 years", (5, 15), (2031, 2041)),
        ("Optimists predict AGI by 2029.", "by 2029", (3, 3), (2029, 2029)),
        ("AGI might arrive in the early 2030s.", "in the early 2030s", (4, 7), (2030, 2033)),
        ("AGI could be within reach by the 2030s.", "by the 2030s", (4, 13), (2030, 2039)),
        ("It could happen within a decade or two.", "within a decade or two", (0, 20), (2026, 2046)),
        ("It will likely happen within the next decade.", "within the next decade", (0, 10), (2026, 2036)),
        ("It could happen in 10 years.", "in 10 years", (10, 10), (2036, 2036)),
        ("It could be 5 to 10 years away.", "5 to 10 years away", (5, 10), (2031, 2036)),
        ("AGI could happen between 2030 and 2040.", "between 2030 and 2040", (4, 14), (2030, 2040)),
        ("Critics argue it will take decades.", "take decades", (20, None), (2046, None)),
    ],
)  # fmt: skip
def test_timeline_patterns(text, quote, years, calendar):
    row = _one(text)
    assert row["kind"] == "timeline"
    assert row["quote"] == quote
    assert (row["years_low"], row["years_high"]) == years
    assert (row["year_low"], row["year_high"]) == calendar


@pytest.mark.parametrize(
    ("text", "quotes", "years", "about", "who"),
    [
        ("**My AGI timeline:** 15-25 years", ["15-25 years"], [(REF + 15, REF + 25)], ["My AGI timeline"], [None]),
        ("**Estimated AGI timeline:** 2035-2045", ["2035-2045"], [(2035, 2045)], ["Estimated AGI timeline"], [None]),
        ("- Timeline to AGI: the late 2030s", ["the late 2030s"], [(2037, 2039)], ["Timeline to AGI"], [None]),
        ("Year of AGI: 2035.", ["2035"], [(2035, 2035)], ["Year of AGI"], [None]),
        ("My timeline: 2030 or 2035", ["2030 or 2035"], [(2030, 2035)], ["My timeline"], [None]),
        ("AGI timeline: 2-3 decades", ["2-3 decades"], [(REF + 20, REF + 30)], ["AGI timeline"], [None]),
        # Open upper ends and ranges of decades.
        ("AGI timeline: 2040+", ["2040+"], [(2040, None)], ["AGI timeline"], [None]),
        ("AGI timeline: 2030 or later", ["2030 or later"], [(2030, None)], ["AGI timeline"], [None]),
        ("AGI timeline: early 2030s to mid 2040s", ["early 2030s to mid 2040s"], [(2030, 2046)], ["AGI timeline"], [None]),
        ("AGI timeline: 2030/2040", ["2030/2040"], [(2030, 2040)], ["AGI timeline"], [None]),
        # Every value, each with its note, its goal or its condition.
        ("AGI timeline: 5-10 years (optimistic), 20+ years (conservative)", ["5-10 years", "20+ years"],
         [(REF + 5, REF + 10), (REF + 20, None)], ["AGI timeline (optimistic)", "AGI timeline (conservative)"], [None, None]),
        ("My timeline: 2027 for AGI, 2030 for ASI", ["2027", "2030"], [(2027, 2027), (2030, 2030)],
         ["My timeline: for AGI", "My timeline: for ASI"], [None, None]),
        ("AGI timeline: 5 to 10 years; 20+ years if scaling stalls", ["5 to 10 years", "20+ years"],
         [(REF + 5, REF + 10), (REF + 20, None)], ["AGI timeline", "AGI timeline: if scaling stalls"], [None, None]),
        # A note or the label that names a source credits it.
        ("AGI timeline: 2030 (Altman), 2045 (Kurzweil)", ["2030", "2045"], [(2030, 2030), (2045, 2045)],
         ["AGI timeline", "AGI timeline"], ["Altman", "Kurzweil"]),
        ("Median AGI year (Metaculus): 2033", ["2033"], [(2033, 2033)], ["Median AGI year"], ["Metaculus"]),
        # A condition, on a value or on the label, stays with what it is about.
        ("AGI timeline: 2030 if scaling holds, 2045 if it doesn't", ["2030", "2045"], [(2030, 2030), (2045, 2045)],
         ["AGI timeline: if scaling holds", "AGI timeline: if it doesn't"], [None, None]),
        ("AGI timeline (if scaling alone works): 5-10 years", ["5-10 years"], [(REF + 5, REF + 10)],
         ["AGI timeline (if scaling alone works)"], [None]),
        # Read by its preposition already: the label says what it is about.
        ("Expected arrival of AGI: around 2040", ["around 2040"], [(2040, 2040)], ["Expected arrival of AGI"], [None]),
    ],
)  # fmt: skip
def test_timelines_given_as_a_labels_value(text, quotes, years, about, who):
    rows = estimates_in_text(text, reference_year=REF)
    assert [r["kind"] for r in rows] == ["timeline"] * len(quotes)
    assert [r["quote"] for r in rows] == quotes
    assert [(r["year_low"], r["year_high"]) for r in rows] == years
    assert [r["about"] for r in rows] == about
    assert [r["attributed_to"] for r in rows] == who


@pytest.mark.parametrize(
    "text",
    [
        "Timeline: unclear.",
        "Training timeline: 3 months.",
        "Project timeline: 2027-2028.",  # not AGI's, and not the answer's own
        "**Timeline:** 2-3 years to build the next generation of data centers",  # of what?
        "### Regulation\n- **Timeline:** 5-10 years",
        "**Timeline:** 2024 (GPT-4o), 2025 (o3), 2027 (projected GPT-6)",
        "Timeline: 2020-2023 saw rapid progress.",  # history
        "AGI timeline: 2035? Hard to say.",
        # The value does not end its clause: history, prose, or counted from something else.
        "- **AGI timelines:** 20 years ago, most experts thought it was far off.",
        "The key question for AGI timelines: 10 years of compute growth may not be enough.",
        "Why AGI timelines matter: 5 years is very little time.",
        "AGI timeline shifts: 2030 used to be the optimistic view.",
        "- **AGI timeline:** 70 years of predictions have failed.",
        "AGI timeline: 3-8 years (Minsky, 1970)",
        "Superintelligence timeline: 2 to 5 years after AGI",
        "AGI timeline: 1-2 years after GPT-6",
        "Estimated timeline: 2-3 years per model generation",
        "Timeline to AGI: 500+ years",  # past any horizon
    ],
)
def test_labels_that_give_no_timeline(text):
    assert estimates_in_text(text, reference_year=REF) == []


def test_estimates_range_is_attributed_to_others():
    row = _one("Predicting AGI is tricky—estimates range from 5-50 years.")
    assert (row["years_low"], row["years_high"]) == (5, 50)
    assert row["attributed_to"] == "others (estimates range)"


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Optimists like Ray Kurzweil predict AGI by 2029.", "Ray Kurzweil"),
        ("According to Demis Hassabis, AGI could come within 10 years.", "Demis Hassabis"),
        ("AGI could arrive by 2035, according to Shane Legg.", "Shane Legg"),
        ("Many researchers expect AGI within 20 years.", "many researchers"),
        ("I'd estimate AGI by 2040, based on views from people like Ilya Sutskever.", None),
        ("My intuition: AGI could arrive within 15 years.", None),
    ],
)
def test_attribution(text, who):
    assert _one(text)["attributed_to"] == who


@pytest.mark.parametrize(
    ("text", "quote", "low", "high", "scale"),
    [
        ("There is a 10% chance that scaling alone reaches AGI.", "10%", 10, 10, None),
        ("I'd put the probability of AGI by 2040 at 30%.", "30%", 30, 30, None),
        ("Scale-only AGI: low to moderate probability.", "low to moderate probability", 10, 50, "own"),
        ("There is a non-trivial chance that scaling is enough on its own.", "non-trivial chance", 5, 30, "own"),
        ("Hybrid systems are the most likely path to AGI.", "most likely", 55, 85, "own"),
        ("Scaling alone is unlikely to suffice for AGI.", "unlikely", 10, 25, "capphrase"),
        ("Scaling alone is probably insufficient.", "probably", 65, 80, "perceptions"),
        # The question's own verbs: lead to, get us (to), take us, produce, deliver, fall short.
        ("Scaling will likely lead to AGI.", "likely", 67, 80, "capphrase"),
        ("Scaling alone will probably get us to AGI.", "probably", 65, 80, "perceptions"),
        ("Scaling alone is unlikely to produce AGI.", "unlikely", 10, 25, "capphrase"),
        ("Pure scaling probably won't deliver AGI.", "probably", 65, 80, "perceptions"),
        ("Scaling alone will probably fall short of AGI.", "probably", 65, 80, "perceptions"),
        ("New paradigms: possible but less likely.", "possible but less likely", 20, 45, "own"),
        ("AGI this way: a remote chance.", "remote chance", 3, 10, "capphrase"),
        # The modifier is part of the phrase: "highly unlikely" is not "unlikely" (10-25).
        ("Scaling alone is highly unlikely to be sufficient for AGI.", "highly unlikely", 5, 10, "capphrase"),
        ("It's highly unlikely that scaling alone gets us there.", "highly unlikely", 5, 10, "capphrase"),
        ("Pure scaling very likely falls short of AGI.", "very likely", 80, 90, "own"),
        ("Scaling alone likely leads to AGI.", "likely", 67, 80, "capphrase"),
    ],
)  # fmt: skip
def test_probability_patterns(text, quote, low, high, scale):
    rows = _probabilities(text)
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["quote"], row["low"], row["high"], row["scale"]) == (quote, low, high, scale)


@pytest.mark.parametrize(
    ("text", "quote", "low", "high", "about"),
    [
        # A label before a colon says what the number is the probability of.
        ("Probability of AGI by 2040: ~50%.", "~50%", 50, 50, "AGI by 2040"),
        ("**P(AGI by 2035):** 25%", "25%", 25, 25, "AGI by 2035"),
        ("- **Probability that scaling alone reaches AGI:** roughly 15%", "roughly 15%", 15, 15, "scaling alone reaches AGI"),
        ("My probability estimate for scaling-only AGI: 20-30%", "20-30%", 20, 30, "scaling-only AGI"),
        ("Overall likelihood: 30%", "30%", 30, 30, ""),
        # ... or a likelihood word after the colon, with the number in brackets.
        ("Chance that scaling alone works: low (10-20%).", "10-20%", 10, 20, "scaling alone works"),
        ("Scaling alone: unlikely (10-20%).", "10-20%", 10, 20, "Scaling alone"),
        # A bracket that opens with the number, right after a likelihood word: the number is
        # read, not the word (one row, not two).
        ("There is a non-negligible probability (say 10%) of AGI within five years.", "10%", 10, 10, "AGI within five years"),
        ("I'm fairly confident (70%+) that scaling will keep paying off.", "70%+", 70, None, "scaling will keep paying off"),
        ("Scaling alone is unlikely (10%) to reach AGI.", "10%", 10, 10, "Scaling alone is unlikely to reach AGI"),
        ("I think it's unlikely (~10%) that scaling alone reaches AGI.", "~10%", 10, 10, "scaling alone reaches AGI"),
        ("There's a low probability (around 5-10%) that scaling alone suffices.", "around 5-10%", 5, 10, "scaling alone suffices"),
        ("Overall: scaling is necessary but not sufficient (confidence: 70%).", "70%", 70, 70, "scaling is necessary but not sufficient"),
        # A label that announces the answer: its verdict is about the question asked.
        ("**Short answer: Probably not.**", "Probably not", 20, 35, "the question asked"),
        ("**TL;DR:** Unlikely, at least not by scaling alone.", "Unlikely", 10, 25, "the question asked"),
        ("**Verdict:** highly unlikely.", "highly unlikely", 5, 10, "the question asked"),
        # A verdict that answers a question just before it, on its line or the line before.
        ("Will scaling alone get us to AGI? Probably not.", "Probably not", 20, 35, "Will scaling alone get us to AGI"),
        # (a question is not cut at an abbreviation nor inside brackets)
        ("Will GPT-6 (vs. Gemini 3) reach AGI? Probably not.", "Probably not", 20, 35, "Will GPT-6 (vs. Gemini 3) reach AGI"),
        ("Scaling matters. Will scaling (e.g. more data) get us there? Unlikely.", "Unlikely", 10, 25, "Will scaling (e.g. more data) get us there"),
        ("## Is scaling enough?\n\nUnlikely, at least on its own.", "Unlikely", 10, 25, "Is scaling enough"),
        # ... or that opens the answer.
        ("Probably not. Scaling alone lacks grounding.", "Probably not", 20, 35, "the question asked"),
    ],
)  # fmt: skip
def test_framed_percentages_and_verdicts_on_the_question(text, quote, low, high, about):
    row = _one(text)
    assert (row["kind"], row["quote"], row["low"], row["high"], row["about"]) == (
        "probability",
        quote,
        low,
        high,
        about,
    )


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        # Several labelled verdicts on one line: each is about its own label, none about the
        # question.
        # (an item whose label does not name scaling or the goal is not read: see the traps)
        ("Pure scaling: unlikely (10%), scaling plus RL: likely (60%), new paradigm: possible (30%)",
         [("10%", "Pure scaling"), ("60%", "scaling plus RL")]),
        ("Highly unlikely (<5%) with today's architectures; plausible (40%) with new ones.",
         [("<5%", "Highly unlikely with today's architectures"), ("40%", "plausible with new ones")]),
        # A verdict that does not stand alone is about its own words.
        ("Likely (70%) not by scaling alone.", [("70%", "Likely not by scaling alone")]),
        ("Scaling alone: unlikely (10-20%). Scaling + search: likely (60-70%).",
         [("10-20%", "Scaling alone"), ("60-70%", "Scaling + search")]),
        # An FAQ's answer is about its own question; a verdict label with a bracket too.
        ("**Q:** Will compute get cheaper?\n**Answer:** Likely.", [("Likely", "Will compute get cheaper")]),
        ("**Will data run out?**\n**Short answer:** Probably not.", [("Probably not", "Will data run out")]),
        ("**Short answer:** Unlikely (maybe 15%).", [("15%", "the question asked")]),
        ("**Is scaling enough?** Unlikely.", [("Unlikely", "Is scaling enough")]),
        ("Probably not (25%).", [("25%", "the question asked")]),
        # Labels are not cut inside ("vs.", "e.g."): a list item ends with its bracket.
        ("Scaling vs. new architectures: unlikely (15%)", [("15%", "Scaling vs. new architectures")]),
        ("Scaling alone — unlikely (10%); scaling plus search — likely (65%)",
         [("10%", "Scaling alone"), ("65%", "scaling plus search")]),
        ("Q: Will data run out before 2028? (asked often)\nAnswer: Likely.", [("Likely", "Will data run out before 2028")]),
        # "I would say" and "or so I think" keep the answer's own verdict.
        ("Will scaling alone get us to AGI? Unlikely — I would say 15% or so.", [("Unlikely", "Will scaling alone get us to AGI")]),
        ("Probably not, or so I think.", [("Probably not", "the question asked")]),
        ("Pure scaling (e.g. GPT-6): unlikely (10%)", [("10%", "Pure scaling")]),
        ("TL;DR: Likely (70%) that scaling helps, unlikely (10%) that it suffices.",
         [("70%", "scaling helps"), ("10%", "it suffices")]),
        # A section's verdict is about its heading; a short follow-up question is answered.
        ("## Compute\nCompute will keep growing.\n**Verdict:** likely.", [("likely", "Compute")]),
        ("**Will data run out?**\nMany people worry.\n**Short answer:** Likely.", [("Likely", "Will data run out")]),
        ("AGI by 2030? Probably not.", [("Probably not", "AGI by 2030")]),
        ("Probability of AGI per Metaculus by 2032: 50%", [("50%", "AGI per Metaculus by 2032")]),
    ],
)  # fmt: skip
def test_verdicts_and_what_they_answer(text, rows):
    found = _probabilities(text)
    assert [(r["quote"], r["about"]) for r in found] == rows


@pytest.mark.parametrize(
    "text",
    [
        # A verdict label whose verdict does not stand alone rates no question.
        "Summary: likely improvements in reasoning, unlikely AGI.",
        "Overall: likely to see continued progress in coding benchmarks.",
        # Questions a likelihood does not answer: when, what, or the past.
        "When will AGI arrive? Likely. Not soon.",
        "What would change my mind?\nUnlikely.",
        "Was GPT-3 a turning point? Probably not.",
        "**Q:** When will AGI arrive?\n**Answer:** Likely soon.",
        # Measured rates are no forecasts.
        "Probability of a correct answer on MMLU: 86%",
        "Chance of success per attempt on ARC-AGI: 5%",
        "Likelihood of hallucination per answer: 3%",
        # A timeline label whose values are no list keeps none (the one read may be the one
        # the answer rejects); a label's past-year note is history.
        "AGI timeline: 2030, according to hype; realistically 2045",
        "AGI timeline: 2030 (often claimed), but realistically 2045",
        "AGI timeline (as of 2019): 2060",
        "AGI timeline (Metaculus, 2022): 2040",
        # "put" beside a past year reports a forecast of then; "putting" is no forecast.
        "In 2015 forecasters put AGI around 2060.",
        "Putting AGI in 2030 is aggressive.",
        # A lead-in before a probability label (history, a source, a condition) is not dropped.
        "In 2020, chance of AGI by 2030: 10%",
        "Per the 2023 AI Impacts survey, probability of HLMI by 2047: 50%",
        "If scaling stalls, chance of AGI by 2040: 15%. If it holds, chance of AGI by 2040: 60%.",
        # A bracketed number that contradicts its verdict, or rates the verdict itself.
        "Will scaling alone get us to AGI? Probably not (70%).",
        "**Short answer:** Probably not (~70% confidence).",
        "Unlikely (85% confident).",
        # A verdict label qualified after its verdict.
        "Summary: likely — for compute growth; unlikely — for AGI.",
        "Summary: Likely, but only for narrow tasks; unlikely for AGI.",
        # Timeline notes of the past, and values the answer turns down.
        "AGI timeline (before ChatGPT): 2060",
        "AGI timeline (2010s consensus): 2060",
        "AGI timeline: 2030 if the hype is right",
        "- Likelihood of hallucination: 3%",
        # A labelled verdict with its number is read only when the label names scaling or the
        # goal: scores, sources and other claims are not the answer's forecast.
        "- **GPT-4 MMLU:** likely (86%)",
        "### Benchmarks\n- MMLU: likely (90%)\n- ARC-AGI: unlikely (5%)",
        "Share of web text already used: likely (80%)",
        "- Altman: likely (80%)",
        "Metaculus: likely (55%)",
        # A verdict reported as others', and a baseline.
        "Unlikely — or so the skeptics argue. I think the opposite.",
        "Probably not. That's what most researchers would say, but I disagree.",
        "The chance (25%) that a random guess is right is baseline.",
        "In 2015 forecasters put AGI around 2060, which would have seemed soon.",
        # Timeline values rated in their notes are probabilities of dates, not dates.
        "AGI timeline: 2030 (10%), 2045 (50%)",
        # "Scale" is not "scaling"; a bracketed number that is no percentage rates nothing.
        "Scale AI's revenue: likely (80%)",
        "Economies of scale in chip fabs: likely (75%)",
        "Scaling laws' exponent: likely (0.07)",
    ],
)
def test_more_traps_yield_no_estimate(text):
    assert estimates_in_text(text, reference_year=REF) == []


@pytest.mark.parametrize(
    "text",
    [
        "Likely, we will see more progress.",  # a sentence adverb, no verdict
        "Why? Likely because of data limits.",
        "Scaling has helped a lot.\nProbably not enough data exists, though.",
    ],
)
def test_sentence_openers_that_are_no_verdicts(text):
    assert [
        r for r in estimates_in_text(text, reference_year=REF) if r["kind"] == "probability"
    ] == []


def test_timeline_values_keep_the_answers_own_and_credit_others():
    rows = estimates_in_text(
        "AGI timeline: 2030 (too optimistic), 2045 (my estimate)", reference_year=REF
    )
    assert [(r["quote"], r["attributed_to"]) for r in rows] == [("2045", None)]
    rows = estimates_in_text(
        "AGI timeline: 2030 if scaling holds (unlikely), 2045 if it doesn't", reference_year=REF
    )
    assert [r["quote"] for r in rows] == ["2045"]
    rows = estimates_in_text("AGI timeline: 2035 (my median, ~50%)", reference_year=REF)
    assert [(r["quote"], r["about"]) for r in rows] == [("2035", "AGI timeline (my median, ~50%)")]
    rows = estimates_in_text(
        "AGI timeline: 2030 if you ask OpenAI, 2060 if you ask academics", reference_year=REF
    )
    assert [(r["quote"], r["attributed_to"]) for r in rows] == [
        ("2030", "OpenAI"),
        ("2060", "academics"),
    ]
    # The first label's list ends at the second label, which is read in turn.
    rows = estimates_in_text("AGI timeline: 2035; ASI timeline: 2045", reference_year=REF)
    assert [(r["quote"], r["about"]) for r in rows] == [
        ("2035", "AGI timeline"),
        ("2045", "ASI timeline"),
    ]
    rows = estimates_in_text(
        "My AGI timeline: 2035 (median); ASI timeline: 2040 (Kurzweil)", reference_year=REF
    )
    assert [(r["quote"], r["about"], r["attributed_to"]) for r in rows] == [
        ("2035", "My AGI timeline (median)", None),
        ("2040", "ASI timeline", "Kurzweil"),
    ]
    # A second label that is no timeline label gives nothing.
    for text in ("AGI timeline: 2035; Project timeline: 2027", "AGI timeline: 2035; odds: 2040"):
        assert [r["quote"] for r in estimates_in_text(text, reference_year=REF)] == ["2035"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chance of AGI by 2030: 10%; by 2040: 40%", [("10%", "AGI by 2030"), ("40%", "AGI by 2040")]),
        (
            "Probability of AGI by 2030: ~10%; by 2035: 25%; by 2050: 60%",
            [("~10%", "AGI by 2030"), ("25%", "AGI by 2035"), ("60%", "AGI by 2050")],
        ),
        ("**P(AGI by 2030):** 10%, by 2040: 40%", [("10%", "AGI by 2030"), ("40%", "AGI by 2040")]),
        # A later deadline in the past, or a label with no deadline to move: only the first.
        ("Chance of AGI by 2030: 10%; by 2020: 40%", [("10%", "AGI by 2030")]),
        ("Chance of AGI: 10%; by 2040: 40%", [("10%", "AGI")]),
        # The label's own checks hold for every deadline: a measured rate is no forecast.
        ("Probability of a correct answer by 2030: 10%; by 2040: 40%", []),
    ],
)  # fmt: skip
def test_later_deadlines_of_a_probability_label(text, expected):
    rows = estimates_in_text(text, reference_year=REF)
    assert [(r["quote"], r["about"]) for r in rows if r["kind"] == "probability"] == expected


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Many in Silicon Valley expect AGI by 2027.", "many in Silicon Valley"),
        ("Some at OpenAI think AGI could arrive by 2027.", "some at OpenAI"),
        ("Many in the AI community expect AGI by 2030.", "many in the AI community"),
    ],
)
def test_a_group_named_by_where_it_is_is_credited(text, who):
    # These were the answer's own view: a solid dot on the timeline chart.
    assert [r["attributed_to"] for r in estimates_in_text(text, reference_year=REF)] == [who]


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Sam Altman has suggested AGI could arrive by 2027.", ["Sam Altman"]),
        ("Kurzweil has long predicted AGI by 2029.", ["Kurzweil"]),
        ("Per Metaculus, AGI could arrive around 2033.", ["Metaculus"]),
        ("Unlike Kurzweil, who predicts AGI by 2029, I expect it around 2045.", ["Kurzweil", None]),
        # A label's value is credited by its own note, not by a name elsewhere on the line.
        ("**AGI timeline:** 2035 (Altman says 2027); **ASI timeline:** 2045", [None, None]),
        ("**AGI timeline:** 2035, **ASI timeline:** 2037 (per the AI 2027 authors)", [None, "the AI 2027 authors"]),
        ("Chance of AGI by 2030: 10%; by 2040: 40% (Metaculus)", [None, "Metaculus"]),
        # a name with an affiliation, a description, or in bold
        ("Sam Altman (OpenAI) has hinted AGI could come by 2029.", ["Sam Altman"]),
        ("Gary Marcus, a prominent skeptic, thinks AGI is decades away.", ["Gary Marcus"]),
        ("- **Geoffrey Hinton** estimates AGI could arrive within 5 to 20 years.", ["Geoffrey Hinton"]),
        ("AGI, I think, could arrive by 2035.", [None]),
        # a scenario's label is no source (nor, for now, a name's: see the rules)
        ("- **Base Case (Most Likely):** AGI could arrive by 2040.", [None]),
        ("- **Inside View (Mine):** AGI could arrive by 2040.", [None]),
    ],
)  # fmt: skip
def test_sources_named_with_has_per_who_or_a_note(text, who):
    assert [r["attributed_to"] for r in estimates_in_text(text, reference_year=REF)] == who


def test_others_who_put_agi_at_a_date_are_credited():
    rows = estimates_in_text(
        "Most forecasters on Metaculus put AGI around 2032. Metaculus puts AGI in 2031.",
        reference_year=REF,
    )
    assert [(r["quote"], r["year_low"], r["attributed_to"]) for r in rows] == [
        ("around 2032", 2032, "most forecasters"),
        ("in 2031", 2031, "Metaculus"),
    ]


@pytest.mark.parametrize(
    ("text", "quote", "low", "high"),
    [
        # The number would be read but is dropped (a coin; an answer of worked numbers): the
        # words are read instead, never neither.
        ("Scaling alone is unlikely (10-20%) to reach AGI — a coin flip would be kinder.", "unlikely", 10, 25),
        ("2 + 2 = 4\n3 + 3 = 6\n4 + 4 = 8\nScaling alone is unlikely (10%) to reach AGI.", "unlikely", 10, 25),
        # A number over 100 is no percentage: the modifier is kept with the words.
        ("Scaling alone is highly unlikely (150%) to reach AGI.", "highly unlikely", 5, 10),
        # "or lower" closes the bracket too: one row, the number's.
        ("Scaling alone is unlikely (10% or lower) to reach AGI.", "10% or lower", 0, 10),
    ],
)  # fmt: skip
def test_a_verbal_phrase_gives_way_only_to_a_number_that_is_read(text, quote, low, high):
    rows = _probabilities(text)
    assert [(r["quote"], r["low"], r["high"]) for r in rows] == [(quote, low, high)]


@pytest.mark.parametrize(
    ("text", "about"),
    [
        # A scenario list: the number rates the scenario after the bracket.
        ("**Most likely (60%):** Hybrid approaches reach AGI by 2040.", "Hybrid approaches reach AGI by 2040"),
        ("1. **Most likely (50%)** – scaling plus algorithmic advances", "scaling plus algorithmic advances"),
        # A bare label takes the heading above it, or is the answer's own verdict.
        ("### Scenario 2: Scaling plus new ideas\n- **Probability:** 60%", "Scenario 2: Scaling plus new ideas"),
        ("My overall probability: 25%", "the question asked"),
        ("Probability: roughly 20-30% that scaling alone suffices", "scaling alone suffices"),
        # Several verdicts in one line, each with its own label or words.
        ("Scaling alone: unlikely (10-20%); scaling with new ideas: likely (60-70%)",
         "Scaling alone|scaling with new ideas"),
        ("I think AGI is possible (30%) by 2035, likely (60%) by 2050.", "I think AGI is possible by 2035|likely by 2050"),
        ("There's a real chance (maybe 30%) scaling alone gets us there.", "scaling alone gets us there"),
        ("Is scaling enough? Highly unlikely (under 5%) on its own.", "Is scaling enough"),
        ("Data is scarce. Highly unlikely (under 5%) on its own.", "Highly unlikely on its own"),
    ],
)  # fmt: skip
def test_what_a_framed_number_is_about(text, about):
    rows = _probabilities(text)
    assert "|".join(r["about"] for r in rows) == about


def test_a_bracket_that_is_not_a_probability_leaves_the_verbal_reading():
    # "(10% of experts agree)" is a survey figure: the verdict "unlikely" is read as words.
    row = _one("Scaling alone: unlikely (10% of experts agree).")
    assert (row["quote"], row["low"], row["high"], row["scale"]) == (
        "unlikely",
        10,
        25,
        "capphrase",
    )


# --- hand-made sentences: each trap ---------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Scaling from GPT-2 (1.5B parameters) to GPT-4 (rumored ~1.7T parameters) helped.",
        # A likelihood about something other than AGI, or AGI only past "but", rates no verdict.
        "Scaling will likely lead to better chatbots.",
        "Scaling alone will likely lead to diminishing returns.",
        "Scaling will probably produce surprises before AGI arrives.",
        "Scaling will likely get us a long way, but not all the way to AGI.",
        "If we keep scaling (e.g., to 100T+ parameters), we might hit AGI thresholds.",
        "The human brain runs on about 20 watts.",
        "The jump from GPT-3 to GPT-4 was larger than I would have predicted.",
        "1. Lack of Grounding and Embodiment",
        "Scaling laws (Kaplan et al., 2020) show this will continue.",
        "I'll draw on expert opinions (up to my last training data in 2023).",
        "Laws like Chinchilla scaling suggest data could matter more.",
        "Training used energy equivalent to thousands of households.",
        "Training runs cost millions of dollars and will likely cost more.",
        "Scaling will likely continue to help.",
        "AGI will likely need to be an agent.",
        "What's your intuition, or is it more likely engineering refinements?",
        "Could AGI arrive within 5 years?",
        "It has been a major roadblock for decades.",
        "Over decades, the biggest gains came from compute.",
        "This improved performance by 20% on the benchmark, which may matter.",
        "Sales grew 45% in 2024 and 30% of customers renewed.",
        "Models have grown 10x in recent years and may keep growing.",
        # A label or a bracket without a probability in it.
        "Compute growth: high (40%).",
        "Benchmark accuracy: 45%",
        "Our confidence (95%) interval is wide.",
        "Revenue probability: it rose 12% last year.",
        # "gets us there" rates the question only with the question's own words in the clause.
        "Scaling will likely get us there faster than expected.",
        # Text before a colon that is not a probability label (a review's finds).
        "The probability question comes down to data: 90% of high-quality text has already been used.",
        "Why the likelihood is low: 95% of compute goes to inference.",
        "Respondents assigning at least 10% probability to human extinction: 48%",
        "Share of experts giving >50% probability of AGI by 2050: 60%",
        "- **Chance-level accuracy:** 25%",
        "- **Random-chance baseline:** 25%",
        "- Probability calibration error: 5%",
        "- HumanEval pass@1 (probability of a correct completion): 67%",
        "- Win probability vs. human experts on GDPval: 47%",
        "- **Odds of AGI per Metaculus in 2020:** 10%",
        "The probability of AGI by 2040? My answer: 50%",
        # Brackets that hold a baseline, someone's confidence, or the past.
        "- GPT-4 performed barely above chance (25%) on the four-option ARC test.",
        "- Random chance (50%) is the baseline for binary tasks.",
        "The model's stated confidence (80%) was poorly calibrated.",
        "It was considered unlikely (5%) in 2010 that deep learning would dominate.",
        "We can say with high confidence (95%) that scaling laws held from 2018 to 2024.",
        # Comparisons, and "AGI-level" or "AGI-like", are no verdict on the question.
        "Scaling alone is less likely to get us there than a hybrid approach.",
        "Scaling alone is more likely to get us there than skeptics think.",
        "It's very likely that scaling alone leads to AGI-level performance on benchmarks.",
        "Scaling alone probably produces AGI-like behaviour in narrow domains.",
    ],
)  # fmt: skip
def test_traps_yield_nothing(text):
    assert estimates_in_text(text, reference_year=REF) == []


RECIPES_AND_MATHS = [
    "Classic pancakes\nIngredients:\n- 2 cups flour\n- 2 tablespoons sugar\n- 1 1/2 cups milk\n"
    "Whisk and rest for 10 minutes. Cook 2-3 minutes per side; they will likely keep 3-4 days.",
    "Banana bread: bake at 180 C for 50-60 minutes. It will keep for 3 days and may freeze for "
    "up to 3 months. About 50% of the batter goes in the tin first.",
    "Solve 3x + 5 = 20.\n3x = 15\nx = 5\nSo x = 5. Check: 3*5 + 5 = 20.",
    "If you invest $1,000 at 5% compound interest, in 10 years you will have $1,628.89.\n"
    "A = P(1 + r)^n\nA = 1000 * 1.05^10 = 1628.89",
    "The probability of heads on a fair coin is 50%, so two heads has a 25% chance.",
    "What fraction of the way is 30 km out of 120 km? 30/120 = 0.25, so 25% of the way.\n"
    "Then 60/120 = 0.5 and 90/120 = 0.75.",
    "Q3 summary: revenue rose 12% to $4.2M; 38% of users were new; churn fell from 5% to 3.5%.\n"
    "Region A: 41% | Region B: 33% | Region C: 26%",
]


def test_recipes_and_maths_yield_no_forecasts(make_corpus):
    frame = extract_estimates(make_corpus(RECIPES_AND_MATHS), reference_year=REF)
    assert frame.empty
    assert list(frame.columns) == COLUMNS


# --- fuzz ------------------------------------------------------------------------------------
_pieces = st.sampled_from(
    [
        "30-60%", " of the way", " by 2029", " within a decade or two", " in the next 5-15 years",
        " likely", " probably insufficient", " low to moderate probability", ": most likely",
        " (", ")", ".", "\n", "- ", " AGI", " could", " 50% or more", " 100-0%", " 999%",
        " by the 2190s", " estimates range from", " a few years to decades", " 1.5B", "; ",
        " I'd estimate", " like Ray Kurzweil", " take decades", "?", "—", " 20 watts",
    ]
)  # fmt: skip
_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text, st.sampled_from(["capphrase", "ipcc", "nato"]))
def test_fuzz_never_raises_and_quotes_are_exact(text, scale):
    for row in estimates_in_text(text, reference_year=REF, scale=scale):
        assert text[row["start"] : row["end"]] == row["quote"]
        assert row["quote"] in row["sentence"]
        for lo, hi in [(row["low"], row["high"]), (row["years_low"], row["years_high"])]:
            if lo is not None and hi is not None:
                assert lo <= hi
        if row["kind"] in {"share", "probability"} and row["low"] is not None:
            assert 0 <= row["low"] <= 100


# --- hedging ---------------------------------------------------------------------------------
def test_hedging_counts(make_corpus):
    corpus = make_corpus(
        [
            "Perhaps scaling might work. It is likely. Clearly it helps.",
            "Scaling certainly works.",
            "",
        ][:2]
    )
    frame = hedging(corpus)
    assert list(frame.columns) == HEDGING_COLUMNS
    first, second = frame.iloc[0], frame.iloc[1]
    assert (first.words, first.hedges, first.boosters) == (10, 3, 1)
    assert (first.hedges_per_100, first.boosters_per_100) == (30.0, 10.0)
    assert (second.words, second.hedges, second.boosters) == (3, 0, 1)
    assert second.boosters_per_100 == 33.33


def test_hedging_on_seed(seed_labelled):
    frame = hedging(seed_labelled)
    assert len(frame) == 16
    assert (frame["words"] > 100).all()
    assert (frame["hedges"] > 0).all()


def test_offsets_survive_characters_that_grow_when_lower_cased():
    text = "İİİ note.\nWe're maybe 30-60% of the way there."
    row = _one(text)
    assert text[row["start"] : row["end"]] == "30-60%"


# --- reviewer's cases: facts, negation, past years, open bounds, one-word names ---------------
@pytest.mark.parametrize(
    "text",
    [
        # Rounded facts, benchmark scores and survey figures are not shares of the way.
        "Current models can solve roughly 40% of the problem set on SWE-bench.",
        "Scaling has delivered about 90% of the gains in intelligence benchmarks since 2019.",
        "About 30% of companies say AI capabilities are improving.",
        "Scaling has already delivered 60% of the progress toward AGI.",
        "An estimated 45% of researchers think scaling could reach AGI.",
        "There is a 95% confidence interval.",
        # Negated noun phrases and litotes are dropped, not turned into numbers.
        "It is not unlikely that scaling alone will reach AGI.",
        "There is no chance, not even a small chance, that scaling alone reaches AGI.",
        "It is not at all likely that scaling alone will reach AGI.",
        "Scaling is not the most likely path to AGI.",
        # The favoured-path phrase naming what the answer rules out rates no path.
        "The most likely path to AGI is not a monolithic, scaled-up GPT-7.",
        "The most plausible route isn't brute-force scaling.",
        # Past years are history, even after "by" or "before".
        "By 2020 we had GPT-3 and we will have more.",
        "Before 2022 models were weaker; they will improve.",
        # A rounded fact is not a forecast: "about" is no forecast cue.
        "In 10 years, revenue grew about threefold.",
    ],
)
def test_facts_negations_and_history_yield_nothing(text):
    assert estimates_in_text(text, reference_year=REF) == []


def test_share_with_its_window_is_a_share_and_a_forecast_after_it_a_timeline():
    window = "Scaling could give 50-70% of the progress toward AGI in the next 5-10 years."
    assert [r["kind"] for r in estimates_in_text(window, reference_year=REF)] == ["share"]
    forecast = "Scaling gives 50-70% of the way, and AGI could arrive in the next 5-10 years."
    rows = estimates_in_text(forecast, reference_year=REF)
    assert [(r["kind"], r["year_low"], r["year_high"]) for r in rows] == [
        ("share", None, None),
        ("timeline", REF + 5, REF + 10),
    ]


def test_a_date_inside_a_probability_is_no_timeline():
    # "10% odds of AGI by 2030" does not expect AGI by 2030: the timeline chart showed a dot
    # there. The probability row keeps the date in what it is about.
    rows = estimates_in_text(
        "I'd give 10% odds to AGI by 2030 and 50% by 2045.", reference_year=REF
    )
    assert [r["kind"] for r in rows] == ["probability"]
    assert rows[0]["about"].startswith("to AGI by 2030")
    for text in (
        "There is little chance we'll have AGI by 2030.",
        "I'd put the odds of AGI by 2030 at roughly 10%, and by 2040 at 50%.",
        "AGI by 2030: low chance, I think.",
        "I put AGI by 2030 at 5% at most.",
    ):
        rows = estimates_in_text(text, reference_year=REF)
        assert [r for r in rows if r["kind"] == "timeline"] == [], text
    # A share of people who expect a date is no probability of it: their forecast stays.
    rows = estimates_in_text("50% of experts expect AGI by 2040.", reference_year=REF)
    assert [(r["kind"], r["year_low"]) for r in rows] == [("timeline", 2040)]


@pytest.mark.parametrize(
    "text",
    [
        "I doubt we will see AGI by 2030.",
        "We will probably not have AGI by 2035.",
        "We won't have AGI within 10 years.",
        "By 2030, we will not have AGI.",
        "AGI timeline: not before 2040.",
        "I wouldn't be surprised to see AGI by 2030.",  # a double negative: no date we vouch for
        # a denial after the date, in a comment or a bracket
        "AGI by 2030: I think it's unlikely.",
        "AGI by 2030 — I'd say that's unlikely.",
        "- **Optimistic:** AGI by 2030 if scaling plus RL keeps working — I don't find this likely.",
        "AGI could arrive by 2030 (not likely, in my view).",
        "AGI by 2030 (as Altman suggests) is unlikely, I think.",
        # the speaker's disbelief, across a clause or a bracket
        "I don't think LLMs, which lack world models, will reach AGI within 10 years.",
        "I doubt (given the data wall) that we'll see AGI by 2030.",
        "I don't expect, based on current trends, AGI by 2030.",
        "I'm skeptical that AGI will arrive by 2030.",
        "I'd be surprised if AGI arrived by 2030.",
        "I'd bet against AGI by 2030.",
        "Nobody seriously expects AGI by 2027.",
        "Predictions of AGI by 2027 are probably premature.",
        "It seems premature to expect AGI within five years.",
        "Within 5 years seems too soon; I'd say 15-20 years.",
        # a condition, a reported question, a time counted from AGI
        "If AGI arrives by 2030, it will probably be through scaling plus search.",
        "Whether or not we reach AGI by 2030, these systems will transform work.",
        "People often ask if AGI will arrive by 2030.",
        "AGI is the goal. Self-improving systems could emerge within 5 years of the first AGI.",
        "**ASI:** could follow within 2-5 years of AGI.",
        # (a seventh review's)
        "AGI could arrive by 2030, but I doubt it.",
        "AGI might arrive by 2030, though I wouldn't bet on it.",
        "AGI could arrive by 2030, but that's unlikely.",
        "AGI could be here by 2028 — but I don't expect it.",
        "AGI could arrive by 2030. I think that's unlikely.",
        "Some expect AGI by 2027. I doubt it.",
        "In the most aggressive scenarios, AGI arrives by 2027; I'd put that at 5%.",
        "I doubt, however, that AGI will arrive by 2030.",
        "I don't think — though I could be wrong — that AGI will arrive by 2030.",
        "**Will we have AGI by 2030?**\nProbably not.",
        "Should AGI arrive by 2030, society will struggle to adapt.",
        "To reach AGI by 2030, we would need a breakthrough in memory.",
        "If, as some expect, AGI arrives by 2030, regulation will lag.",
        "Once we have AGI, ASI could follow within 5 years.",
        "ASI could come within a decade of transformative AI.",
        "Nothing suggests AGI will arrive by 2030.",
        "There's a tail risk of AGI by 2027, but I expect it later.",
        "I'd give AGI by 2030 a 10% chance.",
        "I'd put AGI by 2030 at 15 percent.",
        "By 2030, I'd put the odds at 10%; by 2040, closer to 50%.",
        "In the next five years, I'd say the chances are slim.",
        "AGI by 2030: maybe 1 in 10.",
        "There's maybe a 10% chance, in my view, that it happens before 2030.",
        # (an eighth review's: a scenario's date, at the scenario's odds)
        "- Fast scaling (20%): AGI could arrive by 2028.",
        "- **Fast scaling (20%)** — AGI could arrive by 2028.",
        "1. **Scaling works** (probability ~15%): AGI could arrive by 2029.",
        "- 15% — scaling alone works and AGI could arrive by 2029.",
        "| LLM-based systems reach AGI by 2035 | ~40% |",
        "### Scenario 1: Scaling works\n- **Probability:** 15%\n- **Timeline:** AGI by 2029",
        "I'd say AGI by 2030 (~10%) or by 2040 (~50%).",
        "AGI is the goal. Epoch AI estimates that AGI-scale compute could be reached by 2030.",
    ],
)
def test_a_date_the_answer_denies_is_no_timeline(text):
    assert [r for r in estimates_in_text(text, reference_year=REF) if r["kind"] == "timeline"] == []


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        # In an answer about AGI, another event's date is no timeline of the question ...
        ("High-quality text data could be exhausted by 2028.", []),
        ("By 2028, text data could run out.", []),
        ("Compute for frontier runs will likely reach 1e28 FLOP by 2027.", []),
        ("I expect GPT-6 to be released by 2026.", []),
        ("Models will probably be 100x larger by 2030.", []),
        ("Scaling laws will likely plateau by 2027.", []),
        ("Models will likely reach human-level scores on most benchmarks by 2028.", []),
        # (the goal named elsewhere in the sentence does not make it the goal's date)
        ("On the path to AGI, I expect GPT-6 to be released by 2026.", []),
        (
            "AGI may take decades, but training compute will likely grow 10x by 2027.",
            ["take decades"],
        ),
        ("AI will reach human-level performance in coding by 2027.", []),
        ("AI researchers will likely be automated by 2028.", []),
        ("Pretraining will likely hit a wall by 2026.", []),
        ("- **Human-level robotics:** probably by 2035", []),
        # (a pronoun or "get there" stands for the goal)
        ("Data and compute trends suggest it could arrive by 2035.", ["by 2035"]),
        ("Models like GPT-7 could get us there by 2030.", ["by 2030"]),
        # ... but the goal's date is, however the sentence gets there.
        ("Given current compute trends, it could arrive by 2035.", ["by 2035"]),
        ("With more data and compute, we could reach it by 2035.", ["by 2035"]),
        ("Models could reach human-level performance by 2030.", ["by 2030"]),
        ("It could happen within a decade or two.", ["within a decade or two"]),
    ],
)
def test_another_events_date_in_an_answer_about_agi(text, quotes):
    rows = estimates_in_text("Will scaling reach AGI?\n\n" + text, reference_year=REF)
    assert [r["quote"] for r in rows if r["kind"] == "timeline"] == quotes


def test_another_events_date_stays_where_the_answer_names_no_goal():
    # A Lisbon guide has no AGI: its dates are what it is about.
    rows = estimates_in_text("The tram line will likely reopen by 2027.", reference_year=REF)
    assert [r["quote"] for r in rows if r["kind"] == "timeline"] == ["by 2027"]
    rows = estimates_in_text("Hotel prices will probably rise by 2027.", reference_year=REF)
    assert [r["quote"] for r in rows if r["kind"] == "timeline"] == ["by 2027"]


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        # Only the denied date goes; the one the answer gives stays.
        ("AGI: probably not by 2030; by 2040, likely.", ["by 2040"]),
        ("No AGI by 2030, in my view, but likely by 2040.", ["by 2040"]),
        ("AGI is not decades away; I expect it within 5 years.", ["within 5 years"]),
        (
            "AGI could arrive by 2035, though I don't think scaling alone gets us there.",
            ["by 2035"],
        ),
        ("I think AGI will arrive by 2040 or never.", ["by 2040"]),  # "or never": one more answer
        # A denial of another value, of the means, or a shrug, keeps the date.
        ("AGI is probably 10-20 years away, not 5.", ["10-20 years away"]),
        ("Most forecasters expect AGI by 2040, not 2030.", ["by 2040"]),
        ("Rather than by 2030, I expect AGI by 2040.", ["by 2040"]),
        (
            "I'd estimate AGI could arrive within 15-20 years (not 5, as some at OpenAI suggest).",
            ["within 15-20 years"],
        ),
        (
            "- **Base case:** AGI likely by the late 2030s (not through scaling alone).",
            ["by the late 2030s"],
        ),
        ("AGI will probably arrive by 2035 — scaling alone won't do it.", ["by 2035"]),
        ("AGI likely arrives by the late 2030s (no one really knows).", ["by the late 2030s"]),
        ("AGI could arrive by 2035, if not sooner.", ["by 2035"]),
        ("I have no doubt AGI will arrive by 2040.", ["by 2040"]),
        ("Assuming no major setbacks, AGI could arrive by 2035.", ["by 2035"]),
        ("We're likely no more than a decade away from AGI.", ["a decade away"]),
        ("I think we're at least 20 years away from AGI.", ["20 years away"]),
        # A disbelief ends at a colon: what follows is the answer's own view.
        (
            "I'm skeptical: I'd put AGI by 2027 at under 5%, and my median is around 2045.",
            ["around 2045"],
        ),
        # A disbelief ends at a new first-person clause, or a subordinate clause's comma ...
        (
            "I don't think scaling alone will get us there, and I expect AGI around 2040.",
            ["around 2040"],
        ),
        ("While I doubt scaling alone suffices, I expect AGI by 2035.", ["by 2035"]),
        ("I can't be sure but I expect AGI by 2035.", ["by 2035"]),
        ("Provided nothing breaks, AGI could arrive by 2035.", ["by 2035"]),
        ("Doubts about scaling aside, I expect AGI by 2035.", ["by 2035"]),
        # ... and a denial after the date of another claim, or a hedge, keeps it.
        ("I expect AGI by 2040 rather than 2030.", ["by 2040"]),
        ("I expect AGI by 2035 even if it doesn't look like today's LLMs.", ["by 2035"]),
        ("My best guess for AGI is 2038 (not 2027, as some hope).", ["2038"]),
        ("I expect AGI by 2035 (don't hold me to it).", ["by 2035"]),
        (
            "I expect AGI within 15 years; I don't expect it to look like ChatGPT.",
            ["within 15 years"],
        ),
        ("I expect AGI by 2035: that's my median, with a 10% chance by 2028.", ["by 2035"]),
        # (an eighth review's: a dash or ", so" ends a disbelief; double negatives, idioms of
        # likelihood and a confidence keep the date)
        (
            "I don't think scaling alone suffices — I expect AGI around 2035 via hybrid systems.",
            ["around 2035"],
        ),
        ("I don't expect a slowdown, so AGI by 2030 is my base case.", ["by 2030"]),
        ("There is no reason to think AGI won't arrive by 2035.", ["by 2035"]),
        ("I see no reason AGI can't arrive by 2035.", ["by 2035"]),
        ("In all probability, we'll have AGI by 2035.", ["by 2035"]),
        ("I think the odds are good that AGI arrives by 2035.", ["by 2035"]),
        ("I expect AGI by 2040 with roughly 75% confidence.", ["by 2040"]),
    ],
)
def test_a_denial_in_another_clause_keeps_the_date(text, quotes):
    rows = estimates_in_text(text, reference_year=REF)
    assert [r["quote"] for r in rows if r["kind"] == "timeline"] == quotes


@pytest.mark.parametrize(
    ("text", "about"),
    [
        (
            "The most likely outcome is that progress is not smooth but comes in bursts.",
            "outcome is that progress is not smooth but comes in bursts",
        ),
        (
            "The most likely future is one where scaling is not abandoned.",
            "future is one where scaling is not abandoned",
        ),
    ],
)
def test_a_not_inside_the_favoured_outcome_keeps_it(text, about):
    rows = estimates_in_text(text, reference_year=REF)
    assert [(r["quote"], r["low"], r["high"], r["about"]) for r in rows] == [
        ("most likely", 55, 85, about)
    ]


def test_a_later_verdict_segment_with_its_own_claim_is_not_read_under_the_label():
    text = (
        "- Radically new paradigms replacing LLMs: possible but less likely in the short term; "
        "more likely as complementary modules.\n- Scaling alone reaching AGI: unlikely; "
        "possible.\n"
    )
    rows = estimates_in_text(text, reference_year=REF)
    assert [(r["quote"], r["about"]) for r in rows] == [
        ("possible but less likely", "Radically new paradigms replacing LLMs (in the short term)"),
        ("unlikely", "Scaling alone reaching AGI"),
        ("possible", "Scaling alone reaching AGI"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "- Scale-only LLMs reaching AGI: unlikely in the near term; likely in the long term.",
            [
                ("unlikely", 10, 25, "Scale-only LLMs reaching AGI (in the near term)"),
                ("likely", 67, 80, "Scale-only LLMs reaching AGI (in the long term)"),
            ],
        ),
        (
            "- AGI from scaling alone: unlikely, even with more data; likely eventually.",
            [
                ("unlikely", 10, 25, "AGI from scaling alone"),
                ("likely", 67, 80, "AGI from scaling alone (eventually)"),
            ],
        ),
        (
            "- AGI from scaling alone: very unlikely before 2030; possible by 2040",
            [
                ("very unlikely", 5, 12, "AGI from scaling alone (before 2030)"),
                ("possible", 20, 60, "AGI from scaling alone (by 2040)"),
            ],
        ),
        # A later verdict with words of its own beyond a time span still rates its own claim.
        (
            "- Pure scaling: unlikely; likely in the long term with new architectures.",
            [("unlikely", 10, 25, "Pure scaling")],
        ),
    ],
)
def test_a_verdict_over_its_own_time_span_is_read_and_says_so(line, expected):
    rows = estimates_in_text(line, reference_year=REF)
    assert [(r["quote"], r["low"], r["high"], r["about"]) for r in rows] == expected


def test_the_favoured_path_is_still_read_when_it_is_stated():
    rows = estimates_in_text(
        "The most likely path to AGI is a hybrid, agentic system.", reference_year=REF
    )
    assert [(r["quote"], r["about"]) for r in rows] == [
        ("most likely", "path to AGI is a hybrid, agentic system")
    ]


def test_survey_share_is_not_the_answers_own_share():
    rows = estimates_in_text("Roughly 50% of experts expect AGI by 2040.", reference_year=REF)
    assert [r["kind"] for r in rows] == ["timeline"]
    assert (rows[0]["year_low"], rows[0]["attributed_to"]) == (2040, "experts")


@pytest.mark.parametrize(
    ("text", "quote", "low", "high"),
    [
        ("Scaling will deliver 60% of the progress toward AGI.", "60%", 60, 60),
        ("We're 40% of the way there.", "40%", 40, 40),
        ("Perhaps 70% of the solution will come from scale.", "70%", 70, 70),
        (
            "I'd guess around 60% of the work toward AGI will come from scaling.",
            "around 60%",
            60,
            60,
        ),
    ],
)
def test_forward_looking_shares_are_kept(text, quote, low, high):
    row = _one(text)
    assert (row["kind"], row["quote"], row["low"], row["high"]) == ("share", quote, low, high)


@pytest.mark.parametrize(
    ("text", "quote", "low", "high"),
    [
        ("Scaling will not likely reach AGI.", "not likely", 20, 33),
        ("It is not likely that scaling alone will reach AGI.", "not likely", 20, 33),
        ("Scaling alone isn't likely to be enough for AGI.", "isn't likely", 20, 33),
    ],
)
def test_negated_likely_is_its_complement(text, quote, low, high):
    row = _one(text)
    assert (row["kind"], row["quote"], row["low"], row["high"]) == ("probability", quote, low, high)
    assert row["about"].startswith("negated (100 minus “likely”): ")
    assert row["scale"] == "capphrase"


@pytest.mark.parametrize(
    "text",
    [
        # A denial further back in the clause: each gave "likely" (67-80), the opposite.
        "I don't think scaling alone likely gets us there.",
        "I do not think it is likely that scaling alone gets us to AGI.",
        "I doubt it's likely that scaling alone reaches AGI.",
        "No single breakthrough is likely to deliver AGI.",
        "I don't believe there's a high probability that scaling alone gets us to AGI.",
        # ... across a dash or a clause, or as few people's view
        "I'm skeptical that scaling alone is likely to get us to AGI.",
        "I don't think—given the data wall—that scaling alone is likely to get us to AGI.",
        "It's far from clear that scaling alone will likely lead to AGI.",
        "Few researchers now believe scaling alone will likely get us to AGI.",
    ],
)
def test_a_denial_further_back_drops_the_likelihood_word(text):
    assert estimates_in_text(text, reference_year=REF) == []


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # "No." answering the question, and a negation in a reason clause, deny nothing.
        ("No. Scaling alone is unlikely to reach AGI.", "unlikely"),
        ("No, scaling alone will probably not get us to AGI.", "probably"),
        ("**Short answer: No.** Scaling alone will probably fall short of AGI.", "probably"),
        (
            "Since LLMs don't have world models, scaling alone is unlikely to get us to AGI.",
            "unlikely",
        ),
        ("Scaling alone, no matter how large, is unlikely to reach AGI.", "unlikely"),
    ],
)
def test_a_negation_that_denies_something_else_keeps_the_likelihood_word(text, quote):
    assert [r["quote"] for r in estimates_in_text(text, reference_year=REF)] == [quote]


def test_negation_after_the_likelihood_word_is_part_of_the_claim():
    row = _one("Scaling alone probably won't reach AGI.")
    assert (row["quote"], row["low"], row["high"]) == ("probably", 65, 80)


@pytest.mark.parametrize(
    ("text", "years", "calendar"),
    [
        ("AGI could arrive by 2035-40.", (9, 14), (2035, 2040)),
        ("AGI could arrive in 2035 or 2040.", (9, 14), (2035, 2040)),
        ("AGI could arrive in 5 years, or 50.", (5, 50), (2031, 2076)),
        ("AGI could arrive in 5 years or a decade.", (5, 10), (2031, 2036)),
        ("AGI could arrive within 5-10 years.", (0, 10), (2026, 2036)),
        ("By 2026 we will know.", (0, 0), (2026, 2026)),
    ],
)
def test_timeline_upper_ends_and_within(text, years, calendar):
    row = _one(text)
    assert (row["years_low"], row["years_high"]) == years
    assert (row["year_low"], row["year_high"]) == calendar


@pytest.mark.parametrize(
    ("text", "quote", "low", "high"),
    [
        ("There is a >90% chance that it works.", ">90%", 90, None),
        ("There is a ≥ 90% chance that it works.", "≥ 90%", 90, None),
        ("There is an over 90% chance that it works.", "over 90%", 90, None),
        ("There is a more than 90% chance that it works.", "more than 90%", 90, None),
        ("There is at least a 90% chance that it works.", "at least a 90%", 90, None),
        ("There is a <5% chance that it works.", "<5%", 0, 5),
        ("There is a ≤5% chance that it works.", "≤5%", 0, 5),
        ("There is an under 5% chance that it works.", "under 5%", 0, 5),
        ("The probability is less than 5%.", "less than 5%", 0, 5),
    ],
)
def test_open_bounds_on_numeric_probabilities(text, quote, low, high):
    row = _one(text)
    assert (row["kind"], row["quote"], row["low"], row["high"]) == ("probability", quote, low, high)


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("Kurzweil predicts AGI by 2029.", "Kurzweil"),
        ("LeCun argued AGI could take decades.", "LeCun"),
        ("But Ray Kurzweil predicts AGI by 2029.", "Ray Kurzweil"),
        ("According to Hassabis, AGI could come within 10 years.", "Hassabis"),
        ("Experts predict AGI by 2040.", "experts"),
        ("Some predict AGI by 2040.", None),
    ],
)
def test_one_word_names_are_attributed(text, who):
    assert _one(text)["attributed_to"] == who


def test_worked_numbers_count_every_kind_of_digit():
    from lib.estimates import _is_worked_numbers

    # Ten Arabic-Indic numbers among twenty words: a table of figures, not a forecast.
    assert _is_worked_numbers(" ".join(["٣٠", "word"] * 10))
    assert _is_worked_numbers(" ".join(["30", "word"] * 10))
    assert not _is_worked_numbers(" ".join(["word"] * 19 + ["30"]))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 12=×÷*/^+\\fractimescdot\n٣", max_size=14))
def test_arithmetic_pattern_finds_what_three_plain_branches_find(text):
    import re

    from lib.estimates import _ARITH_LINE

    plain = re.compile(r"[=×÷]|\d\s*[*/^+]\s*\d|\\(?:frac|times|cdot)")
    assert bool(_ARITH_LINE.search(text)) == bool(plain.search(text))


# --- speed-ups that must not change a result ---------------------------------------------------
def _atoms(tree, out):
    """Every one-character test in a parsed pattern, as a pattern of its own."""
    from re import _constants as c
    from re import _parser  # noqa: F401  (the parse tree's vocabulary)

    categories = {
        c.CATEGORY_WORD: r"\w",
        c.CATEGORY_NOT_WORD: r"\W",
        c.CATEGORY_DIGIT: r"\d",
        c.CATEGORY_NOT_DIGIT: r"\D",
        c.CATEGORY_SPACE: r"\s",
        c.CATEGORY_NOT_SPACE: r"\S",
    }
    import re

    for op, av in tree:
        if op is c.LITERAL:
            out.add(re.escape(chr(av)))
        elif op is c.NOT_LITERAL:
            out.add(f"[^{re.escape(chr(av))}]")
        elif op is c.IN:
            parts = {
                c.NEGATE: lambda a: "^",
                c.LITERAL: lambda a: re.escape(chr(a)),
                c.RANGE: lambda a: f"{re.escape(chr(a[0]))}-{re.escape(chr(a[1]))}",
                c.CATEGORY: lambda a: categories[a],
            }
            out.add("[" + "".join(parts[o](a) for o, a in av) + "]")
        elif op is c.CATEGORY:
            out.add(categories[av])
        elif op is c.BRANCH:
            for branch in av[1]:
                _atoms(branch, out)
        elif op is c.SUBPATTERN:
            _atoms(av[3], out)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            _atoms(av[2], out)
        elif op is c.ATOMIC_GROUP:
            _atoms(av, out)
        elif op in (c.ASSERT, c.ASSERT_NOT):
            _atoms(av[1], out)
        elif op is not c.AT:  # "\b" reads "\w", "^" and "$" read "\n": both tested below
            raise AssertionError(f"a test this check does not know: {op}")
    return out


def test_case_blind_patterns_read_every_character_as_ignorecase_does():
    """The scans run their patterns without re.IGNORECASE on a folded copy of the text: for
    every character of Unicode, each one-character test of each pattern must answer the same
    on the folded character as the IGNORECASE test on the character itself."""
    import re
    from re import _parser

    from lib import estimates as e

    patterns = [
        e._PERCENT, e._TIMELINE, e._DECADE, e._YEAR, e._DECADE_END, e._LABELLED,
        e._VERBAL_NOUN, e._ATTRIBUTIVE, e._SUFFICIENCY, e._HEDGES, e._BOOSTERS,
    ]  # fmt: skip
    atoms = {r"\w", r"\n"}
    for pattern in patterns:
        assert pattern.flags & re.IGNORECASE
        _atoms(_parser.parse(pattern.pattern, pattern.flags), atoms)
    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    folded = e._fold(every)
    assert len(folded) == len(every)
    for atom in sorted(atoms):
        ignorecase = [m.start() for m in re.finditer(atom, every, re.IGNORECASE)]
        blind = [m.start() for m in re.finditer(atom, folded)]
        assert ignorecase == blind, (atom, {every[i] for i in set(ignorecase) ^ set(blind)})


_scan_pieces = st.sampled_from(
    [
        "Most likely path", " more  likely\toutcome", "likely", "Probably insufficient",
        " unlikely to reach", "Verdict: low to moderate probability", "- A: likely; unlikely",
        " in the next 5-15 years", " by 2029", " by the 2030s", "30-60%", " 40 percent",
        " a slim chance", " decades", "\n", ". ", ": ", "İ", "ſ", "ı", "K", "ς", "Σ",
        " the end of the decade", "(", ")", ";", "?", "!", " 2.5 years", " 1.5%", "'s", "%", " lıkely", " certaınly", " plauſible", "—", ",", " achieve", " enough", " ODDS", " 2035-40",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_scan_pieces, st.text(max_size=6)), max_size=30).map("".join))
@example("It is likely. Scaling is lıkely to reach AGI; the most plauſible path.")
@example("A slim chance, distribution; a low to high probability estimates. In 2.5 years (2030s)")
def test_scans_find_what_scanning_every_trigger_line_finds(text):
    """Skipping lines without a pattern's other words, trying "^" patterns at the line start
    only and matching case-blind on the folded text find exactly what the pattern finds,
    with IGNORECASE, in every line holding a trigger (the scan before these speed-ups)."""
    from lib import estimates as e

    scan = e._Sentences.scan
    calls = []

    def checked(self, pattern, triggers, *args, **kwargs):
        found = list(scan(self, pattern, triggers, *args, **kwargs))
        lines = set()
        for t in triggers:  # in the text as the patterns read it ("lıkely" holds "likely")
            i = self.folded.find(t)
            while i >= 0:
                lines.add(self.line(i))
                i = self.folded.find(t, self.line(i)[1])
        expected = [m for a, b in sorted(lines) for m in pattern.finditer(self.text, a, b)]
        assert [(m.span(), m.groupdict()) for m in found] == [
            (m.span(), m.groupdict()) for m in expected
        ]
        calls.append(pattern)
        return iter(found)

    e._Sentences.scan = checked
    try:
        estimates_in_text(text, reference_year=REF)
    finally:
        e._Sentences.scan = scan
    assert calls


def test_a_dotless_or_long_s_spelling_reads_as_the_plain_one():
    # IGNORECASE patterns equate "ı" with "i" and "ſ" with "s": the trigger search and the
    # scale lookup must too, or the pattern's match would be dropped.
    plain = estimates_in_text("Scaling is likely to reach AGI.", reference_year=REF)
    odd = estimates_in_text("Scaling is lıkely to reach AGI.", reference_year=REF)
    assert [(r["quote"], r["low"], r["high"]) for r in odd] == [("lıkely", 67.0, 80.0)]
    assert [(r["low"], r["high"], r["start"], r["end"]) for r in odd] == [
        (r["low"], r["high"], r["start"], r["end"]) for r in plain
    ]


def test_hedging_counts_words_as_the_rest_of_chorus_does(seed_labelled):
    # The per-100-words rates use the words the Overview and the sidebar count.
    from lib.text import count_words

    frame = hedging(seed_labelled)
    assert frame["words"].tolist() == [count_words(r.text) for r in seed_labelled.responses]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["12", "3", "٣٠", "x", "word", " ", "\n", "=", "*", "+ 4", "é", "1.5"]),
        max_size=80,
    ).map("".join)
)
def test_worked_numbers_as_counted_in_full(text):
    """The cheap tests in front of the digit and arithmetic counts never change the verdict."""
    import re

    from lib.estimates import _ARITH_LINE, _NUMBER_TOKEN, _is_worked_numbers

    arithmetic = sum(1 for line in text.split("\n") if _ARITH_LINE.search(line))
    tokens = len(text.split())
    expected = arithmetic >= 3 or (
        tokens >= 20
        and len(re.findall(r"\d", text)) > 0.2 * tokens
        and len(_NUMBER_TOKEN.findall(text)) / tokens > 0.2
    )
    assert _is_worked_numbers(text) == expected


# Words of both lists, words inside them, and what may stand between them.
HEDGE_AND_BOOSTER_BITS = [
    "may", "must", "i", "think", "in", "fact", "no", "doubt", "without", "a", "tends", "to",
    "it", "is", "unclear", "of", "course", "certainly", "uncertain", "likely", "un", "x",
    "always", "-", "'", " ", "  ", "\n", ".",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEDGE_AND_BOOSTER_BITS), max_size=40).map(" ".join))
def test_one_scan_counts_hedges_and_boosters_as_two_scans_do(text):
    from lib.estimates import _BOOSTERS, _HEDGES, _hedges_or_boosters

    both = [m.lastindex for m in _hedges_or_boosters().finditer(text)]
    assert both.count(1) == len(_HEDGES.findall(text))
    assert both.count(2) == len(_BOOSTERS.findall(text))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Odds in words, with a chance word after them.
        (
            "There's roughly a one-in-three chance we get AGI this decade.",
            [("probability", 33.3, 33.3, "one-in-three", "we get AGI this decade")],
        ),
        ("I'd give it a 1 in 10 chance.", [("probability", 10.0, 10.0, "1 in 10", "")]),
        (
            "I think there's a 50/50 chance scaling alone gets us there.",
            [("probability", 50.0, 50.0, "50/50", "scaling alone gets us there")],
        ),
        (
            "It's a fifty-fifty chance that AGI arrives soon.",
            [("probability", 50.0, 50.0, "fifty-fifty", "AGI arrives soon")],
        ),
        # Fractions of the way in words, in a forecasting frame or about where we stand now.
        ("We're perhaps halfway there.", [("share", 50.0, 50.0, "halfway", "there")]),
        (
            "Scaling gets us maybe two-thirds of the way.",
            [("share", 66.7, 66.7, "two-thirds", "of the way")],
        ),
        (
            "Scaling alone might take us a third of the way to AGI.",
            [("share", 33.3, 33.3, "a third", "of the way to AGI")],
        ),
        # A hedge between the chance word's verb and the number.
        ("I'd put the odds at maybe 20%.", [("probability", 20.0, 20.0, "20%", "")]),
        # (the date is what the probability is about, not a timeline of its own)
        (
            "The chance of AGI by 2035 is perhaps 10%.",
            [("probability", 10.0, 10.0, "10%", "AGI by 2035")],
        ),
        # Not estimates: people, a split, history, a question, dice, a time of year.
        ("One in three Americans uses chatbots.", []),
        ("They agreed on a 50/50 split.", []),
        ("We have already come halfway to AGI.", []),
        ("We're halfway to the station.", []),  # a place, not the way to the goal
        ("Is it a one in three chance?", []),
        ("Rolling dice gives a one in six chance.", []),
        ("The project is halfway through the decade.", []),
    ],
)
def test_odds_and_fractions_in_words(line, expected):
    from lib.estimates import estimates_in_text

    rows = estimates_in_text(line, reference_year=2025)
    assert [(r["kind"], r["low"], r["high"], r["quote"], r["about"]) for r in rows] == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By mid-century, AGI is likely.", [(2050, 2050, "By mid-century", "AGI is likely")]),
        (
            "AGI will probably arrive by the end of the century.",
            [(2100, 2100, "by the end of the century", "AGI will probably arrive")],
        ),
        (
            "Before the middle of the century we may see AGI.",
            [(2050, 2050, "Before the middle of the century", "we may see AGI")],
        ),
        (
            "By 2030, AGI will probably be here.",
            [(2030, 2030, "By 2030", "AGI will probably be here")],
        ),
        ("The 19th century saw steam engines by mid-century.", []),  # no forecasting cue
        # A year given as the estimate itself.
        (
            "My median estimate for AGI is 2035.",
            [(2035, 2035, "2035", "My median estimate for AGI is")],
        ),
        ("My best guess: 2040, give or take.", [(2040, 2040, "2040", "My best guess")]),
        ("I'd bet on 2032 for AGI.", [(2032, 2032, "2032", "I'd bet on")]),
        ("The estimate of 2019 was wrong.", []),  # history
        ("My best guess is around 2040.", [(2040, 2040, "around 2040", "My best guess is")]),
    ],
)
def test_century_dates_and_dates_that_open_a_clause(line, expected):
    from lib.estimates import estimates_in_text

    rows = estimates_in_text(line, reference_year=2025)
    assert [(r["year_low"], r["year_high"], r["quote"], r["about"]) for r in rows] == expected


def test_a_long_sentence_is_read_and_shown_around_its_estimate():
    # A sentence of thousands of characters (a pasted table, a run-on list) is read at most
    # AROUND characters either side of each estimate, and shown cut there with an ellipsis.
    filler = "and models improve on many tasks " * 40  # 1,320 characters without a stop
    text = f"AGI is far off {filler}but I expect AGI by 2040 {filler}in the end."
    rows = estimates_in_text(text, reference_year=REF)
    assert [r["quote"] for r in rows] == ["by 2040"]
    row = rows[0]
    assert text[row["start"] : row["end"]] == "by 2040"
    assert row["sentence"].startswith("…") and row["sentence"].endswith("…")
    assert "I expect AGI by 2040" in row["sentence"]
    assert len(row["sentence"]) <= 2 * AROUND + 2


@pytest.mark.parametrize(
    "text", ["I'd give it better than even odds.", "Scaling has less than an even chance of it."]
)
def test_a_compared_probability_phrase_is_not_read(text):
    # "less than even odds" was read as "even odds", 45-55: the opposite side of it.
    assert estimates_in_text(text, reference_year=REF) == []


@pytest.mark.parametrize(
    ("text", "quote", "calendar"),
    [
        # The answer's own headline forecast: it was missed (no forecast cue, or a bare year).
        ("My median for AGI is 2037.", "2037", (2037, 2037)),
        ("My median: 2040.", "2040", (2040, 2040)),
        ("My prediction: AGI by 2028 or 2029.", "by 2028 or 2029", (2028, 2029)),
        ("Prediction: AGI by 2032.", "by 2032", (2032, 2032)),
        ("My best guess: mid-2030s.", "mid-2030s", (2034, 2036)),
        ("My median estimate for AGI is the late 2030s.", "the late 2030s", (2037, 2039)),
    ],
)
def test_the_answers_own_median_or_prediction(text, quote, calendar):
    rows = estimates_in_text("AGI is the question.\n\n" + text, reference_year=REF)
    assert [(r["quote"], (r["year_low"], r["year_high"]), r["attributed_to"]) for r in rows] == [
        (quote, calendar, None)
    ]


def test_someone_elses_median_is_not_the_answers():
    # (an older rule read "guess ... is 2031" across the "but" as the answer's own)
    text = "Many experts guess, but the Metaculus median is 2031."
    assert estimates_in_text(text, reference_year=REF) == []


def test_a_brief_answer_of_estimate_labels_is_no_data_summary():
    # More than a fifth of its words are numbers, as in a table of figures: it gave nothing.
    text = (
        "My estimates in brief:\n"
        "- Probability that scaling alone reaches AGI: 15%\n"
        "- Chance of AGI by 2030: 10%; by 2040: 45%\n"
        "- AGI timeline: 2038\n"
        "- Share of the way there today: 40-60%\n"
        "- Confidence: moderate"
    )
    rows = estimates_in_text(text, reference_year=REF)
    assert [(r["kind"], r["quote"], r["about"]) for r in rows] == [
        ("probability", "15%", "scaling alone reaches AGI"),
        ("probability", "10%", "AGI by 2030"),
        ("probability", "45%", "AGI by 2040"),
        ("timeline", "2038", "AGI timeline"),
    ]
    # ... while a summary of figures still is one.
    from lib.estimates import _is_worked_numbers

    figures = (
        "Revenue grew 20% in 2023 to 4.5 billion, then 15% in 2024 to 5.2 billion; margins were "
        "31% and 33%, headcount 1200 and 1350, and 12 new offices opened in 2024 across 9 "
        "countries, 3 regions."
    )
    assert _is_worked_numbers(figures) and not _is_worked_numbers(text)


@pytest.mark.parametrize(
    ("text", "about"),
    [
        # A bare "N% chance" said what it rates nowhere: the chart's hover read "chance".
        ("- 20% chance: AGI by 2028.", "AGI by 2028"),
        ("By 2035, I'd say there's a 30% chance.", "By 2035"),
        ("I expect AGI by 2040 with roughly 75% confidence.", "I expect AGI by 2040"),
        ("I assign AGI by 2035 a probability of about 40%.", "I assign AGI by 2035"),
        ("I'd put the odds at maybe 20%.", ""),
    ],
)
def test_what_a_bare_percentage_rates(text, about):
    rows = [r for r in estimates_in_text(text, reference_year=REF) if r["kind"] == "probability"]
    assert [r["about"] for r in rows] == [about]


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        # (a ninth review's) a date set against the answer's median is not its own forecast ...
        ("Altman's AGI by 2027 is well ahead of my median.", []),
        ("AGI by 2028 is far earlier than my median.", []),
        # ... nor another event's date after "my prediction", nor a guess's decade for something else
        ("My prediction is that by 2030 we'll see plateauing benchmarks.", []),
        ("Prediction: by 2028 scaling will stall.", []),
        ("My guess: the 2020s will end without AGI.", []),
        ("My best guess is the early 2030s for compute parity, not AGI.", []),
        ("Less than a 50/50 chance that scaling suffices.", []),
        # ... while the median itself, before or after its date, is read
        ("AGI by 2035 — that's my median, though there's a long tail.", [("by 2035", None)]),
        ("AGI by 2030 is possible, but my median is 2040.", [("2040", None)]),
        ("My median for AGI is 2030-2040.", [("2030-2040", None)]),
        ("The median respondent in the survey put AGI at 2047, and my median is 2040.", [("2040", None)]),
        ("Prediction markets put AGI around 2033.", [("around 2033", "prediction markets")]),
    ],
)  # fmt: skip
def test_medians_and_predictions_the_ninth_review_found(text, rows):
    found = estimates_in_text("AGI is the question.\n\n" + text, reference_year=REF)
    assert [(r["quote"], r["attributed_to"]) for r in found] == rows
