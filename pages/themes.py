"""Themes: which ideas each answer raises, the evidence behind each cell, and the taxonomy."""

import hashlib

import pandas as pd
import streamlit as st

from lib import figures, state
from lib import themes as T
from lib.highlight import (
    Span,
    count_phrase,
    escape_markdown,
    highlight_html,
    legend_html,
    table_html,
)

CHART = "themes_heatmap"

corpus = state.page_corpus(
    "Themes",
    "Which ideas each answer raises, found by the phrases in the theme list below. "
    "Click a cell to read the passages behind it.",
)
# Until the user chooses a list, the page reads the answers with the Overview's themes: the
# bundled list, or themes found in the answers when it barely fits them (state.taxonomy).
chosen = state.user_taxonomy() is not None
default_coverage = None if chosen else state.fitted_taxonomy(corpus)[1]
found_here = default_coverage is not None
if found_here and not state.presenter_mode():
    st.info(
        figures.found_themes_sentence(default_coverage)
        + " Rename and keep them with “Suggest themes from these answers” below, or go back "
        "to the default themes."
    )
    st.button(
        "Use the default themes",
        key="themes_use_default",
        on_click=state.set_taxonomy,
        args=(state.default_taxonomy(),),
    )

by, sort = "response", "group"
if not state.presenter_mode():
    with st.expander("Chart options", expanded=False):
        c1, c2 = st.columns(2)
        by = c1.radio(
            "Columns", ["response", "group"], key="themes_by", horizontal=True,
            format_func={"response": "One per answer", "group": "One per group"}.get,
        )  # fmt: skip
        sort = c2.radio(
            "Order", ["group", "coverage"], key="themes_sort", horizontal=True,
            format_func={"group": "By group", "coverage": "Most themes first"}.get,
        )  # fmt: skip

scores = state.theme_scores(corpus)
hits = state.theme_hits(corpus)
if hits.empty:
    state.empty_state(
        "No theme phrase occurs in these answers. Edit the theme list below, or let Chorus "
        "suggest themes found in the answers."
    )
else:
    # A light (Vega-Lite) chart: the page draws without loading plotly.js.
    caption = figures.theme_caption(scores, default_coverage if found_here else None)
    sample = state.chart_sample(corpus) if by == "response" else None
    shown = scores if sample is None else scores[scores["response_id"].isin(sample)]
    if sample is not None:
        caption += (
            f" {state.sample_note(sample, corpus)}; “One per group” in Chart options shows "
            "them all."
        )
    spec = state.cached_chart(
        f"{CHART}:{by}:{sort}",
        corpus,
        lambda: figures.light_theme_heatmap(shown, by, sort),
        tax=state.taxonomy(),
    )
    picks = state.show_light_chart(
        spec,
        key=CHART,
        caption=caption,
        data=scores,
        selectable=True,
        figure=lambda: figures.make_theme_heatmap(shown, by, sort),
    )
    if picks:
        key, theme_id = picks[0][0], picks[0][1]
        col = "group" if by == "group" else "response_id"
        found = hits[(hits[col] == key) & (hits["theme_id"] == theme_id)]
        label = scores.loc[scores["theme_id"] == theme_id, "theme_label"].iloc[0]
        if by == "group":
            who = key
        else:
            row = scores[scores["response_id"] == key].iloc[0]
            who = figures.response_label(row["response_index"], row["group"])
        st.subheader(escape_markdown(f"Evidence: {label} in {who}"))
        if found.empty:
            st.info(escape_markdown(f"No passage of {who} matches “{label}”."))
        else:
            st.html(legend_html())
            taxonomy = state.taxonomy()
            phrases = taxonomy.loc[taxonomy["id"] == theme_id, "phrases"].iloc[0]
            shown_hits = found.head(20)
            shown_hits = shown_hits.assign(passage_text=T.passage_texts(corpus, shown_hits))
            for r in shown_hits.itertuples():
                # Found again with the theme's own pattern (hits carry no offsets): whole
                # words only, so "rain" is not marked inside "training".
                spans = [
                    Span(a, b, "theme", label)
                    for a, b in T.phrase_match_spans(r.passage_text, phrases)
                ]
                st.caption(
                    escape_markdown(
                        f"{figures.response_label(r.response_index, r.group)} · passage "
                        f"{r.passage_order} · words: {r.matched}"
                    )
                )
                st.html(highlight_html(r.passage_text, spans))
            if len(found) > 20:
                st.caption(f"Showing 20 of {len(found)} passages.")
        # A callback, so the filter is set before the sidebar draws on the next run.
        drill = ("groups", [key]) if by == "group" else ("responses", [int(row["response_index"])])
        st.button(
            escape_markdown(f"Show only {'' if by == 'group' else 'answer '}{who}"),
            key="themes_drill",
            on_click=state.set_filter,
            args=drill,
        )

    touched = scores[scores["passages_hit"] > 0]
    table = (
        touched.groupby("theme_label", sort=False)
        .agg(answers=("response_id", "nunique"), passages=("passages_hit", "sum"))
        .rename_axis("Theme")
        .reset_index()
        .sort_values("answers", ascending=False)
    )
    st.caption("How many answers raise each theme, and in how many passages.")
    # One row per theme: a static table draws at once, without the interactive grid's scripts.
    st.html(table_html(table.rename(columns={"answers": "Answers", "passages": "Passages"})))

if state.presenter_mode():
    st.stop()

# --- the theme list: edit, upload, download, or start from themes found in the corpus ----------
st.subheader("Theme list")
tax = state.taxonomy()
passages = int(scores.drop_duplicates("response_id")["passages"].sum()) if len(scores) else 0
matched = len(hits[["response_id", "passage_order"]].drop_duplicates()) if len(hits) else 0
coverage = matched / passages if passages else 0.0
st.caption(
    f"{count_phrase(len(tax), 'theme')}; {coverage:.0%} of the passages shown ({passages:,}) "
    "match at least one. "
    "Phrases are separated by ';' and a trailing * matches any ending (scal* → scaling)."
)
# Opened on demand (a lazy expander runs only when open): the table editor's scripts load then,
# not with the page.
# A fixed label: the expander's identity includes it, so a label that changed with the number
# of themes would close the box on every edit that adds or removes one.
editor = st.expander(
    "Edit, download or upload the theme list", key="themes_editor", on_change="rerun"
)
if editor.open:
    with editor:
        st.caption("Press “Apply changes” before closing this box: edits not applied are lost.")
        edited = st.data_editor(
            tax,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key="taxonomy_editor_" + hashlib.sha1(T.taxonomy_to_csv(tax).encode()).hexdigest()[:10],
            column_config={
                "id": st.column_config.TextColumn("id", help="Short unique name"),
                "label": st.column_config.TextColumn("Label", help="Shown on the charts"),
                "description": st.column_config.TextColumn("Description"),
                "phrases": st.column_config.TextColumn("Phrases (; separated)", width="large"),
            },
        )
        b1, b2, b3 = st.columns(3)
        if b1.button("Apply changes", key="taxonomy_apply", type="primary"):
            clean, problems = T.validate_taxonomy(pd.DataFrame(edited))
            st.session_state["_taxonomy_problems"] = problems
            if len(clean):
                state.set_taxonomy(clean)
                st.rerun()
            else:
                st.error("The edited list has no usable theme; nothing was changed.")
        b2.download_button(
            "Download theme list (CSV)",
            T.taxonomy_to_csv(tax),
            file_name="themes.csv",
            mime="text/csv",
            key="taxonomy_download",
            on_click="ignore",
        )
        # None: the list Chorus fits to the corpus, which is not the bundled one off topic.
        fits_off_topic = state.fitted_taxonomy(corpus)[1] is not None
        back = "the themes found in the answers" if fits_off_topic else "the bundled list"
        if b3.button(f"Back to {back}", key="taxonomy_reset"):
            state.set_taxonomy(None)
            st.rerun()

        upload = st.file_uploader("Upload a theme list (CSV)", type=["csv"], key="taxonomy_upload")
        if upload is not None and st.session_state.get("_taxonomy_upload_id") != upload.file_id:
            clean, problems = T.read_taxonomy_csv(upload.getvalue())
            st.session_state["_taxonomy_upload_id"] = upload.file_id
            st.session_state["_taxonomy_problems"] = problems
            if len(clean):
                state.set_taxonomy(clean)
                st.rerun()
            st.error(
                escape_markdown(f"{upload.name} has no usable theme; the list was not changed.")
            )

# Outside the box, so what was dropped from an applied list or an upload shows even when closed.
for problem in st.session_state.get("_taxonomy_problems", []):
    st.warning(escape_markdown(problem))

# The library's threshold (lib.themes.fitting_taxonomy), so this page and the Overview agree
# on when a list does not fit. Not for the themes found here: the note at the top says why.
if coverage < T.LOW_COVERAGE and not found_here:
    st.info(
        f"Only {coverage:.0%} of passages match a theme: this list may not fit these answers. "
        "Chorus can suggest themes found in the answers themselves, for you to rename and keep."
    )
st.button(
    "Suggest themes from these answers",
    key="themes_discover",
    on_click=lambda: st.session_state.update(_discover_requested=True),
)
# Suggestions belong to the open corpus's answers: another corpus does not show them.
opened = state.content_key(state.current_corpus())
if st.session_state.pop("_discover_requested", False):
    # The themes the Overview reads off topic, else found in the whole open corpus (cached).
    st.session_state["_discovered_themes"] = (opened, state.suggested_themes(corpus).copy())
for_corpus, found = st.session_state.get("_discovered_themes") or (None, None)
if found is not None and for_corpus == opened:
    if found.empty:
        st.info("Too little text to suggest themes; add answers or edit the list by hand.")
    else:
        st.caption("Suggested themes: rename them here, then keep them.")
        kept = st.data_editor(found, num_rows="dynamic", hide_index=True, key="themes_found")
        if st.button("Use these themes", key="themes_use_found"):
            clean, problems = T.validate_taxonomy(pd.DataFrame(kept))
            st.session_state["_taxonomy_problems"] = problems
            if len(clean):
                st.session_state.pop("_discovered_themes", None)
                state.set_taxonomy(clean)
                st.rerun()
