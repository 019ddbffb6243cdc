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

import pandas as pd

from lib.corpus import Corpus

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
_MODEL_SHAPE = re.compile(
    r"(?:GPT-\d(?:\.\d)?o?|"
    + "|".join(rf"{name}\s\d(?:\.\d)?" for name in ("Llama", "LLaMA", "Claude", "Gemini", "Grok"))
    + r")(?![\w-])"
)
# A title in quotes right after a word naming a work: essay "X", paper, "X", book 'X'.
_QUOTED_WORK = re.compile(
    r"(?:essay|paper|book|article|blog post|post|talk|lecture),?\s+[\"“']([A-Z][^\"”'\n]{2,80})[\"”']"
)
# What every quoted title starts with: a text without it (half of them) skips the search above.
_QUOTE_THEN_CAPITAL = re.compile(r"[\"“'][A-Z]")


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


def find_citations(text: str) -> list[dict]:
    """Citations in one text: dicts with kind, name, quote, start, end, in text order.

    Overlapping candidates are resolved longest first ("Google DeepMind" over "Google").
    >>> [c["name"] for c in find_citations("Rich Sutton's essay, and GPT-4 at OpenAI")]
    ['Richard Sutton', 'GPT-4', 'OpenAI']
    """
    found: list[dict] = []
    for kind, pattern, spellings in _GAZETTEERS:
        for m in _word_matches(pattern, text):
            found.append(_hit(kind, spellings[m.group(0)], m.start(), m.end(), text))
    for m in _word_matches(_MODEL_SHAPE, text):
        found.append(_hit("model", m.group(0), m.start(), m.end(), text))
    for m in _word_matches(_PERSON_SHAPE, text):
        surname = m.group(0).split()[-1]
        if surname.split("'")[0] not in NOT_SURNAMES:
            found.append(_hit("person", m.group(0), m.start(), m.end(), text))
    for m in _ET_AL.finditer(text):
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
        found.append(_hit("paper", name, surname.start(), end, text))
    quoted = _word_matches(_QUOTED_WORK, text) if _QUOTE_THEN_CAPITAL.search(text) else ()
    for m in quoted:
        title = m.group(1).strip().rstrip(",.")
        found.append(
            _hit("work", _canonical_work(title), m.start(1), m.start(1) + len(title), text)
        )
    return _resolve_overlaps(found)


def _word_matches(pattern: re.Pattern, text: str):
    """Matches of `pattern` that start a word (not inside "xMeta" or "Meta-learning").

    Checked here rather than with a lookbehind in the pattern, so the regex engine can skip
    ahead to a possible first character: 10k answers scan many times faster.
    """
    for m in pattern.finditer(text):
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):
            continue
        yield m


def _hit(kind: str, name: str, start: int, end: int, text: str) -> dict:
    return {"kind": kind, "name": name, "quote": text[start:end], "start": start, "end": end}


def _canonical_work(title: str) -> str:
    for name, aliases in WORKS.items():
        if title.lower() in {name.lower(), *(a.lower() for a in aliases)}:
            return name
    return title


def _resolve_overlaps(found: list[dict]) -> list[dict]:
    # Longer spans first; on equal length the earlier-listed kind (gazetteer) wins.
    ranked = sorted(enumerate(found), key=lambda p: (-(p[1]["end"] - p[1]["start"]), p[0]))
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
    rows = []
    for r in corpus.responses:
        for hit in find_citations(r.text):
            rows.append(
                {"response_id": r.response_id, "response_index": r.index, "group": r.group, **hit}
            )
    return pd.DataFrame(rows, columns=COLUMNS)
