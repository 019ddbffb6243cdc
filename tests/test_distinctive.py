"""Distinctive words: weighted log-odds with an informative Dirichlet prior."""

import math
from collections import Counter

import pytest

from lib.distinctive import COLUMNS, distinctive_words, log_odds_z


def reference_z(group: Counter, rest: Counter, prior: float) -> dict[str, float]:
    """Monroe, Colaresi & Quinn (2008), eq. 16-22, written out word by word."""
    words = set(group) | set(rest)
    alpha = {w: prior * (group[w] + rest[w]) for w in words}
    a0 = sum(alpha.values())
    n_i, n_j = sum(group.values()), sum(rest.values())
    out = {}
    for w in words:
        yi, yj, a = group[w], rest[w], alpha[w]
        delta = math.log((yi + a) / (n_i + a0 - yi - a)) - math.log((yj + a) / (n_j + a0 - yj - a))
        out[w] = delta / math.sqrt(1 / (yi + a) + 1 / (yj + a))
    return out


def test_one_word_by_hand():
    # Group: apple x2, banana x1. Rest: banana x1, cherry x1. prior 0.01:
    # a_apple = 0.02, a0 = 0.05; delta = ln(2.02/1.03) - ln(0.02/2.03) = 5.29360;
    # var = 1/2.02 + 1/0.02 = 50.49505; z = 5.29360 / 7.10599 = 0.74495.
    z = log_odds_z([2, 1, 0], [0, 1, 1], prior=0.01)
    assert z[0] == pytest.approx(0.74495, abs=1e-5)
    assert z[2] < 0  # cherry is the rest's word


def test_matches_the_reference_on_a_tiny_corpus(make_corpus):
    texts = [
        "robots robots bodies sensors memory",
        "robots bodies grounding",
        "memory memory recall storage robots",
        "memory storage planning",
        "planning search search tools",
    ]
    corpus = make_corpus(texts, models=["a", "a", "b", "b", "c"])
    frame = distinctive_words(corpus, top=20, prior=0.05)
    assert list(frame.columns) == COLUMNS
    counts = {g: Counter() for g in "abc"}
    for text, g in zip(texts, ["a", "a", "b", "b", "c"], strict=True):
        counts[g].update(text.split())
    for g in "abc":
        rest = sum((counts[o] for o in "abc" if o != g), Counter())
        expected = reference_z(counts[g], rest, prior=0.05)
        ranked = sorted(
            (w for w in expected if expected[w] > 0), key=lambda w: (-round(expected[w], 9), w)
        )
        got = frame[frame["group"] == g]
        assert got["term"].tolist() == ranked
        assert got["rank"].tolist() == list(range(1, len(ranked) + 1))
        for term, z, count in zip(got["term"], got["log_odds_z"], got["count"], strict=True):
            assert z == pytest.approx(expected[term], abs=1e-6)
            assert count == counts[g][term]
    assert frame[frame["group"] == "a"]["term"].iloc[0] == "robots"
    assert frame[frame["group"] == "c"]["term"].iloc[0] == "search"


def test_top_limits_rows_and_one_group_has_nothing_to_contrast(make_corpus):
    corpus = make_corpus(["robots bodies sensors", "memory recall storage"], models=["a", "b"])
    assert distinctive_words(corpus, top=1)["rank"].tolist() == [1, 1]
    single = make_corpus(["robots bodies", "memory"], models=["a", "a"])
    assert distinctive_words(single).empty
    assert list(distinctive_words(make_corpus([])).columns) == COLUMNS


def test_by_any_response_attribute(make_corpus):
    corpus = make_corpus(["robots bodies", "memory recall"])
    frame = distinctive_words(corpus, by="index")
    assert set(frame["group"]) == {"1", "2"}


def test_seed_models_have_their_own_words(seed_labelled):
    frame = distinctive_words(seed_labelled, top=15)
    assert frame["group"].unique().tolist() == ["claude", "gemini", "gpt", "grok"]
    assert frame.groupby("group")["rank"].max().tolist() == [15, 15, 15, 15]
    top = {g: set(f["term"]) for g, f in frame.groupby("group")}
    assert {"memory", "safety", "verification"} <= top["gpt"]
    assert {"like"} <= top["grok"]
    assert (frame["log_odds_z"] > 0).all()
    assert frame.groupby("group")["log_odds_z"].apply(lambda s: s.is_monotonic_decreasing).all()


def test_a_groups_own_name_is_not_among_its_words(make_corpus):
    # Answers labelled "Claude: ..." carry the name; another model's name is a word like any.
    texts = [
        "Claude: memory and planning matter.",
        "GPT-4o: data limits matter, unlike what Gemini says.",
        "Claude: memory and planning again.",
        "GPT-4o: data limits and compute costs, as Gemini shows.",
    ]
    corpus = make_corpus(texts, models=["Claude", "GPT-4o", "Claude", "GPT-4o"])
    words = {g: list(f["term"]) for g, f in distinctive_words(corpus, top=10).groupby("group")}
    assert "claude" not in words["Claude"] and {"memory", "planning"} <= set(words["Claude"])
    assert "gpt-4o" not in words["GPT-4o"] and "gemini" in words["GPT-4o"]
