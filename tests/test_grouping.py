"""Style grouping: the seed as a golden case, small hand-made corpora with exact labels."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import grouping
from lib.corpus import Corpus, corpus_from_texts
from lib.grouping import UNLABELLED, StyleGrouper, group_by_style

SEED_BLOCKS = [set(range(0, 4)), set(range(4, 8)), set(range(8, 12)), set(range(12, 16))]

TERSE = [
    "- Use a cache\n- Keep keys short\n- Expire old entries",
    "- Profile first\n- Fix the hot loop\n- Measure again",
    "- Pin versions\n- Lock the file\n- Rebuild weekly",
]
PROSE = [
    "Great question! Caching is one of those topics that rewards careful thought, because the "
    "right answer depends on how your data changes over time and how often it is read. In most "
    "systems a small cache in front of the database removes the bulk of the load, and the hard "
    "part is deciding when an entry has gone stale. I would start with a short expiry and "
    "lengthen it as you learn more about your traffic.",
    "Great question! Performance work goes best when you resist the urge to guess, because "
    "intuition about where time goes is usually wrong. Start by profiling a realistic workload, "
    "then look at the few functions that dominate the profile, and only then change code. After "
    "each change, measure again so you know the change helped and did not just move the cost "
    "somewhere else.",
    "Great question! Dependency management is easy to neglect until something breaks in "
    "production on a Friday evening. Pinning versions gives you repeatable builds, and a lock "
    "file records the exact set that was tested. Rebuilding on a schedule then lets you pick up "
    "security fixes deliberately, instead of discovering upgrades by accident when a fresh "
    "install pulls something new.",
]
# Interleaved so that order of appearance, not input blocks, decides the keys.
TWO_STYLES = [TERSE[0], PROSE[0], TERSE[1], TERSE[2], PROSE[1], PROSE[2]]


def partition(labels: list[str]) -> set[frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for i, g in enumerate(labels):
        groups.setdefault(g, set()).add(i)
    return {frozenset(s) for s in groups.values()}


@pytest.fixture(scope="module")
def seed_grouper(seed_corpus) -> StyleGrouper:
    return StyleGrouper().fit(seed_corpus)


# --- the seed (golden) ----------------------------------------------------------------------
def test_seed_gives_the_four_models_blocks(seed_grouper):
    assert seed_grouper.n_groups_ == 4
    assert seed_grouper.labels_ == ["A"] * 4 + ["B"] * 4 + ["C"] * 4 + ["D"] * 4
    assert max(seed_grouper.scores_, key=seed_grouper.scores_.get) == 4
    assert sorted(seed_grouper.scores_) == [2, 3, 4, 5, 6, 7, 8]


def test_seed_names_describe_each_group(seed_grouper):
    assert seed_grouper.names_ == {
        "A": "Opens “I think” · ~210 words · bullets + prose with headings · ends with a question",
        "B": "Opens “Excellent question.” (2/4) · ~1200 words · bullets + prose with headings",
        "C": "Opens “Short answer:” · ~610 words · mostly bullets",
        "D": "Opens with a title “Scaling Large…” · ~960 words · mostly bullets · ends with a question",
    }


def test_seed_evidence_quotes_answer_16_but_never_names_the_group(seed_grouper):
    evidence = seed_grouper.evidence_
    assert evidence["A"] == evidence["B"] == evidence["C"] == ""
    assert evidence["D"].startswith("Self-identification in 1 of 4 answers: answer 16: ")
    assert "As an AI built by xAI" in evidence["D"]
    assert seed_grouper.labels_[15] == "D"
    for name in seed_grouper.names_.values():
        assert "xAI" not in name and "Grok" not in name


@pytest.mark.parametrize("shuffle_seed", [1, 2, 3, 4])
def test_seed_grouping_does_not_depend_on_answer_order(seed_corpus, shuffle_seed):
    order = list(range(16))
    random.Random(shuffle_seed).shuffle(order)
    shuffled = corpus_from_texts([seed_corpus.texts[i] for i in order], prompt=seed_corpus.prompt)
    labels = StyleGrouper().fit(shuffled).labels_
    # Map back to the seed's positions and compare partitions.
    back = [""] * 16
    for pos, i in enumerate(order):
        back[i] = labels[pos]
    assert partition(back) == {frozenset(b) for b in SEED_BLOCKS}
    assert labels[0] == "A"  # keys follow the order of first appearance


def test_shuffled_input_gives_identical_scores(seed_corpus):
    # Fitting in a canonical order makes even the floating-point scores repeat exactly.
    texts = seed_corpus.texts
    reference = StyleGrouper().fit(corpus_from_texts(texts))
    for shuffle_seed in (1, 2):
        order = list(range(16))
        random.Random(shuffle_seed).shuffle(order)
        g = StyleGrouper().fit(corpus_from_texts([texts[i] for i in order]))
        assert g.scores_ == reference.scores_
        assert g.separations_ == reference.separations_
        assert set(g.names_.values()) == set(reference.names_.values())


def test_seed_features_frame(seed_grouper, seed_corpus):
    f = seed_grouper.features_
    assert list(f["response_id"]) == [r.response_id for r in seed_corpus.responses]
    assert list(f["index"]) == list(range(1, 17))
    assert f.loc[0, "words"] == 214  # 223 tokens less 9 bullet markers
    assert f.loc[8, "opener"] == "Short answer: Scaling"
    assert f.loc[0, "closer"] == "What's your"
    assert f.loc[0, "ends_question"] == 1.0 and f.loc[8, "ends_question"] == 0.0
    assert f.loc[12, "title_first"] == 1.0 and f.loc[0, "title_first"] == 0.0
    assert f.loc[15, "self_id"].startswith("As an AI built by xAI")
    assert (f.loc[:14, "self_id"] == "").all()


def test_seed_override_merges_whole_blocks(seed_corpus):
    for k in (2, 3, 5):
        g = StyleGrouper(n_groups=k).fit(seed_corpus)
        assert g.n_groups_ == k
        groups = partition(g.labels_)
        if k < 4:  # fewer groups: each model's block stays whole
            assert all(any(b <= grp for grp in groups) for b in SEED_BLOCKS)
        else:  # more groups: no group mixes two models
            assert all(any(grp <= b for b in SEED_BLOCKS) for grp in groups)


def test_fit_is_deterministic(seed_corpus):
    a = StyleGrouper(random_state=7).fit(seed_corpus)
    b = StyleGrouper(random_state=7).fit(seed_corpus)
    assert a.labels_ == b.labels_ and a.scores_ == b.scores_ and a.names_ == b.names_


# --- small hand-made corpora ----------------------------------------------------------------
def test_two_obvious_styles_give_two_groups():
    g = StyleGrouper().fit(corpus_from_texts(TWO_STYLES))
    assert g.labels_ == ["A", "B", "A", "A", "B", "B"]
    assert g.n_groups_ == 2
    assert g.names_ == {
        "A": "Opens with a list · ~8 words · mostly bullets",
        "B": "Opens “Great question!” · ~63 words · prose",
    }
    assert g.evidence_ == {"A": "", "B": ""}


def test_two_styles_with_more_groups_requested():
    g = StyleGrouper(n_groups=3).fit(corpus_from_texts(TWO_STYLES))
    assert g.n_groups_ == 3
    # The prose answers stay together; the terse lists are split.
    assert frozenset({1, 4, 5}) in partition(g.labels_)
    assert len(set(g.names_.values())) == 3


def test_one_response_is_one_group():
    g = StyleGrouper().fit(corpus_from_texts(["Only one answer here."]))
    assert g.labels_ == ["A"] and g.n_groups_ == 1 and g.scores_ == {}
    assert g.names_ == {"A": "Opens “Only one” · ~4 words · prose"}


def test_two_responses_stay_together_unless_asked():
    texts = ["First answer, short.", "- A list item\n- Another item\n- A third one"]
    assert StyleGrouper().fit(corpus_from_texts(texts)).labels_ == ["A", "A"]
    assert StyleGrouper(n_groups=2).fit(corpus_from_texts(texts)).labels_ == ["A", "B"]


def test_identical_texts_are_one_group_even_if_more_are_asked_for():
    corpus = corpus_from_texts(["Same text, same style."] * 3)
    assert StyleGrouper().fit(corpus).labels_ == ["A", "A", "A"]
    assert StyleGrouper(n_groups=3).fit(corpus).labels_ == ["A", "A", "A"]


def test_near_identical_copies_stay_one_group(seed_corpus):
    # Six copies of one seed answer, each missing a different word: no real style difference.
    words = seed_corpus.texts[8].split(" ")
    copies = [" ".join(words[:i] + words[i + 1 :]) for i in (5, 40, 90, 150, 220, 300)]
    g = StyleGrouper().fit(corpus_from_texts(copies))
    assert g.labels_ == ["A"] * 6
    # Silhouette alone would split them; the absolute separation is what says no.
    assert max(g.scores_.values()) > 0.12
    assert max(g.separations_.values()) < 0.6
    assert StyleGrouper(n_groups=2).fit(corpus_from_texts(copies)).n_groups_ == 2


@pytest.mark.parametrize(
    ("picks", "expected"),
    [
        (list(range(8)), ["A"] * 4 + ["B"] * 4),  # two models
        (list(range(0, 16, 2)), ["A", "A", "B", "B", "C", "C", "D", "D"]),  # two answers each
    ],
)
def test_seed_subsets(seed_corpus, picks, expected):
    corpus = corpus_from_texts([seed_corpus.texts[i] for i in picks], prompt=seed_corpus.prompt)
    assert StyleGrouper().fit(corpus).labels_ == expected


def _many_two_style_texts(n_each: int) -> tuple[list[str], list[int]]:
    """Terse bullet lists and chatty prose, varied word by word; style index per text."""
    rng = random.Random(5)
    nouns = ["cache", "index", "queue", "schema", "test", "build", "log", "lock", "shard", "API"]
    verbs = ["check", "pin", "trim", "split", "tune", "watch", "batch", "cap", "retry", "drop"]
    texts, styles = [], []
    for _ in range(n_each):
        a, b, c = rng.sample(nouns, 3)
        v, w, x = rng.sample(verbs, 3)
        texts.append(f"- {v.title()} the {a}\n- {w.title()} each {b}\n- {x.title()} old {c}s")
        styles.append(0)
        texts.append(
            f"Great question! When you {v} the {a}, it pays to think about how the {b} behaves "
            f"under load, because the {c} is usually where trouble starts. I would {w} things "
            f"slowly, measure as you go, and only then {x} anything, so you know what helped. "
            f"Happy to dive deeper if you'd like?"
        )
        styles.append(1)
    return texts, styles


@pytest.mark.parametrize("sample", [2000, 150])
def test_large_input_uses_the_reduced_path_and_keeps_the_styles_apart(monkeypatch, sample):
    # 400 responses take the SVD path; with sample=150, k is chosen on a sample, as at 10k.
    monkeypatch.setattr(grouping, "SELECTION_SAMPLE", sample)
    texts, styles = _many_two_style_texts(200)
    order = list(range(len(texts)))
    random.Random(9).shuffle(order)
    truth = {frozenset(i for i, s in enumerate(styles) if s == k) for k in (0, 1)}
    g = StyleGrouper().fit(corpus_from_texts(texts))
    assert g.n_groups_ == 2
    assert partition(g.labels_) == truth
    shuffled = StyleGrouper().fit(corpus_from_texts([texts[i] for i in order])).labels_
    back = [""] * len(texts)
    for pos, i in enumerate(order):
        back[i] = shuffled[pos]
    assert partition(back) == truth


def test_duplicates_land_in_the_same_group():
    texts = [TERSE[0], PROSE[0], TERSE[0], PROSE[1], TERSE[1], PROSE[0]]
    auto = StyleGrouper().fit(corpus_from_texts(texts)).labels_
    assert auto[0] == auto[2] and auto[1] == auto[5]
    labels = StyleGrouper(n_groups=2).fit(corpus_from_texts(texts)).labels_
    assert labels == ["A", "B", "A", "B", "A", "B"]


def test_texts_without_words_do_not_break_the_fit():
    g = StyleGrouper().fit(corpus_from_texts(["!!!", "???", "...", "- -"]))
    assert len(g.labels_) == 4 and g.labels_[0] == "A"


def test_empty_corpus():
    g = StyleGrouper().fit(Corpus(responses=[]))
    assert g.labels_ == [] and g.n_groups_ == 0 and g.names_ == {}


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("As an AI built by xAI, I find this fascinating.", "As an AI built by xAI,"),
        ("I'm Claude, an AI assistant made by Anthropic.", "I'm Claude"),
        (
            "Speaking as a large language model trained by Google, I can't be sure.",
            "trained by Google",
        ),
        ("As Grok, I lean optimistic.", "As Grok,"),
        ("Researchers at OpenAI and Google DeepMind disagree about this.", None),
        ("Models like GPT-4 and Gemini were built by large teams.", None),
        ("I am uncertain, as are the developers of Claude.", None),
    ],
)
def test_self_identification_is_evidence_only(sentence, found):
    texts = [f"Some opening words here.\n{sentence}\nA closing line."]
    g = StyleGrouper().fit(corpus_from_texts(texts))
    group = g.labels_[0]
    if found:
        assert found in g.evidence_[group]
        assert g.evidence_[group].startswith("Self-identification in 1 of 1 answer: answer 1: “")
    else:
        assert g.evidence_[group] == ""
    assert g.features_.loc[0, "self_id"] == (sentence if found else "")


def test_names_are_distinct_when_descriptions_collide():
    a = ["Alpha beta gamma delta.", "Alpha beta gamma epsilon."]
    b = ["Alpha beta zeta theta.", "Alpha beta zeta kappa."]
    g = StyleGrouper(n_groups=2).fit(corpus_from_texts(a + b))
    assert g.labels_ == ["A", "A", "B", "B"]
    # Same opener, length and layout: the group's characteristic word tells them apart.
    assert g.names_ == {
        "A": "Opens “Alpha beta” · ~4 words · prose · “gamma”",
        "B": "Opens “Alpha beta” · ~4 words · prose · “zeta”",
    }


def test_names_fall_back_to_the_key_when_nothing_else_differs():
    texts = ["Same words here."] * 2 + ["Same words here!"] * 2
    g = StyleGrouper(n_groups=2).fit(corpus_from_texts(texts))
    assert g.names_ == {
        "A": "Opens “Same words” · ~3 words · prose · group A",
        "B": "Opens “Same words” · ~3 words · prose · group B",
    }


# --- group_by_style -----------------------------------------------------------------------
def test_group_by_style_sets_groups_names_and_evidence(seed_corpus, seed_grouper):
    grouped = group_by_style(seed_corpus)
    assert [r.group for r in grouped.responses] == seed_grouper.labels_
    assert grouped.group_names == seed_grouper.names_
    assert grouped.group_evidence == seed_grouper.evidence_
    renamed = grouped.rename_groups({"D": "Grok?"})
    assert renamed.responses[15].group == "Grok?"
    assert renamed.group_names["Grok?"] == seed_grouper.names_["D"]


def test_group_by_style_honours_the_override():
    grouped = group_by_style(corpus_from_texts(TWO_STYLES), n_groups=1)
    assert {r.group for r in grouped.responses} == {"A"}


def test_model_labels_win_over_style():
    models = ["gpt", None, "gpt", "claude", None, "claude"]
    corpus = corpus_from_texts(TWO_STYLES, models=models)
    grouped = group_by_style(corpus, n_groups=2)
    assert [r.group for r in grouped.responses] == [
        "gpt",
        UNLABELLED,
        "gpt",
        "claude",
        UNLABELLED,
        "claude",
    ]
    assert set(grouped.group_names) == {"gpt", UNLABELLED, "claude"}
    assert grouped.group_evidence == {"gpt": "", UNLABELLED: "", "claude": ""}


# --- never raises on odd input ----------------------------------------------------------------
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=1, max_size=200).filter(str.strip), min_size=1, max_size=6))
def test_any_texts_get_one_label_each(texts):
    corpus = corpus_from_texts(texts)
    g = StyleGrouper().fit(corpus)
    assert len(g.labels_) == len(corpus)
    assert g.labels_[0] == "A"
    assert set(g.names_) == set(g.labels_) == set(g.evidence_)
    assert len(set(g.names_.values())) == g.n_groups_


@pytest.mark.parametrize("min_df, max_features", [(2, 20000), (1, 20000), (2, 150)])
def test_word_tfidf_is_what_tfidf_vectorizer_gives(seed_corpus, min_df, max_features):
    texts = [*seed_corpus.texts, "", "Short answer: no.", "x"]
    ours = grouping._word_tfidf(texts, min_df=min_df, max_features=max_features)
    theirs = grouping._tfidf(
        [grouping._window(t) for t in texts],
        analyzer=grouping._words_and_pairs,
        min_df=min_df,
        max_features=max_features,
    )
    assert type(ours) is type(theirs) and ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype == "float32"
    for part in ("indptr", "indices", "data"):
        assert (getattr(ours, part) == getattr(theirs, part)).all(), part


def test_word_tfidf_without_words():
    assert grouping._word_tfidf(["", " !"], min_df=1, max_features=10).shape == (2, 1)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1_ é’'.-\n\tİ"), max_size=40))
def test_token_pattern_matches_sklearns_default(text):
    import re

    assert grouping._TOKEN.findall(text) == re.findall(r"\b\w\w+\b", text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["- ", "* ", "+ ", "•", "– ", "— ", "1. ", "Ab", "x.", "#"]), max_size=5
    )
)
def test_bullet_marked_lines_are_never_headings(pieces):
    from lib.corpus import is_heading_line

    line = "".join(pieces).strip()
    if line.startswith(grouping._BULLET_PREFIXES):
        assert not is_heading_line(line)


def test_with_groups_copies_responses_as_replace_would(seed_corpus):
    from dataclasses import replace

    labels = [chr(65 + i % 3) for i in range(len(seed_corpus))]
    grouped = seed_corpus.with_groups(labels)
    assert grouped.responses == [
        replace(r, group=g) for r, g in zip(seed_corpus.responses, labels, strict=True)
    ]
    assert [r.group for r in seed_corpus.responses] != labels  # the original is untouched


def test_self_identification_in_two_of_two_answers_reads_both():
    import pandas as pd

    features = pd.DataFrame(
        {"index": [1, 2], "self_id": ["As an AI model, I can't know.", "I am a language model."]}
    )
    assert grouping.group_evidence(features, ["A", "A"]) == {
        "A": "Self-identification in both answers: answer 1: “As an AI model, I can't know.”; "
        "answer 2: “I am a language model.”"
    }
