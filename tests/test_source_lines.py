"""A corpus keeps its source lines through the answers' texts (`SourceLines`), losing nothing."""

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.corpus import Boundary, Corpus, SourceLines
from lib.splitter import split_text

LINES = [
    "Prompt?",
    "",
    "Response 1",
    "  ",
    "First answer.",
    "- a point",
    "",
    "   ",
    "Response 2",
    "Second answer.",
    "",
    "Last line.",
    " ",
]


def test_lines_read_like_the_source_list():
    bounds = [
        Boundary(3, 1.0, ("header",), header_lines=1),
        Boundary(9, 1.0, ("header",), header_lines=1),
    ]
    corpus = Corpus.from_boundaries(LINES, bounds, prompt="Prompt?", prompt_line=1)
    assert [r.text for r in corpus.responses] == [
        "First answer.\n- a point",
        "Second answer.\n\nLast line.",
    ]
    lines = corpus.lines
    assert isinstance(lines, SourceLines)
    assert list(lines) == LINES and len(lines) == len(LINES)
    assert lines[0] == "Prompt?" and lines[-1] == " " and lines[4] == "First answer."
    assert lines[2:6] == LINES[2:6] and lines[::2] == LINES[::2]
    assert lines == LINES
    assert pickle.loads(pickle.dumps(lines)) == LINES


def test_corrections_rebuild_from_the_stored_lines(seed_text):
    corpus = split_text(seed_text)
    assert list(corpus.lines) == seed_text.split("\n")
    merged = corpus.merge(1)
    assert len(merged) == len(corpus) - 1
    assert list(merged.lines) == seed_text.split("\n")
    resplit = merged.split_at(corpus.responses[1].start_line)
    assert [(r.text, r.start_line, r.end_line) for r in resplit.responses] == [
        (r.text, r.start_line, r.end_line) for r in corpus.responses
    ]


LINE = st.sampled_from(["", "  ", "text", "- bullet", "Response 2", "### Model: x", "ok."])


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(LINE, min_size=1, max_size=25),
    starts=st.lists(st.integers(1, 25), max_size=6),
    headers=st.lists(st.integers(0, 2), min_size=6, max_size=6),
)
def test_any_split_keeps_every_line(lines, starts, headers):
    bounds = [
        Boundary(s, 1.0, ("test",), header_lines=h) for s, h in zip(starts, headers, strict=False)
    ]
    corpus = Corpus.from_boundaries(lines, bounds)
    assert list(corpus.lines) == lines
    again = Corpus.from_boundaries(corpus.lines, corpus.boundaries or [])
    assert again.responses == corpus.responses and list(again.lines) == lines


def test_lines_holding_newlines_are_refused():
    with pytest.raises(ValueError, match="without newlines"):
        Corpus.from_boundaries(["a\nb", "c"], [Boundary(1, 1.0, ("test",))])
