"""App state: which corpus is open, the user's corrections and filters, cached analyses.

The one lib module that imports streamlit. Everything the user chooses lives in
`st.session_state` (and, for filters, in the URL), so pages stay thin: they ask this module
for `filtered_corpus()` and the analyses of it, then render.

Privacy: a bundled corpus is the same for everyone, so its analyses are cached globally.
An upload belongs to the session that made it: its bytes and parsed corpora are kept in
`st.session_state`, and every cached analysis takes an `owner` argument that is the session
id for uploads, so another visitor can never hit (or even address) those cache entries.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from lib.corpus import Boundary, ChorusInputError, Corpus
from lib.highlight import count_phrase, escape_markdown

ROOT = Path(__file__).resolve().parent.parent
APP_PATH = ROOT / "app.py"
FILTER_DEFAULTS: dict[str, Any] = {
    "groups": [],
    "responses": "",
    "themes": [],
    "topic": None,
    "has_estimate": False,
    "q": "",
}
# Above this size the topic filter waits until topics have been fitted (Topics page), so a
# first render never pays for a topic model nobody asked for.
TOPIC_FILTER_EAGER_MAX = 2000
# Likewise, above this size the sidebar and the filters read the bundled theme list until a
# page showing themes has chosen the list for the open corpus (which matches every theme).
THEME_FIT_EAGER_MAX = 2000
CACHE_TTL = 3600


def data_dir() -> Path:
    """The folder of bundled corpora; `CHORUS_DATA_DIR` points it elsewhere (benchmarks)."""
    return Path(os.environ.get("CHORUS_DATA_DIR") or ROOT / "data")


# --- loading ----------------------------------------------------------------------------------
@dataclass
class Loaded:
    """What a source gave: one corpus per prompt, the loader's warnings, or an error."""

    corpora: list[Corpus] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str = ""
    error: str | None = None


_BUNDLED_TTL = 2.0  # seconds: a run asks ~15 times; a file dropped in shows up at once anyway
_bundled_memo: dict[Path, tuple[float, list[Path]]] = {}


def bundled_files() -> list[Path]:
    """Corpus files shipped in the data folder (taxonomies and scales excluded).

    Listed at most every two seconds: every `source()` call asks, dozens of times a run.
    """
    from lib.loaders import list_bundled

    folder = data_dir()
    now = time.monotonic()
    memo = _bundled_memo.get(folder)
    if memo is None or now - memo[0] > _BUNDLED_TTL:
        memo = (now, list_bundled(folder))
        _bundled_memo[folder] = memo
    return list(memo[1])


def _load(
    data: bytes,
    filename: str,
    expected: int | None,
    columns: dict | None,
    prompt_end: int | None = None,
) -> Loaded:
    """Parse bytes with lib.loaders; a bad file becomes a message, never a traceback. A prompt
    end that leaves nothing to split is said, and the prompt found by the splitter used."""
    from lib.loaders import load_bytes

    try:
        res = load_bytes(
            data, filename, expected=expected, columns=columns or None, prompt_end=prompt_end
        )
    except ChorusInputError as exc:
        if prompt_end is None:
            # The loader's messages already start with the file name.
            return Loaded(error=str(exc))
        done = _load(data, filename, expected, columns)
        done.warnings.insert(0, f"{exc} The prompt the splitter found is used instead.")
        return done
    return Loaded(list(res.corpora), list(res.warnings), res.format)


@st.cache_resource(max_entries=16, ttl=CACHE_TTL, show_spinner="Reading the corpus…")
def _load_bundled(
    path: str, mtime: float, expected: int | None, columns_json: str, prompt_end: int | None
) -> Loaded:
    # Bundled files are public, so one parse serves every visitor; mtime keys out stale copies.
    return _load(
        Path(path).read_bytes(), Path(path).name, expected, json.loads(columns_json), prompt_end
    )


def source() -> str:
    """The key of the open source: "bundled:<file name>" or "upload:<digest>"."""
    options = source_options()
    value = st.session_state.get("source")
    if value in options:
        return value
    return next(iter(options), "")


def source_options() -> dict[str, str]:
    """Source key → display name, bundled corpora first, then this session's uploads."""
    folder = data_dir()
    out = {}
    for p in bundled_files():
        rel = p.relative_to(folder).as_posix() if p.is_relative_to(folder) else p.name
        out[f"bundled:{rel}"] = rel
    for key, up in st.session_state.get("_uploads", {}).items():
        out[key] = f"⬆️ {up['name']}"
    return out


def is_upload(key: str | None = None) -> bool:
    return (key or source()).startswith("upload:")


def _owner() -> str:
    """Cache owner: "public" for bundled corpora, the session id for uploads."""
    if not is_upload():
        return "public"
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return f"session:{ctx.session_id if ctx else 'none'}"


def add_upload(data: bytes, name: str) -> str:
    """Keep an upload in this session and open it on the next run; returns its source key."""
    key = "upload:" + hashlib.sha1(data + name.encode()).hexdigest()[:12]
    uploads = st.session_state.setdefault("_uploads", {})
    uploads[key] = {"name": name, "data": data}
    st.session_state["_pending_source"] = key
    return key


_LOAD_OPTIONS = ("expected", "columns", "prompt_end")


def load_options(key: str | None = None) -> dict:
    """The user's load settings for a source: expected count, column mapping and where the
    prompt ends (None: as the loader finds them)."""
    opts = st.session_state.setdefault("_load_opts", {})
    return opts.setdefault(key or source(), dict.fromkeys(_LOAD_OPTIONS))


def set_load_options(**changes) -> None:
    """Change some load settings of the open source (`expected=`, `columns=`, `prompt_end=`);
    the others stay. The source is read again, so its boundary corrections go."""
    unknown = set(changes) - set(_LOAD_OPTIONS)
    if unknown:
        raise TypeError(f"unknown load options: {sorted(unknown)}")
    load_options().update(changes)
    # A new split invalidates boundary corrections made against the old one.
    st.session_state.setdefault("_corrections", {}).pop(source(), None)


_last_bundled: tuple[tuple, Loaded] | None = None


def loaded() -> Loaded:
    """The parsed open source (cached: globally for bundled files, in the session for uploads)."""
    key = source()
    if not key:
        return Loaded(error="No corpus yet: upload or paste one on the Data page.")
    opts = load_options(key)
    columns_json = json.dumps(opts.get("columns") or {}, sort_keys=True)
    if key.startswith("bundled:"):
        path = data_dir() / key.split(":", 1)[1]
        if not path.exists():
            return Loaded(error=f"{path.name} is no longer in the data folder.")
        args = (
            str(path),
            path.stat().st_mtime,
            opts.get("expected"),
            columns_json,
            opts.get("prompt_end"),
        )
        # The last bundled parse, kept here too: a run asks ~30 times, and each lookup through
        # Streamlit's cache (hashing the arguments) cost ~0.5 ms. Same object, same key.
        # Sessions run on threads: read the memo once, replace it whole. It holds one parsed
        # corpus (public, bundled) past the cache's own eviction or a "Clear cache".
        global _last_bundled
        memo = _last_bundled
        if memo is None or memo[0] != args:
            memo = (args, _load_bundled(*args))
            _last_bundled = memo
        return memo[1]
    up = st.session_state["_uploads"][key]
    cache = st.session_state.setdefault("_upload_cache", {})
    ckey = (key, opts.get("expected"), columns_json, opts.get("prompt_end"))
    if ckey not in cache:
        with st.spinner(f"Reading {up['name']}…"):
            cache.clear()  # one parsed upload at a time keeps session memory bounded
            cache[ckey] = _load(
                up["data"],
                up["name"],
                opts.get("expected"),
                opts.get("columns"),
                opts.get("prompt_end"),
            )
    return cache[ckey]


def raw_upload() -> dict | None:
    """The open upload's name and bytes (for column mapping), or None for bundled files."""
    key = source()
    return st.session_state.get("_uploads", {}).get(key) if is_upload(key) else None


def load_problem() -> str | None:
    """The loader's error for the open source, if it gave no corpus."""
    res = loaded()
    if res.error:
        return res.error
    if not res.corpora:
        return "The file gave no answers."
    return None


def prompts() -> list[str]:
    return [c.prompt or f"(prompt {i + 1})" for i, c in enumerate(loaded().corpora)]


def prompt_index() -> int:
    n = len(loaded().corpora)
    value = st.session_state.get("prompt") or 0
    return value if isinstance(value, int) and 0 <= value < n else 0


def corrections() -> dict:
    """Boundary list and group renames for the open source and prompt."""
    per_source = st.session_state.setdefault("_corrections", {}).setdefault(source(), {})
    return per_source.setdefault(prompt_index(), {"boundaries": None, "renames": {}})


def split_corpus() -> Corpus:
    """The open corpus with boundary corrections applied, before grouping."""
    res = loaded()
    if not res.corpora:
        return Corpus(responses=[], name="empty")
    base = res.corpora[prompt_index()]
    bounds = corrections().get("boundaries")
    if bounds is None or base.lines is None:
        return base
    return Corpus.from_boundaries(
        base.lines,
        [Boundary.from_dict(b) for b in bounds],
        prompt=base.prompt,
        prompt_line=base.prompt_line,
        name=base.name,
    )


def set_prompt_end(end: int | None, lines: Sequence[str]) -> None:
    """Read the open source again with its prompt ending at line `end` of its `lines` (0: no
    prompt; None: the one the splitter finds). Raises ChorusInputError, naming the lines, when
    no text would follow the prompt. The same end again changes nothing."""
    if end is not None:
        end = int(end)
        # Line by line from the end on: the first text line is near (a 10k paste's lines
        # are not all rebuilt to find it).
        if end < 0 or not any(lines[i].strip() for i in range(end, len(lines))):
            last = max((i + 1 for i, line in enumerate(lines) if line.strip()), default=0)
            raise ChorusInputError(
                f"A prompt ending at line {end} leaves no answer: the text ends at line {last}."
            )
    if load_options().get("prompt_end") != end:
        set_load_options(prompt_end=end)


def use_boundaries_file(data: bytes, filename: str, lines: Sequence[str]) -> None:
    """Apply a file written by `lib.exports.boundaries_json` to the open source (its `lines`):
    its prompt end (the splitter's when the file does not say), then its boundaries."""
    from lib.exports import read_boundaries, read_prompt_end

    bounds = read_boundaries(data, filename)
    try:
        set_prompt_end(read_prompt_end(data), lines)
    except ChorusInputError as exc:
        raise ChorusInputError(f"{filename}: {exc} Is the file from another text?") from None
    set_boundaries(bounds)


def set_boundaries(corpus: Corpus | list[dict] | None) -> None:
    """Store a corrected split (a corpus or a boundary list); None goes back to the splitter's."""
    if isinstance(corpus, Corpus):
        corpus = [b.to_dict() for b in corpus.boundaries or []]
    corrections()["boundaries"] = corpus


@st.cache_data(max_entries=8, ttl=CACHE_TTL, show_spinner=False)
def _near_misses(owner: str, key: str, _corpus: Corpus) -> pd.DataFrame:
    from lib.splitter import boundary_candidates

    return pd.DataFrame(
        boundary_candidates(_corpus, top=20),
        columns=["line", "score", "confidence", "evidence", "text"],
    )


def near_misses(corpus: Corpus) -> pd.DataFrame:
    """Lines that scored as a possible answer start but were not split (best first, 20).

    Cached: scoring every line of a 10k-answer paste takes seconds.
    """
    return _near_misses(_owner(), corpus_key(corpus), corpus)


def corpus_key(corpus: Corpus) -> str:
    """A content digest: response ids and groups identify an analysis input.

    Remembered on the object (corpora are never changed in place, corrections make copies),
    so the many calls in one run hash a 10k-answer corpus once.
    """
    return _digest(corpus, "_chorus_key", lambda r: f"{r.response_id}\t{r.group}\n")


def content_key(corpus: Corpus) -> str:
    """`corpus_key` without the groups: for what the groups do not change (the theme list
    chosen for the answers), so regrouping or renaming keeps it."""
    return _digest(corpus, "_chorus_content_key", lambda r: f"{r.response_id}\n")


def _digest(corpus: Corpus, slot: str, row: Callable[[Any], str]) -> str:
    """The SHA-1 of the corpus's name, prompt and `row` of each answer, remembered in `slot`."""
    known = corpus.__dict__.get(slot)
    if known and known[0] == len(corpus.responses):
        return known[1]
    h = hashlib.sha1(f"{corpus.name}\x00{corpus.prompt}".encode())
    for r in corpus.responses:
        h.update(row(r).encode())
    corpus.__dict__[slot] = (len(corpus.responses), h.hexdigest())
    return h.hexdigest()


def word_count(corpus: Corpus) -> int:
    """Words in all answers, counted as everywhere else (lib.text.count_words)."""
    from lib.text import word_counts

    return sum(word_counts(corpus))


@st.cache_resource(max_entries=16, ttl=CACHE_TTL, show_spinner="Grouping answers by style…")
def _grouped(owner: str, key: str, _corpus: Corpus, n_groups: int | None = None) -> Corpus:
    from lib.grouping import group_by_style

    return group_by_style(_corpus, n_groups=n_groups)


def grouped_corpus() -> Corpus:
    """The corrected corpus with style groups (or model labels), before any renames."""
    base = split_corpus()
    if not base.responses:
        return base
    return _grouped(_owner(), corpus_key(base), base, group_count())


def current_corpus() -> Corpus:
    """The full corpus of the open source and prompt: corrected, grouped, groups renamed."""
    grouped = grouped_corpus()
    renames = corrections().get("renames") or {}
    return grouped.rename_groups(renames) if renames and grouped.responses else grouped


def group_count() -> int | None:
    """How many style groups the user asked for (None: chosen from the answers)."""
    return corrections().get("n_groups")


def set_group_count(k: int | None) -> None:
    """Ask for `k` style groups (None or 0: let grouping choose). The letters then mean other
    groups, so their names are cleared."""
    k = int(k) if k else None
    if k != group_count():
        corrections()["n_groups"] = k
        corrections()["renames"] = {}
        for key in [key for key in st.session_state if str(key).startswith("rename_")]:
            del st.session_state[key]  # the boxes would show the old names otherwise
        set_filter("groups", [])  # a chosen letter would now pick other answers


def set_renames(mapping: dict[str, str]) -> None:
    """Group display names, e.g. {"A": "Claude"} (empty names keep the original)."""
    corrections()["renames"] = {k: v for k, v in mapping.items() if v and v.strip()}


def _whole_of(corpus: Corpus) -> Corpus | None:
    """The open corpus when `corpus` is a filtered view of it (fewer answers), else None."""
    full = current_corpus()
    if corpus is full or len(corpus) >= len(full) or corpus.name != full.name:
        return None
    if not {r.response_id for r in corpus.responses} <= {r.response_id for r in full.responses}:
        return None
    return full


def _rows_of(corpus: Corpus, analyse: Callable[[Corpus], pd.DataFrame]) -> pd.DataFrame | None:
    """Rows of a per-answer analysis of the full corpus, for a filtered view of it.

    Per-answer results do not depend on which other answers are shown, so a filter change
    reuses the full corpus's cached analysis instead of recomputing it (seconds at 10k).
    Returns None when `corpus` is not a filtered view of the open corpus.
    """
    full = _whole_of(corpus)
    if full is None:
        return None
    ids = {r.response_id for r in corpus.responses}
    frame = analyse(full)
    return frame[frame["response_id"].isin(ids)].reset_index(drop=True)


# --- analyses (cached on content, bounded) ------------------------------------------------------
def reference_year() -> int:
    return int(st.session_state.get("reference_year") or date.today().year)


def scale_name() -> str:
    return str(st.session_state.get("scale") or "capphrase")


# Analysis frames are shared (cache_resource), not pickled per call (cache_data): at 10k answers
# a copy of the theme hits alone is ~100 MB and takes a second to unpickle, on every run. Callers
# get a shallow copy; pandas' copy-on-write keeps any change they make to it their own.
@st.cache_resource(max_entries=16, ttl=CACHE_TTL, show_spinner="Finding estimates…")
def _estimates(owner: str, key: str, year: int, scale: str, _corpus: Corpus) -> pd.DataFrame:
    from lib.estimates import extract_estimates

    return extract_estimates(_corpus, reference_year=year, scale=scale)


def estimates(corpus: Corpus) -> pd.DataFrame:
    """Estimates (shares, timelines, probabilities) in the corpus, per the session settings."""
    part = _rows_of(corpus, estimates)
    if part is not None:
        return part
    found = _estimates(_owner(), corpus_key(corpus), reference_year(), scale_name(), corpus)
    return found.copy(deep=False)


# A shared read-only frame (cache_resource, not cache_data): no copy per call, and
# _taxonomy_key recognises it from run to run.
@st.cache_resource(max_entries=4, show_spinner=False)
def default_taxonomy() -> pd.DataFrame:
    """The bundled theme list (data/themes.csv)."""
    from lib.themes import load_taxonomy

    return load_taxonomy()


def user_taxonomy() -> pd.DataFrame | None:
    """The theme list the user chose (edited, uploaded, kept or picked), or None."""
    return st.session_state.get("_taxonomy")


def taxonomy(fit: bool = True) -> pd.DataFrame:
    """The theme list every page reads the open corpus with.

    The user's once they choose one (`set_taxonomy`, the only way a list becomes theirs);
    until then `fitted_taxonomy` of the open corpus: the bundled list, or themes found in the
    answers when it barely fits them, as on the Overview and in the key findings.

    `fit=False` (the sidebar, the filters, the Data page): above `THEME_FIT_EAGER_MAX`
    answers, the bundled list until a page showing themes has fitted the open corpus, so
    opening a large corpus on the Data page does not wait for every theme to be matched.
    """
    chosen = user_taxonomy()
    if chosen is not None:
        return chosen
    corpus = current_corpus()
    if not corpus.responses:
        return default_taxonomy()
    lazy = not fit and len(corpus) > THEME_FIT_EAGER_MAX
    if lazy and content_key(corpus) not in st.session_state.get("_themes_fitted", set()):
        return default_taxonomy()
    return fitted_taxonomy(corpus)[0]


def taxonomy_on_demand() -> Callable[[], pd.DataFrame]:
    """`taxonomy()` for work done later off the script's thread (a download's builder): the
    user's list, else the list that fits the open corpus, decided when called. Not
    `taxonomy(fit=False)`: a large corpus no page has fitted yet would be read with the
    bundled list, unlike on the pages. Plain lib calls only."""
    chosen = user_taxonomy()
    default = default_taxonomy()
    corpus = current_corpus()
    if (
        chosen is None
        and corpus.responses
        and (
            len(corpus) <= THEME_FIT_EAGER_MAX
            or content_key(corpus) in st.session_state.get("_themes_fitted", set())
        )
    ):
        chosen = fitted_taxonomy(corpus)[0]  # as the pages read it, already decided
    if chosen is not None or not corpus.responses:
        fixed = default if chosen is None else chosen
        return lambda: fixed

    def fitted() -> pd.DataFrame:
        from lib.themes import fitting_taxonomy

        return fitting_taxonomy(corpus, default, random_state=0)[0]

    return fitted


def set_taxonomy(df: pd.DataFrame | None) -> None:
    """Make `df` the user's theme list; None goes back to `fitted_taxonomy`."""
    st.session_state["_taxonomy"] = df


_taxonomy_keys: list[tuple[pd.DataFrame, str]] = []


def _taxonomy_key(tax: pd.DataFrame) -> str:
    """A digest of the taxonomy's content, remembered for the last few frames seen (a run
    asks for it about six times; taxonomies are replaced, never changed in place)."""
    for known, key in _taxonomy_keys:
        if known is tax:
            return key
    key = hashlib.sha1(tax.to_csv(index=False).encode()).hexdigest()
    _taxonomy_keys.insert(0, (tax, key))
    del _taxonomy_keys[8:]
    return key


@st.cache_resource(max_entries=16, ttl=CACHE_TTL, show_spinner="Matching themes…")
def _theme_hits(owner: str, key: str, tax_key: str, _corpus: Corpus, _tax: pd.DataFrame):
    """(hits without texts, their per-(answer, theme) cells): kept here together, so the
    scores never match again when lib's small shared cache has let the hits go."""
    from lib.themes import hit_cells, match_themes

    return match_themes(_corpus, _tax, texts=False), hit_cells(_corpus, _tax)


def theme_hits(corpus: Corpus, tax: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every (passage, theme) hit with `tax`, by default `taxonomy()`, without the passages'
    texts: `lib.themes.passage_texts` finds those of the hits a page shows."""
    tax = taxonomy() if tax is None else tax
    part = _rows_of(corpus, lambda whole: theme_hits(whole, tax))
    if part is not None:
        return part
    hits, _ = _theme_hits(_owner(), corpus_key(corpus), _taxonomy_key(tax), corpus, tax)
    return hits.copy(deep=False)


@st.cache_resource(max_entries=16, ttl=CACHE_TTL, show_spinner=False)
def _theme_scores(owner: str, key: str, tax_key: str, _corpus: Corpus, _tax, _cells):
    from lib.themes import theme_scores as score

    return score(_corpus, _tax, cells=_cells)


def theme_scores(corpus: Corpus, tax: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (answer, theme) of `tax`, by default `taxonomy()`."""
    tax = taxonomy() if tax is None else tax
    part = _rows_of(corpus, lambda whole: theme_scores(whole, tax))
    if part is not None:
        return part
    # From the (answer, theme) cells found while matching, kept with the session's hits.
    _, cells = _theme_hits(_owner(), corpus_key(corpus), _taxonomy_key(tax), corpus, tax)
    scores = _theme_scores(_owner(), corpus_key(corpus), _taxonomy_key(tax), corpus, tax, cells)
    return scores.copy(deep=False)


# Shared read-only (cache_resource): the same frame every run, so _taxonomy_key knows it.
@st.cache_resource(max_entries=16, ttl=CACHE_TTL, show_spinner="Matching themes to the answers…")
def _fitting_taxonomy(
    owner: str, key: str, _corpus: Corpus, _default: pd.DataFrame
) -> tuple[pd.DataFrame, float | None]:
    from lib.themes import fitting_taxonomy

    return fitting_taxonomy(_corpus, _default, random_state=0)


def fitted_taxonomy(corpus: Corpus) -> tuple[pd.DataFrame, float | None]:
    """The taxonomy Chorus reads the open corpus with until the user chooses one, and, when it
    holds themes found in the answers, the share of passages the bundled one fits.

    `lib.themes.fitting_taxonomy` of the whole open corpus (`corpus` may be a filtered view of
    it): the bundled list, or themes discovered in the answers when it fits under
    `lib.themes.LOW_COVERAGE` of the passages. Decided once for the open corpus, so a filter
    keeps the same themes.
    """
    whole = _whole_of(corpus)
    whole = corpus if whole is None else whole
    key = content_key(whole)  # groups do not change which list fits: regrouping keeps it
    fitted = _fitting_taxonomy(_owner(), key, whole, default_taxonomy())
    done = st.session_state.setdefault("_themes_fitted", set())
    first = key not in done
    done.add(key)
    if first and fitted[1] is not None and len(whole) > THEME_FIT_EAGER_MAX:
        # The sidebar, drawn before this page, listed the bundled themes of a corpus too large
        # to fit at once; themes found in the answers replace them: draw it again, once.
        st.rerun()
    return fitted


def findings_taxonomy(corpus: Corpus) -> tuple[pd.DataFrame, float | None]:
    """The taxonomy the key findings and the Overview's theme chart read, and, when it holds
    themes found in the answers, the share of passages the bundled one fits.

    The user's list once they choose one, else `fitted_taxonomy`: the same themes
    `taxonomy()` gives every other page, so the Overview's sentences and charts, the Themes
    page and the sidebar's theme filter name the same ones.
    """
    chosen = user_taxonomy()
    if chosen is not None:
        return chosen, None
    return fitted_taxonomy(corpus)


@st.cache_resource(max_entries=8, ttl=CACHE_TTL, show_spinner="Finding themes in the answers…")
def _discovered_themes(owner: str, key: str, _corpus: Corpus) -> pd.DataFrame:
    from lib.themes import discover_themes

    return discover_themes(_corpus, random_state=0)


def suggested_themes(corpus: Corpus) -> pd.DataFrame:
    """Themes found in the open corpus's answers, for the user to rename and keep.

    The very themes `fitted_taxonomy` reads the corpus with when the bundled list barely fits
    it (no second discovery); otherwise found in the whole open corpus, not in a filtered view
    of it, so a filter does not change the suggestion.
    """
    fitted, coverage = fitted_taxonomy(corpus)
    if coverage is not None:
        return fitted
    whole = _whole_of(corpus)
    whole = corpus if whole is None else whole
    return _discovered_themes(_owner(), corpus_key(whole), whole)


@st.cache_resource(max_entries=8, ttl=CACHE_TTL, show_spinner="Fitting topics…")
def _topic_model(owner: str, key: str, n_topics: int | None, _corpus: Corpus):
    from lib.topics import TopicModel

    return TopicModel(n_topics=n_topics, random_state=0).fit(_corpus)


def topic_model(corpus: Corpus, n_topics: int | None = None):
    """A fitted lib.topics.TopicModel (read-only: shared by reruns)."""
    key = corpus_key(corpus)
    model = _topic_model(_owner(), key, n_topics, corpus)
    st.session_state.setdefault("_topics_fitted", set()).add(key)
    return model


@st.cache_data(max_entries=16, ttl=CACHE_TTL, show_spinner="Drawing word clouds…")
def _wordclouds(owner: str, key: str, kind: str, n_topics: int | None, _corpus: Corpus) -> dict:
    from lib.wordclouds import group_wordclouds, topic_wordclouds

    if kind == "topics":
        return topic_wordclouds(topic_model(_corpus, n_topics), width=600, height=300)
    return group_wordclouds(_corpus, width=600, height=300)


def wordclouds(corpus: Corpus, kind: str, n_topics: int | None = None) -> dict:
    """Word-cloud images per topic (kind="topics") or per group (kind="groups")."""
    return _wordclouds(_owner(), corpus_key(corpus), kind, n_topics, corpus)


@st.cache_resource(max_entries=16, ttl=CACHE_TTL, show_spinner="Placing answers on a map…")
def _answer_map(owner: str, key: str, _corpus: Corpus) -> pd.DataFrame:
    from lib.similarity import answer_map as amap

    return amap(_corpus, random_state=0)


def answer_map(corpus: Corpus) -> pd.DataFrame:
    """Answers on a 2-D map; a filtered view keeps the full map's positions (stable to read)."""
    part = _rows_of(corpus, answer_map)
    if part is not None:
        return part
    return _answer_map(_owner(), corpus_key(corpus), corpus).copy(deep=False)


@st.cache_data(max_entries=16, ttl=CACHE_TTL, show_spinner="Summarising…")
def _findings(
    owner: str,
    key: str,
    settings: str,
    coverage: float | None,
    _corpus: Corpus,
    _tax: pd.DataFrame,
    _est: pd.DataFrame,
) -> list[str]:
    from lib.findings import key_findings

    found = key_findings(_corpus, taxonomy=_tax, estimates=_est, default_coverage=coverage)
    return [str(f) for f in found]


def findings(corpus: Corpus) -> list[str]:
    """Key-finding sentences for the corpus, with `findings_taxonomy`, the year and scale."""
    tax, coverage = findings_taxonomy(corpus)
    settings = f"{reference_year()}|{scale_name()}|{_taxonomy_key(tax)}"
    return _findings(
        _owner(), corpus_key(corpus), settings, coverage, corpus, tax, estimates(corpus)
    )


@st.cache_resource(max_entries=64, ttl=CACHE_TTL, show_spinner=False)
def _chart(owner: str, key: str, name: str, settings: str, _build: Callable[[], Any]) -> Any:
    return _build()


def cached_chart(
    name: str, corpus: Corpus, build: Callable[[], Any], tax: pd.DataFrame | None = None
) -> Any:
    """What `build()` returns (figure, caption, data), made once per corpus and settings.

    `tax`: the theme list a theme chart reads (a chart that reads none passes nothing, and
    is keyed on `taxonomy(fit=False)`, so drawing it never matches every theme of a large
    corpus). Building and validating plotly figures is most of a rerun's cost; the result is
    shared read-only (show_chart copies a figure before changing it).
    """
    tax = taxonomy(fit=False) if tax is None else tax
    settings = f"{reference_year()}|{scale_name()}|{_taxonomy_key(tax)}"
    return _chart(_owner(), corpus_key(corpus), name, settings, build)


# --- filters -----------------------------------------------------------------------------------
def parse_response_numbers(text: str) -> tuple[set[int], list[str]]:
    """ "1-4, 9" → ({1, 2, 3, 4, 9}, []); pieces that are not numbers come back as problems."""
    chosen: set[int] = set()
    bad = []
    for piece in re.split(r"[,\s]+", text or ""):
        if not piece:
            continue
        m = re.fullmatch(r"(\d{1,6})(?:-(\d{1,6}))?", piece)
        if not m:
            bad.append(piece)
            continue
        lo = int(m.group(1))
        hi = int(m.group(2) or lo)
        chosen.update(range(min(lo, hi), max(lo, hi) + 1))
    return chosen, bad


def format_response_numbers(indexes: list[int] | set[int]) -> str:
    """{1, 2, 3, 9} → "1-3, 9": the compact form used in the URL."""
    nums = sorted(set(int(i) for i in indexes))
    out = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ", ".join(out)


def active_filters() -> dict[str, Any]:
    """Filters whose value differs from the default."""
    return {
        k: st.session_state.get(k, d)
        for k, d in FILTER_DEFAULTS.items()
        if st.session_state.get(k, d) not in (d, None, "", [])
    }


def _dominant_topics(corpus: Corpus) -> dict[str, int]:
    rt = topic_model(corpus).response_topics_
    top = rt.sort_values("share", ascending=False).drop_duplicates("response_id")
    return dict(zip(top["response_id"], top["topic_id"].astype(int), strict=True))


def filtered_corpus() -> Corpus:
    """current_corpus() restricted by the sidebar filters."""
    corpus = current_corpus()
    f = active_filters()
    if not f or not corpus.responses:
        return corpus
    memo = st.session_state.get("_filtered_memo")
    # The theme and estimate filters read the taxonomy, year and scale: a change to any of
    # them must recompute the result, not serve the last one.
    settings = (_taxonomy_key(taxonomy(fit=False)), reference_year(), scale_name())
    sig = (corpus_key(corpus), json.dumps(f, sort_keys=True, default=str), settings)
    if memo and memo[0] == sig:
        return memo[1]
    keep = list(corpus.responses)
    if f.get("groups"):
        groups = set(f["groups"])
        keep = [r for r in keep if r.group in groups]
    if f.get("responses"):
        numbers, _ = parse_response_numbers(f["responses"])
        keep = [r for r in keep if r.index in numbers]
    if f.get("q"):
        needle = str(f["q"]).strip().lower()
        keep = [r for r in keep if needle in r.text.lower()]
    if f.get("themes") and keep:
        hits = theme_hits(corpus, taxonomy(fit=False))  # the list the sidebar offered
        wanted = set(f["themes"])
        per = hits[hits["theme_id"].isin(wanted)].groupby("response_id")["theme_id"].nunique()
        # "themes present": an answer must touch every chosen theme.
        ok = set(per[per >= len(wanted)].index)
        keep = [r for r in keep if r.response_id in ok]
    if f.get("has_estimate") and keep:
        ok = set(estimates(corpus)["response_id"])
        keep = [r for r in keep if r.response_id in ok]
    if f.get("topic") is not None and keep:
        dominant = _dominant_topics(corpus)
        keep = [r for r in keep if dominant.get(r.response_id) == int(f["topic"])]
    out = corpus.subset([r.response_id for r in keep])
    st.session_state["_filtered_memo"] = (sig, out)
    return out


def set_filter(name: str, value: Any) -> None:
    """Drill down from a chart: the value is applied before the sidebar draws (then st.rerun())."""
    if name not in FILTER_DEFAULTS:
        raise ValueError(f"unknown filter {name!r}")
    if name == "responses" and not isinstance(value, str):
        value = format_response_numbers(value or [])
    st.session_state.setdefault("_pending_filters", {})[name] = value


def reset_filters() -> None:
    """Every filter back to its default (a button callback, so it runs before widgets)."""
    for k, v in FILTER_DEFAULTS.items():
        st.session_state[k] = list(v) if isinstance(v, list) else v


def presenter_mode() -> bool:
    return bool(st.session_state.get("presenter", False))


def _apply_pending() -> None:
    pending_source = st.session_state.pop("_pending_source", None)
    if pending_source:
        st.session_state["source"] = pending_source
        st.session_state["prompt"] = 0
        reset_filters()
    for k, v in st.session_state.pop("_pending_filters", {}).items():
        st.session_state[k] = v


def _clean_choice(key: str, options: list) -> None:
    """Drop stale values (e.g. a group renamed away) so a widget never sees invalid state."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        kept = [v for v in value if v in options]
        if kept != value:
            st.session_state[key] = kept
    elif value is not None and key in ("topic", "prompt") and value not in options:
        st.session_state[key] = FILTER_DEFAULTS.get(key, 0)


def _topic_options(corpus: Corpus) -> dict[int, str] | None:
    key = corpus_key(corpus)
    eager = len(corpus) <= TOPIC_FILTER_EAGER_MAX or st.session_state.get("topic") is not None
    if not eager and key not in st.session_state.get("_topics_fitted", set()):
        return None
    # A corpus too small for topics gets an empty table, so no topic filter.
    topics = topic_model(corpus).topics_
    return {
        int(t): f"{int(t)}: {lab}"
        for t, lab in zip(topics["topic_id"], topics["label"], strict=True)
    }


def sidebar() -> None:
    """The shared sidebar: corpus, prompt, filters, reset, presenter mode (app.py calls it)."""
    _apply_pending()
    # Estimates-page settings outlive their widgets (Streamlit drops a widget's value on
    # pages where it is not drawn); re-storing them keeps them for every page.
    for k in ("reference_year", "scale"):
        if k in st.session_state:
            st.session_state[k] = st.session_state[k]
    sb = st.sidebar
    options = source_options()
    if st.session_state.get("source") not in options:
        st.session_state.pop("source", None)
    sb.selectbox(
        "Corpus",
        list(options),
        format_func=lambda k: options.get(k, k),
        key="source",
        bind="query-params",
        help="Bundled corpora, plus anything you uploaded in this session (Data page).",
    )
    res = loaded()
    if len(res.corpora) > 1:
        plist = prompts()
        _clean_choice("prompt", list(range(len(plist))))
        sb.selectbox(
            "Prompt",
            list(range(len(plist))),
            format_func=lambda i: f"{i + 1}. {plist[i][:80]}",
            key="prompt",
            bind="query-params",
        )
    corpus = current_corpus()
    if corpus.responses:
        words = word_count(corpus)
        n_groups = len({r.group for r in corpus.responses})
        sb.caption(
            " · ".join(
                [
                    count_phrase(len(corpus), "answer"),
                    count_phrase(n_groups, "group"),
                    count_phrase(words, "word"),
                ]
            )
        )
    sb.subheader("Filters")
    groups = sorted({r.group for r in corpus.responses if r.group is not None})
    _clean_choice("groups", groups)
    sb.multiselect(
        "Groups / models", groups, key="groups", bind="query-params", placeholder="All groups"
    )
    sb.text_input(
        "Answers",
        key="responses",
        bind="query-params",
        placeholder="All, or e.g. 1-4, 9",
        help="Answer numbers as shown on the Responses page.",
    )
    _, bad = parse_response_numbers(st.session_state.get("responses", ""))
    if bad:
        ignored = escape_markdown(", ".join(bad))
        sb.caption(f"Ignored {ignored}: use numbers and ranges like 1-4, 9.")
    tax = taxonomy(fit=False)
    theme_labels = dict(zip(tax["id"], tax["label"], strict=True))
    if theme_labels:
        _clean_choice("themes", list(theme_labels))
        sb.multiselect(
            "Themes present",
            list(theme_labels),
            format_func=lambda t: theme_labels.get(t, t),
            key="themes",
            bind="query-params",
            placeholder="Any themes",
        )
    topic_opts = _topic_options(corpus) if corpus.responses else None
    if topic_opts:
        _clean_choice("topic", list(topic_opts))
        sb.selectbox(
            "Topic",
            list(topic_opts),
            index=None,
            format_func=lambda t: topic_opts.get(t, str(t)),
            key="topic",
            bind="query-params",
            placeholder="Any topic",
        )
    sb.toggle("Only answers with an estimate", key="has_estimate", bind="query-params")
    sb.text_input("Keyword", key="q", bind="query-params", placeholder="Search the answers")
    sb.button("↺ Reset filters", on_click=reset_filters, width="stretch")
    sb.divider()
    sb.toggle(
        "Presenter mode",
        key="presenter",
        bind="query-params",
        help="Hides the controls, enlarges text and shows one chart per screen.",
    )
    # After the toggle, so a view opened with ?presenter=true is styled on its first run.
    style()


# --- page furniture ------------------------------------------------------------------------------
_BASE_CSS = """
<style>
.chorus-answer{line-height:1.6;font-size:1rem;overflow-wrap:anywhere}
.chorus-answer mark{color:inherit;padding:0 .1em;border-radius:2px}
.chorus-legend{font-size:.85rem;margin-bottom:.5rem}
.chorus-prompt{border-left:4px solid #0072B2;padding:.4rem .8rem;background:#F2F7FB;
  font-size:1.05rem}
.chorus-table{border-collapse:collapse;width:100%;font-size:.95rem}
.chorus-table th,.chorus-table td{border-bottom:1px solid #E3E6EA;padding:.35rem .6rem;
  text-align:left;vertical-align:top}
.chorus-table th{font-weight:600;background:#F6F7F9}
.chorus-table td.num{text-align:right;font-variant-numeric:tabular-nums}
</style>
"""
# Presenter: no sidebar or toolbar, big type, near-black on white (survives a projector),
# and each chart tall enough to fill a screen on its own.
_PRESENTER_CSS = """
<style>
[data-testid="stSidebar"],[data-testid="stSidebarCollapsedControl"],
[data-testid="stToolbar"],[data-testid="stHeader"]{display:none !important}
html,body,[data-testid="stApp"]{font-size:22px;color:#111;background:#fff}
[data-testid="stMainBlockContainer"]{max-width:100%;padding-top:1rem}
[data-testid="stMarkdownContainer"] p,[data-testid="stCaptionContainer"]{font-size:1.15rem}
[data-testid="stPlotlyChart"],[data-testid="stVegaLiteChart"]{min-height:85vh;margin-bottom:10vh}
.chorus-answer{font-size:1.3rem}
</style>
"""


def style() -> None:
    """Inject the app's own static CSS (never any corpus text)."""
    st.html(_BASE_CSS + (_PRESENTER_CSS if presenter_mode() else ""))


def _leave_presenter() -> None:
    st.session_state["presenter"] = False


def filter_summary(shown: int, total: int) -> str:
    """ "Showing 4 of 16 answers · groups: A" — plain words for the top of every page."""
    parts = [f"Showing {shown:,} of {count_phrase(total, 'answer')}"]
    f = active_filters()
    labels = {
        "groups": "groups",
        "responses": "answers",
        "themes": "themes",
        "topic": "topic",
        "q": "keyword",
    }
    for k, v in f.items():
        if k == "has_estimate":
            parts.append("with an estimate")
        else:
            text = ", ".join(map(str, v)) if isinstance(v, list) else str(v)
            parts.append(f"{labels.get(k, k)}: {text}")
    return " · ".join(parts)


def ensure_frame() -> None:
    """Rerun through app.py when a page was started on its own.

    Streamlit treats a `pages/` folder as a legacy multipage app until the first
    `st.navigation` call in the process, so the very first run (and every AppTest run after
    `switch_page`) can execute a page without the frame: no sidebar, no filters. The page
    then flips that legacy switch off and runs app.py itself.
    """
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == str(APP_PATH):
            return
        frame = frame.f_back
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    # Run the frame now, in this same run (a rerun would drop a button click made on it);
    # its st.navigation runs this page again, inside the frame. Then stop the bare copy.
    code = compile(APP_PATH.read_text(encoding="utf-8"), str(APP_PATH), "exec")
    exec(code, {"__name__": "__main__", "__file__": str(APP_PATH)})
    st.stop()


def page_header(title: str, intro: str) -> None:
    """Title, a plain-language line, and what the filters show ("Showing 12 of 16 answers")."""
    ensure_frame()
    if presenter_mode():
        st.button("Exit presenter mode", on_click=_leave_presenter, key="exit_presenter")
    st.title(title)
    st.caption(intro)
    problem = load_problem()
    if problem:
        st.error(escape_markdown(problem))
        return
    total = len(current_corpus())
    shown = len(filtered_corpus())
    line = html.escape(filter_summary(shown, total))
    st.html(f'<p data-testid="chorus-count" class="chorus-count">{line}</p>')


def page_corpus(title: str, intro: str) -> Corpus:
    """The top of an analysis page: its header, then the filtered answers to show.

    Stops the page (after saying why) when the source could not be read or the filters leave
    no answer, so a page body only ever sees a non-empty corpus.
    """
    page_header(title, intro)
    if load_problem():
        st.stop()
    corpus = filtered_corpus()
    if not corpus.responses:
        empty_state("No answer matches the filters. Press “Reset filters” in the sidebar.")
        st.stop()
    return corpus


MAX_CHART_ANSWERS = 400  # past this many answers a per-answer chart shows an even sample


def chart_sample(corpus: Corpus, limit: int = MAX_CHART_ANSWERS) -> set[str] | None:
    """Response ids of an even sample of `limit` answers, or None when all fit in a chart.

    A grid of 10,000 answer columns is unreadable and takes a browser minutes to draw.
    """
    n = len(corpus.responses)
    if n <= limit:
        return None
    step = n / limit
    return {corpus.responses[int(i * step)].response_id for i in range(limit)}


def sample_note(sample: set[str], corpus: Corpus) -> str:
    """What a chart drawn from `chart_sample` says under it: "Chart shows an even sample of 400
    of 10,000 answers" (no full stop, so a page can add to it)."""
    return f"Chart shows an even sample of {len(sample)} of {len(corpus):,} answers"


def sections(labels: list[str], key: str) -> list[tuple[Any, bool]]:
    """One container per section and whether to draw it now: lazy tabs, or all in presenter mode.

    A browser spends most of a page's first render loading plotly and drawing charts, so a
    page shows its secondary charts in tabs that run only when opened (`on_change="rerun"`
    makes each tab's `.open` say which one is). Presenter mode keeps every section, one per
    screen, so a talk scrolls through them without clicking.

    >>> for tab, is_open in sections(["Shares", "Timelines"], key="estimates_tab"):
    ...     if is_open:
    ...         with tab:
    ...             ...
    """
    if presenter_mode():
        return [(st.container(), True) for _ in labels]
    tabs = st.tabs(labels, key=key, on_change="rerun")
    return [(tab, bool(tab.open)) for tab in tabs]


def empty_state(message: str) -> None:
    """A helpful note when nothing matches (never an error)."""
    st.info(escape_markdown(message), icon="🔎")


def chart_config(filename: str) -> dict:
    """Plotly toolbar: PNG at projector size, no logo, nothing fetched from outside."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": 1920,
            "height": 1080,
            "scale": 1,
        },
    }


def _chart_footer(key: str, caption: str, data: pd.DataFrame | None) -> None:
    """Under every chart: its caption, and its data as CSV (not in presenter mode)."""
    if caption:
        # Captions name groups and themes, which come from the corpus: never read as markdown.
        st.caption(escape_markdown(caption))
    if data is not None and not presenter_mode():
        st.download_button(
            "Download data (CSV)",
            # Built on click only: a 10k-row table is not serialised on every rerun.
            data=lambda: data.to_csv(index=False),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"{key}__csv",
            on_click="ignore",
        )


def show_light_chart(
    spec: dict,
    *,
    key: str,
    caption: str,
    data: pd.DataFrame | None = None,
    selectable: bool = False,
    figure: Callable[[], object] | None = None,
) -> list[list]:
    """Render a Vega-Lite spec (lib.figures.light_*) like `show_chart`; return the picked
    points as lists of the spec's pick fields (e.g. [[response_id, index]]).

    `figure` builds the same chart in plotly: a toggle under the chart shows it, with plotly's
    toolbar (zoom, PNG at any size). Off by default, so plotly.js loads only when asked for.
    """
    from lib.figures import PICK, light_selected

    if presenter_mode():
        spec = {
            **spec,
            "height": 640,
            "config": {
                "axis": {"labelFontSize": 20, "titleFontSize": 22},
                "legend": {"labelFontSize": 20, "titleFontSize": 22},
            },
            "title": {**spec.get("title", {}), "fontSize": 26},
        }
    st.vega_lite_chart(
        spec=spec,
        key=key,
        on_select="rerun" if selectable else "ignore",
        selection_mode=PICK if selectable else None,
        width="stretch",
    )
    _chart_footer(key, caption, data)
    if (
        figure is not None
        and not presenter_mode()
        and st.toggle(
            "Zoomable version with PNG export",
            key=f"{key}__plotly",
            help="Draws this chart again with a toolbar: zoom, pan, and a camera button that "
            "saves a PNG for slides.",
        )
    ):
        st.plotly_chart(figure(), key=f"{key}__plotly_chart", config=chart_config(key))
    # Read the event through session state with dict access: AppTest injects it there.
    return light_selected(st.session_state.get(key), spec) if selectable else []


def show_chart(
    fig,
    *,
    key: str,
    caption: str,
    data: pd.DataFrame | None = None,
    selectable: bool = False,
) -> dict | None:
    """Render a figure with its caption and data; return the selection (dict) or None."""
    if presenter_mode():
        import plotly.graph_objects as go

        fig = go.Figure(fig)
        fig.update_layout(height=720, font={"size": 20})
    st.plotly_chart(
        fig,
        key=key,
        on_select="rerun" if selectable else "ignore",
        config=chart_config(key),
        width="stretch",
    )
    _chart_footer(key, caption, data)
    if not selectable:
        return None
    # Read the event through session state with dict access: AppTest injects it there.
    event = st.session_state.get(key)
    if event is None:
        return None
    try:
        selection = event["selection"]
    except (KeyError, TypeError):
        return None
    return {
        "selection": {
            k: list(selection.get(k, []) or []) for k in ("points", "point_indices", "box", "lasso")
        }
    }
