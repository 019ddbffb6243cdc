"""Responses: read one answer, or compare 2-4 side by side, with themes and estimates marked."""

import pandas as pd
import streamlit as st

from lib import state
from lib.highlight import Span, escape_markdown, highlight_html, legend_html, phrase_spans
from lib.text import word_counts

# Long selectors make every rerun slow; past this many answers the filters narrow the choice.
MAX_CHOICES = 1000

state.page_header(
    "Responses",
    "Read the answers themselves: theme phrases and estimates are marked in the text.",
)
corpus = state.filtered_corpus()
if state.load_problem():
    st.stop()
if not corpus.responses:
    state.empty_state(
        "No answer matches the filters. Loosen them in the sidebar, or press “Reset filters”."
    )
    st.stop()


def _theme_spans(hits: pd.DataFrame, response_id: str, text: str) -> list[Span]:
    spans = []
    mine = hits[hits["response_id"] == response_id]
    labels = state.taxonomy().set_index("id")["label"].to_dict()
    for theme_id, matched in zip(mine["theme_id"], mine["matched"], strict=True):
        words = [w for w in str(matched).split("; ") if w]
        spans += phrase_spans(text, words, "theme", str(labels.get(theme_id, theme_id)))
    return spans


def _estimate_spans(est: pd.DataFrame, response_id: str) -> list[Span]:
    mine = est[est["response_id"] == response_id]
    return [
        Span(int(s), int(e), "estimate", f"{k}: {q}")
        for s, e, k, q in zip(mine["start"], mine["end"], mine["kind"], mine["quote"], strict=True)
        if pd.notna(s) and pd.notna(e)
    ]


def _analyses():
    """Theme hits and estimates of the full corpus, for the marks."""
    full = state.current_corpus()
    return state.theme_hits(full), state.estimates(full)


def _show_answer(r, hits: pd.DataFrame, est: pd.DataFrame, mark_themes: bool, mark_est: bool):
    # Group names and split evidence come from the corpus: escaped, never read as markdown.
    group = escape_markdown(r.group or "—")
    st.markdown(f"**Answer {r.index}** · group **{group}** · {n_words[r.index]} words")
    st.caption(
        f"Lines {r.start_line}-{r.end_line} · boundary confidence {r.boundary_confidence:.0%}"
        + (f" · {escape_markdown(r.boundary_evidence)}" if r.boundary_evidence else "")
    )
    spans = (_theme_spans(hits, r.response_id, r.text) if mark_themes else []) + (
        _estimate_spans(est, r.response_id) if mark_est else []
    )
    with st.container(height=600 if not state.presenter_mode() else None, border=True):
        st.html(highlight_html(r.text, spans))
    mine = hits[hits["response_id"] == r.response_id]
    if not mine.empty:
        labels = state.taxonomy().set_index("id")["label"].to_dict()
        names = sorted({str(labels.get(t, t)) for t in mine["theme_id"]})
        st.caption("Themes: " + escape_markdown(", ".join(names)))


hits, est = _analyses()
by_index = {r.index: r for r in corpus.responses}
# Counted once per corpus (remembered on it), the same way as on every other page.
n_words = dict(zip(by_index, word_counts(corpus), strict=True))
choices = list(by_index)[:MAX_CHOICES]
if len(by_index) > MAX_CHOICES:
    st.caption(f"The first {MAX_CHOICES} matching answers are listed; filters narrow the list.")


def _label(i: int) -> str:
    r = by_index[i]
    return f"#{i} · group {r.group or '—'} · {n_words[i]} words"


# A filter change can remove the answer being read; fall back to the first match.
if st.session_state.get("read_pick") not in choices:
    st.session_state.pop("read_pick", None)
if "compare_pick" in st.session_state:
    st.session_state["compare_pick"] = [i for i in st.session_state["compare_pick"] if i in choices]

c1, c2, c3 = st.columns([2, 1, 1])
mode = c1.segmented_control(
    "View", ["Read one", "Compare"], default="Read one", key="responses_mode", required=True
)
mark_themes = c2.checkbox("Mark themes", value=True, key="mark_themes")
mark_est = c3.checkbox("Mark estimates", value=True, key="mark_estimates")
st.html(legend_html())

if mode == "Compare":
    picked = st.multiselect(
        "Answers to compare (2-4)",
        choices,
        default=choices[: min(2, len(choices))],
        format_func=_label,
        max_selections=4,
        key="compare_pick",
    )
    if len(picked) < 2:
        state.empty_state("Pick at least two answers to compare them side by side.")
    else:
        for col, i in zip(st.columns(len(picked)), picked, strict=True):
            with col:
                _show_answer(by_index[i], hits, est, mark_themes, mark_est)
else:
    i = st.selectbox("Answer", choices, format_func=_label, key="read_pick")
    _show_answer(by_index[i], hits, est, mark_themes, mark_est)
    mine = est[est["response_id"] == by_index[i].response_id]
    if not mine.empty:
        st.subheader("Estimates in this answer")
        keep = [c for c in ("kind", "quote", "low", "high", "about", "confidence") if c in mine]
        st.dataframe(mine[keep], hide_index=True, width="stretch")

if not state.presenter_mode():
    st.subheader("All matching answers")
    frame = corpus.responses_frame()
    frame["words"] = word_counts(corpus)
    frame["opening"] = frame["text"].str.slice(0, 120)
    st.dataframe(
        frame[["index", "group", "words", "boundary_confidence", "opening"]],
        hide_index=True,
        width="stretch",
        column_config={"boundary_confidence": st.column_config.NumberColumn(format="percent")},
    )
