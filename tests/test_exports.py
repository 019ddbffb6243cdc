"""Boundary files: what the Data page writes, it reads back to the same split."""

import io
import json

import pandas as pd
import pytest

from lib.corpus import Boundary, ChorusInputError, Corpus
from lib.estimates import DEFAULT_SCALE
from lib.exports import boundaries_json, download_tables, read_boundaries, read_prompt_end
from lib.splitter import split_text
from tests.conftest import TWO_LINE_PROMPT


def _reopened(data: bytes, text: str) -> Corpus:
    """What a fresh session does with an uploaded boundary file (lib.state): the text read
    again with the file's prompt end, then its boundaries applied (split_corpus)."""
    base = split_text(text, prompt_end=read_prompt_end(data))
    bounds = [Boundary.from_dict(b) for b in read_boundaries(data, "b.json")]
    return Corpus.from_boundaries(
        base.lines, bounds, prompt=base.prompt, prompt_line=base.prompt_line, name=base.name
    )


def test_a_split_with_its_prompt_comes_back_from_its_file():
    fixed = split_text(TWO_LINE_PROMPT, prompt_end=2).split_at(8)
    data = boundaries_json(fixed, "two.txt").encode()
    saved = json.loads(data)
    assert saved["prompt_line"] == 2
    assert [b["start_line"] for b in saved["boundaries"]] == [4, 7, 8]
    back = _reopened(data, TWO_LINE_PROMPT)
    assert (back.prompt, back.prompt_line) == (fixed.prompt, 2)
    assert [(r.start_line, r.text) for r in back.responses] == [
        (r.start_line, r.text) for r in fixed.responses
    ]
    assert back.warnings == []


def test_no_prompt_is_written_as_line_0_and_read_back():
    data = boundaries_json(split_text(TWO_LINE_PROMPT, prompt_end=0), "two.txt").encode()
    assert read_prompt_end(data) == 0
    back = _reopened(data, TWO_LINE_PROMPT)
    assert back.prompt is None
    assert back.responses[0].text.startswith("Will scaling LLMs get us to AGI?")


@pytest.mark.parametrize(
    "data",
    [b'[{"start_line": 2}]', b'{"boundaries": [{"start_line": 2}]}', b"not json", b'{"x": 1}'],
)
def test_files_that_do_not_say_where_the_prompt_ends_keep_the_splitters(data):
    assert read_prompt_end(data) is None


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"not json", "b.json: not a boundary list"),
        (b'{"x": 1}', "b.json: not a boundary list"),
        (b'[{"line": 2}]', "expected a list of objects with a start_line"),
    ],
)
def test_a_file_that_is_not_a_boundary_list_is_named(data, problem):
    with pytest.raises(ChorusInputError, match=problem):
        read_boundaries(data, "b.json")


def test_theme_scores_download_reads_the_list_given_when_it_is_built(make_corpus):
    """The Data page passes a function: the list that fits is decided on the click, not
    while the page is drawn (a large corpus may not have been fitted yet)."""
    corpus = make_corpus(["Rain all day.", "Sunny and warm."])
    weather = pd.DataFrame(
        {"id": ["rain"], "label": ["Rain"], "description": [""], "phrases": ["rain"]}
    )
    asked = []
    tables = download_tables(corpus, lambda: asked.append(1) or weather, 2025, DEFAULT_SCALE)
    assert asked == []  # nothing decided while the buttons are drawn
    build = {name: b for _, name, b in tables}["theme_scores.csv"]
    rows = pd.read_csv(io.StringIO(build()))
    assert asked == [1]
    assert rows[["response_index", "theme_id", "passages_hit"]].values.tolist() == [
        [1, "rain", 1],
        [2, "rain", 0],
    ]
