"""Estimates: the shares, dates and probabilities the answers give, and how sure they sound."""

from datetime import date

import pandas as pd
import streamlit as st

from lib import figures, state
from lib.estimates import hedging
from lib.highlight import (
    Span,
    count_phrase,
    escape_markdown,
    highlight_html,
    legend_html,
    of_phrase,
)
from lib.scales import SCALES, load_scale, scale_lookup

# Seed the settings, and keep them when this page's widgets are not drawn (presenter mode).
st.session_state["reference_year"] = state.reference_year()
st.session_state["scale"] = state.scale_name()

corpus = state.page_corpus(
    "Estimates",
    "The numbers the answers commit to: how far along we are, when, and how likely. "
    "Click a bar or dot to read that answer.",
)

if not state.presenter_mode():
    with st.expander("Settings", expanded=False):
        c1, c2 = st.columns(2)
        c1.number_input(
            "Reference year (“in 10 years” counts from here)",
            min_value=1900, max_value=2200, step=1, key="reference_year",
        )  # fmt: skip
        c2.selectbox(
            "What probability words mean", list(SCALES), key="scale",
            format_func=lambda k: f"{k}: {SCALES[k]}",
        )  # fmt: skip

est = state.estimates(corpus)
year, scale = state.reference_year(), state.scale_name()
n = len(corpus)
picks: list[list] = []
colors = figures.stable_group_colors(r.group for r in state.current_corpus().responses)
# Cached figures are keyed on the colours too: renaming another group can shift them.
palette = ",".join(f"{g}={c}" for g, c in colors.items())


def chart(kind: str, build, caption: str, key: str, light: bool = False) -> None:
    """One selectable estimates chart, or a note when the answers give none of this kind.

    `light`: `build` makes a Vega-Lite spec, drawn without loading plotly.js (the first tab).
    """
    part = est[est["kind"] == kind]
    if part.empty:
        state.empty_state(caption)
        return
    fig = state.cached_chart(f"{key}|{palette}", corpus, lambda: build(est, colors=colors))
    if light:
        picks.extend(
            state.show_light_chart(
                fig,
                key=key,
                caption=caption,
                data=part,
                selectable=True,
                figure=lambda: figures.make_share_chart(est, colors=colors),
            )
        )
        return
    event = state.show_chart(fig, key=key, caption=caption, data=part, selectable=True)
    picks.extend(figures.selected_customdata(event))


lookup = scale_lookup(scale)
scale_table = pd.DataFrame(
    [(p, v, lo, hi, s) for p, (v, lo, hi, s) in lookup.items()],
    columns=["phrase", "value", "low", "high", "source"],
)
# One chart at a time: the browser draws only the open tab (presenter mode shows them all).
shares, timeline, probability, sureness = state.sections(
    ["Shares", "Timelines", "Probability words", "How sure"], key="estimates_tab"
)
if shares[1]:
    with shares[0]:
        chart(
            "share",
            figures.light_share_chart,
            figures.share_caption(est, n),
            "estimates_shares",
            light=True,
        )
if timeline[1]:
    with timeline[0]:
        chart(
            "timeline",
            lambda e, colors: figures.make_timeline_chart(e, year, colors=colors),
            figures.timeline_caption(est, n, year),
            "estimates_timeline",
        )
if probability[1]:
    with probability[0]:
        chart(
            "probability",
            lambda e, colors: figures.make_probability_chart(e, scale_table, colors=colors),
            figures.probability_caption(est, n, scale_table),
            "estimates_probability",
        )
        st.caption(
            "Numbers for probability words: the CAPphrase survey (Kucharski 2026, 5,174 people, "
            "CC-BY 4.0) and the perceptions survey (Zoni Nation 2016, MIT); official yardsticks "
            f"(IPCC, NIC, UK, NATO, EFSA) when chosen. Scale in use: {scale}."
        )
        if not state.presenter_mode():
            # Lazy (runs only when open): the table's grid scripts load when asked for.
            why_box = st.expander(
                "The number behind every probability word, and where it comes from",
                key="estimates_scale_table",
                on_change="rerun",
            )
            if why_box.open:
                with why_box:
                    why = load_scale("own")[["phrase", "source"]].rename(columns={"source": "why"})
                    shown = scale_table.merge(why, on="phrase", how="left").fillna({"why": ""})
                    st.dataframe(shown.sort_values("value", ascending=False), hide_index=True)
if sureness[1]:
    with sureness[0]:
        hedges = state.cached_chart("hedging", corpus, lambda: hedging(corpus))
        event = state.show_chart(
            state.cached_chart(
                f"estimates_hedging|{palette}",
                corpus,
                lambda: figures.make_hedging_chart(hedges, colors=colors),
            ),
            key="estimates_hedging",
            caption="How sure is each model? " + figures.hedging_caption(hedges),
            data=hedges,
            selectable=True,
        )
        picks.extend(figures.selected_customdata(event))

# --- drill-down: the clicked answer, its estimates marked ------------------------------------
if picks and picks[0] and picks[0][0] is not None:
    rid = picks[0][0]
    response = next((r for r in corpus.responses if r.response_id == rid), None)
    if response is not None:
        label = figures.response_label(response.index, response.group)
        st.subheader(escape_markdown(f"Answer {label}"))
        mine = est[est["response_id"] == rid]
        spans = [
            Span(int(s), int(e), "estimate", k) for s, e, k in mine[["start", "end", "kind"]].values
        ]
        st.html(legend_html())
        st.html(highlight_html(response.text, spans))
        st.button(
            escape_markdown(f"Show only answer {label}"),
            key="estimates_drill",
            on_click=state.set_filter,
            args=("responses", [response.index]),
        )

# --- every estimate with its quote -----------------------------------------------------------
st.subheader("Every estimate")
if est.empty:
    state.empty_state(figures.no_answer_phrase(n, "gives a share, a date or a probability"))
else:
    answers = est["response_id"].nunique()
    st.caption(f"{count_phrase(len(est), 'estimate')} in {of_phrase(answers, n, 'answer')}.")
    # Lazy (runs only when open): the page draws without the interactive grid's scripts.
    every = st.expander(
        "Show every estimate with its quote", key="estimates_table", on_change="rerun"
    )
    if every.open:
        with every:
            table = est.assign(answer=[f"#{i}" for i in est["response_index"]])[
                ["answer", "group", "kind", "low", "high", "year_low", "year_high", "quote",
                 "sentence", "attributed_to", "scale"]
            ]  # fmt: skip
            st.dataframe(
                table,
                hide_index=True,
                width="stretch",
                column_config={
                    "low": st.column_config.NumberColumn("low (%)", format="%.0f"),
                    "high": st.column_config.NumberColumn("high (%)", format="%.0f"),
                    "year_low": st.column_config.NumberColumn("from year", format="%d"),
                    "year_high": st.column_config.NumberColumn("to year", format="%d"),
                    "sentence": st.column_config.TextColumn("sentence", width="large"),
                },
            )
if date.today().year != year:
    st.caption(f"Relative timelines count from {year}.")
