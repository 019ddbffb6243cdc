"""Words and tokens of many texts at once, found with numpy instead of one regex call per word.

At 10k answers (7 million words) a regex `findall` spends most of its time making one Python
string per word. Here a chunk of texts becomes an array of code points, each code point gets its
character class from a table, and words are found from where the classes change. Only distinct
words become Python strings.

Both functions give exactly what their regex twins give (`lib.text.count_words` and
scikit-learn's tokenising with `lib.text.TOKEN_PATTERN`); tests check it on any Unicode text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy as np

# Character classes, as bits, following Python's `re` for str patterns: `\w` is `str.isalnum()`
# or "_", `\d` is `str.isdecimal()`.
ALNUM = 1  # [^\W_]
WORD = 2  # \w
LETTER = 4  # [^\W\d_]
JOINER = 8  # joins two runs of letters and digits into one word: ' ’ - ‐ ‑
HYPHEN = 16  # "-", which TOKEN_PATTERN allows inside a token

_JOINERS = "'’-\u2010\u2011"  # as in lib.text's word pattern
_BMP = 0x10000
_CHUNK_CHARS = 1_000_000  # code points per numpy pass (arrays of a few MB each)

# Tokens are told apart by a polynomial hash modulo 2**64, checked against their length and
# first and last characters. Known crafted collisions for such a hash need words of thousands of
# letters, so a chunk with a token longer than `LONGEST` is counted by the regex instead.
_BASE64 = np.uint64(0x9E3779B97F4A7C15)
_INVERSE64 = np.uint64(pow(int(_BASE64), -1, 2**64))
LONGEST = 200


# Each class is defined by the `re` pattern it stands for, so the table agrees with `re` by
# construction.
_CLASS_PATTERNS = [
    (ALNUM, re.compile(r"[^\W_]")),
    (WORD, re.compile(r"\w")),
    (LETTER, re.compile(r"[^\W\d_]")),
    (JOINER, re.compile("[" + re.escape(_JOINERS) + "]")),
    (HYPHEN, re.compile("-")),
]


def _classes_of(chars: str) -> np.ndarray:
    """Class bits of each character of `chars` (one regex scan per class)."""
    out = np.zeros(len(chars), dtype=np.uint8)
    for bit, pattern in _CLASS_PATTERNS:
        at = np.fromiter((m.start() for m in pattern.finditer(chars)), dtype=np.int64)
        out[at] |= bit
    return out


@lru_cache(maxsize=1)
def _bmp_classes() -> np.ndarray:
    """Class bits of every code point below 0x10000 (rarer ones are looked up as met)."""
    return _classes_of("".join(map(chr, range(_BMP))))


def char_classes(codes: np.ndarray) -> np.ndarray:
    """Class bits (ALNUM, WORD, LETTER, JOINER, HYPHEN) of an array of code points."""
    out = _bmp_classes()[np.minimum(codes, _BMP - 1)]
    high = codes >= _BMP
    if high.any():
        values, inverse = np.unique(codes[high], return_inverse=True)
        out[high] = _classes_of("".join(map(chr, values.tolist())))[inverse]
    return out


def code_points(text: str) -> np.ndarray:
    """The text as an array of code points, one per character (lone surrogates kept)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _chunks(texts: list[str]) -> Iterator[tuple[int, int]]:
    """(first, stop) ranges of `texts` holding about `_CHUNK_CHARS` characters each."""
    first, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text) + 1
        if size >= _CHUNK_CHARS:
            yield first, i + 1
            first, size = i + 1, 0
    if first < len(texts):
        yield first, len(texts)


def text_starts(texts: list[str]) -> np.ndarray:
    """Offsets of each text in "\\n".join(texts), and the joined length + 1 at the end."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
    return np.concatenate([[0], np.cumsum(lengths)])


def count_words_many(texts: list[str]) -> list[int]:
    """`lib.text.count_words` of each text: runs of letters and digits, where one joiner
    (apostrophe or hyphen) between two runs makes them one word ("don't", "chain-of-thought")."""
    counts: list[int] = []
    for first, stop in _chunks(texts):
        part = texts[first:stop]
        classes = char_classes(code_points("\n".join(part)))
        alnum = (classes & ALNUM) != 0
        # A word starts where a run of letters and digits starts, unless one joiner ties that
        # run to the one before.
        start = alnum.copy()
        start[1:] &= ~alnum[:-1]
        tied = np.zeros_like(alnum)
        tied[2:] = alnum[:-2] & ((classes[1:-1] & JOINER) != 0) & alnum[2:]
        start &= ~tied
        before = np.concatenate([[0], np.cumsum(start, dtype=np.int64)])
        bounds = text_starts(part)
        bounds[-1] -= 1  # the joined text has no newline after the last text
        counts.extend((before[bounds[1:]] - before[bounds[:-1]]).tolist())
    return counts


def token_spans(codes: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""(starts, ends) of the matches of `(?u)\b[^\W\d_][\w-]*\w\b`, in order.

    A token lies in a run of word characters and "-". It starts at the first letter of the run
    that follows the run's start or a "-" (a word boundary), and, the pattern being greedy, ends
    at the run's last word character; it needs two characters. Nothing else in the run can
    start a token, as what follows the token is only hyphens.
    """
    word = (classes & WORD) != 0
    inside = word | ((classes & HYPHEN) != 0)
    run_start = inside.copy()
    run_start[1:] &= ~inside[:-1]
    run = np.cumsum(run_start, dtype=np.int32)  # run number of each position inside a run
    # Letters after a non-word character (a word boundary): the first in each run starts a token.
    can_start = (classes & LETTER) != 0
    can_start[1:] &= ~word[:-1]
    starts = np.flatnonzero(can_start)
    start_run = run[starts]
    first = np.ones(len(starts), dtype=bool)
    first[1:] = start_run[1:] != start_run[:-1]
    starts, start_run = starts[first], start_run[first]
    # Ends of runs of word characters: the last in each run ends its token.
    word_end = word.copy()
    word_end[:-1] &= ~word[1:]
    ends = np.flatnonzero(word_end)
    end_run = run[ends]
    last = np.ones(len(ends), dtype=bool)
    last[:-1] = end_run[:-1] != end_run[1:]
    last_end = np.zeros(int(run[-1]) + 1 if len(run) else 1, dtype=np.int64)
    last_end[end_run[last]] = ends[last] + 1
    ends = last_end[start_run]
    keep = ends - starts >= 2
    return starts[keep], ends[keep]


def _poly64(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    # sum(code[i] * B**i) over the span, times B**-start: the same for the same characters
    # anywhere. Arithmetic wraps modulo 2**64; B is odd, so it has an inverse.
    n = len(codes)
    with np.errstate(over="ignore"):
        powers = np.empty(n + 1, dtype=np.uint64)
        powers[0] = 1
        powers[1:] = _BASE64
        np.cumprod(powers, out=powers)
        inverse = np.empty(n + 1, dtype=np.uint64)
        inverse[0] = 1
        inverse[1:] = _INVERSE64
        np.cumprod(inverse, out=inverse)
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(codes.astype(np.uint64) * powers[:n], out=prefix[1:])
        return (prefix[ends] - prefix[starts]) * inverse[starts]


class TokenIds:
    """Gives each distinct token an id in order of first sight, across chunks of text."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.words: list[str] = []
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted
        self._ids = np.zeros(0, dtype=np.int64)
        self._checks: list[tuple[int, int]] = []  # prime hash and length, by id
        for word in reserved:  # each a token of its own, in this order
            codes = code_points(word)
            self.ids(codes, np.array([0]), np.array([len(codes)]), word)

    def ids(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, text: str) -> np.ndarray:
        """The id of each token span of `text` (whose code points are `codes`); new tokens
        get the next ids in order of first appearance.

        Raises `HashCollision` when two tokens share a hash but not their length, first and
        last characters, or when a token is longer than `LONGEST`: the caller then counts the
        slow way.
        """
        if len(starts) == 0:
            return np.zeros(0, dtype=np.int64)
        lengths = (ends - starts).astype(np.uint64)
        if int(lengths.max()) > LONGEST:
            raise HashCollision
        keys = _poly64(codes, starts, ends)
        # Code points are below 2**21: length, first and last fit one 64-bit check.
        checks = (
            (lengths << np.uint64(42))
            | (codes[starts].astype(np.uint64) << np.uint64(21))
            | codes[ends - 1].astype(np.uint64)
        )
        unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        # Every token must agree with the first one of its key on the second hash and length.
        if (checks != checks[first][inverse]).any():
            raise HashCollision
        at = np.searchsorted(self._keys, unique)
        known = at < len(self._keys)
        known[known] = self._keys[at[known]] == unique[known]
        unique_ids = np.empty(len(unique), dtype=np.int64)
        unique_ids[known] = self._ids[at[known]]
        for j in np.flatnonzero(known).tolist():
            if self._checks[unique_ids[j]] != int(checks[first[j]]):
                raise HashCollision
        new = np.flatnonzero(~known)
        new = new[np.argsort(first[new], kind="stable")]  # ids in order of first sight
        base = len(self.words)
        unique_ids[new] = np.arange(base, base + len(new))
        for j in new.tolist():
            f = int(first[j])
            self.words.append(text[int(starts[f]) : int(ends[f])])
            self._checks.append(int(checks[f]))
        if len(new):
            keys_all = np.concatenate([self._keys, unique[new]])
            ids_all = np.concatenate([self._ids, unique_ids[new]])
            order = np.argsort(keys_all, kind="stable")
            self._keys, self._ids = keys_all[order], ids_all[order]
        return unique_ids[inverse]


class HashCollision(Exception):
    """Tokens the hash cannot be trusted to tell apart (see `TokenIds.ids`)."""
