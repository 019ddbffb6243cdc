"""Topics over passages: hand-made corpora with known themes, and the seed as a golden case."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lib.topics import (
    GROUP_TOPIC_COLUMNS,
    PASSAGE_TOPIC_COLUMNS,
    RESPONSE_TOPIC_COLUMNS,
    TABLE_COLUMNS,
    TOPIC_COLUMNS,
    TopicModel,
    topics_table,
)

GOLDEN = Path(__file__).parent / "golden"

BODY = ["- robots need bodies and sensors", "- bodies give robots sensors"]
MEMORY = ["- memory needs recall and storage", "- storage helps memory recall"]


@pytest.fixture
def two_theme_corpus(make_corpus):
    # Every answer mentions "scaling" (the prompt's word) and "agi" (in every answer).
    texts = [
        "\n".join(["Scaling helps agi", *BODY]),
        "\n".join(["Scaling helps agi", *MEMORY]),
        "\n".join(["Scaling and agi", *BODY, *MEMORY]),
        "\n".join(["Scaling for agi", *MEMORY]),
    ]
    return make_corpus(texts, prompt="Will scaling work?", models=["x", "x", "y", "y"])


def test_two_clear_themes_give_two_topics_with_their_words(two_theme_corpus):
    model = TopicModel(n_topics=2).fit(two_theme_corpus)
    assert model.n_topics_ == 2
    terms = [set(t) for t in model.topics_["top_terms"]]
    assert {"robots", "bodies", "sensors"} in [t & {"robots", "bodies", "sensors"} for t in terms]
    assert {"memory", "recall", "storage"} in [t & {"memory", "recall", "storage"} for t in terms]
    all_terms = set().union(*terms)
    # The prompt's word and a word in every answer define no topic; nor do filler words.
    assert not all_terms & {"scaling", "agi", "need", "needs"}
    assert "scaling" not in model.terms_ and "agi" not in model.terms_


def test_labels_write_their_words_as_the_answers_do(make_corpus):
    """Terms are counted in lower case; a label writes each as the answers do inside a
    sentence ("Amazon", "NASA"), and a word that only opens sentences stays in lower case."""
    river = ["- we sailed the Amazon from Belem", "- on the Amazon near Belem boats sailed"]
    space = ["- rockets from NASA reach orbit", "- Orbit of NASA rockets"]  # opens a line
    texts = [
        "\n".join(["Trip notes", *river]),
        "\n".join(["Trip notes", *space]),
        "\n".join(["More notes", *river, *space]),
        "\n".join(["Last notes", *space]),
    ]
    model = TopicModel(n_topics=2).fit(make_corpus(texts))
    assert list(model.topics_["label"]) == ["NASA, orbit, rockets", "Amazon, Belem, sailed"]
    assert model.topics_["top_terms"][0][:3] == ["nasa", "orbit", "rockets"]  # counted terms
    assert model.term_weights(1) and all(t == t.lower() for t in model.term_weights(1))


def test_shares_follow_the_passages(two_theme_corpus):
    model = TopicModel(n_topics=2).fit(two_theme_corpus)
    body_topic = next(
        tid
        for tid, terms in zip(model.topics_["topic_id"], model.topics_["top_terms"], strict=True)
        if "robots" in terms[:3]
    )
    shares = model.response_topics_.pivot(
        index="response_index", columns="topic_id", values="share"
    )
    assert shares.loc[1, body_topic] > 0.9  # answer 1 is all about bodies
    assert shares.loc[2, body_topic] < 0.1  # answer 2 is all about memory
    assert 0.3 < shares.loc[3, body_topic] < 0.7  # answer 3 has both
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-6)
    # The bullet passages carry one topic each.
    passages = model.passage_topics_
    assert list(passages.columns) == PASSAGE_TOPIC_COLUMNS
    first = passages[passages["response_id"] == two_theme_corpus.responses[0].response_id]
    assert set(first["topic_id"]) == {body_topic}
    groups = model.group_topics_
    assert list(groups.columns) == GROUP_TOPIC_COLUMNS
    assert groups["group"].tolist()[:2] == ["x", "x"]
    x_body = groups[(groups["group"] == "x") & (groups["topic_id"] == body_topic)]["share"]
    assert x_body.iloc[0] == pytest.approx(shares.loc[[1, 2], body_topic].mean(), abs=1e-6)


def test_stability_picks_the_number_of_clear_themes(two_theme_corpus):
    model = TopicModel(min_topics=2, max_topics=4).fit(two_theme_corpus)
    assert set(model.stability_) <= {2, 3, 4} and 2 in model.stability_
    assert model.n_topics_ == 2
    assert all(0 <= s <= 1 + 1e-9 for s in model.stability_.values())


def test_labels_rename_and_term_weights(two_theme_corpus):
    model = TopicModel(n_topics=2).fit(two_theme_corpus)
    first_terms = model.topics_["top_terms"].iloc[0]
    assert model.topics_["label"].iloc[0] == ", ".join(first_terms[:3])
    weights = model.term_weights(1)
    assert list(weights)[:3] == first_terms[:3]
    assert all(w > 0 for w in weights.values())
    assert model.term_weights(99) == {}
    model.rename({1: "  Bodies ", 2: "   "})
    assert model.topics_["label"].iloc[0] == "Bodies"
    assert model.topics_["label"].iloc[1] == ", ".join(model.topics_["top_terms"].iloc[1][:3])
    assert model.topics_["weight"].sum() == pytest.approx(1.0, abs=1e-5)


def test_topics_table_is_long_with_labels(two_theme_corpus):
    table = topics_table(two_theme_corpus, n_topics=2)
    assert list(table.columns) == TABLE_COLUMNS
    assert len(table) == 4 * 2
    assert table["response_index"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4]


@pytest.mark.parametrize("texts", [[], ["the and of"], ["One short answer about robots."]])
def test_degenerate_corpora_give_empty_or_tiny_frames(make_corpus, texts):
    model = TopicModel().fit(make_corpus(texts))
    for frame, columns in [
        (model.topics_, TOPIC_COLUMNS),
        (model.passage_topics_, PASSAGE_TOPIC_COLUMNS),
        (model.response_topics_, RESPONSE_TOPIC_COLUMNS),
        (model.group_topics_, GROUP_TOPIC_COLUMNS),
    ]:
        assert list(frame.columns) == columns
    assert model.n_topics_ == len(model.topics_)
    assert model.n_topics_ <= 1


def test_seed_topics_are_the_same_every_run(seed_labelled):
    first = TopicModel().fit(seed_labelled)
    second = TopicModel().fit(seed_labelled)
    pd.testing.assert_frame_equal(first.topics_, second.topics_)
    pd.testing.assert_frame_equal(first.response_topics_, second.response_topics_)
    pd.testing.assert_frame_equal(first.passage_topics_, second.passage_topics_)
    assert first.stability_ == second.stability_


def test_seed_topics_are_meaningful_and_match_golden(seed_labelled):
    model = TopicModel().fit(seed_labelled)
    assert 3 <= model.n_topics_ <= 10
    assert sorted(model.stability_) == list(range(3, 11))
    terms = model.topics_["top_terms"].tolist()
    # One topic is about embodiment and grounding, one about memory and continual learning.
    assert any({"grounding", "embodiment", "physical"} <= set(t) for t in terms)
    assert any({"memory", "forgetting", "continual"} <= set(t) for t in terms)
    # Words of the prompt and words in nearly every answer define no topic.
    assert not {"scaling", "agi", "llms", "models", "language"} & set().union(*map(set, terms))
    golden = pd.read_csv(GOLDEN / "topics_seed.csv")
    assert model.topics_["label"].tolist() == golden["label"].tolist()
    assert ["; ".join(t) for t in terms] == golden["top_terms"].tolist()
    np.testing.assert_allclose(model.topics_["weight"], golden["weight"], atol=1e-5)
    shares = model.response_topics_.groupby("response_index")["share"].sum()
    np.testing.assert_allclose(shares, 1.0, atol=1e-5)
    assert set(model.group_topics_["group"]) == {"claude", "gemini", "gpt", "grok"}


def test_seed_n_topics_can_be_overridden(seed_labelled):
    model = TopicModel(n_topics=6).fit(seed_labelled)
    assert model.n_topics_ == 6 and model.stability_ == {}
    assert model.topics_["topic_id"].tolist() == [1, 2, 3, 4, 5, 6]
    # Topic 1 is the heaviest.
    assert model.topics_["weight"].is_monotonic_decreasing


def test_large_corpus_path_samples_passages_and_stays_deterministic(two_theme_corpus, monkeypatch):
    import lib.topics as topics

    # Force the paths used for large corpora: k chosen on a sample, topics fitted on a sample
    # and every passage's weights solved against them.
    monkeypatch.setattr(topics, "STABILITY_SAMPLE", 8)
    monkeypatch.setattr(topics, "FIT_SAMPLE", 8)
    first = TopicModel(min_topics=2, max_topics=3).fit(two_theme_corpus)
    second = TopicModel(min_topics=2, max_topics=3).fit(two_theme_corpus)
    pd.testing.assert_frame_equal(first.response_topics_, second.response_topics_)
    # Every bullet gets a topic; the headings hold only corpus-wide words and get none.
    assert len(first.passage_topics_) == 10
    assert (first.passage_topics_["order"] > 1).all()
    shares = first.response_topics_.groupby("response_index")["share"].sum()
    np.testing.assert_allclose(shares, 1.0, atol=1e-6)


def _unsorted_tfidf(seed: int, shape=(60, 40)):
    """A TF-IDF-like sparse matrix whose rows store their terms out of order."""
    from scipy import sparse

    rng = np.random.default_rng(seed)
    dense = rng.random(shape, dtype=np.float32) * (rng.random(shape) < 0.15)
    matrix = sparse.csr_matrix(dense)
    for i in range(matrix.shape[0]):  # reverse each row's stored terms
        a, b = matrix.indptr[i], matrix.indptr[i + 1]
        matrix.indices[a:b] = matrix.indices[a:b][::-1].copy()
        matrix.data[a:b] = matrix.data[a:b][::-1].copy()
    matrix.has_sorted_indices = False
    return matrix


@pytest.mark.parametrize("seed", [0, 1])
def test_nmf_steps_give_scikit_learns_floats_exactly(seed, monkeypatch):
    import warnings

    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    import lib.topics as topics

    def reference(matrix, k, components=None, **fit):
        model = NMF(k, **fit)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if components is None:
                return model.fit_transform(matrix), model.components_
            model.fit(matrix)
            model.components_ = components
            return model.transform(matrix), components

    short = {"init": "random", "random_state": seed, "max_iter": 50, "tol": 1e-3}
    final = {"init": "nndsvda", "random_state": seed, "max_iter": 400, "tol": 1e-4}
    for fit in (short, final):
        for k in (2, 5):
            ours = topics._nmf(_unsorted_tfidf(seed), k, **fit)
            theirs = reference(_unsorted_tfidf(seed), k, **fit)
            assert all(np.array_equal(a, b) for a, b in zip(ours, theirs, strict=True))
    # Weights solved against given topics (the large-corpus path).
    components = reference(_unsorted_tfidf(seed), 3, **final)[1]
    ours = topics._nmf(_unsorted_tfidf(seed + 5), 3, **final, components=components)[0]
    theirs = reference(_unsorted_tfidf(seed + 5), 3, components=components, **final)[0]
    assert np.array_equal(ours, theirs)
    # Without scikit-learn's private steps, its public function gives the same.
    monkeypatch.setattr(topics, "_update_cdnmf_fast", None)
    for fit in (short, final):
        fallback = topics._nmf(_unsorted_tfidf(seed), 4, **fit)
        theirs = reference(_unsorted_tfidf(seed), 4, **fit)
        assert all(np.array_equal(a, b) for a, b in zip(fallback, theirs, strict=True))
    fallback = topics._nmf(_unsorted_tfidf(seed + 5), 3, **final, components=components)[0]
    assert np.array_equal(fallback, ours)
