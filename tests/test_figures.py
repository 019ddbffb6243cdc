"""Figure builders: asserted on fig.to_dict() data from small hand-made frames."""

import numpy as np
import pandas as pd
import pytest

from lib import figures as F

BLUE, ORANGE, GREEN = F.OKABE_ITO[0], F.OKABE_ITO[1], F.OKABE_ITO[2]


def _traces(fig):
    return fig.to_dict()["data"]


def _layout(fig):
    return fig.to_dict()["layout"]


def _axis_title(fig, axis="xaxis"):
    return _layout(fig)[axis]["title"]["text"]


# --- shared helpers --------------------------------------------------------------------------
def test_group_colors_first_appearance_okabe_ito_and_grey_for_ungrouped():
    assert F.group_colors(["gpt", "claude", "gpt", None, "grok"]) == {
        "gpt": BLUE,
        "claude": ORANGE,
        "ungrouped": F.NO_GROUP_COLOR,
        "grok": GREEN,
    }


def test_group_colors_cycle_after_eight():
    colors = F.group_colors([f"g{i}" for i in range(9)])
    assert colors["g8"] == colors["g0"] == BLUE


def test_response_label():
    assert F.response_label(3, "claude") == "#3 claude"
    assert F.response_label(3, None) == "#3"


def test_selected_customdata_reads_dicts_and_ignores_empty():
    event = {"selection": {"points": [{"customdata": ["r1", 4]}, {"x": 1}], "point_indices": []}}
    assert F.selected_customdata(event) == [["r1", 4]]
    assert F.selected_customdata(None) == []
    assert F.selected_customdata({"selection": {"points": []}}) == []
    assert F.selected_customdata({"other": 1}) == []


def test_wrap_breaks_long_text_and_keeps_plain_characters():
    assert F.wrap("aaa bbb ccc", width=7) == "aaa bbb<br>ccc"
    assert F.wrap(None) == ""
    # plotly escapes data itself; wrap must not add or drop characters of the text
    assert F.wrap("<b>x</b>") == "<b>x</b>"


# --- themes ---------------------------------------------------------------------------------
def _scores():
    rows = []
    # answers 1 (a), 2 (b), 3 (a); themes t1 "Scaling", t2 "Data"
    table = {
        (1, "a", "t1"): (2, 0.5, "scaling; compute"),
        (1, "a", "t2"): (0, 0.0, ""),
        (2, "b", "t1"): (1, 0.25, "scaling"),
        (2, "b", "t2"): (2, 0.5, "data"),
        (3, "a", "t1"): (0, 0.0, ""),
        (3, "a", "t2"): (0, 0.0, ""),
    }
    for (i, g, t), (hits, share, matched) in table.items():
        rows.append(
            {
                "response_id": f"r{i}",
                "response_index": i,
                "group": g,
                "theme_id": t,
                "theme_label": {"t1": "Scaling", "t2": "Data"}[t],
                "passages_hit": hits,
                "share": share,
                "score": share,
                "matched": matched,
            }
        )
    return pd.DataFrame(rows)


def test_theme_heatmap_by_response_sorted_by_group():
    fig = F.make_theme_heatmap(_scores(), by="response", sort="group")
    heat, cells = _traces(fig)
    assert heat["type"] == "heatmap"
    assert list(heat["x"]) == ["#1 a", "#3 a", "#2 b"]
    assert list(heat["y"]) == ["Scaling", "Data"]
    assert heat["z"] == [[50.0, 0.0, 25.0], [0.0, 0.0, 50.0]]
    # the invisible overlay makes each cell clickable with [response_id, theme_id]
    assert cells["type"] == "scatter" and cells["marker"]["opacity"] == 0
    assert [list(c) for c in cells["customdata"]] == [
        ["r1", "t1"], ["r3", "t1"], ["r2", "t1"], ["r1", "t2"], ["r3", "t2"], ["r2", "t2"],
    ]  # fmt: skip
    assert (
        cells["hovertext"][0]
        == "#1 a · Scaling<br>2 passage(s), 50% of the answer<br>words: scaling; compute"
    )
    assert fig.layout.title.text == "Which themes each answer covers"
    assert _axis_title(fig) == "Answer (number and group)"
    assert _axis_title(fig, "yaxis") == "Theme"


def test_theme_heatmap_sorted_by_coverage_puts_widest_first():
    fig = F.make_theme_heatmap(_scores(), by="response", sort="coverage")
    heat = _traces(fig)[0]
    assert list(heat["x"]) == ["#2 b", "#1 a", "#3 a"]  # 2 themes, 1 theme, none
    assert list(heat["y"]) == ["Scaling", "Data"]  # Scaling in 2 answers, Data in 1
    assert heat["z"][0] == [25.0, 50.0, 0.0]


def test_theme_heatmap_by_group_averages_share():
    fig = F.make_theme_heatmap(_scores(), by="group")
    heat, cells = _traces(fig)
    assert list(heat["x"]) == ["a", "b"]
    assert heat["z"] == [[25.0, 25.0], [0.0, 50.0]]
    assert [list(c) for c in cells["customdata"]][:2] == [["a", "t1"], ["b", "t1"]]
    assert cells["hovertext"][0].startswith("a · Scaling<br>1 of 2 answers touches it")
    assert _axis_title(fig) == "Group"


def test_theme_heatmap_rejects_unknown_options():
    with pytest.raises(ValueError):
        F.make_theme_heatmap(_scores(), by="topic")


def test_answer_phrases_agree_in_number():
    assert F.answers_phrase(7, 16, "give") == "7 of 16 answers give"
    assert F.answers_phrase(1, 16, "give") == "1 of 16 answers gives"
    assert F.answers_phrase(1, 1, "state") == "1 of 1 answer states"


def test_theme_caption_counts():
    assert F.theme_caption(_scores()) == (
        "Both themes appear; the most common, “Scaling”, is in 2 of 3 answers."
    )
    one = _scores()
    one = one[(one["theme_id"] == "t1") & (one["response_id"] == "r1")]
    assert F.theme_caption(one) == (
        "1 of 1 theme appears; the most common, “Scaling”, is in 1 of 1 answer."
    )
    none = _scores().assign(passages_hit=0)
    assert F.theme_caption(none) == "No answer matches a theme of the taxonomy (3 shown)."


def test_theme_caption_names_every_theme_tied_for_most_common():
    # "Data" also in answer 3: both themes in 2 of 3 answers. Neither is "the most common".
    tied = _scores()
    tied.loc[(tied["response_id"] == "r3") & (tied["theme_id"] == "t2"), "passages_hit"] = 1
    assert F.theme_caption(tied) == (
        "Both themes appear; the most common are “Data” and “Scaling”, each in 2 of 3 answers."
    )


def test_theme_caption_names_all_of_many_tied_themes():
    names = [f"T{i}" for i in range(1, 8)]
    scores = pd.DataFrame(
        {
            "response_id": "r1",
            "response_index": 1,
            "group": "a",
            "theme_id": [f"t{i}" for i in range(1, 8)],
            "theme_label": names,
            "passages_hit": 1,
            "share": 1.0,
            "score": 1.0,
            "matched": "x",
        }
    )
    assert F.theme_caption(scores) == (
        "7 of 7 themes appear; the most common are “T1”, “T2”, “T3”, “T4”, “T5”, “T6” and "
        "“T7”, each in 1 of 1 answer."
    )


def test_theme_caption_says_when_the_themes_were_found_in_the_answers():
    why = (
        "Themes found in the answers themselves, since the default themes fit only 4% of passages."
    )
    assert F.theme_caption(_scores(), default_coverage=0.04) == (
        f"{why} Both themes appear; the most common, “Scaling”, is in 2 of 3 answers."
    )
    none = _scores().assign(passages_hit=0)
    assert F.theme_caption(none, default_coverage=0.04) == (
        f"{why} No answer matches a theme of the taxonomy (3 shown)."
    )


# --- estimates --------------------------------------------------------------------------------
def _estimates():
    base = {
        "year_low": np.nan,
        "year_high": np.nan,
        "years_low": np.nan,
        "years_high": np.nan,
        "about": "",
        "scale": "",
        "confidence": 1.0,
        "start": 0,
        "end": 1,
    }
    rows = [
        dict(base, response_index=1, response_id="r1", group="a", kind="share", low=50.0,
             high=70.0, quote="50-70%", sentence="We are 50-70% of the way.", attributed_to=None),
        dict(base, response_index=2, response_id="r2", group="b", kind="share", low=20.0,
             high=20.0, quote="20%", sentence="Experts say 20%.", attributed_to="experts"),
        dict(base, response_index=1, response_id="r1", group="a", kind="share", low=60.0,
             high=60.0, quote="60%", sentence="Maybe 60%.", attributed_to=None),
        dict(base, response_index=2, response_id="r2", group="b", kind="timeline", low=np.nan,
             high=np.nan, year_low=2030, year_high=2040, quote="2030-2040",
             sentence="AGI by 2030-2040.", attributed_to=None),
        dict(base, response_index=3, response_id="r3", group="a", kind="timeline", low=np.nan,
             high=np.nan, years_low=10, years_high=20, quote="10-20 years",
             sentence="In 10-20 years.", attributed_to=None),
        dict(base, response_index=3, response_id="r3", group="a", kind="probability",
             low=60.0, high=80.0, quote="likely", sentence="It is likely.", attributed_to=None),
        dict(base, response_index=2, response_id="r2", group="b", kind="probability",
             low=30.0, high=30.0, quote="30% chance", sentence="A 30% chance.", attributed_to=None),
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_share_chart_intervals_in_percent_own_vs_attributed():
    fig = F.make_share_chart(_estimates())
    own, attributed = _traces(fig)
    assert own["name"] == "a · own view" and attributed["name"] == "b · attributed"
    assert own["x"] == [50.0, 70.0, None, 60.0, 60.0, None]
    assert own["y"] == ["#1 a", "#1 a", None, "#1 a ·2", "#1 a ·2", None]
    assert own["marker"]["symbol"] == "circle" and attributed["marker"]["symbol"] == "circle-open"
    assert own["line"]["dash"] == "solid" and attributed["line"]["dash"] == "dot"
    assert own["line"]["color"] == BLUE and attributed["line"]["color"] == ORANGE
    assert own["customdata"][0] == ["r1", 1]
    assert "We are 50-70% of the way." in own["hovertext"][0]
    assert "attributed to experts" in attributed["hovertext"][0]
    assert _layout(fig)["legend"]["title"]["text"] == "solid = own view, hollow = attributed"
    assert _axis_title(fig) == "Share (%)"
    assert _axis_title(fig, "yaxis") == "Answer"


def test_share_caption_uses_medians_of_own_estimates():
    # own estimates 50-70 and 60 -> median low 55, median high 65; "experts say 20%" is ignored
    assert F.share_caption(_estimates(), 16) == "2 of 16 answers give a share; median range 55-65%."
    one = _estimates().iloc[[2]]
    assert F.share_caption(one, 1) == "1 of 1 answer gives a share: 60%."
    assert F.share_caption(_estimates().iloc[0:0], 4) == "No answer gives a share (4 shown)."


def test_timeline_chart_calendar_years_from_reference_year():
    fig = F.make_timeline_chart(_estimates(), reference_year=2025)
    traces = _traces(fig)
    xs = {t["name"]: t["x"] for t in traces}
    assert xs == {"a · own view": [2035.0, 2045.0, None], "b · own view": [2030.0, 2040.0, None]}
    shapes = _layout(fig)["shapes"]
    assert shapes[0]["x0"] == 2025 and shapes[0]["line"]["dash"] == "dash"
    assert _layout(fig)["annotations"][0]["text"] == "now: 2025"
    assert _axis_title(fig) == "Year"
    # moving the reference year moves relative estimates only
    later = {t["name"]: t["x"] for t in _traces(F.make_timeline_chart(_estimates(), 2030))}
    assert later["a · own view"] == [2040.0, 2050.0, None]
    assert later["b · own view"] == [2030.0, 2040.0, None]


def test_timeline_caption():
    assert F.timeline_caption(_estimates(), 3, 2025) == (
        "2 of 3 answers give a timeline of their own; each answer's earliest year: 2030 to 2035, "
        "median 2032.5 (reference year 2025)."
    )


def test_timeline_caption_counts_each_answer_once_and_apart_from_others_views():
    est = _estimates()
    timeline = est[est["kind"] == "timeline"].iloc[0]
    # Answer 2 also gives a later timeline (ASI) and reports Kurzweil's earlier one: its
    # earliest own year is still 2030, and neither row is one more answer.
    more = pd.DataFrame(
        [
            dict(timeline, year_low=2045, year_high=2045, quote="2045"),
            dict(timeline, year_low=2029, year_high=2029, quote="2029", attributed_to="Kurzweil"),
        ]
    )
    est = pd.concat([est, more], ignore_index=True)
    assert F.timeline_caption(est, 3, 2025) == (
        "2 of 3 answers give a timeline of their own; each answer's earliest year: 2030 to 2035, "
        "median 2032.5 (reference year 2025)."
    )
    one = est[est["response_index"] == 3]
    assert F.timeline_caption(one, 3, 2025) == (
        "1 of 3 answers gives a timeline of its own; earliest year 2035 (reference year 2025)."
    )
    cited = est.assign(attributed_to="Kurzweil")
    assert F.timeline_caption(cited, 3, 2025) == (
        "2 of 3 answers cite only other people's timelines (reference year 2025)."
    )
    mixed = est.assign(
        attributed_to=est["attributed_to"].where(est["response_index"] != 3, "Kurzweil")
    )
    assert F.timeline_caption(mixed, 3, 2025) == (
        "1 of 3 answers gives a timeline of its own; earliest year 2030; 1 more only cites "
        "others' (reference year 2025)."
    )


def _scale():
    return pd.DataFrame(
        {
            "phrase": ["unlikely", "likely", "very likely"],
            "value": [20.0, 70.0, 85.0],
            "low": [10.0, 60.0, 80.0],
            "high": [30.0, 80.0, 90.0],
            "source": ["s"] * 3,
        }
    )


def test_probability_chart_one_row_per_wording_used():
    est = pd.concat(
        [_estimates(), _estimates().iloc[[5]].assign(response_id="r4", response_index=4)],
        ignore_index=True,
    )
    fig = F.make_probability_chart(est, _scale())
    band, tick, a_uses, b_uses = _traces(fig)
    # only "likely" is used; its spread comes from the estimates, its number from the scale
    assert band["type"] == "bar" and band["y"] == ["likely"]
    assert band["base"] == [60.0] and band["x"] == [20.0]
    assert tick["x"] == [70.0]
    assert a_uses["y"] == ["likely"] and a_uses["x"] == [70.0]
    assert a_uses["marker"]["size"] == [20]  # used twice
    assert a_uses["customdata"] == [["r3", 3]]
    assert "#3 a: It is likely.<br>#4 a: It is likely." in a_uses["hovertext"][0]
    assert b_uses["y"] == [F.STATED_ROW] and b_uses["x"] == [30.0]
    assert a_uses["marker"]["color"] == BLUE and b_uses["marker"]["color"] == ORANGE
    assert list(_layout(fig)["yaxis"]["categoryarray"]) == [F.STATED_ROW, "likely"]
    assert _axis_title(fig) == "Probability (%)"
    assert _layout(fig)["scattermode"] == "group"


def test_stated_numbers_keep_their_own_dots_and_no_mean():
    # Two numbers from one group rate different claims: two dots at 15 and 60, never one
    # at their mean (37.5), and the caption gives no "about N%" for them.
    stated = _estimates().iloc[[6]]
    est = pd.concat(
        [
            stated.assign(low=15.0, high=15.0, quote="15%", about="Scenario 1"),
            stated.assign(low=60.0, high=60.0, quote="60%", about="Scenario 2"),
        ],
        ignore_index=True,
    )
    (b_uses,) = _traces(F.make_probability_chart(est, _scale()))[2:]
    assert b_uses["y"] == [F.STATED_ROW, F.STATED_ROW] and b_uses["x"] == [15.0, 60.0]
    assert b_uses["hovertext"][0].startswith("b: 15% about Scenario 1<br>")
    assert F.probability_caption(est, 4, _scale()) == (
        "1 of 4 answers states a probability (2 in all); "
        "the most used wording is numbers stated outright (2x)."
    )


def test_probability_chart_with_no_estimates_shows_the_scale():
    fig = F.make_probability_chart(_estimates().iloc[0:0], _scale())
    band, tick = _traces(fig)
    assert band["y"] == ["very likely", "likely", "unlikely"]
    assert band["base"] == [80.0, 60.0, 10.0] and band["x"] == [10.0, 20.0, 20.0]
    assert tick["x"] == [85.0, 70.0, 20.0]


def test_probability_caption():
    assert F.probability_caption(_estimates(), 4, _scale()) == (
        "2 of 4 answers state a probability (2 in all); "
        "the most used wording is “likely” (1x, about 70%)."
    )
    assert F.probability_caption(_estimates().iloc[0:0], 4) == (
        "No answer states a probability (4 shown)."
    )


def test_estimate_charts_accept_nullable_dtypes_from_the_extractor():
    est = _estimates()
    for col in ("low", "high", "years_low", "years_high"):
        est[col] = est[col].astype("Float64")
    for col in ("year_low", "year_high"):
        est[col] = est[col].astype("Int64")
    shares = {t["name"]: t["x"] for t in _traces(F.make_share_chart(est))}
    assert shares["a · own view"][:2] == [50.0, 70.0]
    times = {t["name"]: t["x"] for t in _traces(F.make_timeline_chart(est, 2025))}
    assert times["b · own view"] == [2030.0, 2040.0, None]


def _hedging():
    return pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3"],
            "response_index": [1, 2, 3],
            "group": ["a", "b", "a"],
            "words": [100, 200, 100],
            "hedges": [2, 2, 4],
            "boosters": [1, 0, 1],
            "hedges_per_100": [2.0, 1.0, 4.0],
            "boosters_per_100": [1.0, 0.0, 1.0],
        }
    )


def test_hedging_chart_dots_and_group_averages():
    fig = F.make_hedging_chart(_hedging())
    a, a_mean, b, b_mean = _traces(fig)
    assert b_mean["x"] == [1.0] and b_mean["showlegend"] is False
    assert list(a["x"]) == [2.0, 4.0] and list(a["y"]) == [1.0, 1.0]
    assert list(a["text"]) == ["#1", "#3"]
    assert a_mean["x"] == [3.0] and a_mean["marker"]["symbol"] == "diamond"
    assert b["marker"]["color"] == ORANGE and list(b["x"]) == [1.0]
    assert a["hovertext"][0] == "#1 a: 2.0 hedges and 1.0 boosters per 100 words (100 words)"
    assert _axis_title(fig).startswith("Hedges per 100 words")


def test_hedging_caption_names_most_and_least_cautious():
    assert F.hedging_caption(_hedging()) == (
        "Most cautious: a (3.0 hedges per 100 words); least: b (1.0)."
    )


# --- topics, map, similarity ----------------------------------------------------------------
def _topic_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two answers and two topics: answer 1 is 75% compute, answer 2 all data."""
    rt = pd.DataFrame(
        {
            "response_id": ["r1", "r1", "r2"],
            "response_index": [1, 1, 2],
            "group": ["a", "a", "b"],
            "topic_id": [0, 1, 1],
            "share": [0.75, 0.25, 1.0],
        }
    )
    topics = pd.DataFrame(
        {
            "topic_id": [0, 1],
            "label": ["compute", "data"],
            "top_terms": [["gpu", "flops"], ["data"]],
        }
    )
    return rt, topics


def test_topic_heatmap_shares_and_clickable_cells():
    rt, topics = _topic_frames()
    fig = F.make_topic_heatmap(rt, topics)
    heat, cells = _traces(fig)
    assert list(heat["y"]) == ["T0: compute", "T1: data"]
    assert list(heat["x"]) == ["#1 a", "#2 b"]
    assert heat["z"] == [[75.0, 0.0], [25.0, 100.0]]
    assert [list(c) for c in cells["customdata"]] == [["r1", 0], ["r2", 0], ["r1", 1], ["r2", 1]]
    assert cells["hovertext"][0] == "#1 a · T0: compute: 75% of the answer<br>terms: gpu, flops"
    assert _axis_title(fig, "yaxis") == "Topic"


def test_answer_map_points_per_group():
    m = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3"],
            "response_index": [1, 2, 3],
            "group": ["a", "b", "a"],
            "x": [0.1, -0.2, 0.3],
            "y": [0.0, 0.5, -0.5],
            "cluster": [1, 2, 1],
        }
    )
    fig = F.make_answer_map(m)
    a, b = _traces(fig)
    assert list(a["x"]) == [0.1, 0.3] and list(a["y"]) == [0.0, -0.5]
    assert list(a["text"]) == ["#1", "#3"] and a["customdata"] == [["r1", 1], ["r3", 3]]
    assert a["hovertext"][0] == "#1 a · cluster 1"
    assert b["marker"]["color"] == ORANGE
    assert _axis_title(fig) == "map dimension 1 (no units)"


def test_similarity_heatmap_values_and_hover():
    sim = pd.DataFrame([[1.0, 0.25], [0.25, 1.0]], index=["#1 a", "#2 b"], columns=["#1 a", "#2 b"])
    heat = _traces(F.make_similarity_heatmap(sim))[0]
    assert heat["z"] == [[None, 0.25], [0.25, None]]  # the diagonal is blank
    assert heat["hovertext"][0][1] == "#1 a vs #2 b: 0.25"
    assert heat["hovertext"][0][0] == "same answer"
    assert heat["zmin"] == 0 and heat["zmax"] == 0.25


def test_distinctive_chart_one_panel_per_group_sorted():
    words = pd.DataFrame(
        {
            "group": ["a", "a", "b"],
            "term": ["compute", "scale", "data"],
            "log_odds_z": [3.0, 5.0, 2.5],
            "count": [4, 6, 3],
            "rank": [2, 1, 1],
        }
    )
    fig = F.make_distinctive_chart(words)
    a, b = _traces(fig)
    assert list(a["y"]) == ["compute", "scale"] and list(a["x"]) == [3.0, 5.0]
    assert a["marker"]["color"] == BLUE and b["marker"]["color"] == ORANGE
    assert b["xaxis"] == "x2"
    assert [an["text"] for an in _layout(fig)["annotations"]] == ["a", "b"]


def test_group_consistency_chart_reads_library_columns():
    c = pd.DataFrame(
        {
            "group": ["a", "b"],
            "within_similarity": [0.5, np.nan],
            "between_similarity": [0.2, 0.3],
            "n": [2, 1],
        }
    )
    within, between = _traces(F.make_group_consistency_chart(c))
    assert list(within["x"]) == ["a", "b"] and within["y"][0] == 0.5
    assert within["y"][1] is None  # a group of one answer has no within-group pair
    assert list(between["y"]) == [0.2, 0.3]
    assert F.consistency_caption(c) == (
        "In 1 of 1 group the answers resemble each other more than they resemble other groups."
    )


def test_length_chart_words_per_answer():
    frame = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3"],
            "index": [1, 2, 3],
            "group": ["b", "a", "b"],
            "text": ["one two three", "one", "one two"],
        }
    )
    fig = F.make_length_chart(frame, compact=True)
    a, b = _traces(fig)
    assert a["name"] == "a" and list(a["y"]) == [1]
    assert list(b["x"]) == ["#1 b", "#3 b"] and list(b["y"]) == [3, 2]
    assert _layout(fig)["font"]["size"] == 14
    assert F.length_caption(frame) == "3 answers, 1 to 3 words long (median 2)."


def test_length_sentence_reads_well_for_one_answer_and_equal_lengths():
    assert F.length_sentence(16, 210, 1206, 700) == (
        "16 answers, 210 to 1,206 words long (median 700)."
    )
    assert F.length_sentence(1, 36, 36, 36) == "1 answer, 36 words long."
    assert F.length_sentence(1, 1, 1, 1) == "1 answer, 1 word long."
    assert F.length_sentence(3, 36, 36, 36) == "3 answers, each 36 words long."


@pytest.mark.parametrize("compact, size", [(True, 14), (False, 18)])
def test_fonts_are_projector_sized(compact, size):
    fig = F.make_hedging_chart(_hedging(), compact=compact)
    assert _layout(fig)["font"]["size"] == size
    assert _layout(fig)["title"]["font"]["size"] == size + 4
    assert _layout(fig)["xaxis"]["tickfont"]["size"] == size


def test_seed_answer_map_figure(seed_labelled):
    from lib.similarity import answer_map

    fig = F.make_answer_map(answer_map(seed_labelled))
    traces = _traces(fig)
    assert [t["name"] for t in traces] == ["claude", "gemini", "gpt", "grok"]
    assert sum(len(t["x"]) for t in traces) == 16


def test_builders_accept_empty_frames():
    """Pages show a note instead, but a builder handed nothing must not raise."""
    est = _estimates().iloc[0:0]
    F.make_share_chart(est)
    F.make_timeline_chart(est, 2025)
    F.make_theme_heatmap(_scores().iloc[0:0])
    F.make_hedging_chart(_hedging().iloc[0:0])
    assert F.timeline_caption(est, 2, 2025) == (
        "No answer gives a date or a number of years (2 shown)."
    )


def test_group_colours_stay_put_when_a_chart_lacks_a_group():
    est = _estimates()
    full = F.group_colors(["a", "b"])
    only_b = est[est["group"] == "b"]
    traces = _traces(F.make_timeline_chart(only_b, 2025, colors=full))
    assert traces[0]["name"] == "b · own view" and traces[0]["line"]["color"] == ORANGE
    # without the caller's colours, groups are coloured in sorted order of those present
    assert _traces(F.make_timeline_chart(only_b, 2025))[0]["line"]["color"] == BLUE
    # a group the caller did not know gets a colour of its own
    extra = _traces(F.make_hedging_chart(_hedging(), colors={"b": BLUE}))
    assert extra[0]["name"] == "a" and extra[0]["marker"]["color"] == ORANGE


# --- light (Vega-Lite) charts ------------------------------------------------------------------
def _values_of(spec):
    return spec["data"]["values"]


def _layers(spec):
    return spec.get("layer", [spec])


def test_light_theme_heatmap_matches_the_plotly_cells_and_picks_answer_and_theme():
    spec = F.light_theme_heatmap(_scores(), by="response", sort="group")
    cells = [(c["x"], c["y"], c["value"], c["key"], c["row_key"]) for c in _values_of(spec)]
    # The same grid as make_theme_heatmap: z [[50, 0, 25], [0, 0, 50]], columns by group.
    assert cells == [
        ("#1 a", "Scaling", 50.0, "r1", "t1"), ("#3 a", "Scaling", 0.0, "r3", "t1"),
        ("#2 b", "Scaling", 25.0, "r2", "t1"), ("#1 a", "Data", 0.0, "r1", "t2"),
        ("#3 a", "Data", 0.0, "r3", "t2"), ("#2 b", "Data", 50.0, "r2", "t2"),
    ]  # fmt: skip
    assert (
        _values_of(spec)[0]["detail"] == "2 passage(s), 50% of the answer; words: scaling; compute"
    )
    assert spec["title"]["text"] == "Which themes each answer covers"
    enc = spec["encoding"]
    assert enc["x"]["title"] == "Answer (number and group)" and enc["y"]["title"] == "Theme"
    assert enc["x"]["sort"] == ["#1 a", "#3 a", "#2 b"] and enc["y"]["sort"] == ["Scaling", "Data"]
    assert spec["params"][0]["select"]["fields"] == ["key", "row_key"]


def test_light_theme_heatmap_by_group_and_coverage_sort():
    by_group = F.light_theme_heatmap(_scores(), by="group")
    assert [(c["x"], c["value"]) for c in _values_of(by_group)][:2] == [("a", 25.0), ("b", 25.0)]
    assert by_group["encoding"]["x"]["title"] == "Group"
    coverage = F.light_theme_heatmap(_scores(), sort="coverage")
    assert coverage["encoding"]["x"]["sort"] == ["#2 b", "#1 a", "#3 a"]


def test_light_topic_heatmap_cells_pick_answer_and_topic():
    rt, topics = _topic_frames()
    spec = F.light_topic_heatmap(rt, topics)
    cells = [(c["x"], c["y"], c["value"], c["key"], c["row_key"]) for c in _values_of(spec)]
    assert cells == [
        ("#1 a", "T0: compute", 75.0, "r1", 0), ("#2 b", "T0: compute", 0.0, "r2", 0),
        ("#1 a", "T1: data", 25.0, "r1", 1), ("#2 b", "T1: data", 100.0, "r2", 1),
    ]  # fmt: skip
    assert _values_of(spec)[0]["detail"] == "75% of the answer; terms: gpu, flops"
    assert spec["encoding"]["y"]["title"] == "Topic"


def test_light_share_chart_percent_own_vs_attributed_and_clickable_dots():
    spec = F.light_share_chart(_estimates(), colors={"a": BLUE, "b": ORANGE})
    rows = [(r["answer"], r["low"], r["high"], r["view"], r["index"]) for r in _values_of(spec)]
    assert rows == [
        ("#1 a", 50.0, 70.0, "own view", 1),
        ("#1 a ·2", 60.0, 60.0, "own view", 1),
        ("#2 b", 20.0, 20.0, "attributed", 2),
    ]
    rule, dots = spec["layer"]
    assert (
        rule["encoding"]["x"]["title"] == "Share (%)" and rule["encoding"]["x2"]["field"] == "high"
    )
    assert dots["params"][0]["select"]["fields"] == ["response_id", "index"]
    color = dots["encoding"]["color"]
    assert color["title"] == "solid = own view, hollow = attributed"
    assert color["scale"] == {"domain": ["a", "b"], "range": [BLUE, ORANGE]}
    assert spec["title"]["text"] == "Shares the answers give (low to high)"


def test_light_length_and_map_charts():
    frame = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3"],
            "index": [1, 2, 3],
            "group": ["b", "a", "b"],
            "text": ["one two three", "one", "one two"],
        }
    )
    spec = F.light_length_chart(frame)
    assert [(r["answer"], r["words"]) for r in _values_of(spec)] == [
        ("#2 a", 1), ("#1 b", 3), ("#3 b", 2),
    ]  # fmt: skip
    assert spec["encoding"]["x"]["title"] == "Answer" and spec["encoding"]["y"]["title"] == "Words"
    assert spec["params"][0]["select"]["fields"] == ["response_id", "index"]
    m = pd.DataFrame(
        {
            "response_id": ["r1", "r2"],
            "response_index": [1, 2],
            "group": ["a", "b"],
            "x": [0.1, -0.2],
            "y": [0.0, 0.5],
            "cluster": [1, 2],
        }
    )
    amap = F.light_answer_map(m)
    assert [(r["label"], r["answer"], r["cluster"]) for r in _values_of(amap)] == [
        ("#1", "#1 a", 1), ("#2", "#2 b", 2),
    ]  # fmt: skip
    assert amap["layer"][0]["encoding"]["x"]["title"] == "map dimension 1 (no units)"


def test_light_selected_reads_the_browser_event_in_the_spec_fields_order():
    spec = F.light_length_chart(
        pd.DataFrame({"response_id": ["r1"], "index": [1], "group": ["a"], "text": ["x"]})
    )
    # What Streamlit stores after a click: the picked points' fields (any order).
    event = {"selection": {"pick": [{"index": 5, "response_id": "r5"}]}}
    assert F.light_selected(event, spec) == [["r5", 5]]
    assert F.light_selected(
        {"selection": {"pick": {"response_id": ["r5"], "index": [5]}}}, spec
    ) == [["r5", 5]]
    # Before any click the selection is an empty object.
    assert F.light_selected({"selection": {"pick": {}}}, spec) == []
    assert F.light_selected(None, spec) == []


def test_light_builders_accept_empty_frames():
    empty_scores = _scores().iloc[0:0]
    assert _values_of(F.light_theme_heatmap(empty_scores)) == []
    assert _values_of(F.light_share_chart(_estimates().iloc[0:0])) == []


def test_light_heatmap_colour_scale_starts_at_zero_and_never_collapses():
    rt, topics = _topic_frames()
    assert F.light_topic_heatmap(rt, topics)["encoding"]["color"]["scale"]["domain"] == [0, 100.0]
    # No answer on any theme: the scale runs 0-1, so every cell shows as the lightest shade.
    none = _scores().assign(share=0.0, passages_hit=0, score=0.0)
    spec = F.light_theme_heatmap(none, by="group")
    assert spec["encoding"]["color"]["scale"]["domain"] == [0, 1.0]


# --- two answers: "both", never "2 of 2" ------------------------------------------------------
def test_two_answers_read_both_in_captions_and_hover():
    scores = _scores()
    two = scores[scores["response_id"].isin(["r1", "r2"])].assign(group="a")
    assert F.theme_caption(two) == (
        "Both themes appear; the most common, “Scaling”, is in both answers."
    )
    cells = _traces(F.make_theme_heatmap(two, by="group"))[1]
    assert list(cells["hovertext"]) == [
        "a · Scaling<br>Both answers touch it; mean share of passages 38%",
        "a · Data<br>1 of 2 answers touches it; mean share of passages 25%",
    ]
    assert F.answers_phrase(2, 2, "give") == "Both answers give"
    assert F.answers_phrase(1, 2, "give") == "1 of 2 answers gives"
    own = _estimates().iloc[[0, 2]].assign(response_index=[1, 2], response_id=["r1", "r2"])
    assert F.share_caption(own, 2) == "Both answers give a share; median range 55-65%."
    points = own.assign(low=[60.0, 60.0], high=[60.0, 60.0])
    assert F.share_caption(points, 3) == "2 of 3 answers give a share; median 60%."
    c = pd.DataFrame(
        {
            "group": ["a", "b"],
            "within_similarity": [0.5, 0.6],
            "between_similarity": [0.2, 0.3],
            "n": [2, 2],
        }
    )
    assert F.consistency_caption(c) == (
        "In both groups the answers resemble each other more than they resemble other groups."
    )
