"""AppTest for the analysis pages (Themes, Estimates, Topics): seed, tiny corpora, filters, clicks.

Chart clicks cannot be simulated in AppTest, so a selection is injected through the chart's
key in session state, the way Streamlit stores a real plotly selection event.
"""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.loaders import load_path

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SEED = ROOT / "data" / "000_dce1674832fde9a1.txt"
TIMEOUT = 180  # a loaded 2-core machine; this is a ceiling, not a measurement


def _open(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _select(at: AppTest, key: str, customdata: list) -> None:
    at.session_state[key] = {
        "selection": {
            "points": [{"customdata": customdata, "point_index": 0}],
            "point_indices": [0],
            "box": [],
            "lasso": [],
        }
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _pick(at: AppTest, key: str, point: dict) -> None:
    """A click on a light (Vega-Lite) chart: the picked point's fields, as a browser sends them."""
    at.session_state[key] = {"selection": {"pick": [point]}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _tab(at: AppTest, key: str, label: str) -> None:
    """Open a lazy tab (only the open tab's content runs)."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _open_box(at: AppTest, key: str) -> None:
    """Open a lazy expander (its content runs only while it is open)."""
    at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def _html(at: AppTest) -> str:
    return "\n".join(h.value for h in at.html)


@pytest.fixture(scope="module")
def seed_ids() -> dict[int, str]:
    """Response index -> id, as the app's loader gives them for the seed."""
    corpus = load_path(SEED).corpora[0]
    return {r.index: r.response_id for r in corpus.responses}


@pytest.fixture
def one_answer_dir(tmp_path, monkeypatch):
    """A data folder holding one corpus of a single answer, off the topic of the taxonomy."""
    (tmp_path / "001_one.txt").write_text(
        "What do you like about Paris?\n"
        "Paris in spring is lovely. The bakeries open early and the river walks are quiet.\n"
        "It will probably rain, and museums are likely to be crowded.\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CHORUS_DATA_DIR", str(tmp_path))
    return tmp_path


# --- Themes -------------------------------------------------------------------------------------
def test_themes_seed_caption_and_clicked_cell_shows_marked_evidence(seed_ids):
    at = _open("pages/themes.py")
    assert "the most common" in " ".join(_captions(at))
    _pick(at, "themes_heatmap", {"key": seed_ids[1], "row_key": "grounding_embodiment"})
    heads = [s.value for s in at.subheader]
    assert any(h.startswith("Evidence: Grounding & embodiment in #1") for h in heads), heads
    html = _html(at)
    # the matched words are marked, inside escaped corpus text
    assert '<mark class="chorus-theme"' in html and ">Grounding</mark>" in html
    # the passage itself, fetched for the hits shown (the page keeps hits without texts)
    assert "</mark>: LLMs learn from text about the world, not from the world itself." in html
    assert any(b.label.startswith("Show only answer #1") for b in at.button)


def test_theme_scores_are_not_matched_again_when_lib_lets_the_hits_go(monkeypatch):
    """The session keeps the hits and their (answer, theme) cells together: scores computed
    again after lib's small shared cache dropped the hits do not match every answer again."""
    from lib import state, text, themes

    at = _open("pages/themes.py")
    calls = []
    real = themes._match_themes
    monkeypatch.setattr(themes, "_match_themes", lambda *a: calls.append(1) or real(*a))
    text.clear_cache()  # lib's cache let everything go
    state._theme_scores.clear()  # and the scores are asked for again
    at.run()
    assert not at.exception
    assert calls == []
    assert "the most common" in " ".join(_captions(at))


def test_themes_table_is_static_and_the_editor_opens_on_demand():
    at = _open("pages/themes.py")
    # The per-theme summary is a static, escaped table; no interactive grid on first render.
    assert len(at.dataframe) == 0
    html = _html(at)
    assert "<th>Theme</th><th>Answers</th><th>Passages</th>" in html
    assert "<td>Grounding &amp; embodiment</td>" in html
    # The theme list editor is a lazy expander: closed, its editor and buttons do not run.
    assert not [b for b in at.button if b.key == "taxonomy_apply"]
    # A fixed label: one that changed with the number of themes would close the box on edits.
    assert "Edit, download or upload the theme list" in [e.label for e in at.expander]
    _open_box(at, "themes_editor")
    assert [b.label for b in at.button if b.key == "taxonomy_apply"] == ["Apply changes"]
    at.button(key="taxonomy_apply").click().run()  # the list as shown: applied unchanged
    assert not at.exception
    assert len(at.session_state["_taxonomy"]) == 22


def test_theme_list_problems_show_with_the_editor_closed():
    at = _open("pages/themes.py")
    at.session_state["_taxonomy_problems"] = ["Row 3 has no phrases; it was left out."]
    at.run()
    assert not at.session_state["themes_editor"]  # the box is closed
    assert "Row 3 has no phrases; it was left out." in [w.value for w in at.warning]


def test_themes_by_group_and_coverage_sort(seed_ids):
    at = _open("pages/themes.py")
    at.radio(key="themes_by").set_value("group")
    at.radio(key="themes_sort").set_value("coverage").run()
    assert not at.exception
    _pick(at, "themes_heatmap", {"key": "A", "row_key": "grounding_embodiment"})
    heads = [s.value for s in at.subheader]
    assert "Evidence: Grounding & embodiment in A" in heads, heads
    at.button(key="themes_drill").click().run()
    assert not at.exception
    assert at.session_state["groups"] == ["A"]
    assert any(c.startswith("Showing 4 of 16") or "of 4 answers" in c for c in _captions(at))


def test_themes_one_off_topic_answer_offers_discovery(one_answer_dir):
    at = _open("pages/themes.py")
    infos = " ".join(i.value for i in at.info)
    assert "No theme phrase occurs in these answers" in infos
    assert "0% of passages match a theme" in infos
    at.button(key="themes_discover").click().run()
    assert not at.exception
    assert "Too little text to suggest themes" in " ".join(i.value for i in at.info)


# --- Estimates ----------------------------------------------------------------------------------
def test_estimates_seed_captions_with_numbers():
    at = _open("pages/estimates.py")
    assert "7 of 16 answers give a share; median range 50-70%." in _captions(at)
    _tab(at, "estimates_tab", "Probability words")
    caps = _captions(at)
    assert any(c.startswith("11 of 16 answers state a probability") for c in caps), caps
    assert any("CAPphrase" in c for c in caps)
    # The scale table (every phrase's number and its source) and every estimate with its quote
    # are lazy: closed, neither runs (nor loads the grid); opened, both show.
    assert len(at.dataframe) == 0
    assert any(c == "32 estimates in 13 of 16 answers." for c in caps), caps
    _open_box(at, "estimates_scale_table")
    _open_box(at, "estimates_table")
    assert len(at.dataframe) == 2
    scale = at.dataframe[0].value.set_index("phrase")
    assert scale.loc["low to moderate probability", "value"] == 30
    assert scale.loc["low to moderate probability", "source"] == "own"
    assert scale.loc["low to moderate probability", "why"].startswith("Chorus own mapping")
    assert scale.loc["likely", "source"] == "capphrase"


def test_estimates_reference_year_and_scale_change_the_charts():
    at = _open("pages/estimates.py")
    _tab(at, "estimates_tab", "Timelines")
    at.number_input(key="reference_year").set_value(2030).run()
    assert any("(reference year 2030)" in c for c in _captions(at))
    _tab(at, "estimates_tab", "Probability words")
    at.selectbox(key="scale").set_value("ipcc").run()
    assert not at.exception
    assert any(c.endswith("Scale in use: ipcc.") for c in _captions(at))


def test_estimates_filters_change_counts():
    at = _open("pages/estimates.py")
    at.text_input(key="responses").set_value("13-16").run()
    assert not at.exception
    assert "4 of 4 answers give a share; median range 50-70%." in _captions(at)


def test_estimates_clicked_interval_opens_the_answer_with_estimates_marked(seed_ids):
    at = _open("pages/estimates.py")
    _pick(at, "estimates_shares", {"response_id": seed_ids[16], "index": 16})
    assert any(s.value.startswith("Answer #16") for s in at.subheader)
    html = _html(at)
    assert '<mark class="chorus-estimate" title="share"' in html and ">50-70%</mark>" in html
    drill = next(b for b in at.button if b.label.startswith("Show only answer #16"))
    drill.click().run()
    assert not at.exception
    assert at.session_state["responses"] == "16"
    assert "1 of 1 answer gives a share: 50-70%." in _captions(at)


def test_estimates_one_answer_and_no_match():
    at = _open("pages/estimates.py")
    at.text_input(key="q").set_value("no answer says this zqxj").run()
    assert not at.exception
    assert "No answer matches the filters" in " ".join(i.value for i in at.info)


def test_estimates_one_answer_corpus(one_answer_dir):
    at = _open("pages/estimates.py")
    assert "No answer gives a share (1 shown)." in " ".join(i.value for i in at.info)
    _tab(at, "estimates_tab", "Probability words")
    assert "No answer states a probability (1 shown)." in " ".join(i.value for i in at.info)
    _tab(at, "estimates_tab", "How sure")
    hedging = [c for c in _captions(at) if c.startswith("How sure is each model?")]
    assert hedging == [
        "How sure is each model? The answers use 7.7 hedges and 0.0 boosters per 100 words "
        "on average."
    ]


# --- Topics -------------------------------------------------------------------------------------
def test_topics_seed_and_map_click_opens_answer(seed_ids):
    at = _open("pages/topics.py")
    _tab(at, "topics_tab", "Answer map")
    caps = _captions(at)
    assert any(c.startswith("16 answers in ") for c in caps), caps
    _select(at, "topics_map", [seed_ids[3], 3])
    assert any(s.value.startswith("Answer #3") for s in at.subheader)
    assert 'class="chorus-answer"' in _html(at)


def test_topics_one_answer_corpus(one_answer_dir):
    at = _open("pages/topics.py")
    _tab(at, "topics_tab", "Answer map")
    assert "The map needs at least 3 answers; 1 shown." in " ".join(i.value for i in at.info)
    _tab(at, "topics_tab", "Similarity")
    assert "Similarity needs at least two answers." in " ".join(i.value for i in at.info)


def test_topics_number_of_topics_and_heatmap_click(seed_ids):
    at = _open("pages/topics.py")
    at.select_slider(key="n_topics").set_value(3).run()
    assert not at.exception
    assert any(c.startswith("3 topics across 16 answers") for c in _captions(at))
    _pick(at, "topics_heatmap", {"key": seed_ids[5], "row_key": 1})
    assert any(s.value.startswith("Answer #5") for s in at.subheader)


@pytest.mark.parametrize("page", ["pages/themes.py", "pages/estimates.py", "pages/topics.py"])
def test_presenter_mode_hides_controls(page):
    at = _open(page)
    at.toggle(key="presenter").set_value(True).run()
    assert not at.exception
    keys = {w.key for w in at.radio} | {w.key for w in at.number_input} | {w.key for w in at.slider}
    assert not keys & {"themes_by", "themes_sort", "reference_year", "dup_threshold"}
    assert not [b for b in at.button if b.key and b.key.startswith("taxonomy_")]


# --- first render: one light chart per page, the rest behind lazy tabs ----------------------
def _charts(at: AppTest) -> dict[str, int]:
    return {kind: len(at.get(kind)) for kind in ("vega_lite_chart", "plotly_chart")}


@pytest.mark.parametrize(
    "page, tab_key, other_tab",
    [
        ("pages/themes.py", None, None),
        ("pages/estimates.py", "estimates_tab", "How sure"),
        ("pages/topics.py", "topics_tab", "Answer map"),
    ],
)
def test_first_render_draws_one_light_chart_and_tabs_run_when_opened(page, tab_key, other_tab):
    at = _open(page)
    # A first visit sends one Vega-Lite chart and no plotly chart (no plotly.js to load).
    assert _charts(at) == {"vega_lite_chart": 1, "plotly_chart": 0}
    if tab_key:
        _tab(at, tab_key, other_tab)
        assert _charts(at) == {"vega_lite_chart": 0, "plotly_chart": 1}


def test_presenter_mode_shows_every_estimates_chart():
    at = _open("pages/estimates.py")
    at.toggle(key="presenter").set_value(True).run()
    assert not at.exception
    assert _charts(at) == {"vega_lite_chart": 1, "plotly_chart": 3}


@pytest.mark.parametrize(
    "page, key, position",
    [
        ("pages/themes.py", "themes_heatmap", 0),
        ("pages/estimates.py", "estimates_shares", 0),
        ("pages/topics.py", "topics_heatmap", 0),
        # Overview's 2x2 grid lists its charts column by column: the second chart is third.
        ("pages/overview.py", "overview_1", 2),
    ],
)
def test_light_charts_offer_the_plotly_version_for_png_export(page, key, position):
    at = _open(page)
    before = _charts(at)["plotly_chart"]
    at.toggle(key=f"{key}__plotly").set_value(True).run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == before + 1
    # The plotly version is the same chart: its title is the light chart's.
    light_title = json.loads(at.get("vega_lite_chart")[position].proto.spec)["title"]["text"]
    plotly_title = json.loads(charts[-1].proto.spec)["layout"]["title"]["text"]
    assert light_title and light_title in plotly_title


def test_one_answer_corpus_reads_in_the_singular(one_answer_dir):
    at = _open("pages/overview.py")
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "1 answer · 1 group · 26 words" in sidebar, sidebar
    caps = _captions(at)
    assert "1 answer, 26 words long." in caps, caps
    assert "Showing 1 of 1 answer" in _html(at)
