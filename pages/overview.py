"""Overview: the corpus at a glance, the key findings, and small versions of the main charts."""

from collections.abc import Callable

import streamlit as st

from lib import state
from lib.figures import length_sentence, stable_group_colors
from lib.findings import group_summary, word_summary
from lib.highlight import escape_text, table_html
from lib.report import build_report
from lib.text import word_counts

state.page_header(
    "Overview",
    "Many answers to one prompt: who said what, how sure they were, and where they agree.",
)
if state.load_problem():
    st.stop()
full = state.current_corpus()
corpus = state.filtered_corpus()

if full.prompt:
    st.html(f'<div class="chorus-prompt"><b>Prompt:</b> {escape_text(full.prompt)}</div>')
words = state.word_count(corpus)
groups = sorted({r.group for r in corpus.responses if r.group})
m = st.columns(4)
m[0].metric("Answers", f"{len(corpus)} of {len(full)}")
m[1].metric("Groups", len(groups))
m[2].metric("Words", f"{words:,}")
m[3].metric("Prompts", len(state.prompts()))

if not corpus.responses:
    state.empty_state("No answer matches the filters. Press “Reset filters” in the sidebar.")
    st.stop()

st.subheader("Groups")
st.caption(
    "Answers with a model label are grouped by it; otherwise by writing style alone. "
    "Name the groups on the Data page."
)
# The same numbers the key findings read out (lib.findings.group_summary counts both).
groups_table = group_summary(corpus).drop(columns=["min_words", "max_words"])
# A few rows: a static table draws at once, without loading the interactive grid's scripts.
st.html(table_html(groups_table.rename(columns={"median_words": "median words"})))

st.subheader("Key findings")
found = state.findings(corpus)
# The themes the findings name: the chart below shows the same ones (found in the answers
# when the default list barely fits them).
theme_list, default_coverage = state.findings_taxonomy(corpus)
if found:
    items = "".join(f"<li>{escape_text(t)}</li>" for t in found)
    st.html(f'<ul class="chorus-findings">{items}</ul>')
else:
    st.caption("No findings stand out for these answers.")


def _sampled(frame, caption: str):
    """A small chart stays small: past `state.MAX_CHART_ANSWERS` answers it shows an even
    sample of them, since a browser drawing 10,000 bars or labelled dots takes tens of seconds."""
    ids = state.chart_sample(corpus)
    if ids is None:
        return frame, caption
    part = frame[frame["response_id"].isin(ids)]
    return part, f"{caption} {state.sample_note(ids, corpus)}."


def _colors() -> dict:
    """Colours keyed on the full corpus's groups, so a group keeps its colour under filters."""
    return {"colors": stable_group_colors(r.group for r in full.responses)}


# Each builder gives (light chart, caption, data, plotly figure maker): the page draws the
# light Vega-Lite chart (no plotly.js to load on the landing page); the HTML report makes the
# plotly figure only when it is downloaded.
def _length():
    from lib.figures import light_length_chart, make_length_chart

    frame = corpus.responses_frame().assign(words=word_counts(corpus))
    w = word_summary(corpus)
    # The findings' numbers, so the page states one word count throughout.
    caption = length_sentence(w["answers"], w["min_words"], w["max_words"], w["median_words"])
    shown, caption = _sampled(frame.drop(columns="text"), caption)
    colors = _colors()
    return (
        light_length_chart(shown, **colors),
        caption,
        frame.drop(columns="text"),
        lambda: make_length_chart(shown, compact=True, **colors),
    )


def _themes():
    from lib.figures import light_theme_heatmap, make_theme_heatmap, theme_caption

    scores = state.theme_scores(corpus, theme_list)
    return (
        light_theme_heatmap(scores, by="group", compact=True),
        theme_caption(scores, default_coverage),
        scores,
        lambda: make_theme_heatmap(scores, by="group", compact=True),
    )


def _shares():
    from lib.figures import light_share_chart, make_share_chart, share_caption

    est = state.estimates(corpus)
    shown, caption = _sampled(est, share_caption(est, len(corpus)))
    colors = _colors()
    return (
        light_share_chart(shown, compact=True, **colors),
        caption,
        est,
        lambda: make_share_chart(shown, compact=True, **colors),
    )


def _map():
    from lib.figures import light_answer_map, make_answer_map

    amap = state.answer_map(corpus)
    caption = "Answers that say similar things sit close together; the axes have no units."
    shown, caption = _sampled(amap, caption)
    colors = _colors()
    return (
        light_answer_map(shown, **colors),
        caption,
        amap,
        lambda: make_answer_map(shown, compact=True, **colors),
    )


# (title, builder, page to open, link label): small charts, each a door to its page.
CHARTS: list[tuple[str, Callable, str, str]] = [
    ("Answer lengths", _length, "pages/responses.py", "Read the answers"),
    ("Themes by group", _themes, "pages/themes.py", "Explore themes"),
    ("Shares the answers give", _shares, "pages/estimates.py", "See all estimates"),
    ("Answer map", _map, "pages/topics.py", "Explore topics"),
]

report_charts = []
cols = st.columns(1 if state.presenter_mode() else 2)
for n, (title, build, page, link) in enumerate(CHARTS):
    with cols[n % len(cols)]:
        spec, caption, data, make_figure = state.cached_chart(
            f"overview:{title}", corpus, build, tax=theme_list
        )
        report_charts.append((title, caption, make_figure))
        key = f"overview_{n}"
        points = state.show_light_chart(
            spec, key=key, caption=caption, data=data, selectable=n == 0, figure=make_figure
        )
        picked = [int(p[1]) for p in points if len(p) > 1 and p[1] is not None]
        if picked:
            # Drill down: a click on an answer's bar opens it on the Responses page.
            state.set_filter("responses", picked)
            st.switch_page("pages/responses.py")
        st.page_link(page, label=link, icon="➡️")

if not state.presenter_mode():
    st.divider()
    summary = {
        "Prompt": full.prompt or "—",
        "Answers": f"{len(corpus)} of {len(full)}",
        "Groups": ", ".join(groups) or "—",
        "Words": f"{words:,}",
        "Filters": state.filter_summary(len(corpus), len(full)),
    }
    findings_now, charts_now = list(found), list(report_charts)
    st.download_button(
        "⬇️ Download this view as an HTML report",
        # Built only when clicked (on another thread, plain lib calls), so reruns stay fast.
        data=lambda: build_report(
            "Chorus report", findings_now, [(t, c, make()) for t, c, make in charts_now], summary
        ),
        file_name="chorus-report.html",
        mime="text/html",
        key="report_html",
        on_click="ignore",
        help="One self-contained file (charts included) that opens offline.",
    )
