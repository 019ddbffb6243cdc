"""Pure helpers of lib/state.py (the rest needs a running app: see test_pages_frame.py)."""

from hypothesis import given
from hypothesis import strategies as st

from lib.state import (
    FILTER_DEFAULTS,
    bundled_files,
    corpus_key,
    format_response_numbers,
    parse_response_numbers,
)


def test_parse_response_numbers():
    assert parse_response_numbers("1-4, 9") == ({1, 2, 3, 4, 9}, [])
    assert parse_response_numbers("4-2 x 7") == ({2, 3, 4, 7}, ["x"])
    assert parse_response_numbers("") == (set(), [])


def test_format_response_numbers():
    assert format_response_numbers([9, 1, 2, 3]) == "1-3, 9"
    assert format_response_numbers([]) == ""


@given(st.sets(st.integers(1, 500), max_size=30))
def test_numbers_round_trip(nums):
    assert parse_response_numbers(format_response_numbers(nums)) == (nums, [])


def test_corpus_key_follows_ids_and_groups(make_corpus):
    c = make_corpus(["One.", "Two."], prompt="P")
    assert corpus_key(c) == corpus_key(make_corpus(["One.", "Two."], prompt="P"))
    assert corpus_key(c) != corpus_key(c.with_groups(["A", "B"]))
    assert corpus_key(c) != corpus_key(c.subset([c.responses[0].response_id]))


def test_bundled_files_honour_chorus_data_dir(tmp_path, monkeypatch):
    (tmp_path / "big.jsonl").write_text('{"response": "hi"}\n')
    monkeypatch.setenv("CHORUS_DATA_DIR", str(tmp_path))
    assert [p.name for p in bundled_files()] == ["big.jsonl"]


def test_filter_names_match_the_contract():
    assert set(FILTER_DEFAULTS) == {"groups", "responses", "themes", "topic", "has_estimate", "q"}


def test_chart_sample_is_even_and_only_for_large_corpora(make_corpus):
    from lib.state import chart_sample

    small = make_corpus([f"Answer {i}." for i in range(5)], prompt="P")
    assert chart_sample(small, limit=5) is None
    big = make_corpus([f"Answer {i}." for i in range(10)], prompt="P")
    picked = chart_sample(big, limit=5)
    ids = [r.response_id for r in big.responses]
    assert picked == {ids[i] for i in (0, 2, 4, 6, 8)}


def test_sample_note_names_the_sample_and_the_whole(make_corpus):
    from lib.state import sample_note

    corpus = make_corpus([f"Answer {i}." for i in range(1200)], prompt="P")
    sample = {r.response_id for r in corpus.responses[:400]}
    assert sample_note(sample, corpus) == "Chart shows an even sample of 400 of 1,200 answers"


def test_shared_analysis_frames_cannot_be_changed_by_a_caller():
    # The analyses are shared by every run (cache_resource): what one caller writes into its
    # frame must not reach the next one (pandas copy-on-write on the shallow copies).
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from lib import state

        corpus = state.current_corpus()
        for analyse in (state.theme_hits, state.theme_scores, state.estimates, state.answer_map):
            first = analyse(corpus)
            first.loc[first.index[0], "response_id"] = "changed"
            first["extra"] = 1
            again = analyse(corpus)
            kept = again["response_id"].iloc[0] != "changed" and "extra" not in again
            st.write(f"{analyse.__name__}: {kept} ({len(again)} rows)")

    at = AppTest.from_function(script, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    lines = [m.value for m in at.markdown]
    assert [line.split(" (")[0] for line in lines] == [
        "theme_hits: True",
        "theme_scores: True",
        "estimates: True",
        "answer_map: True",
    ]
    assert all("(0 rows)" not in line for line in lines)  # there was something to change


def test_a_prompt_end_that_no_longer_fits_is_said_and_the_splitters_prompt_used():
    from lib.state import _load
    from tests.conftest import TWO_LINE_PROMPT

    data = TWO_LINE_PROMPT.encode()
    fits = _load(data, "two.txt", None, None, prompt_end=2)
    assert fits.corpora[0].prompt_line == 2 and not fits.error
    past = _load(data, "two.txt", None, None, prompt_end=8)
    assert not past.error
    assert past.corpora[0].prompt_line == 1
    assert past.warnings[0] == (
        "two.txt: The prompt is set to end at line 8 and nothing follows it: no answers to "
        "split. The prompt the splitter found is used instead."
    )
