"""Shared word counts: the fast counting must equal CountVectorizer over split_passages."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from lib.corpus import corpus_from_texts, split_passages
from lib.text import TOKEN_PATTERN, passage_strings, term_counts

# Lines mixing the characters that change passages: bullets, headings, emphasis, "_", digits.
LINE = st.text(alphabet="ab Z_*#-•–1.):\t\"'İé", max_size=30)
TEXT = st.lists(LINE, max_size=8).map("\n".join)


def words(text):
    return re.findall(TOKEN_PATTERN, text.lower())


def reference_counts(texts):
    """CountVectorizer over the passages of `split_passages`, as the counts are defined."""
    passages = [p["text"] for t in texts for p in split_passages(t)]
    vectorizer = CountVectorizer(stop_words="english", token_pattern=TOKEN_PATTERN)
    try:
        matrix = vectorizer.fit_transform(passages)
    except ValueError:  # an empty vocabulary
        return [], np.zeros((len(passages), 0))
    return list(vectorizer.get_feature_names_out()), matrix.toarray()


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_passage_strings_have_the_words_of_split_passages(text):
    fast = passage_strings(text)
    slow = [p["text"] for p in split_passages(text)]
    assert len(fast) == len(slow)
    assert [words(t) for t in fast] == [words(t) for t in slow]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="ab Z_*#-+•–1.):\t\u00a0\"'İ", max_size=30), max_size=8).map(
        "\n".join
    )
)
def test_passage_strings_are_exactly_the_texts_of_split_passages(text):
    assert passage_strings(text) == [p["text"] for p in split_passages(text)]


def test_passage_strings_by_hand():
    # "1. First" alone reads as a numbered heading, which keeps its number.
    text = "Title\n\n- a point\n* *bold*\n  Plain.  \n1. First\n**_x_**\n- \n#  Head"
    assert passage_strings(text) == [
        "Title",
        "a point",
        "*bold*",
        "Plain.",
        "1. First",
        "x",
        "-",
        "Head",
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT.filter(str.strip), min_size=1, max_size=4))
def test_counts_equal_count_vectorizer_on_passages(texts):
    corpus = corpus_from_texts(texts)
    counts = term_counts(corpus)
    terms, matrix = reference_counts([r.text for r in corpus.responses])
    assert list(counts.terms) == terms
    assert counts.passage_counts.toarray().tolist() == matrix.tolist()


def test_underscores_headings_and_rules_by_hand(make_corpus):
    corpus = make_corpus(["**_memory_**\n---\n- robots_arm moves\n\n1. Bodies"])
    counts = term_counts(corpus)
    # "_memory_" as a heading is stripped to "memory"; "---" is a passage without words.
    assert list(counts.terms) == ["bodies", "memory", "moves", "robots_arm"]
    assert counts.passage_order.tolist() == [1, 2, 3, 4]
    assert counts.passage_counts.toarray().tolist() == [
        [0, 1, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 1, 1],
        [1, 0, 0, 0],
    ]


# --- the one word count ------------------------------------------------------------------------
def test_count_words_by_hand():
    from lib.text import count_words

    assert count_words("- Scaling — don't stop: chain-of-thought helps (2025).") == 6
    assert count_words("**bold** _x_ 1. 2.") == 4  # markup is not a word; "1" and "2" are
    assert count_words("") == 0
    assert count_words("state‑of‑the‑art") == 1  # non-breaking hyphens join too


def test_word_counts_are_remembered_on_the_corpus(make_corpus):
    from lib.text import word_counts

    corpus = make_corpus(["One two.", "Three four five."])
    assert word_counts(corpus) == [2, 3]
    assert word_counts(corpus) is word_counts(corpus)
    part = corpus.subset([corpus.responses[1].response_id])
    assert word_counts(part) == [3]


@pytest.mark.parametrize("fast", [False, True])
def test_term_counting_counts_each_answers_words_too(seed_corpus, monkeypatch, fast):
    """The word counts found beside the terms (both tokenisers, forked or not) are
    `count_words` of each answer."""
    import lib.parallel as parallel
    import lib.text as text

    if fast:
        monkeypatch.setattr(text, "FAST_FROM_CHARS", 0)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)  # halves, in two processes where possible
    corpus = seed_corpus.subset([r.response_id for r in seed_corpus.responses])  # a new object
    text.clear_cache()
    text.term_counts(corpus)
    text.clear_cache()
    expected = [text.count_words(r.text) for r in corpus.responses]
    assert corpus.__dict__["_word_counts"] == expected
    assert text.word_counts(corpus) == expected


def test_cached_counts_expire_like_the_apps_caches(make_corpus, monkeypatch):
    import lib.text as text

    corpus = make_corpus(["Robots learn.", "Models scale."])
    text.clear_cache()
    first = term_counts(corpus)
    assert term_counts(corpus) is first  # cached
    monkeypatch.setattr(text, "CACHE_TTL", -1.0)  # every entry is now older than the TTL
    assert term_counts(corpus) is not first
    assert len(text._CACHE) == 1  # the stale entry was dropped, not kept beside the new one


def test_cache_is_safe_across_threads(make_corpus):
    from concurrent.futures import ThreadPoolExecutor

    import lib.text as text

    corpora = [
        make_corpus([f"Answer {i} about robots.", f"Other {i} on chips."]) for i in range(24)
    ]
    text.clear_cache()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda c: term_counts(c).terms.tolist(), corpora * 4))
    assert results == [term_counts(c).terms.tolist() for c in corpora] * 4
    assert len(text._CACHE) <= text._CACHE_SIZE
