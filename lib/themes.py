"""Themes: a taxonomy of ideas (data, not code) matched against the passages of each answer.

A taxonomy is a table with one row per theme: ``id``, ``label``, ``description`` and
``phrases``. The default one for the seed question is ``data/themes.csv``; users can edit it in
the app, download it and upload their own.

Phrase syntax (written for people who do not write regular expressions):

- Phrases are separated by ``;`` (a comma or a new line also separates phrases).
- Matching ignores case and respects word boundaries: ``rain`` does not hit "training".
- A ``*`` at the end of a word matches any ending: ``hallucinat*`` hits "hallucinate",
  "hallucinations"; ``scal* law*`` hits "scaling laws".
- A space in a phrase matches spaces, hyphens or dashes: ``chain of thought`` hits
  "chain-of-thought". A hyphen matches a hyphen, a space or nothing: ``neuro-symbolic`` hits
  "neurosymbolic", "neuro symbolic" and "neuro-symbolic".
- Straight and curly apostrophes match each other (``don't`` hits "don’t").
- Everything else is matched literally (``c++`` or ``gpt-4`` need no escaping).

Matching compiles one regular expression per theme from escaped alternatives, with no nested
quantifiers, so it stays linear in the length of the text.

Scores. For each (answer, theme):

- ``passages_hit``: passages (headings, bullets, paragraphs) with at least one match; a passage
  that repeats a phrase counts once, so a list of ten bullets weighs more than one word said
  ten times.
- ``share``: ``passages_hit / passages`` of that answer.
- ``score``: ``1 - exp(-d)`` where ``d`` is passages hit per 100 words. It is 0 when the theme
  is absent, about 0.5 for one passage per 150 words and tends to 1 when the theme runs through
  the answer. Dividing by words (not passages) keeps answers that split into many short bullets
  comparable with answers written as long paragraphs, and the squashing keeps it in 0-1.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from lib.corpus import ChorusInputError, Corpus, paused_gc
from lib.parallel import map_in_halves
from lib.text import (
    WORD_GAP,
    cached,
    count_words,
    passage_strings,
    term_counts,
    usual_forms,
    word_counts,
)
from lib.tokens import code_points, text_starts

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "themes.csv"
TAXONOMY_COLUMNS = ["id", "label", "description", "phrases"]
HIT_COLUMNS = [
    "response_id",
    "response_index",
    "group",
    "theme_id",
    "passage_order",
    "passage_text",
    "matched",
]
SCORE_COLUMNS = [
    "response_id",
    "response_index",
    "group",
    "theme_id",
    "theme_label",
    "passages_hit",
    "share",
    "score",
    "matched",
    "passages",
    "words",
]
GROUP_SCORE_COLUMNS = [
    "group",
    "theme_id",
    "theme_label",
    "responses",
    "responses_hit",
    "response_share",
    "passages_hit",
    "share",
    "score",
    "matched",
]
# Below this share of passages hit, a taxonomy does not fit the corpus: offer discovered themes.
LOW_COVERAGE = 0.2
# The phrase syntax in a few lines, for the taxonomy editor's help text.
PHRASE_HELP = (
    "Separate phrases with ';'. Matching ignores case and whole words only: 'rain' does not hit "
    "'training'. End a word with * for any ending: 'hallucinat*' hits 'hallucinations'. A space "
    "also matches a hyphen ('chain of thought' hits 'chain-of-thought'), and a hyphen also "
    "matches a space or nothing ('neuro-symbolic' hits 'neurosymbolic')."
)
# Answers without a group (no model label, no style grouping yet) are pooled under this key.
UNGROUPED = "all"

_SEPARATORS = re.compile(r"[;,\n]+")
# Characters a space or hyphen in a phrase stands for (`lib.text.WORD_GAP`).
_GAP = WORD_GAP
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015"
_KEY_RUN = re.compile(r"[^\W_]+")  # letters and digits: a run of a phrase that can be a key word
_ID_CLEAN = re.compile(r"[^a-z0-9]+")


# --- phrases --------------------------------------------------------------------------------
def parse_phrases(text: object) -> list[str]:
    """The phrases in one ``phrases`` cell, in order, without blanks or repeats.

    >>> parse_phrases("grounding; embodi*,  robot*\\n")
    ['grounding', 'embodi*', 'robot*']
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return []
    out: list[str] = []
    for raw in _SEPARATORS.split(str(text)):
        phrase = " ".join(raw.split()).strip()
        if phrase and phrase.lower() not in {p.lower() for p in out}:
            out.append(phrase)
    return out


def _phrase_units(phrase: str) -> list[str] | None:
    """A phrase as a list of regex pieces, one per character or gap (None if no letter/digit)."""
    phrase = " ".join(phrase.lower().split())
    if not re.search(r"[^\W_]", phrase):
        return None
    units: list[str] = []
    for i, ch in enumerate(phrase):
        if ch == " " or ch in _HYPHENS:
            gap = _GAP + ("+" if ch == " " else "*")
            # A run like " - " ("neuro - symbolic") is one gap; it must be one quantifier, as two
            # adjacent ones over the same characters would backtrack quadratically.
            if units and units[-1].startswith(_GAP):
                gap = _GAP + ("+" if units[-1].endswith("+") or ch == " " else "*")
                units[-1] = gap
            else:
                units.append(gap)
        elif ch == "*":
            # Only a word ending: a "*" after a gap or at the start would match nothing useful.
            if i > 0 and re.match(r"[^\W_]", phrase[i - 1]):
                units.append(r"\w*")
        elif ch in "'’":
            units.append("['’]")
        else:
            units.append(re.escape(ch))
    return units


def phrase_pattern(phrase: str) -> str | None:
    """The regular-expression source for one phrase (None if it has no letter or digit)."""
    units = _phrase_units(phrase)
    return "".join(units) if units else None


def compile_phrases(phrases: str | list[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for a theme's phrases (None if none are usable).

    The phrases are merged into a prefix tree ("plan", "planner*", "planning" share "plan"), which
    keeps the pattern fast, and longer phrases are tried first so "world model" wins over "world"
    in the matched words. Every piece is a literal, a character class or `\\w*`, with no nested
    quantifiers, so the search is linear in the text length.
    """
    trie = _phrase_trie(phrases)
    if not trie:
        return None
    return re.compile(_first_chars(trie) + r"(?<!\w)" + _trie_source(trie) + r"(?!\w)", re.I)


def phrase_match_spans(text: str, phrases: str | list[str]) -> list[tuple[int, int]]:
    """(start, end) of every match of a theme's phrases in `text`, as `match_themes` finds them.

    For highlighting evidence: hits keep the passage and its matched words, not offsets.
    >>> phrase_match_spans("Rain hurts training.", "rain")
    [(0, 4)]
    """
    pattern = compile_phrases(phrases)
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def _phrase_trie(phrases: str | list[str]) -> dict:
    items = parse_phrases(phrases) if isinstance(phrases, str) else list(phrases)
    trie: dict = {}
    for phrase in items:
        units = _phrase_units(phrase)
        if not units:
            continue
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}
    return trie


def _compile_lowered(phrases: str | list[str]) -> re.Pattern[str] | None:
    r"""`compile_phrases` for lower-cased text: the same matches, found several times faster.

    Without the ignore-case flag and with the word-start test moved after each first letter
    (`(?<!\w.)`: the character before the letter is not a word character), the pattern starts
    with a plain choice of letters, which Python's engine scans for in C instead of trying
    every position. Only for text whose lower-casing keeps its length (offsets stay valid).
    """
    trie = _phrase_trie(phrases)
    if not trie:
        return None
    units = sorted((u for u in trie if u), key=lambda u: (u == r"\w*", u))
    branches = []
    for unit in units:
        rest = _trie_source(trie[unit])
        if unit.startswith(_GAP):  # a gap can be any width: test the word start before it
            branches.append(r"(?<!\w)" + unit + rest)
        else:  # one character: a letter, a digit, a mark or an apostrophe class
            branches.append(unit + r"(?<!\w.)" + rest)
    return re.compile("(?:" + "|".join(branches) + r")(?!\w)", re.S)


def _first_chars(trie: dict) -> str:
    """A lookahead for the characters a match can start with.

    Python's regex engine checks one character class far faster than a lookbehind plus dozens of
    branches, so most positions (spaces, punctuation, unrelated letters) are skipped at once.
    """
    chars = []
    for unit in trie:
        if unit == "['’]":
            chars.append("'’")
        elif len(unit) == 1 or (len(unit) == 2 and unit[0] == "\\"):
            chars.append(unit if len(unit) == 2 or unit.isalnum() else "\\" + unit)
        else:  # a phrase starting with a gap: no cheap first character
            return ""
    return "(?=[" + "".join(chars) + "])"


def _trie_source(node: dict) -> str:
    ends_here = "" in node
    # "\w*" goes last so "emergent abilit*" is tried before "emerg*" swallows the first word.
    units = sorted((u for u in node if u), key=lambda u: (u == r"\w*", u))
    branches = [unit + _trie_source(node[unit]) for unit in units]
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    # Greedy "?" and branch order try the longer continuations first.
    return "(?:" + "|".join(branches) + ")" + ("?" if ends_here else "")


# --- taxonomy tables ------------------------------------------------------------------------
def validate_taxonomy(df: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """A clean taxonomy and the problems found, each naming the row (1-based, as in the editor).

    Nothing the user typed is dropped silently: blank rows are removed, a missing id is made from
    the label, a repeated id gets a suffix, and a theme with no usable phrase is kept (it matches
    nothing) with a message.
    """
    problems: list[str] = []
    if df is None:
        df = pd.DataFrame(columns=TAXONOMY_COLUMNS)
    renamed = {c: str(c).strip().lower() for c in df.columns}
    df = df.rename(columns=renamed)
    if df.columns.duplicated().any():
        dupes = sorted(set(df.columns[df.columns.duplicated()]))
        problems.append(f"Columns appear twice: {', '.join(dupes)}; the first of each is used.")
        df = df.loc[:, ~df.columns.duplicated()]
    if "phrases" not in df.columns:
        problems.append(
            "The taxonomy needs a 'phrases' column (the words that signal each theme, separated "
            f"by ';'); found columns: {', '.join(map(str, df.columns)) or 'none'}."
        )
        return pd.DataFrame(columns=TAXONOMY_COLUMNS), problems
    if "id" not in df.columns and "label" not in df.columns:
        problems.append("The taxonomy needs an 'id' or a 'label' column to name each theme.")
        return pd.DataFrame(columns=TAXONOMY_COLUMNS), problems
    extra = [c for c in df.columns if c not in TAXONOMY_COLUMNS]
    if extra:
        problems.append(f"Ignored columns: {', '.join(map(str, extra))}.")

    rows: list[dict] = []
    seen: set[str] = set()
    for pos, (_, row) in enumerate(df.iterrows(), start=1):
        cells = {c: _cell(row.get(c)) for c in TAXONOMY_COLUMNS}
        if not any(cells.values()):
            continue
        where = f"Row {pos}"
        theme_id = _slug(cells["id"])
        if cells["id"] and theme_id != cells["id"]:
            problems.append(
                f"{where}: id '{cells['id']}' was changed to '{theme_id}' (ids use lower-case "
                "letters, digits and underscores)."
            )
        if not theme_id:
            theme_id = _slug(cells["label"]) or f"theme_{pos}"
            problems.append(f"{where}: no id; using '{theme_id}'.")
        if theme_id in seen:
            k = 2
            while f"{theme_id}_{k}" in seen:
                k += 1
            problems.append(
                f"{where}: id '{theme_id}' is used by an earlier row; renamed to '{theme_id}_{k}'."
            )
            theme_id = f"{theme_id}_{k}"
        seen.add(theme_id)
        label = cells["label"] or theme_id.replace("_", " ").capitalize()
        phrases = parse_phrases(cells["phrases"])
        unusable = [p for p in phrases if phrase_pattern(p) is None]
        if unusable:
            problems.append(
                f"{where} ({theme_id}): ignored phrases with no letter or digit: "
                + ", ".join(repr(p) for p in unusable)
                + "."
            )
            phrases = [p for p in phrases if p not in unusable]
        if not phrases:
            problems.append(f"{where} ({theme_id}): no phrases, so this theme matches nothing.")
        rows.append(
            {
                "id": theme_id,
                "label": label,
                "description": cells["description"],
                "phrases": "; ".join(phrases),
            }
        )
    if not rows:
        problems.append("The taxonomy has no themes.")
    return pd.DataFrame(rows, columns=TAXONOMY_COLUMNS), problems


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _slug(text: str) -> str:
    return _ID_CLEAN.sub("_", text.lower()).strip("_")


def read_taxonomy_csv(data: str | bytes) -> tuple[pd.DataFrame, list[str]]:
    """Parse an uploaded taxonomy CSV; returns (clean taxonomy, problems)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            data = data.decode("cp1252", errors="replace")
    data = data.lstrip("\ufeff")
    if not data.strip():
        return pd.DataFrame(columns=TAXONOMY_COLUMNS), ["The taxonomy file is empty."]
    try:
        raw = pd.read_csv(io.StringIO(data), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        first = str(exc).splitlines()[0]
        return pd.DataFrame(columns=TAXONOMY_COLUMNS), [f"Could not read the CSV: {first}"]
    return validate_taxonomy(raw)


def load_taxonomy(path: str | Path | None = None) -> pd.DataFrame:
    """The taxonomy at `path` (default: data/themes.csv), validated.

    Problems that were fixed on the way (see `validate_taxonomy`) are in ``df.attrs["problems"]``.
    Raises `ChorusInputError` when the file is missing or has no usable theme.
    """
    path = Path(path) if path is not None else DEFAULT_TAXONOMY
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ChorusInputError(f"Cannot read the taxonomy {path}: {exc.strerror}.") from exc
    df, problems = _read_known_csv(data)
    if df.empty:
        raise ChorusInputError(f"{path}: " + " ".join(problems))
    df = df.copy()
    df.attrs["problems"] = list(problems)
    return df


@lru_cache(maxsize=8)
def _read_known_csv(data: bytes) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """`read_taxonomy_csv`, remembered by the file's bytes: checking every phrase takes 50 ms,
    and the pages, scores and findings each load the default list (callers get a copy)."""
    df, problems = read_taxonomy_csv(data)
    return df, tuple(problems)


def taxonomy_to_csv(df: pd.DataFrame) -> str:
    """The taxonomy as CSV text for download; `read_taxonomy_csv` reads it back unchanged."""
    out = df.reindex(columns=TAXONOMY_COLUMNS).fillna("")
    return out.to_csv(index=False, lineterminator="\n")


# --- matching -------------------------------------------------------------------------------
def match_themes(corpus: Corpus, taxonomy: pd.DataFrame, texts: bool = True) -> pd.DataFrame:
    """Every (passage, theme) hit, with the passage (unless `texts` is False) and the matched
    words.

    ``matched`` is the "; "-joined distinct matched words (lower case, in order of appearance).
    Results are remembered per corpus content, groups and taxonomy (`lib.text.cached`), so the
    pages, the scores and the key findings match once; treat the frame as read-only.

    A hit names its passage by answer and ``passage_order``; ``passage_text`` is the passage
    itself, found again from the answer's text (`passage_texts`). `texts=False` leaves that
    column out: the pages keep the hits of a 10k-answer corpus without ~60 MB of passage
    copies, and fetch the text of the few passages they show.

    A theme's pattern runs only on the passages that could match it (see `_KeyWords`), found
    from the corpus's shared word counts: the hits are exactly those of running every pattern
    on every passage, at a fraction of the cost on a large corpus.
    """
    if not corpus.responses or taxonomy.empty:
        hits = pd.DataFrame({c: [] for c in HIT_COLUMNS}, columns=HIT_COLUMNS)
        return hits if texts else hits.drop(columns="passage_text")
    hits = _hits_and_cells(corpus, taxonomy)[0].copy(deep=False)  # values copied on write
    if texts:
        found = pd.Series(passage_texts(corpus, hits), index=hits.index, dtype=object)
        hits.insert(HIT_COLUMNS.index("passage_text"), "passage_text", found)
    return hits


def hit_cells(corpus: Corpus, taxonomy: pd.DataFrame) -> pd.DataFrame:
    """Per (answer, theme) with a hit: ``response_id``, ``theme_id``, ``passages_hit`` and the
    distinct ``matched`` words, found while matching (what `theme_scores` counts from the
    hits); remembered with them. A host that keeps the hits keeps these beside them."""
    if not corpus.responses or taxonomy.empty:
        return pd.DataFrame(columns=_CELL_COLUMNS)
    return _hits_and_cells(corpus, taxonomy)[1].copy(deep=False)


def _hits_and_cells(corpus: Corpus, taxonomy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hits (without texts) and, per (answer, theme), the passages hit and the words
    (`_count_hits` of them, found while matching): remembered together."""
    key = _taxonomy_key(corpus, taxonomy)
    return cached("theme_hits", corpus, lambda: _match_themes(corpus, taxonomy), key)


def passage_texts(corpus: Corpus, hits: pd.DataFrame) -> list[str]:
    """The text of each hit's passage (by ``response_id``, ``response_index`` and
    ``passage_order``), in order: each answer's passages are split once
    (`lib.text.passage_strings`)."""
    answers = {(r.response_id, r.index): r for r in corpus.responses}
    out: list[str] = []
    keys = zip(hits["response_id"].tolist(), hits["response_index"].tolist(), strict=True)
    current, passages = None, []
    for key, order in zip(keys, hits["passage_order"].tolist(), strict=True):
        if key != current:
            current, passages = key, passage_strings(answers[key].text)
        out.append(passages[order - 1])
    return out


@lru_cache(maxsize=1024)
def _cell_pattern(cell: str) -> re.Pattern[str] | None:
    return compile_phrases(cell)


@lru_cache(maxsize=1024)
def _cell_lowered_pattern(cell: str) -> re.Pattern[str] | None:
    return _compile_lowered(cell)


@lru_cache(maxsize=8192)
def _subset_pattern(cell: str, mask: int) -> re.Pattern[str] | str | None:
    """`_compile_lowered` of the phrases of `cell` picked by `mask` (see `_KeyWords.candidates`):
    a few phrases are tried at far fewer places than the theme's whole pattern.

    One plain word ("planning": letters and digits, a key word from end to end) needs no
    pattern at all: a passage holding its key word holds a counted word that is the word, or
    hyphen-joined to it ("pre-planning"), and so matches. It is returned as the matched word.
    """
    if not mask:
        return _cell_lowered_pattern(cell)
    picked = _picked(cell, mask)
    if len(picked) == 1:
        word = picked[0].lower()
        if _KEY_RUN.fullmatch(word) and _key_words(word) == ((word, True, True),):
            return word
    return _compile_lowered(picked)


@lru_cache(maxsize=1024)
def _needle_pattern(cell: str, mask: int | None) -> re.Pattern[str] | None:
    """`_compile_lowered` of the phrases of `cell` without key words and of the others picked
    by `mask` as in `_subset_pattern` (0: all of them; None: none)."""
    if mask == 0:
        return _cell_lowered_pattern(cell)
    picked = _picked(cell, mask) if mask is not None else []
    return _compile_lowered([p for p in parse_phrases(cell) if not _key_words(p) or p in picked])


def _picked(cell: str, mask: int) -> list[str]:
    """The phrases of `cell` with key words that `mask` picks (bit j: the j-th of them)."""
    keyed = [phrase for phrase in parse_phrases(cell) if _key_words(phrase)]
    return [p for j, p in enumerate(keyed) if mask >> j & 1]


# A phrase subset is compiled (a millisecond or two each) only for a theme's phrase mask that
# this many candidate passages share; rarer masks run the theme's whole lowered pattern.
SUBSET_USES = 200


def _common_masks(of_theme: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """`masks` with those of rare (theme, mask) pairs set to 0 (the theme's whole pattern)."""
    if not len(masks):
        return masks
    pairs = pd.DataFrame({"theme": of_theme, "mask": masks})
    uses = pairs.groupby(["theme", "mask"], sort=False)["theme"].transform("size").to_numpy()
    return np.where(uses >= SUBSET_USES, masks, 0).astype(masks.dtype)


def _taxonomy_key(corpus: Corpus, taxonomy: pd.DataFrame) -> tuple:
    """What theme results depend on besides the texts: the themes, and the answers' numbers
    and groups (a filtered corpus keeps its answers' numbers; the same texts opened alone
    are numbered from 1)."""
    return (
        tuple(zip(taxonomy["id"].astype(str), taxonomy["label"].astype(str), strict=True)),
        tuple(taxonomy["phrases"].astype(str)),
        tuple((r.index, r.group) for r in corpus.responses),
    )


# Candidate (passage, theme) pairs from which only the candidate phrases are run (see
# `_KeyWords.candidates`); in a smaller corpus each theme's whole pattern runs.
SUBSETS_FROM = 20_000


def _match_themes(corpus: Corpus, taxonomy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(hits without texts, their `_count_hits`), matching every answer."""
    themes = [str(t) for t in taxonomy["id"]]
    match = _AnswerMatcher(corpus, [str(p) for p in taxonomy["phrases"]])
    owners = range(len(corpus.responses))
    columns: dict[str, object] = {}
    theme_col: list[int] = []
    order_col = columns["passage_order"] = []
    matched_col = columns["matched"] = []
    cell_theme: list[int] = []
    cell_passages: list[int] = []
    cell_matched: list[str] = []
    with paused_gc():
        # Each answer on its own: on a large corpus half of them in a second process.
        found_all = map_in_halves(match, owners, weights=[len(r.text) for r in corpus.responses])
        hits_of = [0] * len(found_all)
        cells_of = [0] * len(found_all)
        for owner, found in enumerate(found_all):
            found_all[owner] = None  # each answer's columns freed as they are copied
            if found:
                theme_col += found[0]
                order_col += found[1]
                matched_col += found[2]
                hits_of[owner] = len(found[0])
                cell_theme += found[3]
                cell_passages += found[4]
                cell_matched += found[5]
                cells_of[owner] = len(found[3])
        del found_all
    responses = corpus.responses
    columns["theme_id"] = np.array(themes, dtype=object)[np.array(theme_col, dtype=np.int64)]
    columns["response_id"] = np.repeat(
        np.array([r.response_id for r in responses], object), hits_of
    )
    columns["response_index"] = np.repeat([r.index for r in responses], hits_of)
    columns["group"] = np.repeat(np.array([r.group for r in responses], object), hits_of)
    # Text columns stay Python objects: one reference per string, not a copy per hit.
    hits = pd.DataFrame(
        {
            name: pd.Series(
                column, dtype=int if name in ("response_index", "passage_order") else object
            )
            for name, column in columns.items()
        },
        columns=[c for c in HIT_COLUMNS if c != "passage_text"],
    )
    index = hits["response_index"].to_numpy()
    if len(index) > 1 and (np.diff(index) < 0).any():  # a corpus not in answer order
        hits = hits.iloc[np.argsort(index, kind="stable")].reset_index(drop=True)
    cells = pd.DataFrame(
        {
            "response_id": np.repeat(
                np.array([r.response_id for r in responses], object), cells_of
            ),
            "theme_id": np.array(themes, dtype=object)[np.array(cell_theme, dtype=np.int64)],
            "passages_hit": np.array(cell_passages, dtype=np.int64),
            "matched": np.array(cell_matched, dtype=object),
        },
        columns=_CELL_COLUMNS,
    )
    return hits, cells


class _AnswerMatcher:
    """The theme hits of one answer, by its position in the corpus: three columns (theme
    position, passage order, matched words) sorted by theme and passage, then three of its
    (answer, theme) cells (theme position, passages hit, distinct matched words, as
    `_count_hits` gives them); () when there are none. Columns, not a tuple per hit: they
    cross from a second process.

    Which passages can match which theme is worked out once for the whole corpus, from its
    shared word counts (`_KeyWords.candidates`); each answer then runs only those patterns.
    """

    def __init__(self, corpus: Corpus, cells: list[str]) -> None:
        self.responses = corpus.responses
        self.cells = cells
        self.keys = _KeyWords(cells)
        counts = term_counts(corpus)
        self.rows, self.of_theme, masks = self.keys.candidates(counts)
        # In a small corpus compiling phrase subsets costs more than it saves.
        small = len(self.rows) < SUBSETS_FROM
        self.masks = np.zeros_like(masks) if small else _common_masks(self.of_theme, masks)
        # Where each answer's passages start among the rows (passages are stored answer by
        # answer), and where its candidate pairs start.
        self.first_row = np.searchsorted(
            counts.passage_response, np.arange(len(corpus.responses) + 1)
        )
        self.at = np.searchsorted(self.rows, self.first_row)
        # Where ignore-case matching and str.lower() disagree ("İ", "ſ", "µ", "ς"), the counts
        # and the lower-cased patterns cannot be trusted: such themes and answers are scanned
        # in full.
        self.risky = _case_risky()
        self.exact_themes = sorted(k for k, cell in enumerate(cells) if self.risky.search(cell))
        # The same matched words recur in thousands of hits: one string of each (~25 MB at
        # 10k answers), in each process.
        self.one_copy = {}.setdefault

    def __call__(self, owner: int) -> tuple:
        response = self.responses[owner]
        keys, cells, exact_themes = self.keys, self.cells, self.exact_themes
        lo, hi = int(self.at[owner]), int(self.at[owner + 1])
        risky_text = not response.text.isascii() and bool(self.risky.search(response.text))
        if lo == hi and not (keys.needles or exact_themes or risky_text):
            return ()
        texts = passage_strings(response.text)
        found: list[tuple[int, int, str, str]] = []  # (theme, passage, text, matched)
        whole: list[tuple[int, int]] = []  # (theme, passage) to run the whole pattern on
        if risky_text:
            whole = [(k, pos) for k in range(len(cells)) for pos in range(len(texts))]
        else:
            lowered = [text.lower() for text in texts]
            # Themes with risky characters run their whole pattern on every passage.
            whole = [(k, pos) for k in exact_themes for pos in range(len(texts))]
            # A phrase without key words is looked for by its needle: where the needle is, it
            # runs with the theme's phrases whose key words are there (None: no such phrase,
            # so far; the candidates below add theirs).
            needled: dict[tuple[int, int], int | None] = {}
            for k, needles in keys.needles.items():
                if k not in exact_themes:
                    for needle in needles:
                        needled.update(
                            ((k, pos), None) for pos, low in enumerate(lowered) if needle in low
                        )
            offset = int(self.first_row[owner])
            for row, k, mask in zip(
                self.rows[lo:hi].tolist(),
                self.of_theme[lo:hi].tolist(),
                self.masks[lo:hi].tolist(),
                strict=True,
            ):
                pos = row - offset
                if exact_themes and k in exact_themes:
                    continue
                if needled and (k, pos) in needled:
                    needled[k, pos] = mask
                    continue
                low = lowered[pos]
                if len(low) != len(texts[pos]):  # lower-casing moved offsets
                    whole.append((k, pos))
                    continue
                # Only the phrases whose key words the passage holds (see candidates()).
                pattern = _subset_pattern(cells[k], mask)
                if isinstance(pattern, str):  # one plain word, certain to match
                    found.append((k, pos + 1, texts[pos], pattern))
                    continue
                words = pattern.findall(low) if pattern else []
                if words:
                    found.append((k, pos + 1, texts[pos], _joined(words)))
            for (k, pos), mask in needled.items():
                low = lowered[pos]
                if len(low) != len(texts[pos]):
                    whole.append((k, pos))
                    continue
                pattern = _needle_pattern(cells[k], mask)
                words = pattern.findall(low) if pattern else []
                if words:
                    found.append((k, pos + 1, texts[pos], _joined(words)))
        for k, pos in whole:
            # The case-insensitive pattern of all the theme's phrases, on the passage as is
            # (compiled only when needed: most corpora never need it).
            pattern = _cell_pattern(cells[k])
            words = [w.lower() for w in pattern.findall(texts[pos])] if pattern else []
            if words:
                found.append((k, pos + 1, texts[pos], _joined(words)))
        if not found:
            return ()
        found.sort()  # theme order, then passage order (each pair once: texts never compared)
        themes, orders, _, matched = zip(*found, strict=True)
        matched = tuple(map(self.one_copy, matched, matched))
        cell_themes, cell_passages, cell_matched = [], [], []
        for k, run in groupby(zip(themes, matched, strict=True), key=itemgetter(0)):
            words = [m for _, m in run]
            cell_themes.append(k)
            cell_passages.append(len(words))
            if len(words) > 1:
                merged = _join_unique(words)
                words[0] = self.one_copy(merged, merged)
            cell_matched.append(words[0])
        return themes, orders, matched, cell_themes, cell_passages, cell_matched


def _joined(words: list[str]) -> str:
    """Matched words, distinct, in order of appearance, as one "; "-joined cell."""
    return "; ".join(dict.fromkeys(words) if len(words) > 1 else words)


class _KeyWords:
    """Which passages could match each theme, from the words the corpus's counts hold.

    A phrase's key words are runs of letters and digits that can be found among counted words
    (`lib.text.TOKEN_PATTERN`, English stop words dropped): two or more characters, starting
    with a letter, in a space-separated segment that starts with a letter. Wherever the phrase
    matches, each key word is inside one counted word of the passage, and where it sits there
    is known:

    - a segment's first run starts a counted word or follows a hyphen in it ("x-rays"), and it
      must not be a stop word (stop words are not counted);
    - a later run follows a hyphen of the phrase, which may match nothing ("in-context" hits
      "incontext"), so it may sit anywhere in a counted word; it must not be inside any stop
      word, or that counted word might be one;
    - a run followed by a space, an apostrophe or the phrase's end also ends a counted word or
      precedes a hyphen in it; one before `*` or a hyphen may go on.

    A passage lacking a key word of a phrase cannot match that phrase, so a theme's pattern only
    runs on passages holding every key word of one of its phrases. A phrase with no key word
    ("system 2": "system" is a stop word) gets needles instead: its runs of letters and digits,
    looked for in the lower-cased passage text.
    """

    def __init__(self, phrase_cells: list[str]) -> None:
        self.phrases: list[list[list[int]]] = []  # per theme, per phrase: key indices
        self.keys: dict[tuple[str, bool, bool], int] = {}
        self.needles: dict[int, list[str]] = {}  # theme -> one needle per key-less phrase
        for k, cell in enumerate(phrase_cells):
            keyed = []
            for phrase in parse_phrases(cell):
                found = _key_words(phrase)
                if found:
                    keyed.append([self.keys.setdefault(key, len(self.keys)) for key in found])
                else:
                    runs = _KEY_RUN.findall(phrase.lower())
                    if runs:  # a phrase without letters or digits matches nothing
                        self.needles.setdefault(k, []).append(max(runs, key=len))
            self.phrases.append(keyed)

    def candidates(self, counts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The (passage row, theme) pairs where a phrase of the theme has all its key words,
        sorted, with a mask of those phrases (bit j: the theme's j-th phrase with key words;
        0 for a theme with more than 64 such phrases, which then runs whole).

        Running only those phrases finds the same matches: at any position the pattern takes
        the first phrase, in a fixed order, that matches there, and the others cannot match.
        """
        present = self._key_rows(counts)
        # Each pair as one number (row * themes + theme), so one sort orders rows, then themes;
        # ~600k pairs at 10k answers: kept to a few arrays of 8 bytes a pair.
        n_themes = max(len(self.phrases), 1)
        pairs = [np.zeros(0, dtype=np.int64)]
        bits = [np.zeros(0, dtype=np.uint64)]
        for k, keyed in enumerate(self.phrases):
            for j, keys in enumerate(keyed):
                both = present[keys[0]]
                for key in keys[1:]:
                    both = np.intersect1d(both, present[key], assume_unique=True)
                if not len(both):
                    continue
                pairs.append(both.astype(np.int64) * n_themes + k)
                bit = 1 << j if len(keyed) <= 64 else 0
                bits.append(np.full(len(both), bit, dtype=np.uint64))
        del present
        pair = np.concatenate(pairs)
        del pairs
        order = np.argsort(pair, kind="stable")
        pair = pair[order]
        bit = np.concatenate(bits)[order]
        del bits, order
        if not len(pair):
            return pair, pair.copy(), bit
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        pair = pair[starts]
        return pair // n_themes, pair % n_themes, np.bitwise_or.reduceat(bit, starts)

    def _key_rows(self, counts) -> list[np.ndarray]:
        """For each key word, the rows of the passages holding a counted word it fits."""
        terms = [str(t) for t in counts.terms]
        if not terms:
            return [np.zeros(0, dtype=np.int64) for _ in self.keys]
        # All terms in one string, one per line: each key is found by `str.find`, in C.
        joined = "\n".join(terms)
        starts = text_starts(terms)[:-1]
        rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        for (word, at_start, at_end), j in self.keys.items():
            positions = _key_positions(joined, word, at_start, at_end)
            hit = np.unique(np.searchsorted(starts, positions, side="right") - 1)
            rows.append(hit)
            cols.append(np.full(len(hit), j))
        key_terms = sparse.csr_matrix(
            (
                np.ones(sum(len(r) for r in rows), dtype=np.float32),
                (np.concatenate(rows), np.concatenate(cols)),
            ),
            shape=(len(terms), len(self.keys)),
        )
        found = (counts.passage_counts @ key_terms).tocsc()
        found.sort_indices()
        # Views of one index array (4 bytes a row), not a copy per key.
        return [found.indices[found.indptr[j] : found.indptr[j + 1]] for j in range(len(self.keys))]


def _key_positions(joined: str, word: str, at_start: bool, at_end: bool) -> list[int]:
    """Where `word` sits in the terms joined one per line: at a term's start or after a
    hyphen when `at_start`, at a term's end or before a hyphen when `at_end`.

    Plain `str.find` rather than one compiled pattern per key: a taxonomy has hundreds of
    keys, and compiling them cost more than the search on a small corpus.
    """
    positions = []
    size, end = len(word), len(joined)
    pos = joined.find(word)
    while pos >= 0:
        after = pos + size
        if (not at_start or pos == 0 or joined[pos - 1] in "\n-") and (
            not at_end or after == end or joined[after] in "\n-"
        ):
            positions.append(pos)
        pos = joined.find(word, pos + 1)
    return positions


@lru_cache(maxsize=4096)
def _key_words(phrase: str) -> tuple[tuple[str, bool, bool], ...]:
    """The key words of one phrase (see `_KeyWords`) as (word, anchored at a counted word's
    start or a hyphen, anchored at its end or a hyphen); empty when it has none. Remembered:
    every phrase subset a large corpus compiles asks again."""
    keys = []
    for segment in phrase.lower().split():
        if not segment[0].isalpha():
            continue  # a segment starting with a digit or mark may not start a counted word
        for m in _KEY_RUN.finditer(segment):
            word = m.group(0)
            first = m.start() == 0
            if not first and segment[m.start() - 1] not in _HYPHENS:
                continue  # after an apostrophe or a mark: not inside the same counted word
            if len(word) < 2 or not word[0].isalpha():
                continue
            after = segment[m.end() : m.end() + 1]
            # Followed by a space, an apostrophe or the end, the word ends a counted word;
            # before "*", "_" or a hyphen the counted word may go on ("becom*": "becomes").
            at_end = after == "" or (after not in _HYPHENS and after not in "*_")
            if word in ENGLISH_STOP_WORDS or (not first and word in _INSIDE_STOP_WORDS):
                continue
            if not at_end and word in _STOP_WORD_PREFIXES:
                continue  # "becom*" may match "becomes", a stop word, which is not counted
            keys.append((word, first, at_end))
    return tuple(keys)


@lru_cache(maxsize=1)
def _case_risky() -> re.Pattern[str]:
    """Characters on which ignore-case matching and `str.lower()` disagree.

    `str.lower()` makes "İ" two characters, keeps "ſ", "µ" and "ς" apart from "s", "μ" and
    "σ", which ignore-case matching equates; "ß" case-folds to "ss". Found from Python's own
    case tables (letters whose lower case is not one character, or differs from their case
    fold or from the lower case of their upper case), see `_case_risky_chars`; for the Unicode
    versions whose list is known, read from `_CASE_RISKY_RANGES` instead (30 ms less before
    a process's first match).
    """
    if unicodedata.unidata_version in _CASE_RISKY_KNOWN:
        ranges = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _CASE_RISKY_RANGES)
    else:
        ranges = "".join(re.escape(c) for c in _case_risky_chars())
    return re.compile("[" + ranges + "]")


# `_case_risky_chars()` as code-point ranges: the same under Unicode 14.0, 15.0 and 15.1
# (Python 3.11, 3.12 and 3.13; checked with each, and by a test on the Python that runs them).
_CASE_RISKY_KNOWN = frozenset({"14.0.0", "15.0.0", "15.1.0"})
_CASE_RISKY_RANGES = (
    (0xB5, 0xB5), (0xDF, 0xDF), (0x130, 0x131), (0x149, 0x149), (0x17F, 0x17F), (0x1F0, 0x1F0),
    (0x345, 0x345), (0x390, 0x390), (0x3B0, 0x3B0), (0x3C2, 0x3C2), (0x3D0, 0x3D1),
    (0x3D5, 0x3D6), (0x3F0, 0x3F1), (0x3F5, 0x3F5), (0x587, 0x587), (0x13A0, 0x13F5),
    (0x13F8, 0x13FD), (0x1C80, 0x1C88), (0x1E96, 0x1E9B), (0x1E9E, 0x1E9E), (0x1F50, 0x1F50),
    (0x1F52, 0x1F52), (0x1F54, 0x1F54), (0x1F56, 0x1F56), (0x1F80, 0x1FAF), (0x1FB2, 0x1FB4),
    (0x1FB6, 0x1FB7), (0x1FBC, 0x1FBC), (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FC7),
    (0x1FCC, 0x1FCC), (0x1FD2, 0x1FD3), (0x1FD6, 0x1FD7), (0x1FE2, 0x1FE4), (0x1FE6, 0x1FE7),
    (0x1FF2, 0x1FF4), (0x1FF6, 0x1FF7), (0x1FFC, 0x1FFC), (0xAB70, 0xABBF), (0xFB00, 0xFB06),
    (0xFB13, 0xFB17),
)  # fmt: skip


def _case_risky_chars() -> list[str]:
    """The characters of `_case_risky`, mapped a block at a time by whole-string calls in C.

    Where a block's mappings keep its length, its code points are compared as arrays; a block
    with a character that maps to several is tested one character at a time, as is "Σ", whose
    lower case depends on its neighbours (the one context rule of `str.lower()`). The same
    list as testing every character alone, in a fraction of the time.
    """
    risky = []
    for start in range(0x80, 0x20000, _CASE_BLOCK):
        block = "".join(map(chr, range(start, min(start + _CASE_BLOCK, 0x20000))))
        low, fold, back = block.lower(), block.casefold(), block.upper().lower()
        if not len(block) == len(low) == len(fold) == len(back):
            risky += [c for c in block if _is_case_risky(c)]
            continue
        codes = [code_points(t) for t in (low, fold, back)]
        differs = (codes[0] != codes[1]) | (codes[2] != codes[0])
        risky += [c for c in (block[i] for i in np.flatnonzero(differs)) if _is_case_risky(c)]
        if "Σ" in block and _is_case_risky("Σ"):
            risky.append("Σ")
    return sorted(set(risky))


_CASE_BLOCK = 1024


def _is_case_risky(c: str) -> bool:
    low = c.lower()
    return len(low) != 1 or low != c.casefold() or c.upper().lower() != low


def _inside_stop_words() -> frozenset[str]:
    """Every run of two or more characters inside an English stop word ("her" in "whereafter")."""
    out = set()
    for stop in ENGLISH_STOP_WORDS:
        for i in range(len(stop)):
            for j in range(i + 2, len(stop) + 1):
                out.add(stop[i:j])
    return frozenset(out)


_INSIDE_STOP_WORDS = _inside_stop_words()
_STOP_WORD_PREFIXES = frozenset(s[:i] for s in ENGLISH_STOP_WORDS for i in range(2, len(s) + 1))


def _join_unique(values) -> str:
    """The distinct words of several "; "-joined cells, in order of first appearance."""
    # One join and one split, in C: a generator over every word costs seconds at 10k answers.
    words = dict.fromkeys("; ".join(map(str, values)).split("; "))
    words.pop("", None)
    return "; ".join(words)


_CELL_COLUMNS = ["response_id", "theme_id", "passages_hit", "matched"]


def _count_hits(hits: pd.DataFrame) -> pd.DataFrame:
    """Per (answer, theme): passages hit and the distinct matched words, in order.

    Each hit row is one passage of one theme (as `match_themes` gives them), so the passages
    hit are the rows of an (answer, theme) run. Rows come in runs from `match_themes` (other
    frames are put in runs by a stable sort), and only runs of several rows need their words
    merged in Python: a grouped string
    aggregation in pandas, or a dict of sets per cell, costs seconds and ~150 MB at 10k.
    """
    columns = _CELL_COLUMNS
    if hits.empty:
        return pd.DataFrame(columns=columns)
    # (a missing id is a value of its own, not -1, which would make keys collide)
    answer, _ = pd.factorize(hits["response_id"], use_na_sentinel=False)
    theme, _ = pd.factorize(hits["theme_id"], use_na_sentinel=False)
    # `match_themes` gives the hits in runs already (answer by answer, theme by theme): then no
    # sort is needed. Runs are told apart by a change of answer or theme.
    key = answer.astype(np.int64) * (int(theme.max()) + 1) + theme
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    if len(starts) != len(pd.unique(key)):  # a pair in two places: put the runs together
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    else:
        order = None
    stops = np.r_[starts[1:], len(key)]
    matched = hits["matched"].to_numpy(dtype=object)
    matched = (matched if order is None else matched[order]).tolist()
    merged = [
        str(matched[start]) if stop - start == 1 else _join_unique(matched[start:stop])
        for start, stop in zip(starts.tolist(), stops.tolist(), strict=True)
    ]
    first = starts if order is None else order[starts]
    return pd.DataFrame(
        {
            "response_id": hits["response_id"].to_numpy(dtype=object)[first],
            "theme_id": hits["theme_id"].to_numpy(dtype=object)[first],
            "passages_hit": stops - starts,
            "matched": merged,
        },
        columns=columns,
    )


def theme_scores(
    corpus: Corpus,
    taxonomy: pd.DataFrame,
    hits: pd.DataFrame | None = None,
    cells: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Long frame, one row per (answer, theme), zeros included so a heatmap has every cell.

    See the module docstring for the ``share`` and ``score`` formulas. From `hits` when given,
    or from their `hit_cells` (`cells`), else from the corpus's remembered hits.
    """
    if not corpus.responses or taxonomy.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    if cells is not None:
        return _theme_scores(corpus, taxonomy, counted=cells)
    if hits is None:  # scores of the whole corpus's hits: remembered like the hits
        scores = cached(
            "theme_scores",
            corpus,
            lambda: _theme_scores(corpus, taxonomy, counted=_hits_and_cells(corpus, taxonomy)[1]),
            _taxonomy_key(corpus, taxonomy),
        )
        return scores.copy(deep=False)
    return _theme_scores(corpus, taxonomy, hits)


def _theme_scores(
    corpus: Corpus,
    taxonomy: pd.DataFrame,
    hits: pd.DataFrame | None = None,
    counted: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Scores from `hits`, or from their `_count_hits` when that is known (`counted`)."""
    # Row i * n_themes + k is answer i and theme k: the grid is laid out directly, as merging
    # frames at 10k answers x 22 themes costs a second and ~90 MB of copies.
    n, m = len(corpus.responses), len(taxonomy)
    response_ids = [r.response_id for r in corpus.responses]
    theme_ids = taxonomy["id"].astype(str).tolist()
    passages = np.bincount(term_counts(corpus).passage_response, minlength=n)
    words = np.asarray(word_counts(corpus), dtype=np.int64)
    passages_hit = np.zeros(n * m, dtype=np.int64)
    matched = np.full(n * m, "", dtype=object)
    counted = _count_hits(hits) if counted is None else counted
    if len(counted):
        answer = pd.Index(response_ids).get_indexer(counted["response_id"])
        theme = pd.Index(theme_ids).get_indexer(counted["theme_id"])
        known = (answer >= 0) & (theme >= 0)  # hits of other answers or themes are not cells
        at = answer[known] * m + theme[known]
        passages_hit[at] = counted["passages_hit"].to_numpy(dtype=np.int64)[known]
        matched[at] = counted["matched"].to_numpy(dtype=object)[known]
    groups = pd.Series([r.group for r in corpus.responses])  # str, or object when all None
    every_theme = np.repeat(passages, m)
    every_words = np.repeat(words, m)
    share = np.where(every_theme > 0, passages_hit / np.clip(every_theme, 1, None), 0.0)
    density = np.where(every_words > 0, 100 * passages_hit / np.clip(every_words, 1, None), 0)
    out = pd.DataFrame(
        {
            "response_id": pd.array(
                np.repeat(np.array(response_ids, dtype=object), m), dtype="str"
            ),
            "response_index": np.repeat([r.index for r in corpus.responses], m).astype(np.int64),
            "group": groups.repeat(m).to_numpy(),
            "theme_id": pd.array(np.tile(np.array(theme_ids, dtype=object), n), dtype="str"),
            "theme_label": pd.array(
                np.tile(taxonomy["label"].to_numpy(dtype=object), n), dtype="str"
            ),
            "passages_hit": passages_hit,
            "share": np.round(share, 4),
            "score": np.round(1 - np.exp(-density), 4),
            "matched": pd.array(matched, dtype="str"),
            "passages": every_theme.astype(np.int64),
            "words": every_words,
        }
    )
    return out[SCORE_COLUMNS]


def group_theme_scores(
    corpus: Corpus,
    taxonomy: pd.DataFrame,
    hits: pd.DataFrame | None = None,
    scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (group, theme): how many answers mention it and their mean share and score.

    ``responses_hit`` counts answers with at least one passage hit; ``share`` and ``score`` are
    the means over the group's answers (zeros included), so one long answer cannot dominate.
    """
    scores = theme_scores(corpus, taxonomy, hits) if scores is None else scores.copy()
    scores["group"] = scores["group"].fillna(UNGROUPED).astype(str)
    if scores.empty:
        return pd.DataFrame(columns=GROUP_SCORE_COLUMNS)
    scores["hit"] = scores["passages_hit"] > 0
    # Python strings, not Arrow ones: the words are merged in Python, and reading an Arrow
    # column one value at a time cost half a second at 10k answers.
    scores["matched"] = pd.Series(
        scores["matched"].to_numpy(dtype=object), index=scores.index, dtype=object
    )
    out = (
        scores.groupby(["group", "theme_id"], sort=False)
        .agg(
            theme_label=("theme_label", "first"),
            responses=("response_id", "nunique"),
            responses_hit=("hit", "sum"),
            passages_hit=("passages_hit", "sum"),
            share=("share", "mean"),
            score=("score", "mean"),
            matched=("matched", _join_unique),
        )
        .reset_index()
    )
    out["responses_hit"] = out["responses_hit"].astype(int)
    out["response_share"] = (out["responses_hit"] / out["responses"]).round(4)
    out["share"] = out["share"].round(4)
    out["score"] = out["score"].round(4)
    return out[GROUP_SCORE_COLUMNS]


def taxonomy_coverage(corpus: Corpus, taxonomy: pd.DataFrame) -> float:
    """Share of all passages hit by at least one theme (0.0 for an empty corpus)."""
    passages = len(term_counts(corpus).passage_order) if corpus.responses else 0
    if passages == 0:
        return 0.0
    hits = match_themes(corpus, taxonomy, texts=False)
    hit = hits[["response_id", "passage_order"]].drop_duplicates()
    return round(len(hit) / passages, 4)


# --- discovery ------------------------------------------------------------------------------
def fitting_taxonomy(
    corpus: Corpus, default: pd.DataFrame | None = None, random_state: int = 0
) -> tuple[pd.DataFrame, float | None]:
    """The taxonomy to read `corpus` with, and why.

    `default` (data/themes.csv when None) while it covers at least `LOW_COVERAGE` of the
    passages; below that, themes discovered in the corpus (`discover_themes`) if any are found.
    Returns (taxonomy, coverage): `coverage` is the default's share of passages when
    discovered themes replaced it, else None. The key findings and the Overview's theme chart
    both read a corpus with it.
    """
    if default is None:
        default = load_taxonomy()
    coverage = taxonomy_coverage(corpus, default)
    if coverage >= LOW_COVERAGE:
        return default, None
    found = discover_themes(corpus, random_state=random_state)
    if found.empty:
        return default, None
    return found, coverage


# How a discovered theme's description starts: its label is made of the answers' own words,
# which may be names, so sentences quote it as written (lib.findings) even once it is kept.
DISCOVERED = "Found in this corpus"


def discover_themes(corpus: Corpus, n: int = 8, random_state: int = 0) -> pd.DataFrame:
    """A starting taxonomy found in the corpus itself (TF-IDF + NMF over passages).

    For corpora the default taxonomy does not fit (a travel blog, an economics question): each
    topic becomes a theme whose phrases are its strongest words (plurals folded into "word*",
    two-word phrases kept only if they occur), labelled by its two strongest phrases for the
    user to rename. At most `n` themes, fewer for small corpora. Same input, same output.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    texts = [t for t in corpus.passages_frame()["text"].tolist() if count_words(t) >= 3]
    if len(texts) < 2:
        return pd.DataFrame(columns=TAXONOMY_COLUMNS)
    large = len(texts) >= 40
    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | _GENERIC_WORDS),
        token_pattern=r"(?u)\b[^\W\d_][^\W_]+\b",
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.3 if large else 0.6,
        sublinear_tf=True,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing left after stop words and the document-frequency limits
        return pd.DataFrame(columns=TAXONOMY_COLUMNS)
    vocab = vectorizer.get_feature_names_out()
    # About one theme per five passages, so a short blog post is not cut into slivers.
    k = max(1, min(n, len(texts) // 5, len(vocab) - 1))
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=1000)
    weights = model.fit_transform(matrix)
    lowered = [t.lower() for t in texts]
    rows: list[dict] = []
    used_ids: set[str] = set()
    # Largest topics first: the themes a user sees first cover the most text.
    for topic in np.argsort(-weights.sum(axis=0), kind="stable"):
        comp = model.components_[topic]
        if comp.max() <= 0:
            continue
        strong = [i for i in np.argsort(-comp, kind="stable")[:15] if comp[i] >= 0.1 * comp.max()]
        terms = [str(vocab[i]) for i in strong]
        phrases = _phrases_from_terms(terms, lowered)
        if not phrases:
            continue
        names = _label_words(phrases)
        theme_id = _slug("_".join(names)) or f"theme_{len(rows) + 1}"
        if theme_id in used_ids:
            continue
        used_ids.add(theme_id)
        rows.append(
            {
                "id": theme_id,
                "label": names,
                "description": f"{DISCOVERED}; strongest words: " + ", ".join(terms[:6]) + ".",
                "phrases": "; ".join(phrases),
            }
        )
    forms = usual_forms({n for row in rows for n in row["label"]}, texts)
    for row in rows:
        label = " & ".join(forms[n] for n in row["label"])
        row["label"] = label[:1].upper() + label[1:]
    return pd.DataFrame(rows, columns=TAXONOMY_COLUMNS)


# Words too common in any prose to name a theme (on top of scikit-learn's English stop words).
_GENERIC_TEXT = """
    also really just like make makes made making get gets got getting go goes going went took
    take takes taking come came way ways thing things lot lots use used using need needs needed
    want wanted know think thought good great better best new old day days time times year years
    near far said say says maybe likely probably perhaps one two three first second third every
"""
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())


def _phrases_from_terms(terms: list[str], texts: list[str]) -> list[str]:
    """Top terms as phrases: plurals folded into "word*", bigrams kept only if they occur."""
    phrases: list[str] = []
    for term in terms:
        if " " in term:
            pattern = compile_phrases([term])
            if pattern is None or not any(pattern.search(t) for t in texts):
                continue
        stem = term[:-1] if term.endswith("s") and term[:-1] in terms else term
        folded = stem != term or f"{term}s" in terms
        candidate = f"{stem}*" if folded and len(stem) >= 4 else term
        if any(candidate.rstrip("*") == p.rstrip("*") for p in phrases):
            continue
        phrases.append(candidate)
        if len(phrases) == 8:
            break
    return phrases


def _label_words(phrases: list[str]) -> list[str]:
    """Two phrases that do not repeat each other ("custard tarts", not "custard & custard tarts")."""
    names: list[str] = []
    for p in phrases:
        word = p.rstrip("*")
        if any(set(word.split()) & set(n.split()) for n in names):
            continue
        names.append(word)
        if len(names) == 2:
            break
    return names
