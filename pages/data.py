"""Data: choose, upload or paste a corpus, check how it was split, fix it, download it all."""

import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from lib import state
from lib.corpus import ChorusInputError

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
            with st.status(f"Reading {file.name} ({len(data):,} bytes)…") as status:
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
st.subheader(f"Open corpus: {label}")
for w in res.warnings:
    st.warning(w, icon="⚠️")
if res.error:
    st.error(res.error)
raw = state.raw_upload()
opts = state.load_options()


def _columns_of(data: bytes, filename: str) -> list[str]:
    """Column names of a structured upload, for mapping them by hand."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".csv":
            return [
                str(c)
                for c in pd.read_csv(io.BytesIO(data), nrows=20, sep=None, engine="python").columns
            ]
        if suffix == ".jsonl":
            for line in data.decode("utf-8-sig", errors="replace").splitlines():
                if line.strip():
                    row = json.loads(line)
                    return list(row) if isinstance(row, dict) else []
        if suffix == ".json":
            obj = json.loads(data.decode("utf-8-sig", errors="replace"))
            if isinstance(obj, dict):
                obj = next((v for v in obj.values() if isinstance(v, list)), [obj])
            first = next((r for r in obj if isinstance(r, dict)), {})
            return list(first)
    except (ValueError, pd.errors.ParserError):
        return []
    return []


if raw and Path(raw["name"]).suffix.lower() in STRUCTURED:
    cols = _columns_of(raw["data"], raw["name"])
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
                state.set_load_options(opts.get("expected"), chosen or None)
                st.rerun()

if res.corpora and len(res.corpora) > 1:
    st.info(f"This file holds {len(res.corpora)} prompts: choose one in the sidebar.", icon="💡")
if not res.corpora:
    st.stop()

# --- how it was split --------------------------------------------------------------------------
split = state.split_corpus()
st.subheader("How it was split")
frame = split.responses_frame()
frame["words"] = frame["text"].str.split().str.len()
frame["first line"] = frame["text"].str.split("\n").str[0].str.slice(0, 100)
low = int((frame["boundary_confidence"] < 0.6).sum())
st.caption(
    f"{len(split)} answers. "
    + (f"{low} boundaries are uncertain (confidence under 60%): check them." if low else "")
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
                state.set_load_options(int(expected) or None, opts.get("columns"))
                st.rerun()
        with c2, st.form("merge_form"):
            n = st.number_input("Merge answer", min_value=1, max_value=max(len(split), 1), value=1)
            if st.form_submit_button("Merge with the next one"):
                try:
                    state.set_boundaries(split.merge(int(n)))
                    st.rerun()
                except ChorusInputError as exc:
                    st.error(str(exc))
        with c3, st.form("split_form"):
            line = st.number_input(
                "Start a new answer at line", min_value=1, max_value=len(split.lines), value=1
            )
            if st.form_submit_button("Split here"):
                state.set_boundaries(split.split_at(int(line)))
                st.rerun()
        if st.button("Undo all corrections", key="reset_split"):
            state.set_boundaries(None)
            st.rerun()
        bounds = {
            "source": label,
            "prompt": split.prompt,
            "boundaries": [b.to_dict() for b in split.boundaries],
        }
        st.download_button(
            "Download boundaries (JSON)",
            json.dumps(bounds, indent=2),
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
                    obj = json.loads(bfile.getvalue())
                    items = obj["boundaries"] if isinstance(obj, dict) else obj
                    if not isinstance(items, list) or not all(
                        isinstance(b, dict) and "start_line" in b for b in items
                    ):
                        raise ValueError("expected a list of objects with a start_line")
                    state.set_boundaries(items)
                    st.rerun()
                except (ValueError, KeyError, TypeError) as exc:
                    st.error(f"{bfile.name}: not a boundary list ({exc}).")
else:
    st.caption("Rows from a structured file are one answer each: there is no split to fix.")

# --- groups ------------------------------------------------------------------------------------
grouped = state.grouped_corpus()
keys = sorted({r.group for r in grouped.responses if r.group})
if keys:
    st.subheader("Groups")
    renames = state.corrections().get("renames") or {}
    counts = pd.Series([r.group for r in grouped.responses]).value_counts()
    with st.form("rename_form"):
        st.caption(
            "Groups are guessed from writing style (or read from a model column). Name them:"
        )
        new = {}
        for k in keys:
            why = grouped.group_evidence.get(k, "")
            new[k] = st.text_input(
                f"Group {k} · {counts.get(k, 0)} answers" + (f" · {why}" if why else ""),
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
year, scale, tax = state.reference_year(), state.scale_name(), None
try:
    tax = state.taxonomy()
except Exception:  # no taxonomy yet: the theme download is left out
    tax = None


def _csv(build):
    # Built on click, on another thread: plain lib calls only, no streamlit.
    return lambda: build().to_csv(index=False)


def _estimates():
    from lib.estimates import extract_estimates

    return extract_estimates(full, reference_year=year, scale=scale)


def _themes():
    from lib.themes import theme_scores

    return theme_scores(full, tax)


def _topics():
    from lib.topics import TopicModel

    return TopicModel(random_state=0).fit(full).response_topics_


def _map():
    from lib.similarity import answer_map

    return answer_map(full, random_state=0)


downloads = [
    ("Answers (CSV)", "answers.csv", _csv(full.responses_frame)),
    (
        "Answers (JSON)",
        "answers.json",
        lambda: full.responses_frame().to_json(orient="records", indent=2),
    ),
    ("Passages (CSV)", "passages.csv", _csv(full.passages_frame)),
    ("Estimates (CSV)", "estimates.csv", _csv(_estimates)),
    ("Theme scores (CSV)", "theme_scores.csv", _csv(_themes) if tax is not None else None),
    ("Topics per answer (CSV)", "topics.csv", _csv(_topics)),
    ("Answer map (CSV)", "answer_map.csv", _csv(_map)),
]
cols = st.columns(4)
for n, (text, fname, build) in enumerate(downloads):
    if build is None:
        continue
    cols[n % 4].download_button(
        text, data=build, file_name=fname, key=f"dl_{fname}", on_click="ignore", width="stretch"
    )
