"""Loaders: format detection, structured rows, column mapping, bad input."""

import json
from pathlib import Path

import pytest

from lib.corpus import ChorusInputError, make_response_id
from lib.loaders import LoadResult, list_bundled, load_bytes, load_path

FIXTURES = Path(__file__).parent / "fixtures"
SCALING = "Will scaling reach AGI?"


def lines_and_models(corpus):
    return [(r.index, r.start_line, r.end_line, r.model) for r in corpus.responses]


# --- JSON Lines -------------------------------------------------------------------------------
def test_jsonl_one_corpus_per_prompt_in_order_of_first_appearance():
    result = load_path(FIXTURES / "multi_prompt.jsonl")
    assert isinstance(result, LoadResult)
    assert result.format == "jsonl"
    assert [c.prompt for c in result.corpora] == [SCALING, "Is AGI near?"]
    first, second = result.corpora
    assert lines_and_models(first) == [(1, 1, 1, "gpt-5"), (2, 2, 2, "claude")]
    assert lines_and_models(second) == [(1, 5, 5, "gpt-5"), (2, 7, 7, "claude")]
    assert [r.group for r in second.responses] == ["gpt-5", "claude"]
    assert first.boundaries is None
    assert [c.name for c in result.corpora] == ["multi_prompt #1", "multi_prompt #2"]


def test_jsonl_broken_and_empty_lines_are_reported_with_line_numbers():
    result = load_path(FIXTURES / "multi_prompt.jsonl")
    assert result.warnings == [
        "multi_prompt.jsonl line 4: not valid JSON (Expecting ',' delimiter); line skipped.",
        "multi_prompt.jsonl line 6: the response text is empty; row skipped.",
    ]


def test_jsonl_markdown_answers_are_flattened_into_passages():
    corpus = load_path(FIXTURES / "multi_prompt.jsonl").corpora[0]
    assert corpus.responses[0].text == (
        "Short answer\n\nNo, not alone.\n\n- Data limits\n- Compute costs"
    )
    kinds = corpus.passages_frame().query("response_id == @corpus.responses[0].response_id")
    assert list(kinds["kind"]) == ["heading", "paragraph", "bullet", "bullet"]
    assert list(kinds["line"]) == [1, 3, 5, 6]


def test_structured_ids_are_stable_and_depend_on_prompt_and_text():
    corpus = load_path(FIXTURES / "multi_prompt.jsonl").corpora[1]
    assert corpus.responses[0].response_id == make_response_id(
        "Maybe within 10 years.", "Is AGI near?", set()
    )
    again = load_path(FIXTURES / "multi_prompt.jsonl").corpora[1]
    assert [r.response_id for r in again.responses] == [r.response_id for r in corpus.responses]


def test_jsonl_duplicate_answers_get_distinct_ids():
    data = b'{"response": "Same."}\n{"response": "Same."}\n'
    ids = [r.response_id for r in load_bytes(data, "d.jsonl").corpus.responses]
    assert len(set(ids)) == 2
    assert ids[1] == f"{ids[0]}-2"


def test_jsonl_with_only_broken_lines_is_an_error_naming_the_first():
    with pytest.raises(ChorusInputError, match=r"x\.jsonl: no line is valid JSON Lines \(line 1"):
        load_bytes(b"not json\nnor this\n", "x.jsonl")


def test_jsonl_non_object_records_are_skipped_with_a_warning():
    result = load_bytes(b'[1, 2]\n{"text": "kept"}\n{"text": "also kept"}\n', "a.jsonl")
    assert [r.text for r in result.corpus.responses] == ["kept", "also kept"]
    assert result.warnings == ["a.jsonl line 1: expected a JSON object, found a list; skipped."]


def test_a_flood_of_broken_lines_is_summarised():
    data = b'{"text": "ok"}\n{"text": "ok too"}\n' + b"{broken\n" * 50
    result = load_bytes(data, "flood.jsonl")
    assert len(result.corpus) == 2
    assert len(result.warnings) == 11
    assert result.warnings[0].startswith("flood.jsonl line 3: not valid JSON")
    assert result.warnings[-1] == "... and 40 more lines that are not valid JSON."


def test_column_names_are_matched_case_insensitively_in_priority_order():
    row = {"Output": "from output", "TEXT": "from text", "Model_Name": "m", "Question": "q"}
    corpus = load_bytes(((json.dumps(row) + "\n") * 2).encode(), "a.jsonl").corpus
    r = corpus.responses[0]
    assert (r.text, r.model, r.prompt) == ("from output", "m", "q")


def test_a_long_system_prompt_is_not_taken_as_the_model_name():
    row = {"system": "You are a helpful assistant. " * 10, "source": "gpt-5", "answer": "Hi."}
    corpus = load_bytes(json.dumps(row).encode(), "a.jsonl").corpus
    assert corpus.responses[0].model == "gpt-5"


def test_chat_exports_are_read():
    rows = [
        {"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A1"}]},
        {"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A2"}]},
    ]
    corpus = load_bytes("\n".join(json.dumps(r) for r in rows).encode(), "chat.jsonl").corpus
    assert corpus.prompt == "Q?"
    assert corpus.texts == ["A1", "A2"]


def test_raw_control_characters_inside_json_strings_are_kept():
    data = b'{"text": "tab\there"}\n{"text": "form\x0cfeed"}\n'
    assert load_bytes(data, "c.jsonl").corpus.texts == ["tab\there", "form\x0cfeed"]


def test_content_blocks_are_joined():
    row = {"content": [{"type": "text", "text": "Part one."}, {"type": "text", "text": "Two."}]}
    corpus = load_bytes(json.dumps(row).encode(), "a.jsonl").corpus
    assert corpus.texts == ["Part one.\n\nTwo."]


# --- JSON -------------------------------------------------------------------------------------
def test_json_wrapper_with_top_level_prompt_and_element_lines():
    result = load_path(FIXTURES / "wrapped.json")
    assert result.format == "json"
    assert result.warnings == []
    (corpus,) = result.corpora
    assert corpus.prompt == SCALING
    assert lines_and_models(corpus) == [(1, 4, 7, "gpt-5"), (2, 8, 11, "claude"), (3, 12, 12, None)]
    assert corpus.texts[1] == "Scaling is not enough;\nwe need memory."
    assert corpus.responses[0].boundary_evidence == "JSON, lines 4-7"


def test_json_list_of_objects_and_data_key():
    listed = b'[{"text": "a", "model": "x"},\n {"text": "b", "model": "y"}]'
    corpus = load_bytes(listed, "l.json").corpus
    assert lines_and_models(corpus) == [(1, 1, 1, "x"), (2, 2, 2, "y")]
    wrapped = b'{"data": [{"completion": "a"}, {"completion": "b"}]}'
    assert load_bytes(wrapped, "d.json").corpus.texts == ["a", "b"]


def test_json_syntax_error_names_line_and_column():
    with pytest.raises(ChorusInputError, match=r"bad\.json: not valid JSON at line 2, column 15"):
        load_bytes(b'[{"text": "a"},\n {"text": "b" "c"}]', "bad.json")


def test_json_object_without_answers_names_its_keys():
    with pytest.raises(ChorusInputError, match=r"found an object with keys 'title', 'year'"):
        load_bytes(b'{"title": "x", "year": 2024}', "meta.json")


def test_jsonl_saved_as_json_is_read_as_jsonl_with_a_warning():
    result = load_bytes(b'{"text": "a"}\n{"text": "b"}\n', "lines.json")
    assert result.format == "jsonl"
    assert result.corpus.texts == ["a", "b"]
    assert "read as JSON Lines" in result.warnings[0]


# --- CSV --------------------------------------------------------------------------------------
def test_csv_rows_keep_their_physical_lines_and_skip_empty_text():
    result = load_path(FIXTURES / "answers.csv")
    assert result.format == "csv"
    (corpus,) = result.corpora
    assert corpus.prompt == SCALING
    assert lines_and_models(corpus) == [
        (1, 2, 4, "gpt-5"),
        (2, 5, 5, "claude"),
        (3, 7, 7, "gemini"),
    ]
    assert corpus.texts[0] == "First line\n- a bullet\nLast line"
    assert corpus.texts[2] == "Quoted, with a comma."
    assert result.warnings == ["answers.csv line 6: the response text is empty; row skipped."]


def test_csv_without_text_column_names_the_columns_and_how_to_map():
    with pytest.raises(ChorusInputError) as info:
        load_path(FIXTURES / "no_text.csv")
    message = str(info.value)
    assert "no_text.csv: no column holds the response text" in message
    assert "Columns found: 'id', 'reply', 'bot'" in message
    assert "columns={'text': 'id'}" in message


def test_csv_columns_mapped_by_the_user():
    result = load_path(FIXTURES / "no_text.csv", columns={"text": "Reply", "model": "BOT"})
    assert result.corpus.texts == ["Yes", "No"]
    assert [r.model for r in result.corpus.responses] == ["gpt", "claude"]


def test_csv_mapping_to_a_missing_column_is_an_error():
    with pytest.raises(ChorusInputError, match="the column 'answer_text' mapped as the text"):
        load_path(FIXTURES / "no_text.csv", columns={"text": "answer_text"})


def test_unknown_mapping_role_is_an_error():
    with pytest.raises(ChorusInputError, match="unknown column role"):
        load_path(FIXTURES / "no_text.csv", columns={"body": "reply"})


def test_csv_semicolon_and_tab_delimiters():
    assert load_bytes(b"id;answer\n1;a\n2;b\n", "s.csv").corpus.texts == ["a", "b"]
    assert load_bytes(b"id\tanswer\n1\ta, b\n2\tc\n", "t.tsv").corpus.texts == ["a, b", "c"]


def test_csv_unclosed_quote_is_reported():
    result = load_bytes(b'answer\nfine\n"never closed\nrest\n', "q.csv")
    assert result.corpus.texts == ["fine", "never closed\nrest"]
    assert "line 3: a quoted field is never closed, so lines 3-4" in result.warnings[0]


def test_csv_long_cells_are_read_whole():
    long_answer = "word " * 60000  # 300 KB, over csv's default field limit
    data = f'answer\n"{long_answer}"\nshort\n'.encode()
    assert len(load_bytes(data, "big.csv").corpus.texts[0]) == len(long_answer.strip())


def test_csv_extra_fields_warn():
    result = load_bytes(b"answer,model\na,x,extra\nb,y\n", "e.csv")
    assert result.corpus.texts == ["a", "b"]
    assert result.warnings == [
        "e.csv line 2: 3 fields but the header has 2; the extra fields were ignored."
    ]


def test_prompt_only_csv_is_an_error():
    with pytest.raises(ChorusInputError, match="prompts but no answers"):
        load_path(FIXTURES / "prompt_only.csv")


# --- text and sniffing --------------------------------------------------------------------------
def test_text_goes_through_the_splitter_with_explicit_headers():
    result = load_path(FIXTURES / "utf16le.txt")
    assert result.format == "text"
    (corpus,) = result.corpora
    assert corpus.prompt == SCALING
    assert corpus.texts == ["Café owners say “no”.", "A second answer."]
    assert corpus.boundaries is not None


def test_decoding_warning_reaches_the_result():
    result = load_path(FIXTURES / "cp1252.txt")
    assert any("cp1252" in w for w in result.warnings)
    assert result.corpus.texts[0] == "Café owners say “no”."


@pytest.mark.parametrize("name", ["pasted.txt", "pasted", "notes.md"])
def test_jsonl_content_is_sniffed_whatever_the_name(name):
    data = b'{"answer": "a", "model": "m"}\n{"answer": "b", "model": "n"}\n'
    result = load_bytes(data, name)
    assert result.format == "jsonl"
    assert result.corpus.texts == ["a", "b"]
    assert "read as JSON Lines (from its content)" in result.warnings[0]


def test_json_array_is_sniffed_from_pasted_text():
    result = load_bytes(b'  [\n {"text": "a"}, {"text": "b"}]', "pasted.txt")
    assert result.format == "json"
    assert result.corpus.texts == ["a", "b"]


def test_csv_content_is_sniffed_from_a_header_naming_the_text_column():
    result = load_bytes(b"model,response\ngpt,a\nclaude,b\n", "pasted")
    assert result.format == "csv"
    assert result.corpus.texts == ["a", "b"]


def test_text_that_only_starts_like_json_stays_text():
    data = b"{Prompt in braces}\nAn answer.\n"
    result = load_bytes(data, "pasted.txt")
    assert result.format == "text"
    assert "An answer." in "\n".join(result.corpus.texts)


def test_broken_pretty_json_in_a_txt_falls_back_to_text_with_a_warning():
    result = load_bytes(b'{\n  "a": 1\n}\nand then prose\n', "notes.txt")
    assert result.format == "text"
    assert "looked like JSON but is not (not valid JSON at line 4, column 1" in result.warnings[0]
    assert "and then prose" in "\n".join(result.corpus.texts)


def test_prompt_with_commas_is_not_mistaken_for_csv():
    data = b"Text, content, and output: what do you think?\nResponse 1\nYes.\nResponse 2\nNo.\n"
    assert load_bytes(data, "pasted.txt").format == "text"


# --- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.csv", "empty.json"])
def test_empty_file_is_named(name):
    with pytest.raises(ChorusInputError, match=rf"{name} is empty"):
        load_bytes(b" \n\r\n", name)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Will scaling reach AGI?\n", r"p\.txt: .*prompt"),
        (b"Will scaling reach AGI?\n\n   \n", r"p\.txt: .*prompt"),
        (b"Will scaling reach AGI?\nResponse 1\n", r"p\.txt: .*only headers .*line 2"),
    ],
)
def test_prompt_only_text_is_an_error(data, message):
    with pytest.raises(ChorusInputError, match=message):
        load_bytes(data, "p.txt")


def test_binary_file_is_named():
    with pytest.raises(ChorusInputError, match=r"binary\.png: The file looks like a binary file"):
        load_path(FIXTURES / "binary.png")


def test_missing_file_and_folder():
    with pytest.raises(ChorusInputError, match="cannot read it"):
        load_path(FIXTURES / "nope.txt")
    with pytest.raises(ChorusInputError, match="is a folder"):
        load_path(FIXTURES)


def test_one_answer_gives_one_response_and_a_note():
    result = load_path(FIXTURES / "one_answer.jsonl")
    assert len(result.corpus) == 1
    assert result.warnings == [
        "one_answer.jsonl: only one answer was found; comparisons need at least two."
    ]


def test_too_large_input_is_refused_before_decoding(monkeypatch):
    import lib.loaders

    monkeypatch.setattr(lib.loaders, "MAX_INPUT_BYTES", 10)
    with pytest.raises(ChorusInputError, match=r"big\.txt is 0 MB; Chorus reads files up to 0 MB"):
        load_bytes(b"x" * 11, "big.txt")


def test_too_much_pasted_text_is_refused_with_advice(monkeypatch):
    import lib.loaders

    monkeypatch.setattr(lib.loaders, "MAX_SPLIT_CHARS", 20)
    with pytest.raises(ChorusInputError, match="Save the answers as JSON Lines or CSV"):
        load_bytes(b"Prompt?\n" + b"An answer.\n" * 5, "big.txt")
    # Structured rows are not split, so the cap does not apply to them.
    assert len(load_bytes(b'{"text": "a"}\n' * 5, "rows.jsonl").corpus) == 5


def test_expected_count_mismatch_warns_for_structured_rows():
    result = load_bytes(b'{"text": "a"}\n{"text": "b"}\n', "a.jsonl", expected=3)
    assert result.warnings == ["a.jsonl: expected 3 answers, found 2."]


def test_seed_loads_as_one_text_corpus(seed_text):
    result = load_bytes(seed_text.encode(), "000_dce1674832fde9a1.txt")
    assert result.format == "text"
    assert len(result.corpora) == 1
    assert result.corpus.prompt.startswith("To what extent do you think scaling")


# --- bundled corpora ---------------------------------------------------------------------------
def test_list_bundled_finds_the_seed_and_skips_tables(tmp_path):
    assert Path("data/000_dce1674832fde9a1.txt").name in [p.name for p in list_bundled()]
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.jsonl").write_text("x")
    (tmp_path / "taxonomy.csv").write_text("x")
    (tmp_path / "scale.json").write_text("x")
    (tmp_path / "README.md").write_text("x")
    (tmp_path / "corpora").mkdir()
    (tmp_path / "corpora" / "c.csv").write_text("x")
    (tmp_path / "corpora" / "notes.pdf").write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in list_bundled(tmp_path)]
    assert found == ["a.txt", "b.jsonl", "corpora/c.csv"]
    assert list_bundled(tmp_path / "missing") == []
