"""Data: choose, upload or paste a corpus, check how it was split, fix it, download it all."""

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import state
from lib.corpus import ChorusInputError
from lib.exports import boundaries_json, columns_of, download_tables
from lib.highlight import escape_markdown
from lib.text import word_counts

STRUCTURED = (".jsonl", ".json", ".csv")

state.page_header(
    "Data",
    "Where the answers come from, how they were split, and every table to download.",
)

# --- choose, upload or paste -------------------------------------------------------------------
pick, up, paste = st.tabs(["📚 Bundled corpora", "⬆️ Upload a file", "📋 Paste text"])
with pick:
    options = {k: v for k, v in state.source_options().items() if k.startswith("bundled:")}
    if options:
        choice = st.selectbox(
            "Bundled corpus", list(options), format_func=options.get, key="data_bundled"
        )
        if st.button("Open this corpus", key="open_bundled") and choice != state.source():
            st.session_state["_pending_source"] = choice
            st.rerun()
    else:
        state.empty_state("No bundled corpus in the data folder.")
with up:
    file = st.file_uploader(
        "A file of answers: .txt or .md (pasted answers), .jsonl, .json or .csv (one per row)",
        type=["txt", "md", "jsonl", "json", "csv"],
        key="upload_file",
        help="Kept only in your session: nobody else can see it.",
    )
    if file is not None:
        data = file.getvalue()
        digest = hashlib.sha1(data).hexdigest()
        # The uploader keeps the file across reruns: open it only the first time it is seen.
        if st.session_state.get("_last_upload") != digest:
            st.session_state["_last_upload"] = digest
            with st.status(
                escape_markdown(f"Reading {file.name} ({len(data):,} bytes)…")
            ) as status:
                state.add_upload(data, file.name)
                status.update(label="Read.", state="complete")
            st.rerun()
with paste, st.form("paste_form", clear_on_submit=False):
    text = st.text_area(
        "Paste the prompt on the first line, then the answers",
        height=200,
        key="paste_text",
    )
    name = st.text_input("Name", value="pasted", key="paste_name")
    if st.form_submit_button("Split pasted text"):
        if not text.strip():
            st.error("There is no text to split: paste the prompt and answers first.")
        else:
            state.add_upload(text.encode("utf-8"), f"{name.strip() or 'pasted'}.txt")
            st.rerun()

# --- what was loaded ---------------------------------------------------------------------------
res = state.loaded()
label = state.source_options().get(state.source(), state.source())
# File names, loader warnings and errors quote the user's file: shown literally.
st.subheader(escape_markdown(f"Open corpus: {label}"))
for w in res.warnings:
    st.warning(escape_markdown(w), icon="⚠️")
if res.error:
    st.error(escape_markdown(res.error))
raw = state.raw_upload()
opts = state.load_options()


if raw and Path(raw["name"]).suffix.lower() in STRUCTURED:
    cols = columns_of(raw["data"], raw["name"])
    with st.expander("Column mapping", expanded=bool(res.error)):
        st.caption("Columns are found by name; when yours are named differently, map them here.")
        current = opts.get("columns") or {}
        none = "(none)"
        with st.form("columns_form"):
            mapping = {}
            for role, needed in (("text", True), ("model", False), ("prompt", False)):
                choices = cols if needed else [none, *cols]
                value = current.get(role, choices[0] if choices else none)
                mapping[role] = st.selectbox(
                    f"{role.capitalize()} column",
                    choices or [none],
                    index=(choices or [none]).index(value) if value in (choices or []) else 0,
                )
            if st.form_submit_button("Use these columns"):
                chosen = {k: v for k, v in mapping.items() if v and v != none}
                state.set_load_options(columns=chosen or None)
                st.rerun()

if res.corpora and len(res.corpora) > 1:
    st.info(f"This file holds {len(res.corpora)} prompts: choose one in the sidebar.", icon="💡")
if not res.corpora:
    st.stop()

# --- how it was split --------------------------------------------------------------------------
split = state.split_corpus()
st.subheader("How it was split")
frame = split.responses_frame()
frame["words"] = word_counts(split)
frame["first line"] = frame["text"].str.split("\n").str[0].str.slice(0, 100)
low = int((frame["boundary_confidence"] < 0.6).sum())
st.caption(
    f"{len(split)} answers. "
    + (f"{low} boundaries are uncertain (confidence under 60%): check them." if low else "")
)
for w in split.warnings:  # what the corrections gave (the loader's are shown above)
    if w not in res.warnings:
        st.warning(escape_markdown(w), icon="⚠️")
if split.lines is not None:
    # Corpus text: st.text shows it as written, never as markdown.
    st.text(
        f"Prompt (ends at line {split.prompt_line}): {split.prompt}"
        if split.prompt
        else "No prompt: the first line opens an answer."
    )
st.dataframe(
    frame[
        [
            "index",
            "start_line",
            "end_line",
            "boundary_confidence",
            "boundary_evidence",
            "words",
            "first line",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "boundary_confidence": st.column_config.NumberColumn("confidence", format="percent")
    },
)

if split.boundaries is not None and split.lines is not None:
    with st.expander("Fix the split", expanded=False):
        c1, c2, c3 = st.columns(3)
        with c1, st.form("expected_form"):
            expected = st.number_input(
                "Expected number of answers (0 = let the splitter decide)",
                min_value=0,
                max_value=10000,
                value=int(opts.get("expected") or 0),
            )
            if st.form_submit_button("Split again"):
                state.set_load_options(expected=int(expected) or None)
                st.rerun()
        with c2, st.form("merge_form"):
            n = st.number_input("Merge answer", min_value=1, max_value=max(len(split), 1), value=1)
            if st.form_submit_button("Merge with the next one"):
                try:
                    state.set_boundaries(split.merge(int(n)))
                    st.rerun()
                except ChorusInputError as exc:
                    st.error(escape_markdown(exc))
        with c3, st.form("split_form"):
            line = st.number_input(
                "Start a new answer at line", min_value=1, max_value=len(split.lines), value=1
            )
            if st.form_submit_button("Split here"):
                again = split.split_at(int(line))
                if again is split:
                    st.info(f"An answer already starts at line {int(line)}: nothing to split.")
                else:
                    state.set_boundaries(again)
                    st.rerun()
        with st.form("prompt_form"):
            last = max(len(split.lines) - 1, 0)
            end = st.number_input(
                "The prompt ends at line (0 = no prompt: the first line opens an answer)",
                min_value=0,
                max_value=last,
                value=min(int(split.prompt_line or 0), last),
                help="For a prompt written on several lines, or a first answer taken for one. "
                "The text is split again, as with an expected number of answers.",
            )
            if st.form_submit_button("Set the prompt"):
                try:
                    state.set_prompt_end(int(end), split.lines)
                    st.rerun()
                except ChorusInputError as exc:
                    st.error(escape_markdown(exc))
        if st.button("Undo all corrections", key="reset_split"):
            state.set_boundaries(None)
            st.rerun()
        near = state.near_misses(split)
        if not near.empty:
            st.markdown("**Other places that could start an answer**")
            st.caption("Lines that looked like a new answer but were not split; best first.")
            for row in near.itertuples():
                c_line, c_text, c_button = st.columns([1, 6, 1])
                c_line.write(f"line {row.line} · {row.confidence:.0%}")
                # Corpus text: st.text shows it as written, never as markdown.
                c_text.text(f"{row.text[:160]}\n{row.evidence}")
                if c_button.button("Split here", key=f"near_{row.line}"):
                    state.set_boundaries(split.split_at(int(row.line)))
                    st.rerun()
        st.download_button(
            "Download boundaries (JSON)",
            boundaries_json(split, label),
            file_name="boundaries.json",
            mime="application/json",
            on_click="ignore",
        )
        bfile = st.file_uploader("Upload boundaries (JSON)", type=["json"], key="boundaries_file")
        if bfile is not None:
            digest = hashlib.sha1(bfile.getvalue()).hexdigest()
            if st.session_state.get("_last_boundaries") != digest:
                st.session_state["_last_boundaries"] = digest
                try:
                    state.use_boundaries_file(bfile.getvalue(), bfile.name, split.lines)
                    st.rerun()
                except ChorusInputError as exc:
                    st.error(escape_markdown(exc))
else:
    st.caption("Rows from a structured file are one answer each: there is no split to fix.")

# --- groups ------------------------------------------------------------------------------------
grouped = state.grouped_corpus()
keys = sorted({r.group for r in grouped.responses if r.group})
if keys:
    st.subheader("Groups")
    if len(split) > 2 and not any(r.model for r in split.responses):
        # Style alone can merge two similar models; whoever collected the answers knows how
        # many models there were.
        with st.form("groups_form"):
            most = min(12, len(split) - 1)
            k = st.number_input(
                "How many models wrote these answers? (0 = guess from the writing style)",
                min_value=0,
                max_value=most,
                # A merge can leave fewer answers than the groups asked for before.
                value=min(int(state.group_count() or 0), most),
                help="Grouping then splits the answers into exactly this many style groups. "
                "Group names given below are cleared when the number changes.",
            )
            if st.form_submit_button("Group again"):
                state.set_group_count(int(k))
                st.rerun()
    renames = state.corrections().get("renames") or {}
    counts = pd.Series([r.group for r in grouped.responses]).value_counts()
    with st.form("rename_form"):
        st.caption(
            "Groups are guessed from writing style (or read from a model column). Name them:"
        )
        new = {}
        for k in keys:
            what = grouped.group_names.get(k, "")
            why = grouped.group_evidence.get(k, "")
            # Group names and evidence come from the corpus: a label is markdown, so escape.
            new[k] = st.text_input(
                escape_markdown(
                    f"Group {k} · {counts.get(k, 0)} answers"
                    + (f" · {what}" if what else "")
                    + (f" · {why}" if why else "")
                ),
                value=renames.get(k, ""),
                placeholder=k,
                key=f"rename_{k}",
            )
        if st.form_submit_button("Rename groups"):
            state.set_renames(new)
            st.rerun()

# --- downloads ---------------------------------------------------------------------------------
st.subheader("Download")
full = state.current_corpus()
downloads = download_tables(
    full, state.taxonomy_on_demand(), state.reference_year(), state.scale_name()
)
cols = st.columns(4)
for n, (text, fname, build) in enumerate(downloads):
    # Built on click, on another thread: the builders are plain lib calls, no streamlit.
    cols[n % 4].download_button(
        text, data=build, file_name=fname, key=f"dl_{fname}", on_click="ignore", width="stretch"
    )
