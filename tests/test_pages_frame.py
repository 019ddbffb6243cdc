"""AppTest for the frame and its pages (Overview, Responses, Data): filters, uploads, drill-down."""

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import TWO_LINE_PROMPT as PROMPT_TEXT

APP = str(Path(__file__).resolve().parent.parent / "app.py")
XSS = "<script>alert(1)</script> and <img src=x onerror=window.__xss=1>"


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120).run()


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _htmls(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def _count(at: AppTest) -> tuple[int, int]:
    for body in _htmls(at):
        m = re.search(r"Showing ([\d,]+) of ([\d,]+) answers?", body)
        if m:
            return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
    raise AssertionError("no count line on the page")


def _upload(at: AppTest, data: bytes, name: str) -> AppTest:
    # What the Data page does with a file: keep it in the session, open it on the next run.
    key = f"upload:test-{name}"
    at.session_state["_uploads"] = {key: {"name": name, "data": data}}
    at.session_state["_pending_source"] = key
    return at


@pytest.fixture(scope="module")
def seed_app() -> AppTest:
    return _app()


@pytest.mark.parametrize("page", ["overview", "responses", "data"])
def test_pages_render_the_seed(page):
    at = _open(_app(), page)
    assert _count(at) == (16, 16)
    assert not at.error


def test_seed_has_four_groups_of_four():
    at = _app()
    assert at.multiselect(key="groups").options == ["A", "B", "C", "D"]
    for g in "ABCD":
        at.multiselect(key="groups").set_value([g]).run()
        assert _count(at) == (4, 16)


def test_filters_change_what_responses_shows():
    at = _open(_app(), "responses")
    at.multiselect(key="groups").set_value(["B"]).run()
    assert _count(at) == (4, 16)
    assert [o.split(" · ")[0] for o in at.selectbox(key="read_pick").options] == [
        "#5",
        "#6",
        "#7",
        "#8",
    ]
    at.text_input(key="responses").set_value("6-7, 12").run()
    assert _count(at) == (2, 16)
    at.text_input(key="q").set_value("no such phrase anywhere").run()
    assert _count(at) == (0, 16)
    assert any("No answer matches" in i.value for i in at.info)
    assert not at.exception
    reset = next(b for b in at.sidebar.button if "Reset" in b.label)
    reset.click().run()
    assert _count(at) == (16, 16)


def test_keyword_and_estimate_filters():
    from datetime import date

    from lib.estimates import extract_estimates
    from lib.loaders import load_path

    seed = load_path(Path(APP).parent / "data" / "000_dce1674832fde9a1.txt").corpora[0]
    with_word = sum("grounding" in r.text.lower() for r in seed.responses)
    est = extract_estimates(seed, reference_year=date.today().year, scale="capphrase")
    with_estimate = est["response_id"].nunique()
    assert 0 < with_word < 16 and with_estimate > 0

    at = _app()
    at.text_input(key="q").set_value("Grounding").run()
    assert _count(at) == (with_word, 16)
    at.text_input(key="q").set_value("").run()
    at.toggle(key="has_estimate").set_value(True).run()
    assert _count(at) == (with_estimate, 16)
    assert not at.exception


def test_chart_selection_drills_down_to_responses():
    at = _open(_app(), "overview")
    rid = None
    # The Overview's charts are Vega-Lite: a click selects the bar's fields, as a browser sends.
    at.session_state["overview_0"] = {"selection": {"pick": [{"response_id": rid, "index": 5}]}}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Responses"
    assert at.text_input(key="responses").value == "5"
    assert _count(at) == (1, 16)


def test_one_response_corpus():
    at = _upload(_app(), b"What is AGI?\nJust one answer, and a short one.", "one.txt")
    for page in ("overview", "responses", "data"):
        _open(at, page)
        assert _count(at) == (1, 1)


def test_empty_upload_shows_a_message_not_a_traceback():
    at = _upload(_app(), b"", "empty.txt")
    for page in ("overview", "responses", "data"):
        _open(at, page)
        assert at.error and "empty" in at.error[0].value.lower()


def test_hostile_answer_is_escaped():
    rows = [
        {"prompt": "Q?", "response": XSS, "model": "m1"},
        {"prompt": "Q?", "response": "A calm answer.", "model": "m2"},
    ]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    at = _open(_upload(_app(), data, "xss.jsonl"), "responses")
    body = "".join(_htmls(at))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>" not in body and "<img" not in body


def test_data_page_merge_split_and_rename():
    at = _open(_app(), "data")
    assert _count(at) == (16, 16)
    at.number_input[1].set_value(3)  # merge answer 3 ...
    next(b for b in at.button if "Merge" in b.label).click().run()
    assert _count(at) == (15, 15)
    undo = next(b for b in at.button if "Undo" in b.label)
    undo.click().run()
    assert _count(at) == (16, 16)
    at.text_input(key="rename_A").set_value("Claude")
    next(b for b in at.button if "Rename" in b.label).click().run()
    assert "Claude" in at.multiselect(key="groups").options


TWO_LINE_PROMPT = PROMPT_TEXT.encode()


def _prompt_line(at: AppTest) -> str:
    return next(t.value for t in at.text if t.value.startswith(("Prompt (", "No prompt")))


def _end_box(at: AppTest):
    return next(n for n in at.number_input if n.label.startswith("The prompt ends at line"))


def test_data_page_sets_a_prompt_on_two_lines_and_undoes_it():
    at = _open(_upload(_app(), TWO_LINE_PROMPT, "two.txt"), "data")
    assert _prompt_line(at) == "Prompt (ends at line 1): Will scaling LLMs get us to AGI?"
    assert _end_box(at).value == 1
    _end_box(at).set_value(2)
    next(b for b in at.button if b.label == "Set the prompt").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _prompt_line(at) == (
        "Prompt (ends at line 2): Will scaling LLMs get us to AGI? Please answer in a few "
        "sentences and give a probability."
    )
    assert _count(at) == (2, 2)
    first = at.dataframe[0].value
    assert list(first["start_line"]) == [4, 7]
    assert first["first line"][0].startswith("Scaling has worked so far.")
    # Kept across pages: the Overview shows the whole prompt.
    _open(at, "overview")
    assert any("give a probability." in body for body in _htmls(at))
    _open(at, "data")
    at.number_input[1].set_value(1)  # merge answer 1 with the next: the prompt stays
    next(b for b in at.button if "Merge" in b.label).click().run()
    assert _count(at) == (1, 1)
    assert _prompt_line(at).startswith("Prompt (ends at line 2)")
    # Undo takes back the merge, not the prompt (set like the number of answers).
    next(b for b in at.button if "Undo" in b.label).click().run()
    assert _count(at) == (2, 2)
    assert _prompt_line(at).startswith("Prompt (ends at line 2)")
    # Split again with a count: the text is read below the prompt, which stays.
    box = next(n for n in at.number_input if n.label.startswith("Expected number"))
    box.set_value(2)
    next(b for b in at.button if b.label == "Split again").click().run()
    assert _prompt_line(at).startswith("Prompt (ends at line 2)")
    assert list(at.dataframe[0].value["start_line"]) == [4, 7]
    # Back to line 1: the splitter's own split again.
    _end_box(at).set_value(1)
    next(b for b in at.button if b.label == "Set the prompt").click().run()
    assert _prompt_line(at) == "Prompt (ends at line 1): Will scaling LLMs get us to AGI?"
    assert list(at.dataframe[0].value["start_line"]) == [2, 7]


def test_data_page_says_what_a_correction_left_out():
    at = _open(_upload(_app(), TWO_LINE_PROMPT, "two.txt"), "data")
    key = at.session_state["source"]
    bounds = [{"start_line": 2}, {"start_line": 7}, {"start_line": 99}]
    at.session_state["_corrections"] = {key: {0: {"boundaries": bounds, "renames": {}}}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [
        "Ignored a boundary at line 99: the answers span lines 2-8."
    ]
    assert _count(at) == (2, 2)


def _boundary_file_script():
    """A session with the two-line prompt open, applying the boundary file in session state
    as the Data page's uploader does (AppTest cannot upload a file to a page)."""
    import streamlit as st

    from lib import state

    split = state.split_corpus()
    data = st.session_state.pop("boundary_file", None)
    if data is not None:
        try:
            state.use_boundaries_file(data, "b.json", split.lines)
            split = state.split_corpus()
        except Exception as exc:  # what the page shows
            st.error(str(exc))
    st.text(f"{split.prompt} | {[r.start_line for r in split.responses]}")


def test_a_boundary_file_brings_its_prompt_and_one_from_another_text_is_refused():
    at = AppTest.from_function(_boundary_file_script, default_timeout=60)
    key = "upload:test-two.txt"
    at.session_state["_uploads"] = {key: {"name": "two.txt", "data": TWO_LINE_PROMPT}}
    at.session_state["source"] = key
    at.run()
    assert at.text[0].value == "Will scaling LLMs get us to AGI? | [2, 7]"
    saved = {"prompt_line": 2, "boundaries": [{"start_line": s} for s in (4, 7, 8)]}
    at.session_state["boundary_file"] = json.dumps(saved).encode()
    at.run()
    assert not at.error
    prompt = (
        "Will scaling LLMs get us to AGI? Please answer in a few sentences and give a probability."
    )
    assert at.text[0].value == f"{prompt} | [4, 7, 8]"
    # A prompt end past this text's lines: said, and nothing changes.
    at.session_state["boundary_file"] = json.dumps({**saved, "prompt_line": 99}).encode()
    at.run()
    assert at.error[0].value == (
        "b.json: A prompt ending at line 99 leaves no answer: the text ends at line 8. Is the "
        "file from another text?"
    )
    assert at.text[0].value == f"{prompt} | [4, 7, 8]"
    # A file that does not say where the prompt ends: the splitter's prompt, its boundaries.
    at.session_state["boundary_file"] = b'[{"start_line": 2}, {"start_line": 4}]'
    at.run()
    assert not at.error
    assert at.text[0].value == "Will scaling LLMs get us to AGI? | [2, 4]"


def test_data_page_says_when_a_prompt_would_leave_no_answer():
    at = _open(_upload(_app(), TWO_LINE_PROMPT + b"\n\n", "two.txt"), "data")
    _end_box(at).set_value(8)  # the last text line: nothing is left after it
    next(b for b in at.button if b.label == "Set the prompt").click().run()
    assert "leaves no answer: the text ends at line 8" in at.error[0].value
    _end_box(at).set_value(0)
    next(b for b in at.button if b.label == "Set the prompt").click().run()
    assert _prompt_line(at) == "No prompt: the first line opens an answer."
    assert at.dataframe[0].value["first line"][0] == "Will scaling LLMs get us to AGI?"


def test_data_page_sets_how_many_models_wrote_the_answers():
    at = _open(_app(), "data")
    at.text_input(key="rename_A").set_value("Claude")
    next(b for b in at.button if "Rename" in b.label).click().run()
    at.multiselect(key="groups").set_value(["B"]).run()
    assert _count(at) == (4, 16)
    box = next(n for n in at.number_input if n.label.startswith("How many models"))
    assert box.value == 0  # guessed from style: the seed's 4 models
    box.set_value(3)
    next(b for b in at.button if b.label == "Group again").click().run()
    assert at.multiselect(key="groups").options == ["A", "B", "C"]
    assert at.multiselect(key="groups").value == []  # "A" would pick other answers now
    assert _count(at) == (16, 16)  # the same answers, in three groups
    assert at.text_input(key="rename_A").value == ""  # letters mean other groups now
    box = next(n for n in at.number_input if n.label.startswith("How many models"))
    box.set_value(0)
    next(b for b in at.button if b.label == "Group again").click().run()
    assert at.multiselect(key="groups").options == ["A", "B", "C", "D"]


def test_asking_for_more_groups_than_merges_leave_answers_still_renders():
    at = _open(_app(), "data")
    box = next(n for n in at.number_input if n.label.startswith("How many models"))
    box.set_value(12)
    next(b for b in at.button if b.label == "Group again").click().run()
    for _ in range(5):  # 16 -> 11 answers: at most 10 groups can be asked for now
        at.number_input[1].set_value(1)
        next(b for b in at.button if "Merge" in b.label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _count(at) == (11, 11)
    box = next(n for n in at.number_input if n.label.startswith("How many models"))
    assert (box.value, box.max) == (10, 10)


def test_unrecognised_columns_can_be_mapped_by_hand():
    at = _open(_upload(_app(), b"reply,who\nHello there,m1\nSecond one,m2\n", "x.csv"), "data")
    assert "no column holds the response text" in at.error[0].value
    form_boxes = [s for s in at.selectbox if s.label.endswith("column")]
    assert [s.label for s in form_boxes] == ["Text column", "Model column", "Prompt column"]
    form_boxes[0].set_value("reply")
    form_boxes[1].set_value("who")
    next(b for b in at.button if "Use these columns" in b.label).click().run()
    assert not at.error
    assert _count(at) == (2, 2)
    assert at.multiselect(key="groups").options == ["m1", "m2"]


def test_loader_warnings_name_the_line_and_prompts_can_be_chosen():
    data = (
        b'{"response":"a","prompt":"P1"}\n{broken\n'
        b'{"response":"b","prompt":"P2"}\n{"response":"c","prompt":"P2"}\n'
    )
    at = _open(_upload(_app(), data, "two.jsonl"), "data")
    assert any("line 2" in w.value for w in at.warning)
    assert _count(at) == (1, 1)
    at.selectbox(key="prompt").set_value(1).run()
    assert _count(at) == (2, 2)


def test_theme_filter_keeps_answers_with_every_chosen_theme():
    at = _app()
    themes = at.multiselect(key="themes").options
    assert themes
    counts = []
    for label in themes:
        at.multiselect(key="themes").set_value([]).run()
        at.multiselect(key="themes").select(label).run()
        counts.append(_count(at)[0])
    assert all(0 <= c <= 16 for c in counts) and min(counts) < 16
    assert not at.exception


def test_presenter_mode_offers_a_way_out():
    at = _app()
    at.toggle(key="presenter").set_value(True).run()
    exit_button = next(b for b in at.button if b.label == "Exit presenter mode")
    assert any("stSidebar" in h for h in _htmls(at))  # the CSS that hides the controls
    exit_button.click().run()
    assert at.toggle(key="presenter").value is False


# --- one word count, fresh filters, literal corpus text, near misses -----------------------------
def _findings(at: AppTest) -> list[str]:
    body = next(b for b in _htmls(at) if "chorus-findings" in b)
    return [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", body)]


def _html_table(at: AppTest, css_class: str):
    """The first static table (lib.highlight.table_html) of that class, cells unescaped."""
    import pandas as pd

    body = next(b for b in _htmls(at) if f'class="{css_class}"' in b)
    rows = [
        [html.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_overview_metric_groups_table_and_findings_count_words_alike():
    from lib.loaders import load_path
    from lib.text import count_words

    seed = load_path(Path(APP).parent / "data" / "000_dce1674832fde9a1.txt").corpora[0]
    words = [count_words(r.text) for r in seed.responses]
    at = _open(_app(), "overview")
    metric = next(m for m in at.metric if m.label == "Words")
    assert metric.value == f"{sum(words):,}"
    table = _html_table(at, "chorus-table").set_index("group")
    assert table["answers"].astype(int).sum() == 16
    found = _findings(at)
    assert (
        found[0]
        == f"16 answers from 4 groups, {min(words)}-{max(words):,} words each (median 854)."
    )
    longest = next(f for f in found if "writes the longest answers" in f)
    m = re.search(
        r"Group (\w+) writes .*\(median ([\d,]+) words\), group (\w+) the shortest "
        r"\(median ([\d,]+)\)",
        longest,
    )
    assert m, longest
    assert int(table.loc[m.group(1), "median words"].replace(",", "")) == int(
        m.group(2).replace(",", "")
    )
    assert int(table.loc[m.group(3), "median words"].replace(",", "")) == int(
        m.group(4).replace(",", "")
    )
    caption = next(c.value for c in at.caption if "words long" in c.value)
    assert caption == f"16 answers, {min(words)} to {max(words):,} words long (median 854)."


def test_theme_filter_follows_a_taxonomy_edit_in_the_same_session():
    from lib.themes import load_taxonomy

    at = _app()
    at.multiselect(key="themes").set_value(["hardware"]).run()
    before = _count(at)[0]
    assert 0 < before < 16
    tax = load_taxonomy()
    tax.loc[tax["id"] == "hardware", "phrases"] = "zzqqxx"
    at.session_state["_taxonomy"] = tax  # what the Themes page's "Apply changes" stores
    at.run()
    assert _count(at) == (0, 16)


HOSTILE_GROUPS = ["![x](http://127.0.0.1:9/p.png)", "**bold**"]


def test_group_names_from_the_corpus_are_shown_literally():
    rows = [
        {"prompt": "Q?", "response": f"Answer number {i}.", "model": HOSTILE_GROUPS[i % 2]}
        for i in range(4)
    ]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    at = _open(_upload(_app(), data, "groups.jsonl"), "responses")
    line = next(m.value for m in at.markdown if m.value.startswith("**Answer 1**"))
    assert r"group **!\[x\](http://127.0.0.1:9/p.png)**" in line
    assert "![x](" not in line
    at.segmented_control(key="responses_mode").set_value("Compare").run()
    line = next(m.value for m in at.markdown if m.value.startswith("**Answer 2**"))
    assert r"group **\*\*bold\*\***" in line
    _open(at, "data")
    labels = [t.label for t in at.text_input if t.key and t.key.startswith("rename_")]
    assert labels and all("![x](" not in x and "**bold**" not in x for x in labels)
    assert any(r"!\[x\]" in x for x in labels) and any(r"\*\*bold\*\*" in x for x in labels)


def test_data_page_lists_near_misses_and_splits_at_one():
    at = _open(_app(), "data")
    buttons = [b for b in at.button if b.key and b.key.startswith("near_")]
    assert buttons, "no near misses listed"
    line = int(buttons[0].key.split("_")[1])
    assert line == 155  # the seed's best-scoring line that does not start an answer
    buttons[0].click().run()
    assert _count(at) == (17, 17)
    assert not at.exception


def test_overview_draws_light_charts_only():
    """The landing page's four small charts are Vega-Lite: no plotly.js on a first visit."""
    at = _open(_app(), "overview")
    assert len(at.get("vega_lite_chart")) == 4
    assert len(at.get("plotly_chart")) == 0


def test_a_bundled_file_changed_on_disk_is_read_again(tmp_path, monkeypatch):
    # The open corpus is remembered between calls (lib.state.loaded): a new version of the
    # file (a new modification time) must still be read again.
    import os

    path = tmp_path / "001_small.jsonl"
    rows = [{"prompt": "P?", "model": m, "response": f"Answer from {m}."} for m in "ab"]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("CHORUS_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert _count(at) == (2, 2)
    rows.append({"prompt": "P?", "model": "c", "response": "Answer from c."})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 10))
    at.run()
    assert not at.exception
    assert _count(at) == (3, 3)


# --- the Overview's theme chart shows the themes its findings name ------------------------------
def _theme_chart(at: AppTest) -> tuple[list[str], list[str], str]:
    """The Overview's "Themes by group" chart: its theme ids and labels, in order, and caption."""
    import pyarrow as pa

    chart = next(
        c
        for c in at.get("vega_lite_chart")
        if json.loads(c.proto.spec)["title"]["text"] == "Which themes each group covers"
    )
    # Streamlit sends the spec's rows apart from it, as an Arrow table.
    rows = pa.ipc.open_stream(chart.proto.data.data).read_pandas()
    caption = next(c.value for c in at.caption if "the most common" in c.value)
    return list(dict.fromkeys(rows["row_key"])), list(dict.fromkeys(rows["y"])), caption


def _amazon_app(texts: list[str] | None = None) -> AppTest:
    from tests.test_themes import AMAZON

    models = ["a", "a", "a", "b", "a", "b"]
    rows = [
        {"prompt": "Where should we go?", "response": t, "model": m}
        for t, m in zip(texts or AMAZON, models, strict=True)
    ]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    return _open(_upload(_app(), data, "amazon.jsonl"), "overview")


def _count_calls(monkeypatch, module, name: str) -> list:
    """`module.name` still works and appends to the list returned, once per call."""
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


AMAZON_THEMES = [
    "river_amazon",
    "belem",
    "market_acai",
    "manaus_jungle",
    "forest_canoe",
    "deck_hammock",
]
# Their labels, in the answers' own capitals, as the chart, sentences and filter show them.
AMAZON_LABELS = [
    "River & Amazon",
    "Belem",
    "Market & acai",
    "Manaus & jungle",
    "Forest & canoe",
    "Deck & hammock",
]


def test_overview_theme_chart_uses_the_themes_found_for_an_off_topic_corpus(monkeypatch):
    from lib import state, themes

    calls = _count_calls(monkeypatch, themes, "discover_themes")
    state._fitting_taxonomy.clear()
    at = _amazon_app()
    assert len(calls) == 1  # once for the findings and the chart
    found = _findings(at)
    assert found[1] == (
        "The default themes fit only 10% of passages, so these findings use 6 themes found in "
        "the answers themselves."
    )
    assert found[2].startswith("5 of 6 answers mention “River & Amazon”")
    ids, labels, caption = _theme_chart(at)
    # Before: the 22 default themes, of which the travel blog touches a few.
    assert ids == AMAZON_THEMES
    assert labels == AMAZON_LABELS
    assert caption == (
        "Themes found in the answers themselves, since the default themes fit only 10% of "
        "passages. 6 of 6 themes appear; the most common, “River & Amazon”, is in 5 of 6 answers."
    )
    # Every theme a sentence names is a row of the chart.
    named = {q for f in found for q in re.findall(r"“(.+?)”", f)}
    assert named and named <= set(labels)
    # A filter keeps the themes (found once, in the whole corpus) and scores the answers shown.
    at.multiselect(key="groups").set_value(["b"]).run()
    assert not at.exception, [e.value for e in at.exception]
    ids, _, caption = _theme_chart(at)
    assert ids == AMAZON_THEMES
    assert caption == (
        "Themes found in the answers themselves, since the default themes fit only 10% of "
        "passages. 3 of 6 themes appear; the most common are “Forest & canoe”, “Manaus & "
        "jungle” and “River & Amazon”, each in both answers."
    )
    assert _findings(at)[1].startswith("The default themes fit only 10% of passages")
    assert len(calls) == 1


def test_overview_theme_chart_keeps_a_theme_list_the_user_chose():
    from lib.themes import load_taxonomy

    at = _amazon_app()
    at.session_state["_taxonomy"] = load_taxonomy()  # what "Apply changes" on Themes stores
    at.run()
    ids, _, caption = _theme_chart(at)
    assert ids == list(load_taxonomy()["id"])
    assert not caption.startswith("Themes found")
    assert not any(f.startswith("The default themes fit only") for f in _findings(at))


def test_overview_theme_chart_uses_the_default_themes_for_the_seed():
    from lib.themes import load_taxonomy

    at = _open(_app(), "overview")
    ids, labels, caption = _theme_chart(at)
    assert ids == list(load_taxonomy()["id"])
    assert labels[:2] == ["Evidence for scaling", "Diminishing returns"]
    assert caption == (
        "22 of 22 themes appear; the most common are “Agency & goals”, “Evidence for scaling”, "
        "“Grounding & embodiment”, “Reasoning & planning” and “World models & causality”, each "
        "in 16 of 16 answers."
    )
    assert not any(f.startswith("The default themes fit only") for f in _findings(at))


def _costly_amazon() -> list[str]:
    """The travel blog with five more passages about money, which the default "Compute & energy
    cost" theme matches: 8 of its 30 passages (27%), between the 20% the library asks of a
    theme list and the 30% the Themes page once asked."""
    from tests.test_themes import AMAZON

    texts = list(AMAZON)
    for old, new in [
        ("at a stall.", "at a stall; it costs little."),
        ("takes five days on the Amazon.", "takes five days on the Amazon and costs little."),
        ("never paid much.", "never paid much: nothing was expensive."),
        ("by canoe.", "by canoe, at a cost of fifty dollars."),
        ("fill up fast.", "fill up fast and cost extra."),
    ]:
        i = next(i for i, t in enumerate(texts) if old in t)
        texts[i] = texts[i].replace(old, new)
    return texts


def test_overview_and_themes_page_agree_on_a_list_that_fits_a_quarter_of_passages():
    from lib.themes import load_taxonomy

    at = _amazon_app(_costly_amazon())
    ids, _, caption = _theme_chart(at)
    assert ids == list(load_taxonomy()["id"])  # the Overview keeps the default list
    assert not caption.startswith("Themes found")
    _open(at, "themes")
    assert any(
        c.value.startswith("22 themes; 27% of the passages shown (30) match at least one.")
        for c in at.caption
    )
    # Before: "Only 27% of passages match a theme: this list may not fit these answers."
    assert not [i.value for i in at.info if "may not fit" in i.value]


# --- the Themes page reads an off-topic corpus with the Overview's themes ------------------------
def _chart_rows(at: AppTest, key: str):
    """The rows of the light chart drawn with `key` (Streamlit sends them apart from the spec)."""
    import pyarrow as pa

    chart = next(c for c in at.get("vega_lite_chart") if c.proto.id.endswith(f"-{key}"))
    return pa.ipc.open_stream(chart.proto.data.data).read_pandas()


def _chosen_list(at: AppTest):
    """The theme list the user chose (lib.state.set_taxonomy), or None."""
    return at.session_state.get("_taxonomy")


FOUND_NOTE = (
    "Themes found in the answers themselves, since the default themes fit only 10% of passages."
)


def test_themes_page_reads_an_off_topic_corpus_with_the_overviews_themes(monkeypatch):
    from lib import state, themes

    calls = _count_calls(monkeypatch, themes, "discover_themes")
    state._fitting_taxonomy.clear()
    state._discovered_themes.clear()
    at = _open(_amazon_app(), "themes")
    # Said once, at the top, with what to do about it; the bottom's "may not fit" is not repeated.
    assert [i.value for i in at.info] == [
        f"{FOUND_NOTE} Rename and keep them with “Suggest themes from these answers” below, "
        "or go back to the default themes."
    ]
    assert at.button(key="themes_use_default").label == "Use the default themes"
    # Before: the 22 default themes, of which the travel blog touches a few.
    assert list(dict.fromkeys(_chart_rows(at, "themes_heatmap")["row_key"])) == AMAZON_THEMES
    assert (
        f"{FOUND_NOTE} 6 of 6 themes appear; the most common, “River & Amazon”, is in 5 of 6 "
        "answers."
    ) in [c.value for c in at.caption]
    assert any(c.value.startswith("6 themes; 87% of the passages shown (30)") for c in at.caption)
    # The sidebar filters by the same themes.
    themes_filter = at.multiselect(key="themes")
    assert themes_filter.options == AMAZON_LABELS
    # A cell's evidence is marked with the found theme's own phrases.
    rows = _chart_rows(at, "themes_heatmap")
    first = rows[(rows["row_key"] == "belem") & (rows["value"] > 0)].iloc[0]
    at.session_state["themes_heatmap"] = {
        "selection": {"pick": [{"key": first["key"], "row_key": "belem"}]}
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Evidence: Belem in #1 a" in [s.value for s in at.subheader]
    marks = re.findall(
        r'<mark class="chorus-theme" title="([^"]+)"[^>]*>([^<]+)</mark>', "".join(_htmls(at))
    )
    assert marks == [("Belem", "Belem")] * 3
    # Reading the answers with found themes does not make them the user's list.
    assert _chosen_list(at) is None
    assert len(calls) == 1  # once for the Overview, the sidebar and this page

    # "Suggest themes" offers those very themes, also under a filter: no second discovery.
    themes_filter.set_value(["belem"]).run()
    assert _count(at) == (4, 6)
    at.button(key="themes_discover").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.session_state["_discovered_themes"][1]["id"]) == AMAZON_THEMES
    assert len(calls) == 1
    # Kept, they become the user's list: the note goes, the themes stay.
    at.button(key="themes_use_found").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.session_state["_taxonomy"]["id"]) == AMAZON_THEMES
    assert not at.info
    assert list(dict.fromkeys(_chart_rows(at, "themes_heatmap")["row_key"])) == AMAZON_THEMES


def test_themes_page_goes_back_to_the_default_themes_and_forth(monkeypatch):
    from lib.themes import load_taxonomy

    default_ids = list(load_taxonomy()["id"])
    at = _open(_amazon_app(), "themes")
    at.button(key="themes_use_default").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.session_state["_taxonomy"]["id"]) == default_ids
    assert [i.value for i in at.info] == [
        "Only 10% of passages match a theme: this list may not fit these answers. Chorus can "
        "suggest themes found in the answers themselves, for you to rename and keep."
    ]
    assert not [b for b in at.button if b.key == "themes_use_default"]
    assert len(at.multiselect(key="themes").options) == 22
    assert set(_chart_rows(at, "themes_heatmap")["row_key"]) <= set(default_ids)
    _open(at, "overview")
    assert _theme_chart(at)[0] == default_ids  # the Overview follows the choice
    _open(at, "themes")
    at.session_state["themes_editor"] = True  # open the theme list box
    at.run()
    back = at.button(key="taxonomy_reset")
    assert back.label == "Back to the themes found in the answers"
    back.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["_taxonomy"] is None
    assert list(dict.fromkeys(_chart_rows(at, "themes_heatmap")["row_key"])) == AMAZON_THEMES


def test_themes_page_keeps_the_bundled_list_and_its_wording_for_the_seed():
    at = _open(_app(), "themes")
    assert not [b for b in at.button if b.key == "themes_use_default"]
    assert not any(c.value.startswith("Themes found") for c in at.caption)
    assert len(at.multiselect(key="themes").options) == 22
    at.session_state["themes_editor"] = True
    at.run()
    assert at.button(key="taxonomy_reset").label == "Back to the bundled list"
    assert _chosen_list(at) is None


def test_responses_page_marks_the_themes_found_for_an_off_topic_corpus():
    at = _open(_amazon_app(), "responses")
    # The first answer (Belem's market), named and marked with the Overview's themes.
    assert [c.value for c in at.caption if c.value.startswith("Themes: ")] == [
        "Themes: Belem, Deck & hammock, Market & acai, River & Amazon"
    ]
    marked = set(re.findall(r'<mark class="chorus-theme" title="([^"]+)"', "".join(_htmls(at))))
    assert {html.unescape(m) for m in marked} == {
        "Belem",
        "Deck & hammock",
        "Market & acai",
        "River & Amazon",
    }


def test_suggested_themes_are_found_in_the_whole_corpus_under_a_filter():
    from lib.loaders import load_path
    from lib.themes import discover_themes

    seed = load_path(Path(APP).parent / "data" / "000_dce1674832fde9a1.txt").corpora[0]
    expected = list(discover_themes(seed, random_state=0)["id"])
    at = _open(_app(), "themes")
    at.multiselect(key="groups").set_value(["A"]).run()
    assert _count(at) == (4, 16)
    at.button(key="themes_discover").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # Before: found again in the four answers shown, so each filter suggested other themes.
    assert list(at.session_state["_discovered_themes"][1]["id"]) == expected


def _download_themes_script():
    """The theme list the Data page's download would read, and the sidebar's list."""
    import streamlit as st

    from lib import state

    st.text(",".join(state.taxonomy_on_demand()()["id"]))
    st.text(",".join(state.taxonomy(fit=False)["id"]))


@pytest.mark.parametrize("eager", [True, False])
def test_theme_scores_download_reads_the_off_topic_corpus_with_its_found_themes(monkeypatch, eager):
    from lib import state
    from tests.test_themes import AMAZON

    if not eager:  # a corpus too large to fit at once: the sidebar keeps the bundled list
        monkeypatch.setattr(state, "THEME_FIT_EAGER_MAX", 1)
    rows = [{"prompt": "Where should we go?", "response": t, "model": "a"} for t in AMAZON]
    at = AppTest.from_function(_download_themes_script, default_timeout=60)
    key = "upload:test-amazon.jsonl"
    at.session_state["_uploads"] = {
        key: {"name": "amazon.jsonl", "data": "\n".join(json.dumps(r) for r in rows).encode()}
    }
    at.session_state["source"] = key
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    download, sidebar = (t.value.split(",") for t in at.text)
    assert download == AMAZON_THEMES
    assert sidebar == (AMAZON_THEMES if eager else list(state.default_taxonomy()["id"]))


def test_sidebar_lists_the_found_themes_once_a_page_has_fitted_a_large_corpus(monkeypatch):
    from lib import state
    from tests.test_themes import AMAZON

    monkeypatch.setattr(state, "THEME_FIT_EAGER_MAX", 1)  # the travel blog counts as large
    rows = [
        {"prompt": "Where should we go?", "response": t, "model": m}
        for t, m in zip(AMAZON, ["a", "a", "a", "b", "a", "b"], strict=True)
    ]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    at = _open(_upload(_app(), data, "amazon.jsonl"), "data")  # not the Overview: it fits
    default_labels = list(state.default_taxonomy()["label"])
    # Not fitted yet: the Data page and the sidebar read the bundled list, without waiting.
    themes = at.multiselect(key="themes")
    assert [themes.format_func(o) for o in themes.options] == default_labels
    _open(at, "themes")  # fits the corpus: found themes
    themes = at.multiselect(key="themes")
    assert [themes.format_func(o) for o in themes.options] == AMAZON_LABELS


def test_suggested_themes_stay_with_the_corpus_they_were_found_in():
    at = _open(_amazon_app(), "themes")
    at.button(key="themes_discover").click().run()
    assert at.data_editor(key="themes_found").value["id"].tolist() == AMAZON_THEMES
    other = [
        {"prompt": "Which pet?", "response": t, "model": m}
        for t, m in [("Cats purr and nap all day.", "a"), ("Dogs fetch sticks and bark.", "b")]
    ]
    _upload(at, "\n".join(json.dumps(r) for r in other).encode(), "pets.jsonl").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _count(at) == (2, 2)
    assert not [e for e in at.data_editor if e.key == "themes_found"]  # not the travel themes


def test_estimates_page_says_both_answers_for_two():
    rows = [
        {
            "prompt": "How far along are we?",
            "response": "We are probably 50-70% of the way there. AGI by 2035.",
            "model": "a",
        },
        {
            "prompt": "How far along are we?",
            "response": "I would say 60% of the way, likely by 2040.",
            "model": "b",
        },
    ]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    at = _open(_upload(_app(), data, "two.jsonl"), "estimates")
    captions = [c.value for c in at.caption]
    assert "Both answers give a share; median range 55-65%." in captions
    assert "3 estimates in both answers." in captions


def test_a_large_corpus_waits_for_a_theme_page_before_its_themes_are_chosen(monkeypatch):
    """Above THEME_FIT_EAGER_MAX answers, opening a corpus on the Data, Estimates or Topics
    page does not match every theme to choose the list: the sidebar offers the bundled one until the Overview (or
    the Themes page) has chosen, then the themes found in the answers, as everywhere else."""
    from lib import state, themes
    from tests.test_themes import AMAZON

    monkeypatch.setattr(state, "THEME_FIT_EAGER_MAX", 3)  # the 6-answer blog counts as large
    calls = _count_calls(monkeypatch, themes, "fitting_taxonomy")
    state._fitting_taxonomy.clear()
    rows = [{"prompt": "Where should we go?", "response": t} for t in AMAZON]
    data = "\n".join(json.dumps(r) for r in rows).encode()
    at = _app()
    before = len(calls)
    at = _open(_upload(at, data, "amazon.jsonl"), "data")
    assert len(calls) == before  # nothing matched yet
    bundled = at.multiselect(key="themes").options
    assert len(bundled) == 22
    for page in ("estimates", "topics"):  # pages without themes match none either
        at = _open(at, page)
        assert len(calls) == before, page
    at = _open(at, "overview")
    assert len(calls) == before + 1
    at = _open(at, "data")
    assert at.multiselect(key="themes").options == AMAZON_LABELS
