"""Words of a corpus, counted once per passage and shared by every analysis.

Topics read the passages' counts, similarity and distinctive words the answers' (the sums of
their passages'). Counting is the dominant cost on a large corpus, so it is done once per
corpus content and cached (`term_counts`), as are the TF-IDF vectors of whole answers
(`answer_vectors`) and their LSA reduction (`lsa_vectors`).

`count_words` is the one word count a reader sees (metrics, tables, findings): "chain-of-thought"
and "don't" are one word each, a bullet marker or a dash is none.

Term counts are exactly what scikit-learn's `CountVectorizer(stop_words="english",
token_pattern=TOKEN_PATTERN)` gives on the passages of `lib.corpus.split_passages`, columns in
alphabetical order, but computed without splitting every answer into passage dicts: the
passages' texts come from `passage_strings`, which reads most lines as they stand and sends
only the rare others (numbered, markdown, emphasis) through `split_passages`.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfTransformer

from lib import parallel
from lib.corpus import Corpus, split_passages
from lib.tokens import (
    HashCollision,
    TokenIds,
    char_classes,
    code_points,
    count_words_many,
    text_starts,
    token_spans,
)

# Words of two or more characters starting with a letter; hyphens kept ("gpt-4", "world-model").
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w-]*\w\b"
LSA_DIMS = 128  # dimensions of the reduced space (a mid-sized corpus with a large vocabulary)
LSA_SAMPLE = 3000  # answers the LSA space is learnt from in a large corpus

_TOKEN = re.compile(TOKEN_PATTERN)
# Characters a space or hyphen in a phrase stands for: whitespace, slash-free hyphens and dashes
# (U+2010-U+2015 covers the non-breaking hyphen that pasted answers contain, e.g. "test‑time").
WORD_GAP = r"[\s\-\u2010-\u2015]"
# Joins lower-cased passages into one string per chunk, so one regex call tokenises many
# passages. Upper-case, it cannot be a word of lower-cased text; newlines keep it a word.
_MARK = "QQ"
_SEPARATOR = f"\n{_MARK}\n"
_CHUNK_PASSAGES = 8_000  # passages tokenised per call (bounds the arrays' memory)
# From this many characters words are found with numpy (`lib.tokens`): same results, but below
# it the regex is as fast and needs no character table (built once, ~50 ms).
FAST_FROM_CHARS = 1_000_000


@dataclass(frozen=True)
class TermCounts:
    """Word counts of every passage, tokenised once and shared by the analyses.

    Answers' counts are the sums of their passages' counts (passages cover an answer's text).
    """

    terms: np.ndarray  # column order
    passage_counts: sparse.csr_matrix  # passages x terms
    passage_response: np.ndarray  # row of each passage's response in corpus.responses
    passage_order: np.ndarray  # 1-based order of each passage in its response
    response_counts: sparse.csr_matrix  # responses x terms


# A word: letters/digits, joined by an apostrophe or a hyphen to the next run ("don't",
# "chain-of-thought"). The joiner needs a letter on both sides, so matching stays linear.
_WORD = re.compile(r"[^\W_]+(?:['’\-\u2010\u2011][^\W_]+)*")

# Term counts and vectors of recent corpora, shared by every analysis (and by every session of
# the app: Streamlit runs sessions on threads of one process, hence the lock). The key holds no
# text (ids and hashes only), but the values are derived from it, so an uploaded corpus's
# counts must not outlive the app's own caches of it: entries expire after `CACHE_TTL` seconds
# (lib/state.py uses the same TTL for its per-session caches) and at most `_CACHE_SIZE` are kept.
_CACHE: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
_CACHE_SIZE = 8
CACHE_TTL = 3600.0
_LOCK = threading.Lock()


def count_words(text: str) -> int:
    """Words as a reader counts them: "chain-of-thought" and "don't" are one word each.

    >>> count_words("- Scaling — don't stop: chain-of-thought helps (2025).")
    6
    """
    return len(_WORD.findall(text))


def word_counts(corpus: Corpus) -> list[int]:
    """`count_words` of each answer, in order; remembered on the corpus object.

    Corpora are never changed in place (corrections and filters make new ones), so the counts
    of one object hold for its life, and every page element reading it counts once.
    """
    known = corpus.__dict__.get("_word_counts")
    if known is not None and len(known) == len(corpus.responses):
        return known
    texts = [r.text for r in corpus.responses]
    if sum(map(len, texts)) >= FAST_FROM_CHARS:
        counts = count_words_many(texts)
    else:
        counts = [count_words(text) for text in texts]
    corpus.__dict__["_word_counts"] = counts
    return counts


def clear_cache() -> None:
    """Forget every cached term count and vector (tests; a host freeing memory)."""
    with _LOCK:
        _CACHE.clear()


def cached(kind: str, corpus: Corpus, build, *extra):
    """Memoise per corpus content: at 10k answers tokenising is the dominant cost.

    The key is the responses' ids and text hashes, so an edited or re-cut corpus misses; what
    else the value depends on (groups, a taxonomy, a seed) goes in `extra`.
    `build` runs outside the lock: one session's 10k-answer tokenising does not hold up
    another's, and a build may itself read the cache (TF-IDF reads the counts).
    """
    key = (kind, *extra, tuple((r.response_id, hash(r.text)) for r in corpus.responses))
    now = time.monotonic()
    with _LOCK:
        for old in [k for k, (born, _) in _CACHE.items() if now - born > CACHE_TTL]:
            del _CACHE[old]
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key][1]
    value = build()
    with _LOCK:
        _CACHE[key] = (now, value)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def term_counts(corpus: Corpus) -> TermCounts:
    """Counts of words (English stop words removed) per passage and per answer."""
    return cached("counts", corpus, lambda: _term_counts(corpus))


_BULLET_MARKS = "-*+\u2022\u2013"  # as in lib.corpus's bullet pattern


def passage_strings(text: str) -> list[str]:
    """Exactly ``[p["text"] for p in split_passages(text)]``, several times faster.

    A line that starts with a letter and does not end in "*" or "_" is a passage as it stands
    (stripped): it cannot be a bullet or a markdown heading, and its kind (heading or paragraph)
    does not change its text. A line starting with a bullet mark and a space is the rest of the
    line. Only other lines (numbered, markdown, emphasis) go through `split_passages`.

    >>> passage_strings("Title\\n\\n- a point\\n  Plain text.  \\n**_x_**")
    ['Title', 'a point', 'Plain text.', 'x']
    """
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        if s[0].isalpha() and s[-1] not in "*_":
            out.append(s)
        elif s[0] in _BULLET_MARKS and len(s) > 1 and s[1].isspace():
            rest = s[2:].strip()
            if rest:
                out.append(rest)
        else:
            out.extend(p["text"] for p in split_passages(line))
    return out


def _term_counts(corpus: Corpus) -> TermCounts:
    if sum(len(r.text) for r in corpus.responses) < FAST_FROM_CHARS:
        return _count_terms(corpus, _RegexTokens)
    try:
        return _count_terms(corpus, _FastTokens)
    except HashCollision:  # a token the fast path cannot vouch for: count them all by regex
        return _count_terms(corpus, _RegexTokens)


class _RegexTokens:
    """Token ids by `TOKEN_PATTERN` and a dict: the reference the fast path must equal."""

    def __init__(self) -> None:
        # Ids in order of first sight, like CountVectorizer's, so each row's column order (and
        # so every later floating-point sum) is the same as it gives. The mark and the stop
        # words take the first ids and are dropped.
        self.vocabulary: defaultdict[str, int] = defaultdict()
        self.vocabulary.default_factory = self.vocabulary.__len__
        for word in [_MARK, *sorted(ENGLISH_STOP_WORDS)]:
            self.vocabulary.setdefault(word, len(self.vocabulary))

    def passages_and_ids(self, passages: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(passage of each token, token id) for lower-cased passages."""
        tokens = _TOKEN.findall(_SEPARATOR.join(passages))
        lookup = self.vocabulary.__getitem__
        ids = np.fromiter(map(lookup, tokens), dtype=np.int64, count=len(tokens))
        return np.cumsum(ids == 0), ids  # the mark ends a passage

    def __len__(self) -> int:
        return len(self.vocabulary)

    def words(self) -> list[str]:
        return [w for w, _ in sorted(self.vocabulary.items(), key=lambda item: item[1])]


class _FastTokens:
    """The same ids found with numpy (`lib.tokens`), several times faster on large corpora."""

    def __init__(self) -> None:
        self.ids = TokenIds([_MARK, *sorted(ENGLISH_STOP_WORDS)])

    def passages_and_ids(self, passages: list[str]) -> tuple[np.ndarray, np.ndarray]:
        joined = "\n".join(passages)  # a newline cannot be inside a token
        codes = code_points(joined)
        starts, ends = token_spans(codes, char_classes(codes))
        ids = self.ids.ids(codes, starts, ends, joined)
        offsets = text_starts(passages)[:-1]
        return np.searchsorted(offsets, starts, side="right") - 1, ids

    def __len__(self) -> int:
        return len(self.ids.words)

    def words(self) -> list[str]:
        return self.ids.words


@dataclass
class _CountedPart:
    """Counts of a run of answers, with the vocabulary they were counted with."""

    words: list[str]  # counted words (stop words dropped), by id in order of first sight
    blocks: list[sparse.csr_matrix]  # passages x ids, in row blocks of growing vocabulary
    owner: np.ndarray  # the answer (row in the corpus) of each passage
    order: np.ndarray  # each passage's number within its answer, from 1
    answer_words: list[int]  # `count_words` of each answer's whole text


# What the counting child holds of its own: 145 MB at 10k answers (its half's counts, their
# pickle and the text it reads), more than most second processes.
CHILD_MB = 150


def _count_terms(corpus: Corpus, make_tokens: type[_RegexTokens] | type[_FastTokens]) -> TermCounts:
    responses = corpus.responses
    # On a large corpus the second half of the answers is counted in a second process
    # (lib.parallel), with a vocabulary of its own that is then merged: the matrix is exactly
    # the one counting every answer in one pass gives (tests compare them).
    n = len(responses)
    spans = [(0, n)]
    if n >= parallel.MIN_ITEMS and parallel.can_fork(CHILD_MB):
        mid = parallel.halfway([len(r.text) for r in responses])  # halves of equal text
        spans = [(0, mid), (mid, n)]
    parts = parallel.map_in_halves(
        lambda span: _count_part(responses, span[0], span[1], make_tokens()),
        spans,
        min_items=2,
        child_mb=CHILD_MB,
    )
    words, blocks = _merge_parts(parts)
    n_terms = len(words)
    terms = np.array(sorted(words), dtype=object)
    # Column of each first-sight id in alphabetical order (CountVectorizer's final order).
    alphabetical = np.empty(n_terms, dtype=np.int64)
    alphabetical[np.argsort(np.array(words, dtype=object), kind="stable")] = np.arange(n_terms)
    counts = _stack(blocks, n_terms)
    counts.indices = alphabetical[counts.indices].astype(counts.indices.dtype)
    owner = np.concatenate([p.owner for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    order = np.concatenate([p.order for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    membership = sparse.csr_matrix(
        (np.ones(len(owner), dtype=np.float32), (owner, np.arange(len(owner)))),
        shape=(n, len(owner)),
    )
    # Each answer's words were counted beside its terms, in the same process: the scores
    # and findings that need them do not read every answer again (`word_counts`).
    corpus.__dict__.setdefault("_word_counts", [w for p in parts for w in p.answer_words])
    return TermCounts(
        terms=terms,
        passage_counts=counts,
        passage_response=owner,
        passage_order=order,
        response_counts=(membership @ counts).tocsr(),
    )


def _count_part(
    responses: list, start: int, stop: int, tokens: _RegexTokens | _FastTokens
) -> _CountedPart:
    """Counts of the passages of responses[start:stop], ids from `tokens` (a fresh one)."""
    reserved = 1 + len(ENGLISH_STOP_WORDS)
    owner_parts, order_parts, blocks = [], [], []
    pending: list[str] = []

    def flush() -> None:
        if not pending:
            return
        row, ids = tokens.passages_and_ids(pending)
        keep = ids >= reserved
        data = np.ones(int(keep.sum()), dtype=np.float32)
        block = sparse.csr_matrix(
            (data, (row[keep], ids[keep] - reserved)),
            shape=(len(pending), len(tokens) - reserved),
        )
        block.sum_duplicates()
        block.sort_indices()
        blocks.append(block)
        pending.clear()

    answers = [r.text for r in responses[start:stop]]
    fast = isinstance(tokens, _FastTokens)  # a large corpus, as `word_counts` decides
    answer_words = count_words_many(answers) if fast else [count_words(t) for t in answers]
    for row in range(start, stop):
        texts = passage_strings(responses[row].text)
        pending.extend(t.lower() for t in texts)
        owner_parts.append(np.full(len(texts), row, dtype=np.int64))
        order_parts.append(np.arange(1, len(texts) + 1, dtype=np.int64))
        if len(pending) >= _CHUNK_PASSAGES:
            flush()
    flush()
    empty = np.zeros(0, dtype=np.int64)
    return _CountedPart(
        words=tokens.words()[reserved:],
        blocks=blocks,
        owner=np.concatenate(owner_parts) if owner_parts else empty,
        order=np.concatenate(order_parts) if order_parts else empty,
        answer_words=answer_words,
    )


def _merge_parts(parts: list[_CountedPart]) -> tuple[list[str], list[sparse.csr_matrix]]:
    """One vocabulary in order of first sight over the parts in turn, and every block's
    columns in it (each row's columns sorted again, as one pass would have them)."""
    if not parts:
        return [], []
    index = {word: i for i, word in enumerate(parts[0].words)}
    blocks = list(parts[0].blocks)
    for part in parts[1:]:
        ids = np.fromiter(
            (index.setdefault(word, len(index)) for word in part.words),
            dtype=np.int64,
            count=len(part.words),
        )
        for block in part.blocks:
            moved = sparse.csr_matrix(
                (block.data, ids[block.indices].astype(block.indices.dtype), block.indptr),
                shape=(block.shape[0], len(index)),
            )
            moved.has_sorted_indices = False
            moved.sort_indices()
            blocks.append(moved)
    return list(index), blocks


def _stack(blocks: list[sparse.csr_matrix], n_terms: int) -> sparse.csr_matrix:
    """Row blocks with growing vocabularies as one passages x `n_terms` matrix."""
    if not blocks:
        return sparse.csr_matrix((0, n_terms), dtype=np.float32)
    indptr = [np.zeros(1, dtype=np.int64)]
    offset = 0
    for block in blocks:
        indptr.append(block.indptr[1:].astype(np.int64) + offset)
        offset += block.nnz
    index_dtype = np.int32 if offset < 2**31 and n_terms < 2**31 else np.int64
    return sparse.csr_matrix(
        (
            np.concatenate([b.data for b in blocks]),
            np.concatenate([b.indices for b in blocks]).astype(index_dtype),
            np.concatenate(indptr).astype(index_dtype),
        ),
        shape=(sum(b.shape[0] for b in blocks), n_terms),
    )


def answer_vectors(corpus: Corpus) -> sparse.csr_matrix:
    """The TF-IDF matrix of whole answers (one L2-normalised row per response)."""
    return cached("tfidf", corpus, lambda: _tfidf(term_counts(corpus).response_counts))


def _tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    if counts.shape[0] == 0 or counts.shape[1] == 0:
        return sparse.csr_matrix(counts.shape, dtype=np.float32)
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32).tocsr()


def lsa_vectors(corpus: Corpus, random_state: int = 0, dims: int = LSA_DIMS) -> np.ndarray:
    """Answers as unit vectors in an LSA space (TruncatedSVD of the TF-IDF, `dims` dims).

    Used for large corpora, where exact all-pairs cosine on the sparse vectors is too slow.
    Above `LSA_SAMPLE` answers the SVD is fitted on a seeded sample of them and every answer
    projected on it: the space is learnt from thousands of answers already, and fitting on all
    of 10k costs seconds.
    """
    return cached(
        "lsa",
        corpus,
        lambda: _lsa(answer_vectors(corpus), random_state, dims),
        random_state,
        dims,
    )


def _lsa(vectors: sparse.csr_matrix, random_state: int, dims: int = LSA_DIMS) -> np.ndarray:
    n, v = vectors.shape
    dims = min(dims, n - 1, v - 1)
    if dims < 1:
        return np.zeros((n, 0), dtype=np.float32)
    svd = TruncatedSVD(n_components=dims, random_state=random_state)
    if n <= LSA_SAMPLE:
        reduced = svd.fit_transform(vectors)
    else:
        picked = np.sort(np.random.default_rng(random_state).choice(n, LSA_SAMPLE, replace=False))
        reduced = svd.fit(vectors[picked]).transform(vectors)
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    return (reduced / np.maximum(norms, 1e-12)).astype(np.float32)


# How many occurrences inside sentences decide how a label's word is written.
ENOUGH_FORMS = 50
_EMPHASIS = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__")  # bold: a title inside a line
_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SEGMENT_BREAK = re.compile(r"(:\s+|\s+[-–—]\s+)")  # "Title: text", "Title - text"


def usual_forms(words: set[str], texts: Iterable[str], most: int | None = None) -> dict[str, str]:
    """Each lower-case word or phrase as the texts (answers or passages) usually write it
    inside a sentence: {"belem": "Belem", "amazon": "Amazon", "river": "river"}.

    Only occurrences after a letter, digit or comma on their line count: a sentence, heading or
    list item capitalises its first word whatever it is. Titles do not count either
    (`_without_titles`). A word never seen inside a sentence, or written in lower case at least
    as often as in any other one form, stays in lower case. `most`: read at most this many
    texts (a large corpus's first thousands decide as well as all of them).
    """
    gap = WORD_GAP + "+"
    alternatives = "|".join(
        gap.join(re.escape(part) for part in word.split())
        for word in sorted(words, key=lambda w: (-len(w), w))
    )
    if not alternatives:
        return {}
    source = rf"(?<!\w)(?:{alternatives})(?!\w)"
    # The words are lower case: on lower-cased text a case-sensitive scan finds the same
    # matches about twice as fast; the original text then gives each one's form.
    lowered, anycase = re.compile(source), re.compile(source, re.IGNORECASE)
    seen: dict[str, dict[str, int]] = {w: {} for w in words}
    of_key = {" ".join(re.split(gap, w)): w for w in words}
    for i, text in enumerate(texts):
        if most is not None and i >= most:
            break
        # Enough votes for every word: a large corpus is not read to the end (seconds at 10k).
        if i % 256 == 0 and all(sum(c.values()) >= ENOUGH_FORMS for c in seen.values()):
            break
        low = text.lower()
        found = lowered.finditer(low) if len(low) == len(text) else anycase.finditer(text)
        lines: dict[int, str] = {}  # line start -> the line with its titles blanked
        for m in found:
            a, b = m.span()
            start = text.rfind("\n", 0, a) + 1
            before = text[max(start, a - 20) : a].rstrip()
            if not before or not (before[-1].isalnum() or before[-1] in ",;&/("):
                continue  # first on its line
            if text[a:b] != text[a:b].lower():  # capitals: they count only outside titles
                plain = lines.get(start)
                if plain is None:
                    stop = text.find("\n", a)
                    plain = lines[start] = _without_titles(
                        text[start : len(text) if stop < 0 else stop]
                    )
                if plain[a - start] == " ":
                    continue
            # The form as written (spaces collapsed: "GPT-4" stays "GPT-4"), counted for the
            # word it matched, whatever joins its parts ("river-boats" for "river boats").
            form = " ".join(text[a:b].split())
            counts = seen.get(of_key.get(" ".join(re.split(gap, form.lower())), ""))
            if counts is not None:
                counts[form] = counts.get(form, 0) + 1
    # The most common form; lower case wins a tie, then the form that sorts last.
    return {
        word: max(counts, key=lambda f: (counts[f], f == word, f), default=word)
        for word, counts in seen.items()
    }


def _without_titles(line: str) -> str:
    """`line` with its titles blanked out (same length, so offsets hold): text in bold
    ("**Reinforcement Learning**") and each stretch before or between ": " and " - " with
    most of its words capitalised ("Advanced Reinforcement Learning (RL) and Agency: To build
    agents, ...", a heading "Scaling Laws and Emergent Abilities")."""
    if "**" in line or "__" in line:
        line = _EMPHASIS.sub(lambda m: " " * len(m.group()), line)
    parts = _SEGMENT_BREAK.split(line)
    for k in range(0, len(parts), 2):  # separators sit at the odd places
        words = _TITLE_WORD.findall(parts[k])
        if len(words) >= 2 and 2 * sum(w[0].isupper() for w in words) > len(words):
            parts[k] = " " * len(parts[k])
    return "".join(parts)
