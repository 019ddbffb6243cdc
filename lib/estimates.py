"""Estimates from prose: shares, timelines and probabilities an answer gives, with their quotes.

Every row keeps the exact quote (`text[start:end]`), the sentence it stands in, a few words of
what it is about, and who it is attributed to when the answer reports someone else's view.
Precision comes first: a number is an estimate only in a forecasting frame (a hedge or modal in
its clause, a future-looking preposition, a probability noun), never in a question, never about
the past or a surveyed population, and never in an answer that reads as worked arithmetic or a
data summary. A negated likelihood word is read as its complement or dropped. The rules are
written out in data/README_scales.md.

>>> from lib.corpus import corpus_from_texts
>>> frame = extract_estimates(corpus_from_texts(["We're maybe 30-60% of the way there."]))
>>> frame[["kind", "low", "high", "about"]].values.tolist()
[['share', 30.0, 60.0, 'of the way there']]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

import pandas as pd

from lib.corpus import Corpus
from lib.parallel import map_in_halves
from lib.scales import DEFAULT_SCALE, SCALES, scale_lookup
from lib.text import word_counts

COLUMNS = [
    "response_index",
    "response_id",
    "group",
    "kind",
    "low",
    "high",
    "year_low",
    "year_high",
    "years_low",
    "years_high",
    "quote",
    "sentence",
    "about",
    "attributed_to",
    "scale",
    "confidence",
    "start",
    "end",
]
HEDGING_COLUMNS = [
    "response_id",
    "response_index",
    "group",
    "words",
    "hedges",
    "boosters",
    "hedges_per_100",
    "boosters_per_100",
]


@dataclass
class _Row:
    kind: str
    start: int
    end: int
    low: float | None = None
    high: float | None = None
    years_low: float | None = None
    years_high: float | None = None
    year_low: int | None = None
    year_high: int | None = None
    about: str = ""
    scale: str | None = None
    confidence: float = 0.9
    attribute: bool = True  # look for who the estimate belongs to in its sentence
    who: str | None = None  # who it belongs to, when its own frame says ("2045 (Kurzweil)")


# --- sentences and clauses ----------------------------------------------------------------
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|al|cf|approx|Dr|Mr|Ms|Mrs|Prof|St|No|Fig)|\b[A-Z])$"
)
_SENT_END = re.compile(r"[.!?](?=\s+[\"“'(\[]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(
    r";|—|\s[–-]\s|:\s|\),?\s|,\s(?:while|whereas|but|although|though|where|which|based)\b"
)


def _sentence_spans(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:stop], a line (a line break ends one)."""
    spans = []
    for m in _SENT_END.finditer(text, start, stop):
        if _ABBREV.search(text, max(0, m.start() - 8), m.start()):
            continue
        if text[start : m.end()].strip():
            spans.append(_strip_span(text, start, m.end()))
        start = m.end()
    if text[start:stop].strip():
        spans.append(_strip_span(text, start, stop))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# re.IGNORECASE makes every branch of a long alternation test each position (the engine cannot
# skip on a branch's first letter), which made the scans slow. So the patterns run without it on
# a folded copy of the text, each character lower-cased on its own (simple case mapping), plus
# the letters IGNORECASE also equates with ASCII ones. Then every character test gives the same
# answer on the folded copy as the IGNORECASE one on the text, so the matches are the same
# (tests/test_estimates.py checks this for every character the patterns test, on all of Unicode).
_FOLD_FIXES = str.maketrans({"ſ": "s", "ı": "i", "ς": "σ", "İ": "i"})


def _fold(text: str, lower: str | None = None) -> str:
    """`text` as the case-blind patterns read it, offsets unchanged. `lower`: a `_lower(text)`."""
    folded = _lower(text) if lower is None else lower
    if not folded.isascii() and any(c in folded for c in "ſıςİ"):
        folded = folded.translate(_FOLD_FIXES)
    return folded


def _lower(text: str) -> str:
    """`text.lower()` with its offsets: a character that lower-cases to two is kept as it is."""
    lower = text.lower()
    if len(lower) != len(text):  # e.g. "İ" lower-cases to two characters
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lower


# Where a clause surely ends: ";", ":", a bracket, "?", "!", or a full stop before a space. The
# percentage, timeline and year patterns never take in one of these (a full stop only inside a
# number, before a digit), and what they look at past a match reads one as the end of the text
# would read (none is a letter, digit, space, "%" or an apostrophe): so they find the same
# matches in each stretch between stops as in the whole line.
_CLAUSE_STOP = re.compile(r"[;:()?!.](?:(?<!\.)|(?=\s))")  # one set first: skipped to in C
# The same for the likelihood phrases of `_VERBAL_NOUN`, `_ATTRIBUTIVE` and `_SUFFICIENCY`
# (words, hyphens and spaces; the gap in the last one excludes these characters), which end in
# a word boundary or in a look past it for a space and a word.
_PHRASE_STOP = re.compile(r"[.;:?!—,]")


@cache
def _case_blind(pattern: re.Pattern) -> re.Pattern:
    """`pattern` without re.IGNORECASE, for a `_fold`-ed text (written in lower case)."""
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


# The most of a sentence read either side of an estimate (see `_Sentences.around`).
AROUND = 400


class _Sentences:
    """Lines and sentences of one answer, worked out only where an estimate is found."""

    def __init__(self, text: str):
        self.text = text
        self.lower = _lower(text)
        self.folded = _fold(text, self.lower)
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._lines: dict[str, list[tuple[int, int]]] = {}
        self._disbelief: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}

    def disbelieved(self, pos: int) -> bool:
        """Whether the speaker's disbelief (`_RAISED_DENIAL`: "I don't think", "I doubt",
        "I'm skeptical that") stands earlier in the sentence holding `pos`, with no contrast
        or colon between (`_raised_stops`). Worked out once per sentence, so a long sentence
        costs its length once, not once per estimate in it."""
        start, end = self.whole(pos)
        marks = self._disbelief.get(start)
        if marks is None:
            sentence = self.text[start:end]
            found = [
                (start + m.start(), start + m.end()) for m in _RAISED_DENIAL.finditer(sentence)
            ]
            stops = [start + at for at in _raised_stops(sentence)] if found else []
            marks = self._disbelief[start] = (stops, found)
        stops, found = marks
        i = bisect_right(stops, pos)
        since = stops[i - 1] if i else start
        j = bisect_left(found, (since, 0))
        return j < len(found) and found[j][1] <= pos

    def line(self, pos: int) -> tuple[int, int]:
        """Start and end offsets of the line holding offset `pos` (found, not precomputed:
        most answers have an estimate on a few of their lines)."""
        end = self.text.find("\n", pos)
        return self.text.rfind("\n", 0, pos) + 1, len(self.text) if end < 0 else end

    def around(self, pos: int) -> tuple[int, int]:
        """The sentence holding offset `pos` (never crossing a line break), at most `AROUND`
        characters either side of `pos`: every rule reads a clause or two, and each estimate
        in a sentence of thousands (a pasted table, a hostile input) then costs the same,
        not the sentence's length."""
        start, end = self.whole(pos)
        return max(start, pos - AROUND), min(end, pos + AROUND)

    def whole(self, pos: int) -> tuple[int, int]:
        """The sentence holding offset `pos` (never crossing a line break)."""
        line_start, line_end = self.line(pos)
        spans = self._spans.get(line_start)
        if spans is None:
            spans = self._spans[line_start] = _sentence_spans(self.text, line_start, line_end)
        for start, end in spans:
            if start <= pos < end or pos < start:
                return min(start, pos), max(end, pos)
        return (spans[-1][0], max(spans[-1][1], pos)) if spans else (line_start, line_end)

    def lines_with(self, trigger: str) -> list[tuple[int, int]]:
        """(start, end) of each line holding `trigger` (lower case), remembered: several
        patterns share a trigger, and a longer one is looked for only in the lines of a shorter
        one it contains ("probable" in the lines with "probab")."""
        lines = self._lines.get(trigger)
        if lines is not None:
            return lines
        find = self.folded.find
        shorter = _SHORTER_TRIGGER.get(trigger)
        if shorter:
            lines = [(a, b) for a, b in self.lines_with(shorter) if find(trigger, a, b) >= 0]
        else:
            lines = []
            i = find(trigger)
            while i >= 0:
                bounds = self.line(i)
                lines.append(bounds)
                i = find(trigger, bounds[1])  # on to the next line
        self._lines[trigger] = lines
        return lines

    def scan(
        self,
        pattern: re.Pattern,
        triggers: tuple[str, ...],
        needs: tuple[tuple[str, ...], ...] = (),
        line_start: bool = False,
        stops: re.Pattern | None = None,
    ) -> Iterator[re.Match]:
        """Matches of `pattern` (re.IGNORECASE) in the lines holding one of `triggers`.

        Every pattern stays within a line, so a cheap substring test first skips most lines
        and keeps the extractor fast on long corpora. `needs`: words every match holds, one of
        each tuple (as the pattern spells them, in lower case), so a line without them is
        skipped too. The pattern runs case-blind on the folded text, where its words stand
        as written, and each match found is matched again on the text itself for its groups.
        `line_start`: the pattern opens with "^" (re.MULTILINE), so it can only match where a
        line starts, and is tried there alone. `stops`: characters no match takes in, and read
        past a match as the end of the text would be: only the stretches between them that
        hold a trigger are read.
        """
        hits: set[tuple[int, int]] = set()
        for t in triggers:
            hits.update(self.lines_with(t))
        blind = _case_blind(pattern)
        for start, end in sorted(hits):
            if needs and not self._holds(start, end, needs):
                continue
            if line_start:
                found = blind.match(self.folded, start, end)
                if found:
                    yield pattern.match(self.text, start, end)
                continue
            # (on a short line, finding the stretches costs more than reading it all)
            long = stops is not None and end - start > 200
            for a, b in self._stretches(start, end, triggers, stops) if long else [(start, end)]:
                for found in blind.finditer(self.folded, a, b):
                    yield pattern.match(self.text, found.start(), b)

    def _holds(self, start: int, end: int, needs: tuple[tuple[str, ...], ...]) -> bool:
        """Whether the folded text[start:end] holds one word of each tuple of `needs`."""
        find = self.folded.find
        for words in needs:
            for word in words:
                if find(word, start, end) >= 0:
                    break
            else:
                return False
        return True

    def _stretches(
        self, start: int, end: int, triggers: tuple[str, ...], stops: re.Pattern
    ) -> list[tuple[int, int]]:
        """The stretches of the line text[start:end] between `stops` that hold a trigger (in
        the folded text, where a match holds its trigger as written)."""
        cuts = [m.start() for m in stops.finditer(self.folded, start, end)]
        stretches = set()
        find = self.folded.find
        for t in triggers:
            i = find(t, start, end)
            while i >= 0:
                k = bisect_left(cuts, i)  # no trigger holds a stop: cuts[k - 1] < i <= cuts[k]
                stretches.add((cuts[k - 1] + 1 if k else start, cuts[k] if k < len(cuts) else end))
                i = find(t, i + 1, end)
        return sorted(stretches)


def _is_question(sentence: str) -> bool:
    """Whether a sentence is a question, in markdown too ("**Will we have AGI by 2030?**")."""
    return sentence.rstrip(" \t\n*_").endswith("?")


def _clause_before(sentence: str, offset: int) -> str:
    """The part of the sentence's clause that comes before `offset`."""
    head = sentence[:offset]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(head):
        cut = m.end()
    return head[cut:]


def _clause_after(sentence: str, offset: int) -> str:
    tail = sentence[offset:]
    m = _CLAUSE_BREAK.search(tail)
    return tail[: m.start()] if m else tail


def _words(s: str, n: int, last: bool = False) -> str:
    parts = s.split()
    parts = parts[-n:] if last else parts[:n]
    out = " ".join(parts).strip(" ,.;:()[]—–-\"“”'*_")
    if out.count("(") > out.count(")"):  # "won't get us there (my credence": not its words
        out = out[: out.rfind("(")].rstrip(" ,.;:—–-\"“”'*_")
    return out


_VERBAL_TRIGGERS = ("likely", "probab", "possib", "plausib", "chance", "certain")
# Triggers that hold a shorter one: they are looked for only in the lines holding it.
_SHORTER_TRIGGER = {
    "probable": "probab",
    "probably": "probab",
    "plausible": "plausib",
    "certainly": "certain",
}


# --- response-level and sentence-level exclusions -----------------------------------------
# "=", "×" or "÷"; a digit, an operator and a digit ("3 * 4"); or a LaTeX operator. Written to
# start with one set of characters (then told apart by a lookbehind), so the engine skips
# ahead in C to the few places that can match instead of trying three branches everywhere.
_ARITH_LINE = re.compile(
    r"[=×÷\d\\](?:(?<=[=×÷])|(?<=\d)\s*[*/^+]\s*\d|(?<=\\)(?:frac|times|cdot))"
)
_NUMBER_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*")  # a number, counted once
# Every branch of _ARITH_LINE holds "=", "×", "÷", a backslash, or an operator after a digit or
# a space and before a digit: most answers have none of these ("**2029**" is not one), and
# testing for them is cheaper than the pattern.
_OPERATOR_DIGIT = re.compile(r"[*/^+](?<=[\d\s][*/^+])\s*\d")
_MATHS_WORDS = re.compile(
    r"\b(?:coins?|dice|a\s+die|heads\s+or\s+tails|deck\s+of\s+cards|urn|marbles?|"
    r"(?:compound|simple)\s+interest|interest\s+rate|compounded|equation|cups?|tablespoons?|"
    r"teaspoons?|grams?|oven)\b",
    re.I,
)


def _is_worked_numbers(text: str) -> bool:
    """An answer of arithmetic or a data summary: its numbers are working, not forecasts."""
    if any(c in text for c in "=×÷\\") or _OPERATOR_DIGIT.search(text):
        arithmetic = sum(1 for line in text.split("\n") if _ARITH_LINE.search(line))
        if arithmetic >= 3:
            return True
    # Every number holds a digit (as `\d` reads them: "٣" too), so with at most a fifth of the
    # words holding digits, numbers are no more. A digit outside ASCII takes two or more bytes
    # in UTF-8, so ASCII digits plus the extra bytes bound the digits without reading them all
    # (ASCII digits are counted in the bytes: one pass in C, not ten).
    data = text.encode("utf-8", "surrogatepass")
    digits = 2 * len(data) - len(data.translate(None, b"0123456789")) - len(text)
    if digits <= 4:  # at most a fifth of 20 words, the fewest a data summary needs
        return False
    tokens = len(text.split())
    if tokens < 20 or digits <= 0.2 * tokens:
        return False
    numbers = len(_NUMBER_TOKEN.findall(text))
    if numbers > 0.2 * tokens:
        # The numbers of estimate labels are no data: "Chance of AGI by 2030: 10%; by 2040:
        # 45%. AGI timeline: 2038." is a brief answer, not a table of figures.
        numbers -= sum(
            len(_NUMBER_TOKEN.findall(m.group())) for m in _ESTIMATE_LABEL.finditer(text)
        )
    return numbers / tokens > 0.2


_ESTIMATE_LABEL = re.compile(
    r"\b(?:probability|chance|odds|likelihood|credence|timeline|year|share|median|estimate|"
    r"prediction|guess|by\s+(?:20|21)\d\d)\b[^:\n;.]{0,60}:[ \t*_]*[~≈<>]?[ \t]*"
    r"\d{1,4}(?:[.,]\d+)?(?:[ \t]*[-–][ \t]*\d{1,4})?[ \t]*%?",
    re.I,
)


# A forecasting frame for a timeline: a modal, hedge, estimating verb or arrival word. Vague
# quantifiers ("about", "roughly") and "say"/"take" are not cues: they round facts as well.
_FORECAST_CUE = re.compile(
    r"(?:\b(?:could|might|may|will|would|shall|maybe|perhaps|probably|likely|possibly|"
    r"predicts?|predicted|expects?|expected|estimates?|estimated|estimating|forecasts?|"
    r"guess|think|believe|away|reach|achieve[sd]?|arrive|emerge|ranges?|ranging|vary|varies|"
    r"timelines?)\b|['’]ll\b|['’]d\b)",
    re.I,
)
# The answer's own median right before a date or right after it is a forecast cue: "..., but
# my median is 2040", "AGI by 2035 — that's my median" (not "AGI by 2028 is far earlier than my
# median", a date set against it).
_MINE_BEFORE = re.compile(
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:median|prediction)\b(?:(?!,\s*but\b)[^.;?!\d]){0,40}$", re.I
)
_MINE_AFTER = re.compile(
    r"\s*(?:[—–-]|,|:)?\s*(?:that['’]s|which\s+is|this\s+is)\s+my\s+(?:\w+\s+)?"
    r"(?:median|prediction|estimate|guess)\b",
    re.I,
)
# ... and so is the answer's own headline, opening the sentence, for a date right after it:
# "My prediction: AGI by 2028 or 2029", "Prediction: AGI by 2032" (not "Prediction markets").
_HEADLINE = re.compile(
    r"[\s*_>#•-]*(?:(?:my|our)\s+(?:\w+\s+)?(?:median|prediction)|prediction(?!\s+markets?))\b"
    r"[^.;:?!,]{0,30}?(?::|\bis\b)[*_\s]*",
    re.I,
)
# "Forecasters put AGI around 2032", "Metaculus puts it in 2031": a forecast, unless a past
# year in the sentence says it was one ("In 2015 forecasters put AGI around 2060").
_PUT_CUE = re.compile(r"\bputs?\s+(?:AGI|ASI|it|the\s+(?:median|arrival|date))\b", re.I)
# In an answer about AGI, a date said of another event is that event's date, not a timeline
# of the question: "Text data could be exhausted by 2028", "Compute will reach 1e28 FLOP by
# 2027", "I expect GPT-6 to be released by 2026", "Scaling will likely plateau by 2027".
_GOAL_NAMED = re.compile(
    r"(?<![\w-])(?:(?:AGI|ASI)(?!-(?:scale|sized?|level\s+compute))|superintelligen\w*|general\s+intelligence|"
    # "human-level AI / intelligence / performance", not "human-level coding" nor "human-level
    # scores on benchmarks"
    r"human-level(?=\s+(?:AI|AGI|intelligence|machine|systems?|general|"
    r"performance(?!\s+(?:on|in|at)\b))\b|\s*[.,;:)!?]|\s*$)|"
    r"transformative\s+AI)",
    re.I,
)
_OTHER_EVENT = re.compile(
    r"\b(?:data|datasets?|tokens|text|compute|FLOPs?|chips?|GPUs?|TPUs?|hardware|energy|power|"
    r"electricity|costs?|prices?|revenue|investments?|spending|training\s+runs?|parameters|"
    r"models?|architectures?|benchmarks?|ARC|code|coding|Moore['’]s\s+law|GPT-\d\w*|"
    r"Gemini\s+\d|Claude\s+\d|Llama\s*\d|o\d|released?|launch(?:es|ed)?|ship(?:s|ped)?|"
    r"plateau\w*|stall\w*|saturat\w*|solved|automat\w*|wall|break\s+down|software|agents?|robotics|"
    r"researchers?|IMO|olympiads?|know\s+(?:whether|if))\b",
    re.I,
)
# ... unless the words name it by a pronoun: "Data and compute trends suggest it could arrive
# by 2035", "Scaling compute 1000x could get us there by 2032".
_GOAL_REFERENCE = re.compile(
    r"\b(?:it|AGI)\s+(?:could|will|might|may|would|should)\s+(?:\w+\s+)?(?:arrive|happen|emerge|"
    r"come)\b|\bget\s+(?:us\s+)?there\b|\b(?:reach|achieve)\s+it\b",
    re.I,
)
# A date in a condition or a reported question is no forecast: "If AGI arrives by 2030, ...",
# "Whether or not we reach AGI by 2030", "People often ask if AGI will arrive by 2030".
_CONDITION_BEFORE = re.compile(
    r"\b(?:if|whether|unless|once|assuming|suppose|supposing|in\s+the\s+event|"
    r"in\s+a\s+world\s+where)\b",
    re.I,
)
# ... or opening with one: "Should AGI arrive by 2030, ...", "To reach AGI by 2030, we'd need",
# "For AGI to arrive by 2030, ...", "If, as some expect, AGI arrives by 2030, ...".
_CONDITION_OPENING = re.compile(
    r"[\s*_>#-]*(?:(?:should|were|had)\s|(?:for\s+\w+\s+)?to\s+(?:reach|get|achieve|build|hit)\b|"
    r"for\s+\w+\s+to\b|if\s*,)",
    re.I,
)
# ... nor a time counted from AGI: "within 5 years of the first AGI", "2-5 years after AGI".
_AFTER_THE_GOAL = re.compile(
    r"\b(?:once|after)\s+(?:we\s+(?:have|reach|get|achieve)\s+)?(?:AGI|ASI|human-level\s+AI)\b",
    re.I,
)
_FROM_THE_GOAL = re.compile(
    r"\s*(?:of|after)\s+(?:the\s+)?(?:arrival\s+of\s+)?(?:first\s+|achieving\s+|reaching\s+)?"
    r"(?:AGI|ASI|human-level\s+AI|transformative\s+AI|superintelligence)\b",
    re.I,
)
# A denial of what stands next to it, in its own clause: "AGI: probably not by 2030", "We won't
# have AGI within 10 years", "AGI by 2030 is unlikely", "No single trick is likely to ...".
# Not a denial: "No." or "No," answering the question, "or not", "or never" (one more answer),
# "if not sooner", "not only", "not through scaling alone" (the means, not the date), "not 5",
# "not 2027" (another value, turned down), "not counting", "don't hold me to it", "with no",
# "no doubt", "no more than", "no later than", "no matter", "no guarantees", "no one knows".
_DENIAL = re.compile(
    r"(?=[nchsuiprftl])(?:\b(?<!\bor\s)(?<!\bif\s)(?:"
    r"not(?!\s+(?:only|just|least|merely|through|via|with|because|necessarily|"
    r"by(?!\s+(?:the\s+)?\d)|counting|including)\b)(?!\s+(?:the\s+)?\d)"
    r"|(?<!\bwith\s)no(?![.,!:;])(?!\s+(?:doubt|question|more|less|later|sooner|fewer|matter|major|big|"
    r"significant|surprise|one|guarantees?|certainty|way)\b)"
    r"|never|nor|cannot|hardly|scarcely|unlikely|improbable|implausible|premature|far-fetched"
    r"|rather\s+than|instead\s+of|too\s+(?:soon|early|optimistic|aggressive|ambitious)"
    r"|(?:long|slim)\s+shot|(?:little|slim|small|low)\s+(?:chance|odds|probability))\b"
    r"|n['’]t\b(?!\s+(?:hold|quote)\s+me\b))",
    re.I,
)
# A denial that reaches across clauses to the end of the sentence (or a contrast): the
# speaker's own disbelief, "I don't think", "I doubt", "I'm skeptical that", "It's far from
# clear that" (not "no doubt", "without a doubt", "I don't doubt"), ...
# These patterns open with a look ahead for the first letters of their words and one "\b",
# and look back for "no doubt" only where "doubt" stands: checked at every position, the
# branches made them five to ten times slower.
_DISBELIEF_WORDS = (
    r"(?:(?:do|does|did)\s+not|(?:don|doesn|didn)['’]t)\s+(?:really\s+|actually\s+)?"
    r"(?:think|believe|expect|see|foresee|anticipate|find|feel|consider|buy|imagine)\b"
    r"|doubt(?<!\bno\sdoubt)(?<!\blittle\sdoubt)(?<!\ba\sdoubt)(?<!['’]t\sdoubt)"
    r"(?<!not\sdoubt)(?:ful|ing)?\b"  # (not "Doubts about scaling aside, ...")
    r"|s[ck]eptical\b(?!\s+(?:researchers|people|experts|observers|voices|critics))|far\s+from\s+(?:clear|certain|obvious|sure)\b"
    r"|not\s+(?:clear|convinced|sure|obvious)\b|unclear\b|surprised\b|bet\s+against\b"
)
_DISBELIEF = re.compile(rf"(?=[dsfnub])\b(?:{_DISBELIEF_WORDS})", re.I)
# ... or, before the phrase, nobody's or few people's view: "Nobody expects", "Few researchers
# believe" (after it, "no one really knows" is a shrug, not a denial).
_RAISED_DENIAL = re.compile(
    rf"(?=[dsfnub])\b(?:{_DISBELIEF_WORDS}|(?:nobody|nothing|no\s+one|few\s+(?:people|researchers|"
    r"experts|scientists|forecasters|observers))\b)",
    re.I,
)
# A comment on a date after a colon or dash denies it only as a verdict: "AGI by 2030: I think
# it's unlikely", "... — I'm skeptical" (not "— scaling alone won't do it", about the means).
_COMMENT_DENIAL = re.compile(
    rf"(?=[dsfnubiplt])\b(?:{_DISBELIEF_WORDS}|(?:unlikely|improbable|implausible|far-fetched|"
    r"premature|not\s+likely|long\s+shot|too\s+(?:soon|early|optimistic|aggressive|"
    r"ambitious))\b|wouldn['’]t\s+(?:bet|count)\s+on)",
    re.I,
)
# A date inside a probability is no timeline of its own: "10% odds of AGI by 2030", "little
# chance we'll have AGI by 2030" (the probability row says "AGI by 2030"); "50% of experts
# expect AGI by 2040" is a timeline.
_RATED_AFTER = re.compile(
    r"\s*(?:(?:at|a|an|has|have|gets?|with|is|of|maybe|perhaps|about|roughly|around|only|under|"
    r"below|over|above|most|least|less\s+than|more\s+than|no\s+more\s+than)\s+)+[~≈<>]?\s*"
    r"\d{1,3}(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b)(?!\s*(?:confiden|sure|certain))",
    re.I,
)
_PROBABILITY_OF_DATE = re.compile(
    r"\d\s*(?:%|percent\b)(?!\s*of\b)(?!\s*(?:confiden|sure|certain))"
    r"|\b(?<!\ball\s)(?:odds|chances?|probability|likelihood|credence|(?:tail\s+)?risk)\b"
    r"(?!\s+are\s+(?:good|high|decent|strong)\b)|\b\d+\s+in\s+\d+\b",
    re.I,
)
# A comment after a date that turns it down or rates it, pointing back at it: "AGI could
# arrive by 2030, but I doubt it", "..., but that's unlikely", "...; I'd put that at 5%",
# "AGI could arrive by 2030. I think that's unlikely."
_BACK_DENIAL = re.compile(
    r"(?:\bdoubt|(?:n['’]t|\bnot)\s+(?:expect|bet\s+on|count\s+on|see))\s+(?:it|that|this)"
    r"\s*(?:[.!;,)—–]|$)"  # the pronoun ends it: not "I don't expect it to look like ChatGPT"
    r"|\b(?:that|it|this)(?:['’]s|\s+is|\s+seems|\s+looks|\s+sounds)\s+(?:\w+\s+)?(?:unlikely|"
    r"improbable|implausible|doubtful|a\s+long\s+shot|a\s+stretch|optimistic|premature|too\s+\w+)"
    r"|\b(?:put|give|rate)\s+(?:that|it|this)\s+(?:at\s+)?(?:\w+\s+)?[~≈<>]?\d{1,3}\s*%",
    re.I,
)
# Where a clause turns to another claim: a contrast ("I doubt X, but Y is likely"), a
# semicolon, a new first-person clause.
_CONTRAST = re.compile(
    r";|(?:,|\s[—–-]|—)\s*(?:but|though|although|yet|whereas)\b(?!\s*,)"
    r"|\s(?:but|yet)\s+(?:I|we|my|our)\b"  # "I can't be sure but I expect AGI by 2035"
    r"|,\s*(?:and|so)\s+(?:now\s+|then\s+)?(?:I|we|my|our)\b",  # "..., and I expect ..."
    re.I,
)
# ... where a disbelief stops reaching: those, a colon ("I'm skeptical: my median is around
# 2045"), a dash that is no paired aside ("I don't think scaling alone suffices — I expect AGI
# around 2035"), ", so" and ", and AGI / it".
_RAISED_STOP = re.compile(
    rf"{_CONTRAST.pattern}|:\s|\s[—–]\s|—|,\s*so\b|,\s*and\s+(?:AGI|it)\b", re.I
)
# An aside inside the disbelief does not end it: "I don't think — though I could be wrong —
# that ...", "I doubt (given the data wall) that ...".
_ASIDE = re.compile(r"\s[—–]\s[^—–\n]{1,80}?\s[—–]\s|—[^—\n]{1,80}?—|\([^()\n]{0,80}\)")
# A subordinate clause the sentence opens with ends at its comma: "While I doubt scaling alone
# suffices, I expect AGI by 2035".
_SUBORDINATE = re.compile(
    r"[\s*_>#-]*(?:while|although|though|even\s+though|whereas|despite|if|provided|assuming|"
    r"unless|as\s+long\s+as)\b[^,;]*,",
    re.I,
)


def _raised_stops(sentence: str) -> list[int]:
    """Where a disbelief in `sentence` stops reaching (see `_Sentences.disbelieved`)."""
    asides = [m.span() for m in _ASIDE.finditer(sentence)]
    stops = [
        m.end()
        for m in _RAISED_STOP.finditer(sentence)
        if not any(a <= m.start() < b for a, b in asides)
    ]
    opening = _SUBORDINATE.match(sentence)
    if opening:
        stops.append(opening.end())
    return sorted(stops)


# A double negative is a confident forecast: "I'd be surprised if AGI didn't arrive by 2040",
# "There is no reason to think AGI won't arrive by 2035", "I see no reason AGI can't ...".
_DOUBLE_NEGATIVE = re.compile(
    r"\b(?:(?<!n['’]t\sbe\s)surprised\s+if|no\s+reason)\b[^.;:?!]*?(?:n['’]t\b|\bnot\b|\bnever\b)",
    re.I,
)


def _denied_before(sentences: _Sentences, pos: int, head: str) -> bool:
    """Whether the sentence up to a phrase at `pos` (`head`: its words before it) denies it:
    the speaker's disbelief since the last contrast, or a denial in the words just before it
    (its clause, from the last comma: "Since LLMs don't plan, scaling is unlikely to ..."
    denies nothing of "unlikely")."""
    if _DOUBLE_NEGATIVE.search(head):
        return False
    if sentences.disbelieved(pos):
        return True
    scope = _RAISED_STOP.split(head)[-1]
    return bool(_DENIAL.search(_clause_before(scope, len(scope)).rsplit(",", 1)[-1]))


def _denied_after(rest: str, opens_clause: bool) -> bool:
    """Whether the words after a date deny it: a bracket right after it ("by 2030 (not
    likely)"), then its clause, to the first comma unless the date opened the clause ("AGI by
    2040, not 2030" keeps 2040; "By 2030, we will not have AGI" does not), and not past what
    turns to another claim ("by 2040 rather than 2030", "even if it doesn't look like ...");
    a comment after a colon or dash ("AGI by 2030: I think it's unlikely", "... — I don't
    find this likely") or a contrast pointing back at it ("..., but I doubt it")."""
    bracket = re.match(r"\s*\(([^()]*)\)", rest)
    if bracket:
        if _DENIAL.search(bracket.group(1).split(",")[0]):
            return True
        rest = rest[bracket.end() :]
    parts = _CONTRAST.split(rest, maxsplit=1)
    if len(parts) == 2 and _BACK_DENIAL.search(parts[1][:100]):
        return True  # "AGI could arrive by 2030, but I doubt it", "...; I'd put that at 5%"
    rest = parts[0]
    comment = re.match(r"([^:—–]*?)\s*(?::|—|–|\s-\s)\s*(.*)", rest, re.S)
    if comment and not comment.group(1).count(","):
        near, said = comment.group(1), comment.group(2)
        # (a comment with a year of its own rates that year: "that's my median, with a 10%
        # chance by 2028")
        if _COMMENT_DENIAL.search(said) or (
            _PROBABILITY_OF_DATE.search(said) and not _YEAR_WORD.search(said)
        ):
            return True  # "AGI by 2030: I think it's unlikely", "AGI by 2030: low chance"
    else:
        near = _clause_after(rest, 0)
    if not opens_clause:
        near = near.split(",")[0]
    near = _OTHER_CLAIM.split(near)[0]
    return bool(_DENIAL.search(near) or _DISBELIEF.search(near))


# A comma and a conjunction open a new clause: "I'd put AGI by 2027 at under 5%, and my median
# is around 2045" (the 5% is not the 2045's).
_NEW_CLAUSE = re.compile(r",\s*(?:and|but|so|while|yet)\b", re.I)
# A scenario's probability on the date's line, before it ("- Fast scaling (20%): AGI by 2028",
# "15% — scaling alone works and AGI arrives by 2029") or in a table cell after it ("| ... by
# 2035 | ~40% |"), or on a "Probability:" line just above ("- **Probability:** 15%" then "-
# **Timeline:** AGI by 2029"): the date is what happens if the scenario does, at those odds.
_SCENARIO_BRACKET = re.compile(
    r"\([ \t]*(?:(?:probability|p|chance|likelihood)[ \t]*[=:]?[ \t]*)?[~≈<>]?[ \t]*"
    r"\d{1,3}(?:\.\d+)?[ \t]*%[ \t]*(?:chance|probability|likely)?[ \t]*\)",
    re.I,
)
_SCENARIO_OPENING = re.compile(
    r"[ \t]*(?:[-*•]|\d{1,2}[.)])?[ \t*_]*[~≈]?\d{1,3}(?:\.\d+)?[ \t]*%[ \t]*"
    r"(?:chance|probability)?[ \t*_]*(?:[—–:]|-\s)"
)
_TABLE_PERCENT = re.compile(r"\|[ \t]*[~≈<>]?[ \t]*\d{1,3}(?:\.\d+)?[ \t]*%")
_PROBABILITY_LINE = re.compile(
    r"[\s*_>#•-]*(?:probability|chance|likelihood|odds)[*_]*\s*:[*_\s]*[~≈<>]?\s*\d{1,3}", re.I
)


def _scenario_date(text: str, sentences: _Sentences, row: _Row) -> bool:
    """Whether a date is a scenario's, with the scenario's probability (see above)."""
    line_start, line_end = sentences.line(row.start)
    if _SCENARIO_BRACKET.search(text, max(line_start, row.start - AROUND), row.start):
        return True
    if _SCENARIO_OPENING.match(text, line_start, row.start):
        return True
    if _TABLE_PERCENT.search(text, row.end, min(line_end, row.end + AROUND)):
        return True
    return bool(_PROBABILITY_LINE.match(_line_before(text, line_start)))


_LINE_LABEL = re.compile(r"[\s*_>#\d.)-]*(?P<label>[^:\n]{2,60}?)[*_]*:\s")


def _next_sentence(text: str, end: int) -> str:
    """The short sentence (60 characters at most) after the one ending at `end`, or ""."""
    m = re.match(r"[ \t]*([^.!?\n]{1,60}[.!?])", text[end : end + 80])
    return m.group(1) if m else ""


# Where the words after a date turn to another claim: "by 2040 rather than 2030", "... even
# if it doesn't look like today's LLMs".
_OTHER_CLAIM = re.compile(
    r"\b(?:rather\s+than|instead\s+of|even\s+if|if|unless|although|though|and\s+not)\b", re.I
)


# --- shares ------------------------------------------------------------------------------
_NUM = r"\d{1,3}(?:\.\d+)?"
_QUAL = (
    r"(?:about|around|roughly|approximately|nearly|almost|over|more\s+than|at\s+least|up\s+to|"
    r"less\s+than|under)(?:\s+an?\b)?|>=|<=|[~>≥<≤]"
)
_PERCENT = re.compile(
    rf"(?<![\w.])(?:(?P<qual>{_QUAL})\s*)?"
    rf"(?P<lo>{_NUM})\s*(?:%|percent\b|per cent\b)?\s*(?:-|–|—|to)\s*(?P<hi>{_NUM})\s*"
    rf"(?:%|percent\b|per cent\b)"
    rf"|(?<![\w.])(?:(?P<qual1>{_QUAL})\s*)?(?P<one>{_NUM})\s*(?:%|percent\b|per cent\b)"
    rf"(?P<open>\+|\s+or\s+(?:more|higher|above|less|fewer|lower))?",
    re.I,
)
_SHARE_OBJECT = re.compile(
    r"\s*(?:of\s+(?P<obj>[^.;:()\n—]{1,80})|there\b|(?=\s*of the way))",
    re.I,
)
# What a share is a share of: progress toward the goal. "problem set" is a benchmark.
_SHARE_LEXICON = re.compile(
    r"\b(?:way|path|progress|puzzle|pieces?|journey|road|distance|gap|AGI|ASI|capabilit\w*|"
    r"intelligence|there|goal|human-level|superintelligence|solution|problem(?!\s+sets?\b))\b",
    re.I,
)
# A share needs its own forecasting frame in its clause: a modal, a hedge or an estimating verb.
_SHARE_CUE = re.compile(
    r"\b(?:could|might|may|will|would|shall|maybe|perhaps|probably|possibly|likely|potentially|"
    r"estimates?|estimated|estimating|guess|reckon|think|believe|expect|predict|forecast|bet)\b"
    r"|['’](?:ll|d)\b",
    re.I,
)
# ... or an object that is itself a measure of the way still to go.
_PROGRESS_OBJECT = re.compile(
    r"^(?:the\s+)?(?:way|path|road|journey|distance|progress\s+towards?|progress\s+to)\b",
    re.I,
)
# A share of people is a survey figure ("50% of experts expect ..."), and a share of a benchmark
# is a score, not a share of the way; either one heads the object ("of AI researchers surveyed").
_NOT_PROGRESS_HEAD = re.compile(
    r"\b(?:benchmarks?|tests?|exams?|questions|problems|problem\s+sets?|datasets?|tasks|"
    r"experts?|companies|firms|businesses|organi[sz]ations|researchers|scientists|people|"
    r"respondents|users|participants|forecasters|developers|engineers|executives|leaders|"
    r"workers|employees|jobs|adults|Americans|voters|customers|students|labs|startups|"
    r"investors|professionals|those|population|public|everyone|us)\b",
    re.I,
)
# A clause in the past or perfect tense reports what happened ("has delivered 90% of the gains").
_PAST_VERB = re.compile(
    r"\b(?:has|have|had)\s+(?:already\s+|largely\s+|only\s+|now\s+|just\s+|also\s+)?"
    r"(?:been|\w+ed|\w+en|got|made|brought|done|won|built|taught|led|held)\b"
    r"|\b(?:was|were|did|scored|solved|achieved|delivered|accounted|reached|contributed|provided|"
    r"produced|drove|made|gave|brought|captured|covered|closed|explained|improved|gained|grew|"
    r"rose|fell|increased|saw|hit|passed|matched|outperformed|answered)\b",
    re.I,
)
_PAST_SPAN = re.compile(
    r"\bsince\s+(?:19|20)\d\d\b|\bso\s+far\b|\bto\s+date\b|\b(?:in|over)\s+the\s+(?:past|last)\b",
    re.I,
)
_STATISTIC_NOUN = r"(?:intervals?|levels?|bounds?|bands?|limits?)\b"
_NOT_ESTIMATE_AFTER = re.compile(
    rf"\s*(?:confidence|credible|prediction)\s+{_STATISTIC_NOUN}", re.I
)
_STATISTIC_AFTER = re.compile(rf"\s*{_STATISTIC_NOUN}", re.I)  # "confidence (95%) interval"
_PROB_AFTER = re.compile(
    r"\s*(?:chance|probability|likelihood|odds|risk|likely|confidence|confident|certainty)\b",
    re.I,
)
_PROB_BEFORE = re.compile(
    r"\b(?:chance|probability|likelihood|odds)\b(?P<what>[^.;:%]{0,60}?)\b(?:is|are|at|of|around|about|"
    r"roughly|approximately|be|as high as|as low as)\s*"
    r"(?:(?:maybe|perhaps|possibly|probably|just|only|somewhere\s+around)\s+)?~?\s*$",
    re.I,
)
_SURVEY_THRESHOLD = re.compile(
    r"\b(?:respondents|experts|researchers|people|forecasters|participants|those|scientists)\s+"
    r"(?:who\s+)?(?:giving|assigning|putting|placing|gave|assigned|placed|give|assign|put)\b"
    r"[^.;:]{0,20}$",
    re.I,
)
_VERDICT_BRACKET = re.compile(
    r"\b(?:likely|unlikely|probably(?:\s+not)?|probable|improbable|possible|plausible)[ \t]*+"
    r"\([ \t]*+~?$",
    re.I,
)
_COMPLEMENT = re.compile(r"\b(?:final|remaining|last|rest|other|missing)\b[^.;%]{0,25}$", re.I)
_UPPER_OPEN = {"over", "more than", "at least", ">", ">=", "≥"}
_LOWER_OPEN = {"up to", "less than", "under", "<", "<=", "≤"}


def _percent_bounds(m: re.Match) -> tuple[float | None, float | None]:
    if m.group("one") is not None:
        value = float(m.group("one"))
        qual = re.sub(r"\s+", " ", (m.group("qual1") or "").lower())
        qual = re.sub(r" an?$", "", qual)  # "at least a 90% chance"
        tail = (m.group("open") or "").strip().lower()
        if qual in _UPPER_OPEN or tail == "+" or tail.endswith(("more", "higher", "above")):
            return value, None
        if qual in _LOWER_OPEN or tail.endswith(("less", "fewer", "lower")):
            return 0.0, value
        return value, value
    lo, hi = float(m.group("lo")), float(m.group("hi"))
    return min(lo, hi), max(lo, hi)


def _percent_rows(text: str, sentences: _Sentences, ref: int) -> list[_Row]:
    rows: list[_Row] = []
    share_sentences: set[int] = set()
    for m in sentences.scan(_PERCENT, ("%", "percent", "per cent"), stops=_CLAUSE_STOP):
        low, high = _percent_bounds(m)
        if any(v is not None and v > 100 for v in (low, high)):
            continue
        s_start, s_end = sentences.around(m.start())
        sentence = text[s_start:s_end]
        rel = m.start() - s_start
        if _is_question(sentence) or _MATHS_WORDS.search(sentence):
            continue
        after = text[m.end() : m.end() + 90]
        if _NOT_ESTIMATE_AFTER.match(after):
            continue  # "a 95% confidence interval" is statistics, not a forecast
        before = _clause_before(sentence, rel)
        if _SURVEY_THRESHOLD.search(before):
            continue  # "respondents assigning at least 10% probability": a survey's threshold
        if _VERDICT_BRACKET.search(text, max(0, m.start() - 40), m.start()) and re.match(
            r"\s*confiden", after, re.I
        ):
            continue  # "Unlikely (85% confident)": sure of the verdict, not a chance of the claim
        prob_before = _PROB_BEFORE.search(before)
        if _PROB_AFTER.match(after) or prob_before:
            what = prob_before.group("what") if prob_before else ""
            about = _words(what or _clause_after(sentence, m.end() - s_start), 10)
            about = re.sub(r"^(?:of|that)\s+", "", about, flags=re.I)
            about = re.sub(
                r"^(?:chance|probability|likelihood|odds|risk)\s+", "", about, flags=re.I
            )
            if _NOUN_ONLY.fullmatch(about):  # "- 20% chance: AGI by 2028", "... 75% confidence"
                about = _about_a_bare_number(sentence, m.start() - s_start, m.end() - s_start)
            rows.append(_Row("probability", m.start(), m.end(), low, high, about=about))
            continue
        framed = _framed_probability(text, sentences, m, ref)
        if framed is False:
            continue  # a labelled verdict that is no forecast of ours (see _label_reading)
        if framed is not None:
            row = _Row("probability", m.start(), m.end(), low, high, about=framed[0])
            row.who = framed[1]
            rows.append(row)
            continue
        obj = _SHARE_OBJECT.match(after)
        if not obj:
            continue
        if s_start in share_sentences and _COMPLEMENT.search(before):
            continue  # "the final, crucial 10-20%": the rest of a share already given
        phrase = obj.group("obj")
        phrase = phrase.split(",")[0] if phrase else phrase
        about = "of " + _words(phrase, 8) if phrase else _words(after, 4)
        if not _is_share(phrase, before, _clause_after(sentence, m.end() - s_start)):
            continue
        rows.append(_Row("share", m.start(), m.end(), low, high, about=about))
        share_sentences.add(s_start)
    return rows


_PERCENT_NOUN = r"(?:chance|probability|likelihood|odds|risk|confidence)"
_NOUN_ONLY = re.compile(rf"{_PERCENT_NOUN}?", re.I)
_NOUN_COLON = re.compile(rf"\s*{_PERCENT_NOUN}?[*_]*\s*:\s*(.+)", re.I)  # "20% chance: AGI by 2028"
# Words that lead up to a number and say nothing of what it rates: "with roughly", "maybe a".
_LEAD_UP = re.compile(
    r"(?:\s+(?:with|maybe|perhaps|about|roughly|around|approximately|a|an|the|at|of|say|is|are|"
    r"there['’]s|there\s+is|I['’]d|I\s+would|put|give|assign|guess|it|odds|chances?|"
    r"probability|likelihood|[—–-]))+\s*$",
    re.I,
)


def _about_a_bare_number(sentence: str, start: int, end: int) -> str:
    """What "N% chance" rates when nothing follows its noun: what follows a colon after it
    ("- 20% chance: AGI by 2028"), else the words before it without the ones leading up to
    the number ("I expect AGI by 2040 with roughly 75% confidence": "I expect AGI by 2040")."""
    after = _NOUN_COLON.match(sentence, end)
    if after:
        return _words(after.group(1), 10)
    before = _LEAD_UP.sub("", " " + _clause_before(sentence, start).rstrip(" ~≈<>|"))
    if not before.strip():  # "AGI by 2040 — with about 70% confidence": the clause before it
        before = _LEAD_UP.sub("", " " + sentence[:start].rstrip(" ~≈<>"))
    return _words(_NEW_CLAUSE.split(before)[-1].replace("|", " "), 10, last=True)


def _is_share(phrase: str | None, before: str, after: str) -> bool:
    """A percentage "of PHRASE" is a share of the way only in a forecasting frame.

    `before`/`after` are the parts of the number's clause either side of it. The object must
    name progress and not open with people or a benchmark, the clause before the number must not
    report the past ("has delivered", "scored"), and either the clause carries a modal, hedge or
    estimating verb or the object is itself the way to go ("of the way", "of the progress toward").
    """
    about = _words(phrase, 8) if phrase else "there"
    if not _SHARE_LEXICON.search(about) or _NOT_PROGRESS_HEAD.search(_words(about, 3)):
        return False
    if _PAST_VERB.search(before) or _PAST_SPAN.search(before) or _PAST_SPAN.search(after):
        return False
    progress = phrase is None or _PROGRESS_OBJECT.match(phrase.strip())
    return bool(progress or _SHARE_CUE.search(before) or _SHARE_CUE.search(after))


# --- odds and fractions in words ----------------------------------------------------------
# Number words are read by `_num` (its table, `_NUMWORDS`, holds these too).
_COUNT_WORD = (
    r"(?:\d{1,4}|one|two|three|four|five|six|ten|twenty|(?:a\s+)?hundred|(?:a\s+)?thousand)"
)
# "a one-in-three chance", "1 in 10 odds", "a 50/50 chance", "fifty-fifty odds": a probability
# only with a chance word right after it (not "one in three Americans", a "50/50 split"). Read
# backwards from each chance word: the odds end where it starts.
_ODDS = re.compile(
    rf"(?<![\w./-])(?:(?P<num>one|two|three|\d{{1,3}})[\s-]+(?:in|out[\s-]+of)[\s-]+"
    rf"(?P<den>{_COUNT_WORD})|(?P<even>50\s*/\s*50|50-50|fifty[\s-]fifty))[\s-]+\Z",
    re.I,
)
# "halfway there", "two-thirds of the way", "a quarter of the way to AGI": a share of the way.
# "halfway" is read forwards; the other fractions backwards from "the way".
_HALFWAY = re.compile(r"(?<![\w-])halfway(?=\s+(?:there|to|towards?)\b)", re.I)
_FRACTION = re.compile(
    r"(?<![\w-])(?P<frac>half|(?:a|one)[\s-]third|two[\s-]thirds|(?:a|one)[\s-]quarter|"
    r"three[\s-]quarters)(?=\s+(?:of\s+)?\Z)",
    re.I,
)
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "thirds": 200 / 3, "quarter": 25.0, "quarters": 75.0}


def _word_rows(text: str, sentences: _Sentences) -> list[_Row]:
    """Probabilities as odds ("a one-in-three chance", "50/50 odds") and shares of the way as
    fractions ("halfway there", "two-thirds of the way"), in a forecasting frame as numbers
    need one (`_is_share`); never in a question or around dice and coins."""
    rows: list[_Row] = []
    folded = sentences.folded
    for at in _places(folded, _ODDS_WORDS):
        window = folded[max(0, at - 40) : at]
        if not any(part in window for part in (" in ", "-in-", "out of", "50", "fifty")):
            continue  # no odds can end here (cheaper than the pattern)
        m = _ODDS.search(folded, max(0, at - 40), at)
        if m is None:
            continue
        end = m.start() + len(m.group().rstrip(" -\t"))
        if _COMPARED.search(folded, max(0, m.start() - 30), m.start()):
            continue  # "Less than a 50/50 chance": no number we can vouch for
        s_start, s_end = sentences.around(m.start())
        sentence = text[s_start:s_end]
        if _is_question(sentence) or _MATHS_WORDS.search(sentence):
            continue
        if m.group("even"):
            value = 50.0
        else:
            num, den = _num(m.group("num")), _num(m.group("den"))
            if not 0 < num < den:
                continue
            value = round(100 * num / den, 1)
        after = _clause_after(sentence, end - s_start)
        about = re.sub(
            r"^(?:chances?|odds|shot|probability|likelihood)\b\s*(?:(?:of|that)\s+)?",
            "",
            _words(after, 12),
            flags=re.I,
        )
        rows.append(_Row("probability", m.start(), end, value, value, about=about))
    found: list[tuple[int, int, str | None]] = []  # (start, end, fraction; None: halfway)
    for at in _places(folded, ("halfway",)):
        m = _HALFWAY.match(folded, at)
        if m:
            found.append((m.start(), m.end(), None))
    for at in _places(folded, ("the way",)):
        window = folded[max(0, at - 20) : at]
        m = None
        if "half" in window or "third" in window or "quarter" in window:
            m = _FRACTION.search(folded, max(0, at - 20), at)
        if m:
            found.append((m.start(), m.end(), m.group("frac")))
    for start, end, frac in found:
        s_start, s_end = sentences.around(start)
        sentence = text[s_start:s_end]
        if _is_question(sentence):
            continue
        before = _clause_before(sentence, start - s_start)
        after = _clause_after(sentence, end - s_start)
        if frac is None:
            value, about = 50.0, _words(text[end : end + 60], 6)
            if not _SHARE_LEXICON.search(about):
                continue  # "halfway to the station": a place, not the way to the goal
        else:
            key = frac.lower().replace("-", " ").split()[-1]
            value, about = round(_FRACTIONS[key], 1), "of " + _words(after, 8).removeprefix("of ")
        if _PAST_VERB.search(before) or _PAST_SPAN.search(before) or _PAST_SPAN.search(after):
            continue  # "has already come halfway": history, not an estimate
        if not (_SHARE_CUE.search(before) or _SHARE_CUE.search(after) or _NOW.search(before)):
            continue
        rows.append(_Row("share", start, end, value, value, about=about))
    return rows


def _places(folded: str, words: tuple[str, ...]) -> list[int]:
    """Where each of `words` starts in the folded text, not inside a longer word (a plural
    "s" may follow), in order: the few places that a form these words open or close can be.
    `str.find` per word: far faster here than one regex over every position."""
    out = []
    for word in words:
        ends_word = word[-1].isalpha()  # "bet " needs no look past its space
        i = folded.find(word)
        while i >= 0:
            after = folded[i + len(word) : i + len(word) + 2] if ends_word else ""
            if not (i and folded[i - 1].isalpha()) and not (
                after[:1].isalpha() and not (after[:1] == "s" and not after[1:2].isalpha())
            ):
                out.append(i)
            i = folded.find(word, i + 1)
    return sorted(out)


# Each word is one pass over the answer (4-5 µs for a long one): only the common ones.
_ODDS_WORDS = ("chance", "odds")
# "bet " with its space: "better" and "between" (common) are no bets.
_ESTIMATE_WORDS = ("estimate", "guess", "forecast", "bet ", "median", "prediction")


# "we're halfway there", "we are two-thirds of the way": where things stand now is an estimate.
_NOW = re.compile(r"\b(?:we|it|scaling|this|that)\s*(?:['’]re|['’]s|are|is|gets?\s+us)\b", re.I)


# --- timelines -----------------------------------------------------------------------------
_NUMWORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "several": 5, "a": 1, "an": 1,
    "hundred": 100, "a hundred": 100, "thousand": 1000, "a thousand": 1000,
}  # fmt: skip
_NUMTOK = (
    r"(?:\d{1,3}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|"
    r"thirty|forty|fifty|a\s+couple\s+of|couple\s+of|a\s+few|few|several|an|a)"
)
# An afterthought upper end: "a decade or two", "in 5 years, or 50", "10 years or so".
_OR_MORE = (
    r"(?:a(?=\s+decade)|two|three|four|five|ten|twenty|thirty|forty|fifty|so|"
    r"\d{1,3}(?![\d.,]?\d|\s*%))(?:\s+(?:years?|decades?))?"
)
_DUR = (
    rf"(?:{_NUMTOK}(?:\s*(?:-|–|to|or)\s*{_NUMTOK})?\s+)?(?:years?|decades?)"
    rf"(?:,?\s+or\s+(?:even\s+|maybe\s+|perhaps\s+)?{_OR_MORE})?\b"
)
_DUR_PARTS = re.compile(
    rf"^(?:(?P<n1>{_NUMTOK})(?:\s*(?:-|–|to|or)\s*(?P<n2>{_NUMTOK}))?\s+)?"
    r"(?P<unit>years?|decades?)(?:,?\s+or\s+(?:even\s+|maybe\s+|perhaps\s+)?"
    r"(?P<n3>\w+)(?:\s+(?P<unit3>years?|decades?))?)?$",
    re.I,
)
_TIMELINE = re.compile(
    rf"\b(?:(?:(?:in|within|over|during|for)\s+)?(?:the\s+)?(?:next|coming)\s+(?P<d1>{_DUR})"
    rf"|within\s+(?:about\s+|roughly\s+|around\s+)?(?P<d2>{_DUR})"
    rf"|in\s+(?:about\s+|roughly\s+|around\s+|another\s+|just\s+)?(?P<d3>{_DUR})"
    rf"|take\s+(?:about\s+|roughly\s+|at\s+least\s+|another\s+)?(?P<d4>{_DUR})"
    rf"|(?:ranges?|ranged|ranging|var(?:y|ies|ying))\s+from\s+(?P<from>(?:{_NUMTOK}\s+to\s+)?"
    rf"{_DUR}(?:\s+to\s+{_DUR})?)"
    rf"|(?P<d5>{_DUR})\s+(?:away|from\s+now)\b)",
    re.I,
)
_DECADE = re.compile(
    r"\b(?P<prep>by|before|until|till|around|circa|in|during|as\s+early\s+as|no\s+later\s+than)"
    r"\s+(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<dec>(?:19|20|21)\d0)['’]?s\b",
    re.I,
)
_YEAR = re.compile(
    r"\b(?P<prep>by|before|until|till|around|circa|in|as\s+early\s+as|no\s+later\s+than|between)"
    r"\s+(?:around\s+|about\s+|roughly\s+|approximately\s+)?(?P<y1>(?:20|21)\d\d)"
    r"(?:(?:\s*(?:-|–|to|and)\s*|\s+or\s+)(?P<y2>(?:20|21)\d\d|(?<=[-–])\d\d))?"
    r"(?![\d'’s%])",
    re.I,
)
_DECADE_END = re.compile(r"\bby\s+the\s+end\s+of\s+(?:the|this)\s+decade\b", re.I)
# "My median estimate for AGI is 2035", "my best guess: 2040": a year given as the estimate.
_YEAR_ESTIMATE = re.compile(
    r"\b(?:estimate|guess|forecast|bet|(?:(?<=\bmy\s)|(?<=\bour\s))(?:median|prediction))\b"
    r"(?:(?!,\s*but\b)[^.;?!\d]){0,40}?"  # (not "Experts guess, but the Metaculus median is")
    r"(?:\bis|\bwould\s+be|\bof|\bat|\bon|:)\s+(?:around\s+|about\s+|roughly\s+)?"
    r"(?P<when>(?P<y1>(?:20|21)\d\d)(?:\s*[-–]\s*(?P<y2>(?:20|21)\d\d))?(?![\d'’s%])"
    r"|(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<dec>(?:20|21)\d0)['’]?s\b)"
    # the value ends its clause: not "the 2020s will end without AGI", "the early 2030s for
    # compute parity"
    r"(?=[\s*_]*(?:[.;,!()\n—–]|$|(?:for|of)\s+AGI\b|at\s+the\s+(?:earliest|latest)\b))",
    re.I,
)
# "by mid-century", "by the middle of the century" (this century's 50), "by the end of the
# century" (its 100).
_CENTURY = re.compile(
    r"\b(?:by|before)\s+(?:the\s+)?(?:(?P<mid>mid-?century|middle\s+of\s+(?:the|this)\s+century)"
    r"|end\s+of\s+(?:the|this)\s+century)\b",
    re.I,
)
_CUTOFF = re.compile(
    r"\b(?:training|data|cut-?off|knowledge|as\s+of|since|released?|published|founded)\b[^.]{0,40}$",
    re.I,
)


def _num(token: str | None) -> float | None:
    if token is None:
        return None
    token = re.sub(r"\s+", " ", token.strip().lower())
    if token in _NUMWORDS:
        return float(_NUMWORDS[token])
    try:
        return float(token)
    except ValueError:
        return None


def _duration(phrase: str) -> tuple[float | None, float | None] | None:
    """'5-15 years' -> (5, 15); 'a decade or two' -> (10, 20); 'decades' -> (20, None)."""
    m = _DUR_PARTS.match(re.sub(r"\s+", " ", phrase.strip()))
    if not m:
        return None
    factor = 10.0 if m.group("unit").lower().startswith("decade") else 1.0
    n1, n2 = _num(m.group("n1")), _num(m.group("n2"))
    if n1 is None:
        # "the next decade" is one; a bare plural "decades" is an open-ended horizon of 20+;
        # a bare "years" says too little.
        unit = m.group("unit").lower()
        if unit in {"decade", "year"}:
            n1 = 1.0
        else:
            return (2 * factor, None) if unit == "decades" else None
    if n2 is None and m.group("n3") and m.group("n3").lower() != "so":
        n2 = _num(m.group("n3"))
        unit3 = (m.group("unit3") or "").lower()
        if n2 is not None and unit3:  # "5 years or 2 decades": the second unit is its own
            n2 = n2 * (10.0 if unit3.startswith("decade") else 1.0) / factor
    low, high = n1 * factor, (n2 if n2 is not None else n1) * factor
    return min(low, high), max(low, high)


def _from_to(phrase: str) -> tuple[float | None, float | None] | None:
    parts = re.split(
        r"\s+to\s+(?=\S+\s+(?:years?|decades?)|(?:years?|decades?)\b)", phrase, maxsplit=1
    )
    if len(parts) == 1:
        return _duration(parts[0])
    right = _duration(parts[1])
    left = _duration(parts[0])
    if left is None and right is not None:
        unit = re.search(r"years?|decades?", parts[1], re.I)
        left = _duration(f"{parts[0]} {unit.group()}") if unit else None
    if left is None or right is None:
        return None
    return left[0], right[1] if right[1] is not None else None


# A share ("N% of ...") earlier in a timeline's clause, with no forecast verb after it: the
# timeline is the window of that share. ("10% odds of AGI by 2030 and 50% by 2045" are
# probabilities by a date, and stay timelines.)
_SHARE_BEFORE = re.compile(r"\d\s*%\s+of\b|\bpercent\s+of\b", re.I)


def _timeline_rows(text: str, sentences: _Sentences, ref: int) -> list[_Row]:
    rows: list[_Row] = []
    for m in sentences.scan(_TIMELINE, ("year", "decade"), stops=_CLAUSE_STOP):
        if m.group("from"):
            span = _from_to(m.group("from"))
        else:
            phrase = next(m.group(g) for g in ("d1", "d2", "d3", "d4", "d5") if m.group(g))
            span = _duration(phrase)
        if span is None or span[0] is None:
            continue
        vague = span[1] is None or re.search(r"\b(?:few|several|couple)\b", m.group(), re.I)
        years_low, years_high = span
        within = m.group("d2") or re.match(r"within\b", m.group(), re.I)
        if years_high is not None and (within or (m.group("d1") and years_low == years_high)):
            # "within N years" / "in the next N years": any time from now up to N. A range in
            # "the next 5-15 years" keeps its lower end: the answer said "not before 5".
            years_low = 0.0
        rows.append(
            _Row(
                "timeline",
                m.start(),
                m.end(),
                years_low=years_low,
                years_high=years_high,
                year_low=ref + round(years_low),
                year_high=None if years_high is None else ref + round(years_high),
                confidence=0.6 if vague else 0.9,
            )
        )
    for m in sentences.scan(_DECADE, ("0s", "0's", "0’s")):
        dec = int(m.group("dec"))
        part = (m.group("part") or "").lower()
        first, last = _PARTS.get(part, (0, 9))
        if dec + last < ref:
            continue  # a past decade is history
        rows.append(_year_row(m, dec + first, dec + last, ref))
    for m in sentences.scan(_YEAR, ("20", "21"), stops=_CLAUSE_STOP):
        y1 = int(m.group("y1"))
        y2 = int(m.group("y2")) if m.group("y2") else y1
        if y2 < 100:  # "2035-40": the century of the first year
            y2 += y1 // 100 * 100
            if y2 <= y1:
                continue  # "2035-20" is no range we can read
        prep = re.sub(r"\s+", " ", m.group("prep").lower())
        if max(y1, y2) < ref:
            continue  # "by 2020 we had GPT-3": history, whatever the preposition
        if prep not in {"by", "before", "until", "till", "no later than"} and (
            max(y1, y2) <= ref or _CUTOFF.search(text[max(0, m.start() - 60) : m.start() + 3])
        ):
            continue  # "in 2023" is usually a date in the past or a training cut-off
        if max(y1, y2) > ref + 300:
            continue
        rows.append(_year_row(m, min(y1, y2), max(y1, y2), ref))
    for m in sentences.scan(_DECADE_END, ("decade",)):
        end_year = ref // 10 * 10 + 9
        rows.append(_year_row(m, end_year, end_year, ref))
    folded = sentences.folded
    for at in _places(folded, _ESTIMATE_WORDS):
        near = folded[at : at + 64]
        m = _YEAR_ESTIMATE.match(folded, at) if "20" in near or "21" in near else None
        if m is None:
            continue
        if m.group("y1"):
            first = int(m.group("y1"))
            last = int(m.group("y2") or first)  # "My median for AGI is 2030-2040"
        else:  # "My best guess: the mid-2030s"
            part = _PARTS.get((m.group("part") or "").lower(), (0, 9))
            first, last = int(m.group("dec")) + part[0], int(m.group("dec")) + part[1]
        if any(r.start <= m.start("when") < r.end for r in rows):
            continue  # "my guess is around 2040": already read as "around 2040"
        if ref < last <= ref + 300:
            row = _year_row(m, max(first, ref), last, ref)
            row.start = m.start("when")  # the quote is the date; the words before say what of
            s_start = sentences.around(m.start())[0]
            row.about = _words(text[s_start : m.start("when")], 8, last=True)
            rows.append(row)
    for m in sentences.scan(_CENTURY, ("century",)):
        year = ref // 100 * 100 + (50 if m.group("mid") else 100)
        if year > ref:
            rows.append(_year_row(m, year, year, ref))
    kept = []
    about_goal = bool(rows) and _GOAL_NAMED.search(text) is not None
    for row in rows:
        s_start, s_end = sentences.around(row.start)
        sentence = text[s_start:s_end]
        if _is_question(sentence) or _MATHS_WORDS.search(sentence):
            continue
        put = _PUT_CUE.search(sentence)
        past = put and any(int(y) <= ref for y in _YEAR_WORD.findall(sentence))
        headline = _HEADLINE.match(sentence)
        if headline and not (0 <= row.start - s_start - headline.end() <= 20):
            headline = None  # the date must follow the headline: "My prediction: AGI by 2028"
        # ... or the answer's own median just before it ("..., but my median is 2040") or just
        # after it ("AGI by 2035 — that's my median")
        headline = (
            headline
            or _MINE_BEFORE.search(sentence, 0, row.start - s_start)
            or _MINE_AFTER.match(sentence, row.end - s_start)
        )
        if past or not (_FORECAST_CUE.search(sentence) or put or headline):
            continue  # "In 2015 forecasters put AGI around 2060, which would have ...": then
        before = _clause_before(sentence, row.start - s_start)
        rest = sentence[row.end - s_start :]
        after = _clause_after(rest, 0)
        if _denied_before(sentences, row.start, sentence[: row.start - s_start]) or _denied_after(
            rest, not before.strip()
        ):
            continue  # "I doubt we will see AGI by 2030", "AGI by 2030 is unlikely"
        # what the date is of: the words just before it, from the last comma ("Given compute
        # trends, it could arrive by 2035" is of "it"), or after it when it opens its clause
        said_of = before.rsplit(",", 1)[-1] if before.strip() else after
        label = _LINE_LABEL.match(sentence) if len(before.split()) <= 2 else None
        if label and label.end() <= row.start - s_start:
            said_of = f"{label.group('label')} {said_of}"  # "Human-level robotics: by 2035"
        # ("My prediction is that by 2030 we'll see plateauing benchmarks": the event follows)
        follows = after.split(",")[0]
        if (
            about_goal
            and not (_GOAL_NAMED.search(said_of) or _GOAL_REFERENCE.search(said_of))
            and (
                _OTHER_EVENT.search(said_of)
                or (_OTHER_EVENT.search(follows) and not _GOAL_NAMED.search(follows))
            )
        ):
            continue  # "On the path to AGI, I expect GPT-6 to be released by 2026"
        if (
            _PROBABILITY_OF_DATE.search(_NEW_CLAUSE.split(before)[-1])
            or (not before.strip() and _PROBABILITY_OF_DATE.search(after))
            or _RATED_AFTER.match(rest)
            or _SCENARIO_BRACKET.match(rest.lstrip(" \t"))  # "AGI by 2030 (~10%)"
        ):
            continue  # "10% odds of AGI by 2030", "By 2030, I'd put the odds at 10%"
        if (
            (before.strip() and _CONDITION_BEFORE.search(said_of))
            or _CONDITION_OPENING.match(before)
            or (
                row.years_low is not None
                and (_FROM_THE_GOAL.match(rest) or _AFTER_THE_GOAL.search(before))
            )
        ):
            continue  # "If AGI arrives by 2030, ...", "within 5 years of the first AGI"
        if _BACK_DENIAL.search(_next_sentence(text, sentences.whole(row.start)[1])):
            continue  # "AGI could arrive by 2030. I think that's unlikely."
        if _scenario_date(text, sentences, row):
            continue  # "- Fast scaling (20%): AGI could arrive by 2028": a scenario's date
        shares = list(_SHARE_BEFORE.finditer(before))
        if shares and not _FORECAST_CUE.search(before, shares[-1].end()):
            # "50-70% of the progress toward AGI in the near term (next 5-10 years)": the
            # period a share covers, not a date by which anything arrives. ("50% of experts
            # expect AGI by 2040" is a forecast: a verb stands between.)
            continue
        row.about = row.about or _words(before, 8, last=True)
        if not row.about:  # the date opens its clause ("By 2030, AGI will ..."): what follows
            row.about = _words(_clause_after(sentence, row.end - s_start), 8).lstrip(", ")
        kept.append(row)
    _labelled_timelines(text, sentences, ref, kept)
    return kept


def _year_row(m: re.Match, first: int, last: int, ref: int) -> _Row:
    return _Row(
        "timeline",
        m.start(),
        m.end(),
        years_low=float(first - ref),
        years_high=float(last - ref),
        year_low=first,
        year_high=last,
    )


# --- verbal probabilities -------------------------------------------------------------------
_ADJ = (
    r"(?:very\s+low|very\s+high|low|moderate|high|non-?trivial|small|slim|good|decent|fair|"
    r"significant|reasonable|strong|real|realistic|remote|little|even|distinct)"
)
_VERBAL_NOUN = re.compile(
    rf"\b(?P<adj>{_ADJ}(?:\s+to\s+{_ADJ})?)\s+(?P<noun>probability|chance|likelihood|odds|possibility)\b"
    r"(?!\s+(?:distribution|mass|density|theory|estimates?|calibration)\b)",
    re.I,
)
_VERBAL_WORD = (
    r"(?:almost\s+certain(?:ly)?|virtually\s+certain|extremely\s+likely|highly\s+likely|"
    r"very\s+likely|most\s+likely|more\s+likely|less\s+likely|likely|extremely\s+unlikely|"
    r"highly\s+unlikely|very\s+unlikely|unlikely|most\s+probable|probable|improbable|"
    r"most\s+plausible|plausible|possible(?:\s+but\s+(?:less\s+|un)likely)?)"
)
# A verdict, as an answer gives one: "probably not" (the survey's own phrase) or a likelihood word.
_VERDICT_WORD = rf"(?:probably\s+not|{_VERBAL_WORD})"
_LABELLED = re.compile(
    rf"^[ \t]*+(?:[-*•][ \t]++)?+[*_]*+(?P<label>[^:\n]{{3,120}}?)[*_]*:[*_]*[ \t]+[*_]*"
    rf"(?P<verbal>{_VERDICT_WORD}|{_ADJ}(?:\s+to\s+{_ADJ})?\s+(?:probability|chance|likelihood))\b",
    re.I | re.M,
)
# Labels that announce the answer to the question asked: their verdict is about that question.
_VERDICT_LABEL = re.compile(
    r"^(?:the\s+|my\s+|our\s+)?(?:short\s+answer|answer|final\s+answer|tl;?\s*dr|bottom\s+line|"
    r"verdict|in\s+short|in\s+brief|conclusion|overall|summary|take|overall\s+assessment|"
    r"assessment)$",
    re.I,
)
QUESTION_ASKED = "the question asked"
# What may follow a verdict that stands alone: an end of sentence, a dash, a comma that
# qualifies it ("Probably not, at least not by scaling alone") or "on its own"; not "Likely,
# we will see ..." (a sentence adverb).
_ALONE = (
    r"[*_]*+[ \t]*+(?:[.!;—–]|-\s|$|,[ \t]*(?:at\s+least|but|though|not|if|unless|and|or)\b"
    r"|(?<=[ \t])(?:on\s+its\s+own|by\s+itself|alone)\b)"
)
_STANDS_ALONE = re.compile(_ALONE, re.I | re.M)
# A bracket opening with a number that is no percentage: "likely (0.07)", "likely ($100M)".
_BRACKETED_OTHER = re.compile(
    r"[ \t]*\([ \t]*[~≈<>$]?[ \t]*\d+(?:\.\d+)?(?![\d.]*[ \t]*(?:%|percent))"
)
# A verdict label's verdict ends its sentence ("Summary: likely — for compute growth;
# unlikely — for AGI" qualifies it).
_LABEL_ALONE = re.compile(
    r"[*_]*+[ \t]*+(?:[.!]|$|,[ \t]*at\s+least\s+not\b|(?<=[ \t])(?:on\s+its\s+own|by\s+itself|"
    r"alone)\b)",
    re.I | re.M,
)
# A verdict that answers a question: a sentence that opens with it, after a question on the
# same line ("Will scaling get us to AGI? Probably not.") or at the start of a line.
_ANSWER_VERDICT = re.compile(
    rf"[ \t]*+(?:[-*•][ \t]++)?+[*_]*+(?P<verbal>{_VERDICT_WORD}){_ALONE}", re.I | re.M
)


# --- "LABEL: value" lines and bracketed numbers ------------------------------------------------
# A line's label: after an optional bullet or number and markdown, up to its colon (at most 120
# characters). The quantifiers around it are possessive: two that could share a run of spaces
# made a long run of them cost polynomial time (a review timed 150 s for one line).
_LABEL_LINE = re.compile(
    r"[ \t]*+(?:(?:[-*•+]|\d{1,2}[.)])[ \t]++)?+[*_]*+(?P<label>[^:\n]{1,120}?)[ \t*_]*+"
    r"(?::|(?<=[ \t])[—–](?=[ \t]))[ \t*_]*+"  # a colon, or a dash between spaces
)
_GOAL = r"(?:AGI|ASI|superintelligence|human-level\s+AI|transformative\s+AI|general\s+intelligence)"
# A label that is a probability and what of: "Probability of AGI by 2040", "My credence that
# scaling suffices", "P(AGI by 2035)" ("Chance-level accuracy", "Win probability vs. humans"
# and "Share of experts giving >50% probability" are not).
_PROB_LABEL = re.compile(
    r"(?:(?:my|our|the|overall|rough|estimated|median|final|combined|current|subjective)\s+)*"
    r"(?:probability|chance|likelihood|odds|credence)(?:\s+estimate)?"
    r"(?:\s+(?:of|that|for)\s+(?P<what>[^()]+?))?(?:\s*\((?P<note>[^()]{1,40})\))?"
    r"|p\((?P<p_of>[^()\n]{1,60})\)(?:\s*\((?P<p_note>[^()]{1,40})\))?",
    re.I,
)
# ... or a timeline label: "AGI timeline", "Timeline to AGI", "Expected arrival of AGI",
# "Median AGI year (Metaculus)", "Year of AGI", "My timeline".
_TIMELINE_LABEL = re.compile(
    r"(?P<mine>(?:my|our)\s+)?(?:(?:the|overall|rough|estimated|expected|predicted|median|"
    r"realistic|likely|best[- ]guess|personal)\s+)*"
    rf"(?:(?P<goal>{_GOAL})\s+)?(?:timelines?|arrival(?:\s+date)?|year)"
    rf"(?:\s+estimates?)?(?:\s+(?:to|for|of)\s+(?P<goal2>{_GOAL}))?"
    r"(?:\s*\((?P<note>[^()]{1,40})\))?",
    re.I,
)
_BRACKET_HEDGE = r"(?:say|maybe|perhaps|est\.?|I['’]d\s+say|roughly|about|around|approximately)"
# A bracket that opens, with a hedge before its number: " (", "(say ", "( maybe, ".
_BRACKET_OPEN = rf"[ \t]*+\([ \t]*+(?:{_BRACKET_HEDGE}[ \t,:]*+)?"
# What may close a bracket after its number: "(70%+)", "(10% or lower)", "(~30% chance)".
_BRACKET_CLOSE = re.compile(
    r"(?:\+|\s+or\s+(?:more|less|so|lower|higher|above|below|fewer))?[ \t]*+"
    r"(?:chance|probability|likelihood|odds|confidence)?[ \t]*+\)",
    re.I,
)
_BRACKET_WORDS = (
    r"chance|probability|likelihood|odds|possibility|credence|confidence|confident|certain|"
    r"certainly|likely|unlikely|probable|improbable|probably\s+not|probably|plausible|"
    r"implausible|possible|possibly"
)
# A likelihood word right before a bracket that opens with the number ("a probability (say 10%)
# of AGI", "confident (70%+) that", "unlikely (10-20%)"), or a bracket that names itself
# ("(confidence: 70%)"). Looked for in the 60 characters before the number.
_BRACKET_BEFORE = re.compile(
    rf"(?:\b(?P<word>{_BRACKET_WORDS}){_BRACKET_OPEN}"
    r"|(?P<named>\()[ \t]*+(?:(?:my|our)\s+)?(?:confidence|credence|probability)[ \t]*+"
    r"(?:[:=][ \t]*+)?)$",
    re.I,
)
# The same bracket seen from a verbal phrase before it: "unlikely (10-20%)".
_BRACKETED_PERCENT = re.compile(
    rf"{_BRACKET_OPEN}(?:(?:{_QUAL})[ \t]*+)?{_NUM}[ \t]*+"
    rf"(?:(?:%|percent\b|per\s+cent\b)?[ \t]*+(?:-|–|to)[ \t]*+{_NUM}[ \t]*+)?"
    rf"(?:%|percent\b|per\s+cent\b)",
    re.I,
)
# "barely above chance (25%)", "random chance (50%)": a baseline, not a forecast.
_CHANCE_LEVEL = re.compile(
    r"\b(?:above|below|than|at|random|by|over|beyond|near|pure|blind)\s+(?:\w+\s+)?$", re.I
)
_BASELINE = re.compile(r"\b(?:random(?:ly)?|baseline|guess(?:ing|es)?|coin)\b", re.I)
_FIRST_PERSON_CLAUSE = re.compile(r"\b(?:I|I['’]m|I['’]d|we|we['’]re|my|our)\b", re.I)
_LIKELIHOOD_WORD = re.compile(
    r"\b(?:probably|likely|unlikely|probable|improbable|possibly|certainly|chance|odds)\b", re.I
)
_VERB_FIRST = re.compile(
    r"(?:looks?|seems?|is|are|was|were|remains?|appears?|stays?|feels?)\b", re.I
)
_CONTINUATION = re.compile(r"(?:but|and|or|though|although|which|yet)\b", re.I)
_SEPARATOR = re.compile(r"[ \t*_]*+(?:[:–—]|-(?=\s))[ \t*_]*+")
_LEAD_IN = re.compile(r"^(?:estimates?\s+|estimated\s+)?(?:of|that|for|on)\s+", re.I)
# What may follow a labelled probability: the end, a separator or bracket, or its object.
_LABEL_VALUE_END = re.compile(
    r"[ \t*_]*+(?:$|[.;,()—–]|(?<=\s)(?:that|chance|probability|likelihood|odds|or\s+so)\b)",
    re.M,
)
_YEAR_WORD = re.compile(r"\b(?:19|20|21)\d\d\b")


def _framed_probability(
    text: str, sentences: _Sentences, m: re.Match, ref: int
) -> tuple[str, str | None] | bool | None:
    """(what it is about, who gives it) for a percentage whose frame says it is a probability
    though no likelihood word is next to it: the value of a probability label ("Probability of
    AGI by 2040: ~50%", "Scaling alone: unlikely (10-20%)") or a bracket that opens with the
    number after a likelihood word ("a probability (say 10%) of AGI"); None otherwise."""
    line_start, line_end = sentences.line(m.start())
    head = text[line_start : m.start()]
    close = _BRACKET_CLOSE.match(text, m.end())
    labelled = _probability_label(text, head, line_start, line_end, m, close, ref)
    if labelled is not None:  # a reading, or False: judged and not a forecast
        return labelled
    bracket = _BRACKET_BEFORE.search(head[-60:])
    if bracket is None or close is None or _STATISTIC_AFTER.match(text, close.end()):
        return None  # (a "confidence (95%) interval" is statistics)
    opened = m.start() - len(head[-60:]) + bracket.start()
    s_start, s_end = sentences.around(m.start())
    sentence = text[s_start:s_end]
    before = _clause_before(sentence, opened - s_start)
    rest = text[close.end() : s_end]
    separator = _SEPARATOR.match(rest)
    after = _clause_after(rest[separator.end() :] if separator else rest, 0)
    after = after.strip(" \t*_.,;:!?")
    clause = f"{before} {after}"
    word = (bracket.group("word") or "").lower()
    if _PAST_VERB.search(clause) or _PAST_SPAN.search(clause):
        return None  # "was considered unlikely (5%) in 2010": what was thought, not a forecast
    years = [int(y) for y in _YEAR_WORD.findall(clause)]
    if years and max(years) <= ref:
        return None  # "confidence (95%) that scaling laws held from 2018 to 2024": history
    if word == "chance" and (_CHANCE_LEVEL.search(before) or _BASELINE.search(after)):
        return None  # "above chance (25%)", "the chance (25%) that a random guess is right"
    if word.startswith("confiden") and not _FIRST_PERSON_CLAUSE.search(before):
        return None  # "the model's stated confidence (80%)": someone's, not the answer's
    if word and _contradicts(word, m):
        return None  # "Probably not (70%)", "Unlikely (~70% confidence)": which way is unclear
    if bracket.group("named"):
        # "(confidence: 70%)" rates the clause it follows; not when the clause has its own
        # likelihood word ("probably won't get us there (my credence: 25%)"): the number
        # could rate the claim or the clause, and the two would contradict each other.
        if _LIKELIHOOD_WORD.search(before):
            return None
        return _words(before, 10, last=True), None
    if separator and not _CONTINUATION.match(after):  # "**Most likely (60%):** a hybrid"
        return _words(after, 12), None
    if word in {"chance", "probability", "likelihood", "odds", "possibility", "credence"}:
        if _LEAD_IN.match(after):  # "a probability (say 10%) of AGI within five years"
            return _words(_LEAD_IN.sub("", after), 10), None
        if after and not _VERB_FIRST.match(after):  # "a real chance (30%) scaling gets us there"
            return _words(after, 10), None
        return _words(f"{before}{bracket.group('word')}", 10, last=True), None
    if re.match(r"that\s", after, re.I):  # "confident (70%) that X", "likely (60%) that X"
        # ... up to the next verdict: "likely (70%) that scaling helps, unlikely (10%) that ..."
        return _words(_NEXT_VERDICT.split(after[4:])[0], 10), None
    opening = text[max(s_start, line_start) : opened].strip(" \t*_-•")
    if _DEGREE_ONLY.fullmatch(opening) and _STANDS_ALONE.match(text, close.end()):
        # "Is it enough? Highly unlikely (5%).", "Probably not (25%)." opening the answer
        question = _question_answered(text, line_start, max(s_start, line_start))
        if question is not None:
            return question, None
    # "AGI is possible (30%) by 2035, likely (60%) by 2050": from the last verdict to the next.
    after = re.split(r",\s|\(", after)[0].strip()
    before = re.split(r",\s", before)[-1]
    return _words(f"{before}{bracket.group('word')} {after}", 14), None


_NEXT_VERDICT = re.compile(
    r",\s+(?=(?:very\s+|highly\s+)?(?:un)?likely|probabl|possibl|plausibl)", re.I
)
_NEGATIVE_VERDICT = re.compile(r"unlikely|improbable|implausible|probably\s+not", re.I)
_POSITIVE_VERDICT = re.compile(r"likely|probable|probably|certain|certainly", re.I)


def _contradicts(word: str, m: re.Match) -> bool:
    """Whether a verdict's bracketed number says the opposite or rates the verdict itself:
    "probably not (70%)" (70% for or against?), "likely (20%)", "unlikely (~70% confidence)"
    (70% sure it is unlikely). A noun ("a probability (10%)") never does."""
    if re.search(r"confiden", m.string[m.end() : m.end() + 20], re.I):
        return bool(_NEGATIVE_VERDICT.fullmatch(word) or _POSITIVE_VERDICT.fullmatch(word))
    low, high = _percent_bounds(m)
    value = low if high is None else high if low is None else (low + high) / 2
    if _NEGATIVE_VERDICT.fullmatch(word):
        return value is not None and value > 50
    if _POSITIVE_VERDICT.fullmatch(word):
        return value is not None and value < 50
    return False


def _probability_label(
    text: str,
    head: str,
    line_start: int,
    line_end: int,
    m: re.Match,
    close: re.Match | None,
    ref: int,
) -> tuple[str, str | None] | bool | None:
    """The label's reading of a percentage that is its value (see `_framed_probability`); False
    when the label's verdict is judged no forecast of the question's."""
    if len(head) > 240:
        return None  # no label and value are that long (and a long line is not re-read)
    # The label of the segment holding the number, the nearest first: "A: unlikely (10%), B:
    # likely (60%)", "A: ... (10%); B: ... (60-70%)", "A: ... (10%). B: ...", or the line's own.
    # A cut counts only after an item that closed with its number in brackets: "In 2020, chance
    # of AGI by 2030: 10%", "Scaling vs. new ideas: unlikely (15%)" and "TL;DR: likely (70%)"
    # are one label each.
    items = list(_ITEM_END.finditer(head))
    cuts = [items[-1].end(), 0] if items else [0]
    for cut in cuts:
        reading = _label_reading(text, head, cut, line_start, line_end, m, close, ref)
        if reading is not None:
            return reading
    # "Chance of AGI by 2030: 10%; by 2040: 40%": a later deadline of the same label.
    follow = _NEXT_DEADLINE.search(head)
    first = _LABEL_LINE.match(head) if follow else None
    if first and _DEADLINE_LIST.fullmatch(head, first.end(), follow.start()):
        deadline = _DEADLINE_AT_END.search(first.group("label"))
        # (a first deadline in the past makes the list a view of then: "Odds of AGI per
        # Metaculus in 2020: 10%; by 2040: 40%")
        if deadline is not None and not any(
            int(y) <= ref for y in _YEAR_WORD.findall(deadline.group())
        ):
            label = first.group("label")
            label = label[: deadline.start()] + follow.group("when") + label[deadline.end() :]
            return _label_reading(text, label + ": ", 0, line_start, line_end, m, close, ref)
    return None


_ITEM_END = re.compile(r"\)[ \t*_]*+[,;.][ \t]*+")  # "(10%), ", "(10-20%); ", "(10%). "
_DEADLINE = r"(?:by|before|in)[ \t]++(?:the[ \t]++)?(?:20|21)\d\d(?:s\b)?"
_NEXT_DEADLINE = re.compile(rf"[;,][ \t]*+(?P<when>{_DEADLINE})[ \t*_]*+:[ \t*_]*+$", re.I)
_DEADLINE_AT_END = re.compile(rf"(?<=\s){_DEADLINE}(?=\)?$)", re.I)  # "P(AGI by 2030)" too
# The values before it: "10%", "~10%; by 2035: 25%", each a bare percentage.
_DEADLINE_LIST = re.compile(
    rf"[ \t*_]*+[~≈]?{_NUM}%(?:[;,][ \t]*+{_DEADLINE}[ \t*_]*+:[ \t*_]*+[~≈]?{_NUM}%)*[ \t]*+",
    re.I,
)


def _label_reading(
    text: str,
    head: str,
    cut: int,
    line_start: int,
    line_end: int,
    m: re.Match,
    close: re.Match | None,
    ref: int,
) -> tuple[str, str | None] | bool | None:
    """`_probability_label` for the segment of `head` from `cut`."""
    line = _LABEL_LINE.match(head, cut)
    if line is None:
        return None
    gap = head[line.end() :]
    label = line.group("label").strip()
    if "?" in label:
        return None  # "Will scaling get us to AGI? The answer — likely (60%)": no label
    reading = _PROB_LABEL.fullmatch(label)
    verdict = _LABEL_VERDICT.fullmatch(gap)  # "unlikely (", "low probability ("
    bracketed = close is not None and (verdict or _ADJ_BRACKET.fullmatch(gap))
    if reading is not None and (bracketed or _HEDGE_ONLY.fullmatch(gap)):
        if not _LABEL_VALUE_END.match(text, m.end()):
            return None  # "Probability: 90% of the text is used": a share of something
        what = reading.group("what") or reading.group("p_of") or ""
        who = _credit(reading.group("note") or reading.group("p_note"))
        source = _PER_SOURCE.search(what)  # "Probability of AGI per Metaculus by 2032"
        who = who or (source.group("who") if source else None)
        after = _VALUE_NOTE.match(text, m.end())  # "Chance of AGI by 2040: 40% (Metaculus)"
        who = who or (_credit(after.group("note")) if after else None)
        if any(int(y) <= ref for y in _YEAR_WORD.findall(what)):
            return None  # "Odds of AGI per Metaculus in 2020: 10%": a figure of the past
        if _RATE.search(what) or (_RATE_ON_TEST.search(what) and not _YEAR_WORD.search(what)):
            return None  # "Probability of a correct answer on MMLU: 86%": a measured rate
        if not what and _MINE.match(label):  # "My overall probability: 25%"
            return QUESTION_ASKED, None
        if not what:  # "Probability: roughly 20-30% that X", or a heading above the label
            after = _clause_after(text[m.end() : line_end], 0).strip(" \t*_")
            what = (
                _LEAD_IN.sub("", after)
                if _LEAD_IN.match(after)
                else _heading_above(text, line_start)
            )
        return _words(what, 10), who
    # A label without a probability word counts with a verdict and the number in brackets:
    # "Scaling alone: unlikely (10-20%)"; "Compute growth: high (40%)" is no probability.
    if verdict is not None and close is not None:
        word = verdict.group("verdict").lower()
        if _contradicts(word, m):
            return None  # "Short answer: Probably not (~70% confidence)": which way is unclear
        if _VERDICT_LABEL.match(label):  # "**Short answer:** Unlikely (maybe 15%)."
            if not _LABEL_ALONE.match(text, close.end()):
                return None  # "TL;DR: Likely (70%) that scaling helps": read from the bracket
            question = _label_question(text, line_start)
            return (question, None) if question else None
        if _QUESTION_CLAIM.search(label):  # "Scaling alone: unlikely (10-20%)"
            return _words(label, 10), None
        # "GPT-4 MMLU: likely (86%)", "Altman: likely (80%)", "Share of text used: likely
        # (80%)": a score, a source or another claim; no reading we can vouch for.
        return False
    return None


# A label that names the question's own claim: scaling, or the goal.
# (not "ARC-AGI", a benchmark; not "Scale AI" nor "economies of scale")
_QUESTION_CLAIM = re.compile(
    r"(?<![\w-])(?:scaling|AGI|ASI|superintelligence|human-level|general\s+intelligence)\b",
    re.I,
)
_LABEL_VERDICT = re.compile(
    rf"(?P<verdict>{_VERDICT_WORD}|{_ADJ}(?:\s+to\s+{_ADJ})?\s+(?:probability|chance|likelihood|odds))"
    rf"{_BRACKET_OPEN}",
    re.I,
)
# With a probability label, a bare degree may stand before the bracket: "Chance of X: low (10%)".
_ADJ_BRACKET = re.compile(rf"{_ADJ}(?:\s+to\s+{_ADJ})?{_BRACKET_OPEN}", re.I)
_DEGREE_ONLY = re.compile(
    r"(?:(?:highly|very|extremely|quite|fairly|most|more|less|rather)\s*)*", re.I
)
# A rate measured per try or a score, not a forecast: "Probability of a correct answer on MMLU",
# "Chance of success per attempt", "Likelihood of hallucination per answer".
_RATE = re.compile(
    r"\bper\s+(?:answer|attempt|query|question|token|call|run|task|sample|trial|response|prompt|"
    r"try|use|step|problem)\b|\bcorrect\b|\baccura|\bhallucinat|\bpass@\d|\b(?:today|currently)\b",
    re.I,
)
_PER_SOURCE = re.compile(r"\b(?:per|according\s+to)\s+(?P<who>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)")
_RATE_ON_TEST = re.compile(r"\bon\s+(?:the\s+)?(?:[A-Z][\w-]*[A-Z0-9]\b|benchmarks?|tests?|exams?)")
_MINE = re.compile(r"(?:my|our)\b", re.I)
_HEDGE_ONLY = re.compile(rf"(?:{_BRACKET_HEDGE}[ \t,]*+)?", re.I)


def _unmarked(line: str) -> str:
    """A line without the markdown around its words: heading marks, quotes, bullets and
    emphasis before them, emphasis and a heading's colon after (str.strip: linear on long
    runs of spaces, where a regex anchored at the end was quadratic)."""
    return line.lstrip(" \t\n#>*_-•").rstrip(" \t\n*_:")


def _heading_above(text: str, line_start: int) -> str:
    """The heading just above a line, if the previous line is one ("### Scenario B: hybrid",
    "**Scenario B**", a line ending in a colon); "" otherwise."""
    before = text[:line_start].rstrip()
    previous = before[before.rfind("\n") + 1 :].strip()
    heading = (
        previous.startswith("#")
        or previous.endswith(":")
        or (previous.startswith("**") and previous.endswith("**"))
    )
    return _unmarked(previous) if heading else ""


# Words that name no one: a scenario or a kind of estimate, in a note after a value.
_NOT_A_SOURCE = frozenset(
    """optimistic conservative pessimistic aggressive median mean base realistic likely
    my our own estimate guess view central best worst case scenario upper lower bound
    range rough approx approximately roughly about around""".split()  # noqa: SIM905
)


def _credit(note: str | None) -> str | None:
    """Who a note in brackets names as the source: a name ("Metaculus", "Sam Altman") or a
    group ("expert survey median"); None for a scenario or a kind of estimate ("optimistic",
    "my median") or anything else ("GPT-4 training took 6 months")."""
    note = " ".join((note or "").split())
    note = re.sub(r"^(?:per|according\s+to|via|from)\s+", "", note, flags=re.I)
    if _SOURCE_GROUP.search(note):
        return note
    if not _NAME_NOTE.fullmatch(note) or _GOAL_WORD.fullmatch(note):
        return None
    return None if note.split()[0].lower() in _NOT_A_SOURCE else note


_NAME_NOTE = re.compile(r"[A-Z][A-Za-z.'’-]*(?:\s+(?:[A-Z][A-Za-z.'’-]*|et\s+al\.?|&)){0,3}")
_GOAL_WORD = re.compile(_GOAL, re.I)
_SOURCE_GROUP = re.compile(
    r"\b(?:surveys?|experts?|forecasters?|respondents|researchers|community|consensus|polls?|"
    r"Metaculus|markets?|authors|report)\b",
    re.I,
)


# --- timelines given as a label's value --------------------------------------------------------
_LABEL_VALUE = re.compile(
    r"(?:(?:around|about|roughly|approximately|circa|~)\s*)?"
    r"(?:(?P<y1>(?:20|21)\d\d)(?:(?:\s*(?:-|–|/)\s*|\s+(?:to|or)\s+)(?P<y2>(?:20|21)\d\d"
    r"|(?<=[-–])\d\d))?(?![\d%'’s])"
    r"|(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<dec>(?:20|21)\d0)['’]?s\b"
    r"(?:\s*(?:-|–|to)\s*(?:the\s+)?(?:(?P<part2>early|mid|late)[\s-]+)?(?P<dec2>(?:20|21)\d0)"
    r"['’]?s\b)?"
    r"|(?P<n_plus>\d{1,3})\+\s*(?P<unit>years?|decades?)\b"
    rf"|(?P<dur>{_DUR}))"
    r"(?P<open>\+|\s+or\s+later|\s+and\s+beyond|\s+at\s+the\s+earliest)?",
    re.I,
)
_VALUE_NOTE = re.compile(r"[ \t]*\((?P<note>[^()\n]{1,40})\)")
_PAST_NOTE = re.compile(
    r"\b(?:before|pre-?\w*|old|older|used\s+to|previously|earlier|ago|once|back\s+then|"
    r"(?:19|20)\d0s)\b",
    re.I,
)
_REJECTING_NOTE = re.compile(
    r"\b(?:hype|hyped|overhyped|too\s+\w+|doubt|doubtful|wrong|naive|claimed|claims?|"
    r"unrealistic|optimists?|pessimists?|unlikely|improbable)\b"
    # ... or a note that is a probability of the date: "2030 (10%)", not "(my median, ~50%)"
    r"|^\s*[~≈<>]?\s*\d{1,3}(?:\.\d+)?\s*%\s*(?:chance|probability|likely)?\s*$",
    re.I,
)
_VALUE_FOR = re.compile(rf"[ \t]+for\s+(?P<goal>{_GOAL})\b", re.I)
_VALUE_IF = re.compile(r"[ \t]+(?:if|unless)\b", re.I)
_CONDITION = re.compile(r"[^,;.\n]*+")  # a condition's words, up to the clause's end
_IF_YOU_ASK = re.compile(
    r"\bif\s+you\s+(?:ask|believe|trust|listen\s+to|follow)\s+(?:the\s+)?(?P<who>[^,;.\n]{1,40})",
    re.I,
)
_VALUE_END = re.compile(r"(?:\s+(?:from\s+now|away))?[ \t*_]*+(?:$|[.;,])", re.M)
_NEXT_VALUE = re.compile(r"[ \t]*+[,;][ \t]*+")
_NEXT_LABEL = re.compile(r"[^:,;.\n]{1,60}:")
# Every timeline label holds one ("year" is also a trigger of the timeline scan: no extra pass).
_TIMELINE_LABEL_TRIGGERS = ("timeline", "arrival", "year")
_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}


def _labelled_timelines(text: str, sentences: _Sentences, ref: int, rows: list[_Row]) -> None:
    """Timelines given as the value of a timeline label, appended to `rows`; a row already
    read at the value (by its preposition: "Expected arrival of AGI: around 2040") gets the
    label as what it is about, if it has nothing else.

    A value must end its clause (or say what it is for, "2027 for AGI", or on what condition,
    "20+ years if scaling stalls"): "10 years of compute growth", "20 years ago" and "2 to 5
    years after AGI" are no timelines. A note that names a source credits it ("2045
    (Kurzweil)"); one that holds a past year is history ("3-8 years (Minsky, 1970)").
    """
    lines: set[tuple[int, int]] = set()
    for trigger in _TIMELINE_LABEL_TRIGGERS:
        lines.update(sentences.lines_with(trigger))
    for start, end in sorted(lines):
        if end - start > 400 or sentences.folded.find(":", start, end) < 0:
            continue  # a label and its values fit in a short line, and hold a colon
        at: int | None = start
        while at is not None:  # "AGI timeline: 2035; ASI timeline: 2045": each label in turn
            at = _timeline_label_at(text, sentences, ref, rows, at, end)


def _timeline_label_at(
    text: str, sentences: _Sentences, ref: int, rows: list[_Row], start: int, end: int
) -> int | None:
    """`_labelled_timelines` for the label at `start` of a line ending at `end`; where the
    next label on the line starts, if its values end at one."""
    line = _LABEL_LINE.match(text, start, end)
    label = _TIMELINE_LABEL.fullmatch(line.group("label").strip()) if line else None
    if label is None or not (label.group("goal") or label.group("goal2") or label.group("mine")):
        return None
    sentence = text[slice(*sentences.around(line.end()))]
    if _is_question(sentence) or _MATHS_WORDS.search(sentence):
        return None
    if _of_the_past(label.group("note") or "", ref):
        return None  # "AGI timeline (as of 2019): 2060", "(before ChatGPT)": a view of then
    label_who = _credit(label.group("note"))
    name = line.group("label").strip()  # with a note that names no source: a condition
    name = " ".join((re.sub(r"\s*\([^()]*\)$", "", name) if label_who else name).split())
    name = name.strip(" *_")  # with its note when it is a condition: "AGI timeline (if ...)"
    pos, found, next_label = line.end(), [], None
    while (value := _LABEL_VALUE.match(text, pos, end)) is not None:
        at = value.end()
        note = _VALUE_NOTE.match(text, at, end)
        at = note.end() if note else at
        goal = _VALUE_FOR.match(text, at, end)
        at = goal.end() if goal else at
        condition = _VALUE_IF.match(text, at, end)
        if not condition and not _VALUE_END.match(text, at, end):
            found = []  # "20 years ago", "10 years of compute growth": not a horizon
            break
        note_text = note.group("note") if note else ""
        if _of_the_past(note_text, ref):
            found = []  # "3-8 years (Minsky, 1970)", "(before ChatGPT)": a view of the past
            break
        if _REJECTING_NOTE.search(note_text):
            # "2030 (too optimistic), 2045 (my estimate)": a value the answer turns down
            pos = _NEXT_VALUE.match(text, at, end)
            if pos is None:
                break
            pos = pos.end()
            continue
        source = _credit(note_text)
        who = source or label_who
        about = name
        if note_text and not source:
            about += f" ({note_text.strip()})"
        if goal:
            about += f": for {goal.group('goal')}"
        if condition:  # "2030 if scaling holds, 2045 if it doesn't": up to the next value
            said = _CONDITION.match(text, condition.end(), end)
            words = text[condition.start() : said.end()]
            at = said.end()
            asked = _IF_YOU_ASK.search(words)
            if _REJECTING_NOTE.search(words):  # "2030 if the hype is right"
                gap = _NEXT_VALUE.match(text, at, end)
                if gap is None:
                    break
                pos = gap.end()
                continue
            if asked:  # "2030 if you ask OpenAI": OpenAI's
                who = asked.group("who")
            else:
                about += ": " + _words(words, 10)
        found.append((value, about, who))
        gap = _NEXT_VALUE.match(text, at, end)
        if gap is None:
            break
        pos = gap.end()
        if not _LABEL_VALUE.match(text, pos, end):
            # "2030, according to hype; realistically 2045": the values are not a list,
            # and the one read may be the one the answer rejects; a new label after it
            # ("AGI timeline: 2035; ASI timeline: 2045") ends the list.
            if _NEXT_LABEL.match(text, pos, end):
                next_label = pos
            else:
                found = []
            break
    for value, about, who in found:
        row = _label_value_row(value, ref)
        known = next((r for r in rows if r.start < value.end() and value.start() < r.end), None)
        if known is not None:
            known.about = known.about or about
        elif row is not None:
            row.about, row.who, row.confidence = about, who, 0.8
            # its label and note say whose it is: not a name elsewhere on the line ("AGI
            # timeline: 2035 (Altman says 2027); ASI timeline: 2045")
            row.attribute = False
            rows.append(row)
    return next_label


def _of_the_past(note: str, ref: int) -> bool:
    """Whether a note dates what it qualifies to the past: a year up to the reference year
    ("Minsky, 1970") or words of the past ("before ChatGPT", "2010s consensus")."""
    return any(int(y) <= ref for y in _YEAR_WORD.findall(note)) or bool(_PAST_NOTE.search(note))


def _label_value_row(m: re.Match, ref: int) -> _Row | None:
    """The timeline of one label value; None for history or a date past any horizon."""
    open_high = bool(m.group("open")) or bool(m.group("n_plus"))
    if m.group("n_plus"):  # "20+ years"
        factor = 10 if m.group("unit").lower().startswith("decade") else 1
        span = (float(m.group("n_plus")) * factor, None)
    elif m.group("dur"):
        span = _duration(m.group("dur"))
    if m.group("n_plus") or m.group("dur"):
        if span is None or span[0] is None:
            return None
        low, high = span
        high = None if open_high else high
        if low > 300 or (high is not None and high > 300):
            return None
        return _Row(
            "timeline",
            m.start(),
            m.end(),
            years_low=low,
            years_high=high,
            year_low=ref + round(low),
            year_high=None if high is None else ref + round(high),
            confidence=0.6 if high is None else 0.9,
        )
    if m.group("y1"):
        first = int(m.group("y1"))
        last = int(m.group("y2")) if m.group("y2") else first
        if last < 100:  # "2035-40"
            last += first // 100 * 100
    else:
        first = int(m.group("dec")) + _PARTS.get((m.group("part") or "").lower(), (0, 9))[0]
        dec2 = int(m.group("dec2") or m.group("dec"))
        part2 = (m.group("part2") or (m.group("part") if not m.group("dec2") else "") or "").lower()
        last = dec2 + _PARTS.get(part2, (0, 9))[1]
    if not ref < last <= ref + 300 or last < first:
        return None
    row = _year_row(m, first, last, ref)
    if open_high:
        row.year_high = row.years_high = None
    return row


_VERDICT_SEGMENT = re.compile(rf";\s+(?P<verbal>{_VERBAL_WORD})\b", re.I)
_ATTRIBUTIVE = re.compile(
    r"\b(?P<verbal>most\s+likely|most\s+probable|most\s+plausible|more\s+likely|less\s+likely)\s+"
    r"(?:\w+\s+)?(?P<noun>path(?:way)?|route|outcome|scenario|trajectory|future|approach)\b",
    re.I,
)
_SUFFICIENCY = re.compile(
    # (not a comparison: "less likely to get us there than a hybrid")
    r"\b(?<!\bless\s)(?<!\bmore\s)(?<!\bequally\s)(?<!\bas\s)(?P<verbal>almost\s+certainly|(?:extremely|highly|very)\s+(?:un)?likely|unlikely|likely|"
    r"probably)\b(?P<rest>[^.;:?!\n—,]{0,40}?)\b(?:sufficient|insufficient|suffice|enough|reach|"
    r"yield|achieve|(?P<leads>leads? to|gets? us|takes? us|brings? us|produces?|delivers?|"
    r"results? in|falls? short))\b",
    re.I,
)
# Words each match of these patterns holds, beside its likelihood word (see `_Sentences.scan`).
_LABELLED_NEEDS = ((": ", ":\t", ":*", ":_"),)  # the colon, then a space, a tab or markdown
_ATTRIBUTIVE_NEEDS = (
    ("most", "more", "less"),
    ("path", "route", "outcome", "scenario", "trajectory", "future", "approach"),
)
_SUFFICIENCY_NEEDS = (
    (
        "suffic", "enough", "reach", "yield", "achieve", "lead to", "leads to", "get us",
        "gets us", "take us", "takes us", "bring us", "brings us", "produce", "deliver",
        "result in", "results in", "fall short", "falls short",
    ),
)  # fmt: skip
_AGI_AFTER = re.compile(
    r"(?:\s+(?!(?:and|but|or|before|after|until|while)\b)[\w’'-]+){0,5}?\s+"
    r"(?:AGI|ASI|superintelligence|human-level|general\s+intelligence)(?![\w-])",
    re.I,
)
_OUTCOME = re.compile(
    r"\b(?:AGI|ASI|superintelligence|human-level|alone|on\s+its\s+own|by\s+itself)\b"
)
_THERE_AFTER = re.compile(r"\s+(?:all\s+the\s+way\s+)?there\b", re.I)


# A negation a few words before a likelihood word, in its clause: "will not likely", "isn't likely".
_NEGATION = re.compile(
    r"(?:\b(?:not|no|never|hardly|scarcely|nor|cannot)|\b\w+n['’]t)\b"
    r"(?P<gap>(?:\s+[^\s.;:!?]+){0,2})\s+$",
    re.I,
)
# Negated, only these read as their complement: the survey's "probably not" (20-35) is the
# mirror of its "probably" (65-80). Any other negated phrase ("not unlikely", "not even a small
# chance", "not very likely") has no reading we can vouch for, so it is dropped.
_COMPLEMENTABLE = {"likely", "probably", "probable"}


_COMPARED = re.compile(
    r"\b(?:less|better|more|greater|worse|lower|higher|fewer)[\s-]+than[\s-]+(?:an?[\s-]+)?$",
    re.I,
)


def _verbal_key(phrase: str, lookup: dict) -> str | None:
    """The table phrase for a verbal phrase: 'possible but less likely' reads as 'less likely'."""
    p = re.sub(r"\s+", " ", _fold(phrase.strip())).replace("nontrivial", "non-trivial")
    if " but " in p:
        p = p.split(" but ", 1)[1]  # the qualifier after "but" carries the judgement
    candidates = [p, re.sub(r"\s+(?:probability|chance|likelihood|odds)$", "", p)]
    noun_free = candidates[1]
    candidates += [f"{noun_free} probability", f"{noun_free} chance"]
    if " to " in noun_free:
        candidates.append(f"{noun_free} probability")
    for c in candidates:
        if c in lookup:
            return c
    return None


_HAS_WORD = re.compile(r"\w")


_NOT_SPACE = re.compile(r"\S")


def _label_question(text: str, line_start: int) -> str | None:
    """What a verdict label's line ("Short answer:", "Answer:") answers: the question on the
    line above, the question asked when that line is no question; None when it is a question
    a likelihood does not answer ("Q: When will it arrive?")."""
    question = _question_answered(text, line_start, line_start)
    if question is not None:
        return question
    if _unmarked(_line_before(text, line_start)).endswith("?"):
        return None
    heading = _section_heading(text, line_start)
    if heading is None:
        return QUESTION_ASKED
    # "## Compute ... **Verdict:** likely" is about compute; under a question heading, that
    # question ("**Will data run out?**", a line, then "**Short answer:** Likely.").
    return _asked(heading) if heading.endswith("?") else heading or None


def _section_heading(text: str, line_start: int) -> str | None:
    """The nearest heading above a line within 1,500 characters ("## Compute", a line all in
    bold), without its markup; None when there is none."""
    start = max(0, line_start - 1500)
    lines = text[start:line_start].split("\n")
    for line in reversed(lines[1:] if start else lines):
        line = line.strip()
        if line.startswith("#") or (
            len(line) > 4 and line.startswith("**") and line.endswith("**")
        ):
            return _unmarked(line)
    return None


# "Unlikely — or so the skeptics argue.", "Probably not. That's what most researchers would
# say, but I disagree": the verdict is reported, not the answer's own.
_OTHERS_VIEW = re.compile(
    r"\bor\s+so\s+(?:the\s+)?(?!I\b|it\b)\w+|\bI\s+disagree\b|\bthat['’]s\s+what\b|"
    r"\bthey\s+(?:say|argue)\b",
    re.I,
)


def _verdict_openings(text: str) -> list[int]:
    """Where a verdict answering a question could open: the answer's first line, after each
    "?" and a space on its line, and the next line with text after a line that ends in "?"."""
    first = len(text) - len(text.lstrip())
    out = [first] if first < len(text) else []
    q = text.find("?")
    while q >= 0:
        after = q + 1
        while text[after : after + 1] in ("*", "_"):  # "**Is scaling enough?** Unlikely."
            after += 1
        if text[after : after + 1] in (" ", "\t"):
            out.append(after)
        line_end = text.find("\n", q)
        if line_end >= 0 and not text[q + 1 : line_end].strip(" \t*_"):
            following = _NOT_SPACE.search(text, line_end)
            if following:
                out.append(following.start())
        q = text.find("?", q + 1)
    return out


def _question_answered(text: str, line_start: int, at: int) -> str | None:
    """What a verdict opening a sentence at `at` answers: the question just before it on its
    line, else the previous line if it is a question, else the question asked when the
    verdict opens the answer; None when it follows anything else."""
    head = text[max(line_start, at - 300) : at]  # a question is not longer than that
    if head.strip(" \t*_-•"):  # after a question on the same line, or after anything else
        return _asked(head)
    if not text[:line_start].strip():
        return QUESTION_ASKED
    return _asked(_line_before(text, line_start))


def _line_before(text: str, line_start: int) -> str:
    """The last line with text before `line_start` (looked for in the 300 characters before)."""
    before = text[max(0, line_start - 300) : line_start].rstrip()
    return before[before.rfind("\n") + 1 :]


# A question a likelihood can answer: yes or no, about now or what comes ("Will scaling get
# us there?", "Is scaling enough?", "How likely is AGI by 2030?", "By 2040?"); not "When will
# AGI arrive?" (a date), "What would change my mind?", nor "Was GPT-3 a turning point?".
_NOT_YES_NO = re.compile(
    r"(?:(?:so|but|and|then|now),?\s+)?(?:(?:when|what|why|where|who|whom|which|whose)\b"
    r"(?!\s+are\s+the\s+(?:odds|chances))|how\b(?!\s+(?:likely|probable))|(?:was|were|did|had)\b)",
    re.I,
)


_FAQ_MARK = re.compile(r"^(?:Q|Question)\s*[:.][*_\s]*", re.I)


def _asked(head: str) -> str | None:
    """The yes-or-no question that `head` ends with (its last sentence), or None."""
    question = _unmarked(re.sub(r"\s*\([^()\n]{1,40}\)\s*$", "", head))
    if not question.endswith("?"):  # ("Will data run out? (asked often)" ends with its "?")
        return None
    sentence = _last_sentence(question.removesuffix("?"))
    sentence = _unmarked(_FAQ_MARK.sub("", _unmarked(sentence)))
    return None if _NOT_YES_NO.match(sentence) else _words(sentence, 12)


_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+")
_ABBREVIATION = re.compile(
    r"(?:\b(?:vs|e\.g|i\.e|etc|cf|approx|al|Dr|Mr|Mrs|Ms|Prof|St)|\b[A-Z])\.$"
)


def _last_sentence(text: str) -> str:
    """The last sentence of `text`: not cut after an abbreviation ("vs.", "e.g.", "Dr.") or
    inside brackets ("Will GPT-6 (vs. Gemini 3) reach AGI")."""
    start = 0
    for gap in _SENTENCE_GAP.finditer(text):
        head = text[: gap.start()]
        if not _ABBREVIATION.search(head) and head.count("(") <= head.count(")"):
            start = gap.end()
    return text[start:]


# "is not", "isn't", "will not be": the favoured-path phrase names what the answer rules out.
# Only the phrase's own verb counts: not a "not" inside a clause after it ("the most likely
# outcome is that progress is not smooth" rates that outcome).
_REJECTED = re.compile(
    r"^(?:(?!\b(?:that|where|which|who|one|when|if|whether)\b)[^,;])*?"
    r"(?:\b(?:is|are|was|will\s+be|would\s+be)\s+not\b|\b(?:isn|aren|won)['’]t\b)",
    re.I,
)


# A time span and nothing else after a verdict, up to ";" or the line's end: "in the near
# term", "over the long run", "by 2040", "within a decade", "eventually".
_TIME_SPAN = re.compile(
    r"\s*(?P<span>(?:in|over)\s+the\s+(?:(?:very\s+)?(?:near|short|medium|long|longer)"
    r"(?:[- ]to[- ](?:medium|long))?[- ](?:term|run)|(?:next|coming)\s+(?:few\s+)?"
    r"(?:years?|decades?|\d+(?:[-–]\d+)?\s+years))|(?:near|short|medium|long)[- ]term|"
    r"eventually|(?:by|before|after)\s+(?:19|20)\d\d|within\s+(?:a|one|the\s+next)\s+"
    r"(?:few\s+)?(?:years?|decades?))\s*[.,]?\s*(?=;|$)",
    re.I,
)


def _time_span(text: str, start: int, line_end: int) -> str | None:
    """The time span a verdict names right after itself (see `_TIME_SPAN`), or None."""
    stop = text.find(";", start, line_end)
    m = _TIME_SPAN.match(text[start : line_end if stop < 0 else stop])
    return re.sub(r"\s+", " ", m.group("span")) if m else None


def _verbal_rows(
    text: str, sentences: _Sentences, lookup: dict, numbers: list[int] = ()
) -> list[_Row]:
    """Verbal probabilities; `numbers`: where the numeric rows kept start, so that a phrase
    with its own number in brackets ("unlikely (10-20%)") is read from the number instead."""
    rows: list[_Row] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, phrase: str, about: str, confidence: float) -> None:
        key = _verbal_key(phrase, lookup)
        if key is None or any(s < end and start < e for s, e in taken):
            return
        bracket = _BRACKETED_PERCENT.match(text, end)
        if bracket and any(bracket.start() <= n < bracket.end() for n in numbers):
            return  # "unlikely (10-20%)": the answer's own number is read (see _percent_rows)
        s_start, s_end = sentences.around(start)
        if _is_question(text[s_start:s_end]):
            return
        value, low, high, scale = lookup[key]
        clause = _clause_before(text[s_start:start], start - s_start)
        negated = _NEGATION.search(clause[-40:])
        if negated or _denied_before(sentences, start, text[s_start:start]):
            taken.append((start, end))  # no other pattern may read the same words un-negated
            if not negated or key not in _COMPLEMENTABLE or negated.group("gap").strip():
                # a denial further back ("I don't think scaling alone likely gets us there",
                # "No single trick is likely to ..."): what it denies is not sure enough to
                # turn into the complement
                return
            start = start - len(clause[-40:]) + negated.start()  # quote "not likely"
            value, low, high = 100 - value, 100 - high, 100 - low
            about = f"negated (100 minus “{key}”): {about}"
            confidence = round(confidence - 0.1, 2)
        row = _Row("probability", start, end, low, high, about=about, confidence=confidence)
        row.scale, row.value = scale, value  # type: ignore[attr-defined]
        rows.append(row)
        taken.append((start, end))

    # 1. A verdict list: "Scale-only LLMs reaching AGI: low to moderate probability."
    for m in sentences.scan(_LABELLED, _VERBAL_TRIGGERS, _LABELLED_NEEDS, line_start=True):
        label = _words(m.group("label"), 12)
        bracket = _BRACKETED_PERCENT.match(text, m.end("verbal"))
        if (bracket and _BRACKET_CLOSE.match(text, bracket.end())) or _BRACKETED_OTHER.match(
            text, m.end("verbal")
        ):
            # "LABEL: likely (60%)": the number's reading or none (see _label_reading);
            # "Scaling laws' exponent: likely (0.07)": the word rates no claim of ours
            continue
        line_start, line_end = sentences.line(m.start())
        # "unlikely in the near term; likely in the long term": each verdict is about the
        # label over its own time span, and says so.
        when = _time_span(text, m.end("verbal"), line_end)
        if _VERDICT_LABEL.match(label):  # "Short answer: probably not"
            if not when and not _LABEL_ALONE.match(text, m.end("verbal")):
                continue  # "Summary: likely improvements in reasoning, unlikely AGI"
            label = _label_question(text, line_start)
            if label is None:
                continue  # "Q: When will it arrive?" then "Answer: likely": another question
        about = f"{label} ({when})" if when else label
        add(m.start("verbal"), m.end("verbal"), m.group("verbal"), about, 0.8)
        for seg in _VERDICT_SEGMENT.finditer(text, m.end(), line_end):
            when = _time_span(text, seg.end(), line_end)
            stop = text.find(";", seg.end(), line_end)
            if not when and _HAS_WORD.search(text, seg.end(), line_end if stop < 0 else stop):
                # "...; more likely as complementary modules": the segment rates its own
                # claim, not the label's, so the label cannot say what it is about.
                continue
            about = f"{label} ({when})" if when else label
            add(seg.start("verbal"), seg.end("verbal"), seg.group("verbal"), about, 0.8)
    # 1b. A verdict answering a question: "Will scaling get us there? Probably not."
    for at in _verdict_openings(text):
        line_start, line_end = sentences.line(at)
        m = _ANSWER_VERDICT.match(text, at, line_end)
        if m is not None:
            question = _question_answered(text, line_start, m.start("verbal"))
            if question is not None and not _OTHERS_VIEW.search(text, m.end(), m.end() + 120):
                add(m.start("verbal"), m.end("verbal"), m.group("verbal"), question, 0.7)
    # 2. An explicit probability phrase: "a low to moderate probability", "a non-trivial chance".
    for m in sentences.scan(
        _VERBAL_NOUN, ("probab", "chance", "likelihood", "odds", "possib"), stops=_PHRASE_STOP
    ):
        if _COMPARED.search(text, max(0, m.start() - 30), m.start()):
            continue  # "less than even odds", "better than even odds": no number we can vouch for
        s_start, s_end = sentences.around(m.start())
        about = _words(_clause_after(text[s_start:s_end], m.end() - s_start), 10)
        about = re.sub(r"^(?:of|that)\s+", "", about, flags=re.I)
        add(m.start(), m.end(), m.group(), about, 0.8)
    # 3. The favoured path or outcome: "the most likely path to AGI is a hybrid one".
    for m in sentences.scan(
        _ATTRIBUTIVE, ("likely", "probable", "plausible"), _ATTRIBUTIVE_NEEDS, stops=_PHRASE_STOP
    ):
        s_start, s_end = sentences.around(m.start())
        about = _words(_clause_after(text[s_start:s_end], m.start("noun") - s_start), 12)
        if _REJECTED.search(about):
            # "The most likely path to AGI is not a scaled-up GPT-7": the sentence turns a path
            # down; the one it favours comes later, and the number would rate the wrong claim.
            continue
        add(m.start("verbal"), m.end("verbal"), m.group("verbal"), about, 0.6)
    # 4. A verdict on the question's claim: "scaling alone is probably insufficient".
    for m in sentences.scan(
        _SUFFICIENCY, ("likely", "probably", "certainly"), _SUFFICIENCY_NEEDS, stops=_PHRASE_STOP
    ):
        s_start, s_end = sentences.around(m.start())
        clause = text[s_start:s_end]
        rel = m.start() - s_start
        local = _clause_before(clause, rel) + _clause_after(clause, rel)
        if not _OUTCOME.search(local):
            continue
        if m.group("leads") and not (
            _AGI_AFTER.match(text, m.end()) or _THERE_AFTER.match(text, m.end())
        ):
            # "will likely lead to diminishing returns": these verbs rate the question only
            # when AGI is what they lead to ("lead to AGI", "get us all the way to AGI"), or
            # "there" ("gets us there"), which in an answer to this question is AGI.
            continue
        add(m.start("verbal"), m.end("verbal"), m.group("verbal"), _words(local, 14), 0.5)
    return rows


# --- attribution ---------------------------------------------------------------------------
_NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}"
_WORD_NAME = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?"  # "Kurzweil", "LeCun", "McCarthy"; one split only
_NAMED = re.compile(
    rf"\b(?i:like|such\s+as|according\s+to|from|e\.g\.,?)\s+(?i:(?:figures|researchers|people|"
    rf"experts)\s+like\s+)?(?P<names>{_NAME}(?:(?:,\s*|\s+(?:or|and)\s+){_NAME})*)"
    rf"|\b(?i:according\s+to|per)\s+(?P<one>{_WORD_NAME})\b"
    # "Kurzweil predicts", "Sam Altman has suggested", "Kurzweil, who predicts", and with an
    # affiliation, a description or bold around the name: "Sam Altman (OpenAI) has hinted",
    # "Gary Marcus, a prominent skeptic, thinks", "**Geoffrey Hinton** estimates"
    rf"|\b(?P<subject>{_WORD_NAME}(?:[ -]{_WORD_NAME}){{0,2}})[*_]*+"
    r"(?:[ \t]*\([^()\n]{1,40}\))?(?:,[ \t]+[^,.;:!?\n]{1,60},)?(?:,?\s+who)?"
    r"\s+(?:(?:has|have|had)\s+(?:long\s+|also\s+|repeatedly\s+|publicly\s+)?)?"
    rf"(?:predict(?:s|ed)|argu(?:es|ed)|believe[sd]|estimate[sd]|says|said|claim(?:s|ed)|"
    rf"expect(?:s|ed)|forecasts?|thinks|thought|puts|suggest(?:s|ed)|writes|wrote|"
    rf"hint(?:s|ed)|talks\s+about)\b"
)
# Capitalised words that start a sentence or name a group, never a person: "Some predict ...",
# "Experts expect ..." (groups are read by _GROUP instead).
_NOT_NAMES = frozenset(
    {
        "a", "an", "the", "and", "but", "so", "yet", "also", "still", "now", "then", "today",
        "here", "there", "this", "that", "these", "those", "it", "he", "she", "they", "we",
        "you", "one", "some", "many", "most", "few", "several", "all", "both", "each", "every",
        "either", "neither", "another", "no", "none", "nobody", "everyone", "everybody",
        "someone", "somebody", "anyone", "anybody", "others", "other", "such", "my", "our",
        "your", "his", "her", "their", "its", "who", "which", "what", "while", "when", "if",
        "as", "meanwhile", "instead", "ultimately", "experts", "researchers", "critics",
        "optimists", "pessimists", "skeptics", "sceptics", "proponents", "forecasters",
        "people", "analysts", "economists", "scientists", "observers", "surveys", "survey",
        "estimates", "predictions", "forecasts", "scaling", "history", "evidence", "data",
        "research", "theory", "unlike", "like", "per", "whereas", "although", "though",
        "nothing",
    }
)  # fmt: skip
_GROUP = re.compile(
    r"\b(?P<who>optimists|pessimists|skeptics|sceptics|proponents|critics|experts|"
    r"(?:some|many|most|other)\s+(?:researchers|experts|people|forecasters|observers)|"
    r"(?P<among>(?:some|many|most|others)\s+(?:in|at)\s+[^.;:?!,]{1,40}?)(?=\s+(?:predict|argue|"
    r"believe|expect|estimate|say|claim|think|suggest|forecast|put)s?\b)|"
    r"researchers|forecasters|surveys?|estimates|predictions|forecasts|(?:prediction\s+)?markets)\b"
    r"[^.;:?!]{0,60}?"
    r"\b(?P<verb>predict|predicts|argue|argues|believe|believe|expect|expects|estimate|say|"
    r"claim|claims|think|range|ranges|ranging|vary|varies|varying|suggest|suggests|forecast|"
    r"put|puts)\b",
    re.I,
)
_FIRST_PERSON = re.compile(
    r"\b(?:I['’]d|I\s+would|I|we['’]d|my|our)\s+(?:\w+\s+)?(?:estimate|say|guess|think|believe|"
    r"expect|predict|bet|intuition|view|take|assessment|put|median|prediction|forecast)\b"
    r"|\bmy\s+intuition\b",
    re.I,
)
_AFTER_ACCORDING = re.compile(rf"^[^.;]{{0,60}}?\baccording\s+to\s+(?P<names>{_NAME})")


def _attribution(sentence: str, offset: int, quote_end: int) -> str | None:
    """Who an estimate belongs to: the last cue before it in its sentence, unless 'I'."""
    head = sentence[:offset]
    best: tuple[int, str] | None = None
    for m in _NAMED.finditer(head):
        names = m.group("names") or m.group("one") or _subject(m.group("subject"))
        if not names:
            continue
        who = "; ".join(re.split(r",\s*|\s+(?:or|and)\s+", names))
        best = (m.start(), who)
    # The reporting verb may be the quote's own first word: "estimates range from 5-50 years".
    for m in _GROUP.finditer(sentence[:quote_end]):
        if m.start() < offset and (best is None or m.start() > best[0]):
            who = m.group("who")  # "many in Silicon Valley": the place as written
            who = who[:1].lower() + who[1:] if m.group("among") else who.lower()
            if who in {"estimates", "predictions", "forecasts", "surveys", "survey"}:
                who = f"others ({who} {m.group('verb').lower()})"
            best = (m.start(), who)
    after = _AFTER_ACCORDING.match(sentence[quote_end:])
    if after:
        return after.group("names")
    if best is None:
        return None
    mine = [m.start() for m in _FIRST_PERSON.finditer(head)]
    if mine and mine[-1] > best[0]:
        return None
    return best[1]


def _subject(words: str | None) -> str | None:
    """The name before a reporting verb, without sentence words ("But Ray Kurzweil")."""
    parts = (words or "").replace("-", " - ").split()
    while parts and parts[0].lower() in _NOT_NAMES | {"-"}:
        parts = parts[1:]
    return " ".join(parts).replace(" - ", "-") or None


# --- public API ----------------------------------------------------------------------------
def estimates_in_text(
    text: str, reference_year: int | None = None, scale: str = DEFAULT_SCALE
) -> list[dict]:
    """The estimates in one answer's text, as row dicts (without response columns)."""
    ref = date.today().year if reference_year is None else int(reference_year)
    return _estimates_in_text(text, ref, scale_lookup(scale))


def _estimates_in_text(text: str, ref: int, lookup: dict) -> list[dict]:
    sentences = _Sentences(text)
    rows: list[_Row] = []
    # Numbers in worked arithmetic are no forecasts; most answers have no number that could be
    # one, so the answer is judged only when there is something to drop.
    numeric = (
        _percent_rows(text, sentences, ref)
        + _word_rows(text, sentences)
        + _timeline_rows(text, sentences, ref)
    )
    if numeric and not _is_worked_numbers(text):
        rows += numeric
    rows += _verbal_rows(text, sentences, lookup, [r.start for r in rows])
    out = []
    for row in sorted(rows, key=lambda r: (r.start, r.kind)):
        whole_start, whole_end = sentences.whole(row.start)
        s_start, s_end = max(whole_start, row.start - AROUND), min(whole_end, row.start + AROUND)
        sentence = text[s_start:s_end]
        attributed = row.who or (
            _attribution(sentence, row.start - s_start, row.end - s_start)
            if row.attribute
            else None
        )
        if (whole_start, whole_end) != (s_start, s_end):  # a sentence too long to show whole
            sentence = f"{'…' if s_start > whole_start else ''}{sentence.strip()}" + (
                "…" if s_end < whole_end else ""
            )
        out.append(
            {
                "kind": row.kind,
                "low": row.low,
                "high": row.high,
                "value": getattr(row, "value", None),
                "year_low": row.year_low,
                "year_high": row.year_high,
                "years_low": row.years_low,
                "years_high": row.years_high,
                "quote": text[row.start : row.end],
                "sentence": sentence,
                "about": row.about,
                "attributed_to": attributed,
                "scale": row.scale,
                "confidence": row.confidence,
                "start": row.start,
                "end": row.end,
            }
        )
    return out


def extract_estimates(
    corpus: Corpus, reference_year: int | None = None, scale: str = DEFAULT_SCALE
) -> pd.DataFrame:
    """One row per estimate in the corpus (columns in `COLUMNS`), in answer and text order.

    `reference_year` turns relative timelines into calendar years and back (None: the current
    year); years before it are history and never reported. `scale` picks the verbal-probability
    scale (see `lib.scales.SCALES`); phrases it lacks fall back to the survey scale, then to
    Chorus's own mapping, and the `scale` column says which gave each number.
    """
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.")
    if reference_year is None:
        reference_year = date.today().year  # once, so every answer counts from the same year
    rows = []
    lookup = scale_lookup(scale)
    year = int(reference_year)
    texts = [r.text for r in corpus.responses]
    found = map_in_halves(
        lambda text: _estimates_in_text(text, year, lookup), texts, weights=list(map(len, texts))
    )
    for r, estimates in zip(corpus.responses, found, strict=True):
        for est in estimates:
            est.pop("value")
            rows.append(
                {
                    "response_index": r.index,
                    "response_id": r.response_id,
                    "group": r.group,
                    **est,
                }
            )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("low", "high", "years_low", "years_high", "confidence"):
        frame[column] = frame[column].astype("Float64")
    for column in ("year_low", "year_high"):
        frame[column] = frame[column].astype("Int64")
    for column in ("response_index", "start", "end"):
        frame[column] = frame[column].astype("int64")
    return frame


# --- hedging -------------------------------------------------------------------------------
_HEDGES = re.compile(
    r"\b(?:perhaps|maybe|might|may|could|possibly|possible|probably|likely|unlikely|"
    r"seems?|seemed|appears?|suggests?|arguably|roughly|approximately|somewhat|uncertain|"
    r"potentially|presumably|plausibly|plausible|tends?\s+to|i\s+think|i\s+believe|"
    r"i\s+suspect|i\s+guess|it\s+is\s+unclear|unclear)\b",
    re.I,
)
_BOOSTERS = re.compile(
    r"\b(?:clearly|certainly|definitely|undoubtedly|undeniably|obviously|surely|of\s+course|"
    r"indeed|without\s+(?:a\s+)?doubt|no\s+doubt|inevitably|absolutely|unquestionably|"
    r"always|never|in\s+fact|must)\b",
    re.I,
)


@cache
def _hedges_or_boosters() -> re.Pattern:
    """Hedges (group 1) or boosters (group 2) in one scan of a `_fold`-ed text.

    The same counts as scanning for each list apart as long as no phrase of one list can start
    inside a match of the other (today no word is in both lists); a phrase added to either list
    that overlaps the other ("it must be") would break this, and the hypothesis test in
    tests/test_estimates.py compares the two ways.
    """

    def words(pattern: re.Pattern) -> str:
        return pattern.pattern.removeprefix(r"\b(?:").removesuffix(r")\b")

    return re.compile(rf"\b(?:({words(_HEDGES)})|({words(_BOOSTERS)}))\b")


def hedging(corpus: Corpus) -> pd.DataFrame:
    """Hedges ("perhaps", "might", "likely") and boosters ("clearly") per 100 words, per answer."""
    rows = []
    # Words counted as everywhere else in Chorus (`lib.text.count_words`), and counted once per
    # corpus: on a large one they are already known from the theme scores.
    counts = word_counts(corpus)
    for r, words in zip(corpus.responses, counts, strict=True):
        folded = _fold(r.text)  # the word lists run case-blind on it: 4-5 times faster
        hedges = boosters = 0
        for m in _hedges_or_boosters().finditer(folded):
            if m.lastindex == 1:
                hedges += 1
            else:
                boosters += 1
        per = 100.0 / words if words else 0.0
        rows.append(
            {
                "response_id": r.response_id,
                "response_index": r.index,
                "group": r.group,
                "words": words,
                "hedges": hedges,
                "boosters": boosters,
                "hedges_per_100": round(hedges * per, 2),
                "boosters_per_100": round(boosters * per, 2),
            }
        )
    return pd.DataFrame(rows, columns=HEDGING_COLUMNS)
