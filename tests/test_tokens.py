"""The numpy word finding (lib.tokens) must equal the regexes it replaces, on any text."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import text, tokens
from lib.corpus import corpus_from_texts
from lib.text import TOKEN_PATTERN, count_words

# Characters at every class edge: letters, digits (ASCII and not), "_", hyphens and joiners,
# apostrophes, a digit that is not decimal ("²"), a letter beyond the BMP ("𝐀"), a combining
# mark, a lone surrogate, spaces and newlines.
ALPHABET = "ab Z_-‐‑–'’.1٣²𝐀\u0301\ud800é\n\t"
TEXT = st.text(alphabet=ALPHABET, max_size=60)


def regex_spans(text):
    return [m.span() for m in re.finditer(TOKEN_PATTERN, text)]


def fast_spans(text):
    codes = tokens.code_points(text)
    starts, ends = tokens.token_spans(codes, tokens.char_classes(codes))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_token_spans_equal_the_token_pattern(text):
    assert fast_spans(text) == regex_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=6))
def test_word_counts_equal_count_words(texts):
    assert tokens.count_words_many(texts) == [count_words(t) for t in texts]


def test_spans_by_hand():
    # "4-bit": the token starts after the hyphen; "a-" is one letter; "x_y" starts with no
    # boundary before "y"; trailing hyphens are not part of a token.
    text = "gpt-4 4-bit a- _ab x_y don't state-of-the-art--"
    assert [text[s:e] for s, e in fast_spans(text)] == [
        "gpt-4",
        "bit",
        "x_y",
        "don",
        "state-of-the-art",
    ]


def test_token_ids_in_order_of_first_sight_across_calls():
    ids = tokens.TokenIds(["qq", "the"])
    for chunk, expected in [("b a b", [2, 3, 2]), ("the c a", [1, 4, 3])]:
        codes = tokens.code_points(chunk)
        # Spans made by hand (one-letter words are not tokens of TOKEN_PATTERN).
        starts = np.array([m.start() for m in re.finditer(r"\S+", chunk)])
        ends = np.array([m.end() for m in re.finditer(r"\S+", chunk)])
        assert ids.ids(codes, starts, ends, chunk).tolist() == expected
    assert ids.words == ["qq", "the", "b", "a", "c"]


def test_a_token_longer_than_the_hash_is_trusted_for_is_refused():
    word = "a" * (tokens.LONGEST + 1)
    codes = tokens.code_points(word)
    with pytest.raises(tokens.HashCollision):
        tokens.TokenIds().ids(codes, np.array([0]), np.array([len(word)]), word)


def _same_counts(a, b):
    return (
        a.terms.tolist() == b.terms.tolist()
        and np.array_equal(a.passage_counts.indptr, b.passage_counts.indptr)
        and np.array_equal(a.passage_counts.indices, b.passage_counts.indices)
        and np.array_equal(a.passage_counts.data, b.passage_counts.data)
        and np.array_equal(a.passage_response, b.passage_response)
        and np.array_equal(a.passage_order, b.passage_order)
        and np.array_equal(a.response_counts.toarray(), b.response_counts.toarray())
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(alphabet=ALPHABET + "#*•", max_size=80),
        min_size=1,
        max_size=5,
    )
)
def test_fast_term_counts_equal_the_regex_ones(texts):
    corpus = corpus_from_texts(texts)
    fast = text._count_terms(corpus, text._FastTokens)
    slow = text._count_terms(corpus, text._RegexTokens)
    assert _same_counts(fast, slow)  # the same columns, rows and even storage order


def test_large_corpora_take_the_fast_path_and_a_long_token_falls_back(monkeypatch):
    texts = ["Scaling laws hold.\n- Data runs out.", "Compute costs energy " + "x" * 300]
    corpus = corpus_from_texts(texts)
    used = []
    real = text._count_terms
    monkeypatch.setattr(text, "_count_terms", lambda c, t: used.append(t.__name__) or real(c, t))
    monkeypatch.setattr(text, "FAST_FROM_CHARS", 0)
    counts = text._term_counts(corpus)
    # The 300-letter word is longer than the hash is trusted for: all counted by regex.
    assert used == ["_FastTokens", "_RegexTokens"]
    assert "x" * 300 in counts.terms.tolist()
    assert counts.terms.tolist()[:3] == ["compute", "costs", "data"]


def test_a_lone_surrogate_in_a_text_is_counted_not_refused():
    corpus = corpus_from_texts(["Scaling\ud800 laws hold."])
    assert corpus.responses[0].response_id.startswith("r")
    counts = text._count_terms(corpus, text._FastTokens)
    assert counts.terms.tolist() == ["hold", "laws", "scaling"]
