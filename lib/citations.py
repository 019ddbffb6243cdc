"""Who and what the answers cite: people, organisations, models, works and papers.

Precision first: a name is reported only when it is in the small gazetteer below, or has a
shape that is hard to mistake (a known first name followed by a capitalised surname,
"Surname et al., 2020", a model name like "GPT-4", a quoted title after "essay"/"paper").
Sentence-initial capitalised words ("However Scaling ...") never make a person.

Every pattern is a plain alternation or a bounded character class, so matching stays linear in
the length of a line.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pandas as pd

from lib.corpus import Corpus
from lib.parallel import map_in_halves

COLUMNS = ["response_id", "response_index", "group", "kind", "name", "quote", "start", "end"]
KINDS = ("person", "organisation", "model", "work", "paper")

# Canonical name -> spellings seen in answers (the canonical one is always matched too).
PEOPLE = {
    "Richard Sutton": ["Rich Sutton"],
    "Yann LeCun": [],
    "Ilya Sutskever": [],
    "Sam Altman": [],
    "Gary Marcus": [],
    "Yoshua Bengio": [],
    "Geoffrey Hinton": ["Geoff Hinton"],
    "Andrew Ng": [],
    "Ray Kurzweil": [],
    "Demis Hassabis": [],
    "François Chollet": ["Francois Chollet"],
    "Andrej Karpathy": [],
    "Dario Amodei": [],
    "Shane Legg": [],
    "Elon Musk": [],
    "Stuart Russell": [],
    "Judea Pearl": [],
    "Melanie Mitchell": [],
    "Emily Bender": ["Emily M. Bender"],
    "Jürgen Schmidhuber": ["Juergen Schmidhuber"],
    "Nick Bostrom": [],
    "Eliezer Yudkowsky": [],
    "Marvin Minsky": [],
    "Alan Turing": [],
    "Fei-Fei Li": [],
    "Jeff Hawkins": [],
    "Jeff Dean": [],
    "Noam Chomsky": [],
    "Douglas Hofstadter": [],
    "Jared Kaplan": [],
    "Leopold Aschenbrenner": [],
    "Daniel Kahneman": [],
}
ORGANISATIONS = {
    "Google DeepMind": [],
    "DeepMind": [],
    "OpenAI": [],
    "Anthropic": [],
    "Google": [],
    "Meta AI": [],
    "Meta": [],
    "xAI": [],
    "Microsoft": [],
    "NVIDIA": ["Nvidia"],
    "Tesla": [],
    "Figure AI": [],
    "IBM": [],
    "Apple": [],
    "Amazon": [],
    "Mistral AI": [],
    "Hugging Face": [],
    "Baidu": [],
    "MIRI": [],
    "Stanford": [],
    "MIT": [],
}
MODELS = {
    "PaLM-E": [],
    "PaLM": [],
    "CLIP": [],
    "DALL-E": ["DALL·E", "DALLE"],
    "Mamba": [],
    "S4": [],
    "RT-2": [],
    "AlphaGo": [],
    "AlphaZero": [],
    "AlphaFold": [],
    "MuZero": [],
    "Gato": [],
    "Chinchilla": [],
    "Gemini": [],
    "Claude": [],
    "Grok": [],
    "LLaMA": ["Llama"],
    "BERT": [],
    "Sora": [],
    "ChatGPT": [],
    "Optimus": [],
    "Neural Turing Machine": ["neural Turing machine"],
}
WORKS = {
    "The Bitter Lesson": ["the bitter lesson", "bitter lesson"],
    "Attention Is All You Need": [],
    "Scaling Laws for Neural Language Models": [],
    "Sparks of Artificial General Intelligence": [],
    "On the Dangers of Stochastic Parrots": [],
    "Situational Awareness": [],
}

# First names that start a person's name only when followed by a capitalised surname. Words
# that are also common words in title-case headings ("Will", "May", "Mark", "Rich", "Ray") are
# left out on purpose; the people who go by them are in PEOPLE.
FIRST_NAMES = frozenset(
    """Alan Alex Andrej Andrew Anna Chris Christopher Dan Daniel Dario Demis David
    Douglas Elon Eliezer Emily Fei-Fei Francois François Gary Geoff Geoffrey Greg Ian Ilya
    Jared Jeff Jennifer John Judea Jürgen Juergen Kate Leopold Marvin Melanie Michael Mustafa
    Nick Noam Oriol Paul Percy Peter Pieter Richard Robert Sam Samy Satya Sergey Shane
    Stuart Sundar Timnit Tom Yann Yoshua Yejin Zoubin""".split()  # noqa: SIM905 (a word list)
)
# Capitalised words that are never a surname after a first name ("Rich Text", "Sam Model").
NOT_SURNAMES = frozenset(
    "AI AGI The And Or Of In On For To With LLM LLMs Model Models Law Laws Lesson".split()  # noqa: SIM905
)

_FIRST = "|".join(sorted((re.escape(n) for n in FIRST_NAMES), key=len, reverse=True))
# A first name, an optional middle initial, a capitalised surname (LeCun, O'Neil, Smith-Jones).
_PERSON_SHAPE = re.compile(
    rf"(?:{_FIRST})(?:\s[A-Z]\.)?\s[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['-][A-Z][a-z]+)?(?![\w-])"
)
# "Kaplan et al., 2020", "Kaplan et al. (2020)", "Hoffmann et al.": found from " et al", then
# the surname before it and the year after it are read from short slices.
_ET_AL = re.compile(r"\set\sal(?![\w-])\.?")
_SURNAME_BEFORE = re.compile(r"(?<![\w-])[A-Z][A-Za-z'-]{1,30}$")
_YEAR_AFTER = re.compile(r",?\s((?:19|20)\d\d)(?!\d)|\s\(((?:19|20)\d\d)\)")
# GPT-2, GPT-4o, GPT-3.5, GPT-7; Llama 2; Claude 3; Gemini 1.5.
# Written as one flat alternation of literal starts (not "(?:Llama|...)\s\d" nested), so the
# regex engine skips ahead to a possible first letter: three times faster on long texts.
_MODEL_SERIES = ("Llama", "LLaMA", "Claude", "Gemini", "Grok")
_MODEL_SHAPE = re.compile(
    r"(?:GPT-\d(?:\.\d)?o?|"
    + "|".join(rf"{name}\s\d(?:\.\d)?" for name in _MODEL_SERIES)
    + r")(?![\w-])"
)
# A title in quotes right after a word naming a work: essay "X", paper, "X", book 'X'.
_WORK_WORDS = ("essay", "paper", "book", "article", "blog post", "post", "talk", "lecture")
_OPEN_QUOTES = "\"“'"
_QUOTED_WORK = re.compile(
    rf"(?:{'|'.join(_WORK_WORDS)}),?\s+[{_OPEN_QUOTES}]([A-Z][^\"”'\n]{{2,80}})[\"”']"
)


def _gazetteer_pattern(table: dict[str, list[str]]) -> tuple[re.Pattern, dict[str, str]]:
    spellings = {name: name for name in table}
    for name, aliases in table.items():
        for alias in aliases:
            spellings[alias] = name
    # Longest first, so "Google DeepMind" wins over "Google" and "PaLM-E" over "PaLM".
    alternation = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    # Not inside a longer word or hyphenated compound: "Meta-learning" is not Meta.
    return re.compile(rf"(?:{alternation})(?![\w-])"), spellings


_GAZETTEERS = [
    ("work", *_gazetteer_pattern(WORKS)),
    ("person", *_gazetteer_pattern(PEOPLE)),
    ("model", *_gazetteer_pattern(MODELS)),
    ("organisation", *_gazetteer_pattern(ORGANISATIONS)),
]


# --- finding candidates in one pass ----------------------------------------------------------
# Scanned one by one, each pattern above costs about 0.5 s per 10k answers: the regex engine
# steps through every character. So one scan (`_ANCHORS`) finds every place where any of them
# can start: a capital letter or quote that begins one of their literal openings (a gazetteer
# spelling, a first name, "GPT-", "Llama", a quote before a capital). Each pattern is then tried
# only there, in text order, skipping candidates inside its previous match: exactly the matches
# its own `finditer` gives. Openings with a lowercase first letter ("the bitter lesson") would
# stop the scan at every "t", so they are found with `str.find`; " et al" with its own scan for
# the literal "et", which the engine skips to quickly.

# The patterns in the order their hits are listed before overlaps are resolved (earlier wins a
# tie): kind, pattern, spellings (gazetteers), the literal openings every match starts with.
_SCANNED = [
    *((kind, pattern, spellings, list(spellings)) for kind, pattern, spellings in _GAZETTEERS),
    ("model", _MODEL_SHAPE, None, ["GPT-", *_MODEL_SERIES]),
    ("person", _PERSON_SHAPE, None, sorted(FIRST_NAMES)),
]
_QUOTED = len(_SCANNED)  # the candidates' slot of quoted works (a quote before a capital)
_LOWER_OPENINGS = [
    (i, opening)
    for i, (*_, openings) in enumerate(_SCANNED)
    for opening in openings
    if opening[0].islower()
]
# " et al" starts with the whitespace before "et".
_ET_AL_CORE = re.compile(r"et\sal")


def _anchor_pattern() -> tuple[re.Pattern, dict[str, tuple[int, ...]]]:
    """A pattern for the first character of every opening, and the slots each character feeds.

    Each alternative consumes one character and looks ahead for the rest, so no candidate hides
    inside another's match; grouped by first character, so a capital letter costs a few tries.
    """
    rests: dict[str, set[str]] = {}
    routes: dict[str, set[int]] = {}
    for i, (*_, openings) in enumerate(_SCANNED):
        for opening in openings:
            if not opening[0].islower():
                rests.setdefault(opening[0], set()).add(re.escape(opening[1:]))
                routes.setdefault(opening[0], set()).add(i)
    for quote in _OPEN_QUOTES:
        rests.setdefault(quote, set()).add("[A-Z]")
        routes.setdefault(quote, set()).add(_QUOTED)
    alternatives = [
        f"{re.escape(first)}(?={'|'.join(sorted(rest, key=len, reverse=True))})"
        for first, rest in sorted(rests.items())
    ]
    return re.compile("|".join(alternatives)), {c: tuple(sorted(r)) for c, r in routes.items()}


_ANCHORS, _ROUTES = _anchor_pattern()


def find_citations(text: str) -> list[dict]:
    """Citations in one text: dicts with kind, name, quote, start, end, in text order.

    Overlapping candidates are resolved longest first ("Google DeepMind" over "Google").
    >>> [c["name"] for c in find_citations("Rich Sutton's essay, and GPT-4 at OpenAI")]
    ['Richard Sutton', 'GPT-4', 'OpenAI']
    """
    candidates: list[list[int]] = [[] for _ in range(_QUOTED + 1)]
    for m in _ANCHORS.finditer(text):
        start = m.start()
        for i in _ROUTES[text[start]]:
            candidates[i].append(start)
    for i, opening in _LOWER_OPENINGS:
        at = text.find(opening)
        if at >= 0:
            while at >= 0:
                candidates[i].append(at)
                at = text.find(opening, at + 1)
            candidates[i].sort()  # the anchors' candidates came in text order, these after

    found: list[dict] = []
    for (kind, pattern, spellings, _), starts in zip(_SCANNED, candidates, strict=False):
        if not starts:
            continue
        for m in _word_matches_at(pattern, text, starts):
            name = m.group(0)
            if spellings is not None:
                name = spellings[name]
            elif pattern is _PERSON_SHAPE and name.split()[-1].split("'")[0] in NOT_SURNAMES:
                continue
            found.append(_hit(kind, name, m.start(), m.end(), text))
    found.extend(_papers(text))
    starts = sorted(_quoted_work_starts(text, candidates[_QUOTED]))
    for m in _word_matches_at(_QUOTED_WORK, text, starts):
        title = m.group(1).strip().rstrip(",.")
        found.append(
            _hit("work", _canonical_work(title), m.start(1), m.start(1) + len(title), text)
        )
    return _resolve_overlaps(found)


def _word_matches_at(pattern: re.Pattern, text: str, starts: list[int]) -> list[re.Match]:
    """The matches of `pattern.finditer(text)` that start a word, trying only at `starts`.

    `starts` (sorted) must hold every position where the pattern can match; it never matches
    empty, so finditer's next match is the first matching position at or after its last end.
    A match inside a word ("xMeta", "Meta-learning") is dropped, but still hides what starts
    inside it, as in finditer. The word start is checked here rather than with a lookbehind in
    the pattern, which kept the regex engine from skipping ahead when each pattern scanned alone.
    """
    found = []
    end = 0
    for start in starts:
        if start < end:
            continue
        m = pattern.match(text, start)
        if m:
            end = m.end()
            if not start or not (text[start - 1].isalnum() or text[start - 1] in "_-"):
                found.append(m)
    return found


def _papers(text: str) -> list[dict]:
    """ "Kaplan et al., 2020": found from " et al", then the surname before it and the year after.

    Two " et al" cannot overlap, so trying each place "et al" occurs gives what finditer gives.
    """
    hits = []
    for core in _ET_AL_CORE.finditer(text):
        m = _ET_AL.match(text, core.start() - 1) if core.start() else None
        if not m:
            continue
        surname = _SURNAME_BEFORE.search(text, max(0, m.start() - 31), m.start())
        if not surname:
            continue
        end = m.end()
        year_match = _YEAR_AFTER.match(text, end, end + 8)
        year = None
        if year_match:
            year = year_match.group(1) or year_match.group(2)
            end = year_match.end()
        name = f"{surname.group(0)} et al." + (f", {year}" if year else "")
        hits.append(_hit("paper", name, surname.start(), end, text))
    return hits


def _quoted_work_starts(text: str, quotes: list[int]):
    """Where a `_QUOTED_WORK` match can start, given the quotes its title can open with.

    Its lead-in is a work word, an optional comma and whitespace right up to the quote, so the
    start is read backwards from each quote. (Runs of whitespace end at distinct quotes: linear.)
    """
    for quote in quotes:
        end = quote
        while end and text[end - 1].isspace():
            end -= 1
        if end == quote:
            continue
        word_ends = [end, end - 1] if text[end - 1 : end] == "," else [end]
        for word_end in word_ends:
            for word in _WORK_WORDS:
                if text.endswith(word, 0, word_end):
                    yield word_end - len(word)


def _hit(kind: str, name: str, start: int, end: int, text: str) -> dict:
    return {"kind": kind, "name": name, "quote": text[start:end], "start": start, "end": end}


def _canonical_work(title: str) -> str:
    for name, aliases in WORKS.items():
        if title.lower() in {name.lower(), *(a.lower() for a in aliases)}:
            return name
    return title


def _resolve_overlaps(found: list[dict]) -> list[dict]:
    # Of hits with the same span (a person both listed and name-shaped) the first listed wins
    # wherever it ranks, so the others are dropped up front; then, most often, nothing overlaps.
    first: dict[tuple[int, int], dict] = {}
    for hit in found:
        first.setdefault((hit["start"], hit["end"]), hit)
    unique = list(first.values())
    in_order = sorted(unique, key=lambda h: (h["start"], h["end"]))
    if all(a["end"] <= b["start"] for a, b in pairwise(in_order)):
        return in_order
    # Longer spans first; on equal length the earlier-listed kind (gazetteer) wins.
    ranked = sorted(enumerate(unique), key=lambda p: (-(p[1]["end"] - p[1]["start"]), p[0]))
    kept: list[dict] = []
    taken: list[tuple[int, int]] = []
    for _, hit in ranked:
        if any(hit["start"] < e and s < hit["end"] for s, e in taken):
            continue
        kept.append(hit)
        taken.append((hit["start"], hit["end"]))
    return sorted(kept, key=lambda h: (h["start"], h["end"]))


def extract_citations(corpus: Corpus) -> pd.DataFrame:
    """Every citation in every answer, one row each, in corpus then text order.

    `start`/`end` are character offsets of `quote` in the response text; `name` is the
    canonical name ("Rich Sutton" is cited as "Richard Sutton").
    """
    columns: dict[str, list] = {name: [] for name in COLUMNS}
    texts = [r.text for r in corpus.responses]
    # Its child holds 50-60 MB of its own at 10k answers (less than most): it still forks
    # after the other analyses have filled the process, when there is room.
    found = map_in_halves(find_citations, texts, weights=list(map(len, texts)), child_mb=70)
    for r, hits in zip(corpus.responses, found, strict=True):
        if not hits:
            continue
        # Built column by column: a row dict per hit costs more than finding it.
        columns["response_id"] += [r.response_id] * len(hits)
        columns["response_index"] += [r.index] * len(hits)
        columns["group"] += [r.group] * len(hits)
        for key in ("kind", "name", "quote", "start", "end"):
            columns[key] += [hit[key] for hit in hits]
    if not columns["kind"]:
        return pd.DataFrame([], columns=COLUMNS)  # the same dtypes as ever for no citations
    return pd.DataFrame(columns, columns=COLUMNS)
