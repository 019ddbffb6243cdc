"""Similarity, the answer map, near-duplicates and group consistency."""

import numpy as np
import pandas as pd
import pytest

import lib.similarity as similarity
from lib.similarity import (
    CONSISTENCY_COLUMNS,
    DUPLICATE_COLUMNS,
    MAP_COLUMNS,
    answer_map,
    group_consistency,
    near_duplicates,
    similarity_matrix,
    term_counts,
)

GOLDEN = __import__("pathlib").Path(__file__).parent / "golden"


def test_identical_answers_have_similarity_one_and_disjoint_ones_zero(make_corpus):
    corpus = make_corpus(["cat sat mat", "cat sat mat", "dog ran park"])
    matrix = similarity_matrix(corpus)
    assert list(matrix.index) == [1, 2, 3] and list(matrix.columns) == [1, 2, 3]
    np.testing.assert_allclose(matrix.to_numpy(), [[1, 1, 0], [1, 1, 0], [0, 0, 1]], atol=1e-6)


def test_similarity_is_tfidf_cosine_computed_by_hand(make_corpus):
    # Two words, one shared. idf (smooth): shared word ln(3/3)+1 = 1, "dog" ln(3/2)+1.
    corpus = make_corpus(["cat cat", "cat dog"])
    idf_dog = np.log(3 / 2) + 1
    # sublinear tf: "cat cat" -> 1 + ln 2, normalised to the unit vector (1, 0).
    expected = 1 / np.sqrt(1 + idf_dog**2)
    assert similarity_matrix(corpus).loc[1, 2] == pytest.approx(expected, abs=1e-6)


def test_an_answer_of_only_stop_words_is_not_similar_even_to_itself(make_corpus):
    corpus = make_corpus(["the and of", "robots learn"])
    matrix = similarity_matrix(corpus)
    assert matrix.loc[1, 1] == 0.0 and matrix.loc[2, 2] == 1.0


def test_answer_counts_are_the_sums_of_passage_counts(make_corpus):
    corpus = make_corpus(["Memory matters\n- memory and robots\nRobots need bodies.", "bodies"])
    counts = term_counts(corpus)
    terms = list(counts.terms)
    assert terms == ["bodies", "matters", "memory", "need", "robots"]
    assert counts.response_counts.toarray().tolist() == [[1, 1, 2, 1, 2], [1, 0, 0, 0, 0]]
    assert counts.passage_order.tolist() == [1, 2, 3, 1]
    assert counts.passage_response.tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_corpora_give_well_formed_frames(make_corpus, n):
    corpus = make_corpus(["robots learn from bodies", "memory helps agents"][:n])
    matrix = similarity_matrix(corpus)
    assert matrix.shape == (n, n)
    assert list(near_duplicates(corpus).columns) == DUPLICATE_COLUMNS
    assert len(near_duplicates(corpus)) == 0
    consistency = group_consistency(corpus)
    assert list(consistency.columns) == CONSISTENCY_COLUMNS
    assert len(consistency) == (1 if n else 0)
    mapped = answer_map(corpus)
    assert list(mapped.columns) == MAP_COLUMNS and len(mapped) == n
    assert mapped["cluster"].tolist() == [1] * n


def test_near_duplicates_lists_each_pair_once_most_similar_first(make_corpus):
    corpus = make_corpus(
        ["robots learn bodies", "robots learn bodies", "memory agents plan", "robots learn"]
    )
    pairs = near_duplicates(corpus, threshold=0.7)
    assert pairs[["a_index", "b_index"]].values.tolist() == [[1, 2], [1, 4], [2, 4]]
    assert pairs["similarity"].iloc[0] == 1.0
    assert pairs["a_id"].iloc[0] == corpus.responses[0].response_id
    assert (pairs["similarity"] >= 0.7).all()
    assert len(near_duplicates(corpus, threshold=0.99)) == 1
    assert near_duplicates(corpus, threshold=0.7, max_pairs=1)[
        ["a_index", "b_index"]
    ].values.tolist() == [[1, 2]]


def test_group_consistency_by_hand(make_corpus):
    # Each group's answers are identical and share no word with the other group.
    corpus = make_corpus(
        ["robots bodies", "robots bodies", "memory agents", "memory agents", "memory agents"],
        models=["a", "a", "b", "b", "b"],
    )
    frame = group_consistency(corpus)
    assert frame.to_dict("records") == [
        {"group": "a", "within_similarity": 1.0, "between_similarity": 0.0, "n": 2},
        {"group": "b", "within_similarity": 1.0, "between_similarity": 0.0, "n": 3},
    ]


def test_group_consistency_matches_pairwise_means_of_the_matrix(make_corpus):
    texts = ["robots bodies sensors", "robots bodies", "memory agents robots", "memory plans"]
    corpus = make_corpus(texts, models=["a", "a", "b", "b"])
    matrix = similarity_matrix(corpus).to_numpy()
    frame = group_consistency(corpus).set_index("group")
    assert frame.loc["a", "within_similarity"] == pytest.approx(matrix[0, 1], abs=1e-6)
    assert frame.loc["b", "within_similarity"] == pytest.approx(matrix[2, 3], abs=1e-6)
    assert frame.loc["a", "between_similarity"] == pytest.approx(matrix[:2, 2:].mean(), abs=1e-6)


def test_a_single_answer_group_has_no_within_similarity(make_corpus):
    corpus = make_corpus(["robots bodies", "memory agents"], models=["a", None])
    frame = group_consistency(corpus)
    assert frame["group"].tolist() == ["a", "(ungrouped)"]
    assert frame["within_similarity"].isna().all()


def test_answer_map_separates_two_clear_clusters_and_is_deterministic(make_corpus):
    texts = ["robots bodies sensors"] * 3 + ["memory recall storage"] * 3
    corpus = make_corpus([t + f" extra{i}" for i, t in enumerate(texts)])
    first = answer_map(corpus, random_state=0)
    assert first["cluster"].tolist() == [1, 1, 1, 2, 2, 2]
    pd.testing.assert_frame_equal(first, answer_map(corpus, random_state=0))
    assert answer_map(corpus, n_clusters=3)["cluster"].nunique() == 3
    assert answer_map(corpus, n_clusters=1)["cluster"].tolist() == [1] * 6


def test_large_corpus_path_picks_the_clear_number_of_clusters(make_corpus, monkeypatch):
    """Above DENSE_LIMIT, k-means on a sample, each k judged by the silhouette of the
    sample's distances (computed once): three clear groups give three clusters."""
    vocab = ["robots bodies sensors", "memory recall storage", "energy chips power"]
    texts = [f"{vocab[i % 3]} extra{i}" for i in range(12)]
    monkeypatch.setattr(similarity, "DENSE_LIMIT", 2)
    monkeypatch.setattr(similarity, "CLUSTER_SAMPLE", 9)  # a sample of 9 of the 12
    clusters = answer_map(make_corpus(texts), random_state=0)["cluster"].tolist()
    assert clusters == [1, 2, 3] * 4


def test_a_precomputed_distance_silhouette_is_the_cosine_one():
    """The large path scores every k from one cosine-distance matrix of the sample; each k's
    silhouette once computed the distances itself: the same score."""
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(0)
    points = rng.random((60, 5))
    unit = points / np.linalg.norm(points, axis=1, keepdims=True)
    distances = np.clip(1.0 - unit @ unit.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    for k in (2, 3, 5):
        labels = np.arange(60) % k
        assert silhouette_score(distances, labels, metric="precomputed") == pytest.approx(
            silhouette_score(unit, labels, metric="cosine"), abs=1e-9
        )


def test_large_corpus_path_keeps_exact_similarities(make_corpus, monkeypatch):
    texts = ["robots bodies sensors grounding", "robots bodies sensors", "memory recall"] * 3
    corpus = make_corpus([f"{t} word{i % 3}" for i, t in enumerate(texts)])
    dense_pairs = near_duplicates(corpus, threshold=0.6)
    matrix = similarity_matrix(corpus)
    # Force the blockwise LSA path used above DENSE_LIMIT answers.
    monkeypatch.setattr(similarity, "DENSE_LIMIT", 2)
    monkeypatch.setattr(similarity, "BLOCK_ROWS", 4)
    pd.testing.assert_frame_equal(near_duplicates(corpus, threshold=0.6, exact=True), dense_pairs)
    approximate = near_duplicates(corpus, threshold=0.6)
    assert list(approximate.columns) == DUPLICATE_COLUMNS
    # Identical answers are found in LSA space too, with similarity 1.
    assert (approximate["similarity"] >= 0.6).all()
    found = set(approximate[["a_index", "b_index"]].itertuples(index=False, name=None))
    assert {(1, 4), (1, 7), (4, 7)} <= found
    sparse_matrix = similarity_matrix(corpus, top_k=3)
    assert sparse_matrix.shape == (9, 9)
    assert (sparse_matrix.sparse.to_dense().to_numpy() > 0).sum(axis=1).max() <= 3
    np.testing.assert_allclose(np.diag(sparse_matrix.sparse.to_dense().to_numpy()), 1, atol=1e-5)
    mapped = answer_map(corpus)
    assert len(mapped) == 9 and mapped["cluster"].min() == 1
    assert matrix.shape == (9, 9)


def test_seed_models_are_more_consistent_with_themselves(seed_labelled):
    frame = group_consistency(seed_labelled)
    assert frame["group"].tolist() == ["claude", "gemini", "gpt", "grok"]
    assert frame["n"].tolist() == [4, 4, 4, 4]
    assert (frame["within_similarity"] > frame["between_similarity"]).all()


def test_seed_has_no_near_duplicates_and_a_symmetric_matrix(seed_labelled):
    assert near_duplicates(seed_labelled, threshold=0.9).empty
    matrix = similarity_matrix(seed_labelled).to_numpy()
    np.testing.assert_allclose(matrix, matrix.T, atol=1e-9)
    np.testing.assert_allclose(np.diag(matrix), 1.0)


def test_seed_answer_map_matches_golden(seed_labelled):
    mapped = answer_map(seed_labelled)
    golden = pd.read_csv(GOLDEN / "answer_map_seed.csv")
    assert mapped["response_index"].tolist() == golden["response_index"].tolist()
    assert mapped["cluster"].tolist() == golden["cluster"].tolist()
    np.testing.assert_allclose(mapped[["x", "y"]], golden[["x", "y"]], atol=1e-5)
    # The clusters follow the models: each model's answers share one cluster but Claude's first.
    assert mapped["cluster"].tolist() == [1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]


def test_answers_with_the_same_words_sit_at_the_origin_without_warnings():
    import warnings

    from lib.corpus import corpus_from_texts

    # "a", "b" and "c" are too short to count: the three answers have the same words.
    corpus = corpus_from_texts(["Answer from a.", "Answer from b.", "Answer from c."], prompt="P?")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        amap = answer_map(corpus)
    assert amap[["x", "y"]].to_numpy().tolist() == [[0.0, 0.0]] * 3
    assert amap["cluster"].tolist() == [1, 1, 1]
