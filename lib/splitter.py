"""Split pasted multi-answer text into responses.

Answers pasted one after another carry no delimiter, so every line is scored as a possible
start of a new answer from several independent kinds of evidence:

- explicit structure: separator lines (`---`, `***`, `===`, `#####`) and headers such as
  `Response 3`, `### Model: gpt-4`, `[claude]`, `=== gemini ===` (always trusted);
- an opener typical of a new answer ("Short answer:", "Excellent question.", "Sure!", "Title: …",
  "I think …");
- the previous line closes an answer: a question to the reader ("What's your take?") or a
  sign-off ("Let me know!");
- the previous lines sit in a conclusion ("Conclusion", "Bottom line", "Ultimately, …");
- the line restates the prompt, or is a title followed by an introduction;
- the line's opening words recur at other line starts far apart (answers to one prompt tend to
  open alike);
- the writing style changes across the line.

No single pattern decides. Lines whose summed score passes a threshold become boundaries;
when the user says how many responses there are, the best-scoring lines are taken instead.
Every boundary keeps its confidence and its evidence in words a user can read.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from lib.corpus import _MD_HEADING, Boundary, ChorusInputError, Corpus, paused_gc, prompt_through

# Weights of each kind of evidence; a line scoring THRESHOLD or more starts a new answer.
THRESHOLD = 3.0
W_EXPLICIT = 10.0
W_STRONG_OPENER = 3.0
W_OPENER = 1.2
W_CLOSER = 2.0
W_ENDING = 1.0
W_RESTATED = 1.0
W_TITLE = 1.0
W_REPEATED_STEP = 0.4
W_REPEATED_MAX = 1.6
W_FIRST_OPENING = 1.8
LEARN_MEAN = 2.5  # mean first-pass score for shared opening words to count
W_SHIFT = 0.8
ENDING_LOOKBACK = 12  # lines after a conclusion heading that still count as "the end of an answer"
SHIFT_WINDOW = 8  # non-blank lines compared on each side for the style shift
SHIFT_BUCKETS = 61  # hashed byte pairs per line
SHIFT_CHUNK = 20_000  # lines per numpy batch: bounds memory on huge files
# Lines per byte-pair histogram batch: the per-byte temporaries (~20 bytes per byte of text)
# stay a few MB and in cache. Counts are integers, so the batch size cannot change a result.
FEATURE_BATCH = 1024

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_BULLET = re.compile(r"^\s*(?:[-*+\u2022\u2013]|\d{1,3}[.)])\s+")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s")
_BULLET_FIRST = frozenset("-*+\u2022\u20130123456789")

# --- explicit structure -------------------------------------------------------------------
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|\*{3,}|={3,}|#{3,}|_{3,}|~{3,})\s*$")
_HEADER_PATTERNS = [
    # "Response 3", "## Answer 2 (gpt-4)", "Sample #4 - claude", "Output 1: gemini"
    re.compile(
        r"^\s*(?:#{1,6}\s*)?(?:\*\*)?(?:response|answer|output|completion|sample|generation)"
        r"\s*#?\s*\d{1,5}(?:\*\*)?\s*(?:[(\[:\-–—]\s*(?P<model>[^()\[\]]{1,60}?)\s*[)\]]?)?\s*:?\s*$",
        re.IGNORECASE,
    ),
    # "### Model: gpt-4", "Model = claude-3"
    re.compile(
        r"^\s*(?:#{1,6}\s*)?(?:\*\*)?(?:model|source|system|llm)(?:\*\*)?\s*[:=]\s*(?:\*\*)?"
        r"(?P<model>[^\s].{0,60}?)(?:\*\*)?\s*$",
        re.IGNORECASE,
    ),
    # "[claude]"
    re.compile(r"^\s*\[(?P<model>[A-Za-z][\w .:/+\-]{0,40})\]\s*$"),
    # Copied chat transcripts: "ChatGPT said:", "Claude said:", "Grok 3 said:"
    re.compile(r"^\s*(?P<model>[A-Z][\w.\-]{1,30}(?:\s[\w.\-]{1,15})?)\s+said:\s*$"),
    re.compile(r"^\s*(?:assistant|ai|bot)\s*:\s*$", re.IGNORECASE),
    # "=== gemini ===", "--- gpt-4o ---", "##### grok #####"
    re.compile(
        r"^\s*(?:={2,}|-{3,}|#{3,}|\*{3,})\s*(?P<model>[^=#*\-\s][^=#*]{0,60}?)\s*(?:={2,}|-{3,}|#{3,}|\*{3,})\s*$"
    ),
]

# A line that is only a model's name: "Claude:", "### Gemini", "**GPT-4o**", "GPT-4o response 2",
# "Claude #3", "Claude 3.5 Sonnet", "Claude Sonnet 4 said:". Such a name could also head a
# section inside an answer ("GPT-4:" before a list about it), so these count only in a file
# labelled this way: one opens the answers, there are at least two, and all are written alike
# (see `_model_labels`).
_MODEL_NAME = (
    r"(?:claude|chat\s?gpt|gpt[\w.\-]*|gemini|grok|llama[\w.\-]*|mistral|mixtral|deepseek|"
    r"qwen[\w.\-]*|copilot|perplexity|bard|gemma[\w.\-]*|o[1-9][\w.\-]*|phi-?\d[\w.\-]*|kimi)"
)
_MODEL_VERSION = (
    r"(?:[\w.]*\d[\w.]*|sonnet|opus|haiku|pro|flash|ultra|mini|turbo|instruct|chat|large|small|"
    r"medium|nano|preview|latest|thinking|max|plus|beta|heavy|lite|coder|reasoner)"
)
_MODEL_LABEL = re.compile(
    rf"^\s*(?:#{{1,6}}\s*)?(?:\*\*|__)?(?P<model>{_MODEL_NAME}(?:[ \-]{_MODEL_VERSION}){{0,3}})"
    r"(?:\s*(?:response|answer|sample|run|output|take|#)\s*#?\s*\d{1,4})?(?:\s+said)?"
    r"\s*(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*$",
    re.IGNORECASE,
)


def _model_labels(lines: list[str], first_body: int) -> dict[int, str]:
    """Line -> model for model-name label lines, when the file is labelled that way: the
    first answer line is one, and there are at least two. Otherwise none."""

    def read(s: str) -> tuple[re.Match, str] | None:
        m = _MODEL_LABEL.match(s) if len(s) <= 60 and s.strip() else None
        return (m, s) if m else None

    return _labels(lines, first_body, read)


def _labels(
    lines: list[str],
    first_body: int,
    read: Callable[[str], tuple[re.Match, str] | None],
    after_blank: bool = False,
) -> dict[int, str]:
    """Line -> model for the lines `read` finds a label in (its match, and the part of the
    line its shape is read from), when the file is labelled that way: the first answer line
    is one, there are at least two, and all are written alike (`_label_shape`); with
    `after_blank`, only lines after a blank line. Otherwise none."""
    if first_body > len(lines) or not read(lines[first_body - 1]):
        return {}  # the first answer has no label: the file is not labelled this way
    found = {}
    shape = None  # the first label's form: later labels are written the same way
    for k in range(first_body, len(lines) + 1):
        if after_blank and k > first_body and lines[k - 2].strip():
            continue
        got = read(lines[k - 1])
        if got and shape in (None, this := _label_shape(got[1], got[0])):
            shape = this
            found[k] = got[0].group("model").strip()
    return found if len(found) >= 2 else {}


def _label_shape(line: str, m: re.Match) -> str:
    """ "### Claude" and "### Gemini 2.5" -> "### M"; "Claude:" -> "M:": a bare "Gemini" in a
    list inside a "### Claude"-labelled file is no label."""
    rest = line[: m.start("model")] + "M" + line[m.end("model") :]
    return re.sub(r"\d+", "9", " ".join(rest.split()).casefold())


# A model's name, a colon and the answer on the same line: "Claude: Scaling helps, but ...",
# "**GPT-4o:** Probably not." Read only in a file written that way throughout (as for the
# label lines above) and after a blank line, since an answer may list models like this
# ("GPT-4: strong at code" on consecutive lines).
_INLINE_LABEL = re.compile(
    rf"^\s*(?:\*\*|__)?(?P<model>{_MODEL_NAME}(?:[ \-]{_MODEL_VERSION}){{0,3}})"
    r"\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?=\S)",
    re.IGNORECASE,
)


# Below certainty: such a line could also open an item of a list of models.
INLINE_LABEL_CONFIDENCE = 0.9


def _inline_labels(lines: list[str], first_body: int, after_blank: bool = True) -> dict[int, str]:
    """Line -> model for lines opening with a model's name and a colon after a blank line
    (or anywhere, when not `after_blank`), when the file is written that way (`_labels`)."""

    def read(s: str) -> tuple[re.Match, str] | None:
        m = _INLINE_LABEL.match(s[:80])
        return (m, s[: m.end()]) if m else None

    return _labels(lines, first_body, read, after_blank)


# --- openers, closers, endings -------------------------------------------------------------
_QUALITY = (
    r"(?:great|excellent|good|interesting|fascinating|important|thoughtful|big|tough|hard|"
    r"central|profound|deep|complex|tricky|crucial|key|fundamental|fair|insightful|"
    r"nuanced|difficult|timely|classic)"
)
_STRONG_OPENERS = re.compile(
    r"^(?:"
    r"(?:the\s+)?short\s+answer\s*[:\-—–]|tl;?\s*dr\s*[:\-—–]|title\s*:|"
    rf"(?:what\s+an?\s+|an?\s+)?{_QUALITY}(?:\s+and\s+\w+)?\s+question\b|"
    rf"(?:this|that|it)\s+is\s+(?:a|an|such\s+an?)\s+(?:\w+\s+){{0,2}}?{_QUALITY}"
    rf"(?:\s+and\s+\w+)?\s+question\b|"
    r"(?:that'?s|that’s)\s+(?:a|an)\s+(?:\w+\s+){0,2}?question\b|"
    r"thanks?\s+(?:you\s+)?for\s+(?:the|this|your|asking)\b"
    r")",
    re.IGNORECASE,
)
_OPENERS = re.compile(
    r"^(?:"
    r"(?:sure|certainly|absolutely|of\s+course|okay|ok|yes|no|great|happy\s+to\s+help)\s*[!,.—–-]|"
    r"(?:i\s+think|i\s+believe|in\s+my\s+view|my\s+view|my\s+take|i'?d\s+say|i’d\s+say|"
    r"honestly|here'?s|here’s|let'?s|let’s|it\s+depends|as\s+an\s+ai|"
    r"as\s+a\s+(?:large\s+)?language\s+model|overall\s+view)\b"
    r")",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    # The lookahead on the first letter lets the engine skip most positions quickly.
    r"\b(?=[lhfwsicybeg])(?:let\s+me\s+know|hope\s+(?:this|that)\s+helps|feel\s+free|happy\s+to\s+(?:help|discuss|"
    r"expand|elaborate|go)|would\s+you\s+like|want\s+me\s+to|shall\s+i|i\s+can\s+also|"
    r"i['’]?d\s+(?:love|be\s+(?:happy|glad|curious))\s+to|curious\s+(?:to\s+hear|what\s+you)|"
    r"(?:your|you)\s+(?:thoughts|take|view|perspective)\b[^.!?]{0,40}[?.!]\s*$|"
    r"(?:enjoy|bon\s+app[ée]tit|happy\s+\w+ing|good\s+luck|cheers)\b[^.!?]{0,40}[!.]\s*$)",
    re.IGNORECASE,
)
_YOU = re.compile(r"\b(?:you|your|yours|you'?re|you’re|you'?d|you’d)\b", re.IGNORECASE)
_ENDING_HEADING = re.compile(
    r"^(?:#+\s*)?(?:conclusion|in\s+conclusion|summary|bottom\s+line|final\s+thoughts?|"
    r"tl;?dr|takeaways?|key\s+takeaways?|the\s+bottom\s+line|wrapping\s+up|closing\s+thoughts)"
    r"(?:\s*[:.!\-—–].*)?$",
    re.IGNORECASE,
)
_ENDING_START = re.compile(
    r"^(?:in\s+conclusion|ultimately|in\s+essence|in\s+summary|overall|to\s+sum\s+up|"
    r"in\s+short|bottom\s+line|therefore|all\s+in\s+all|in\s+the\s+end|to\s+conclude|"
    r"final\s+thoughts?)\b",
    re.IGNORECASE,
)

_STOP = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "might",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "think",
        "do",
        "does",
        "extent",
        "way",
        "ways",
    ]
)


# Not frozen: a frozen dataclass's __init__ costs ~3x more, and a 10k-answer paste has 300k lines.
@dataclass(slots=True)
class _Line:
    """A non-blank line of the answers, with what the scoring reads from it."""

    number: int  # 1-based
    text: str  # stripped
    bullet: bool
    heading: bool
    words: int


def split_text(
    text: str, *, expected: int | None = None, name: str = "corpus", prompt_end: int | None = None
) -> Corpus:
    """Split pasted answers into a corpus of responses.

    `expected` forces exactly that many responses (when the file has enough lines).
    `prompt_end`: the prompt is lines 1 to this one, joined by spaces (0: there is none, the
    first line opens an answer), for a prompt on several lines or a first answer the prompt
    detection took for one; None: found by `detect_prompt`.
    Raises ChorusInputError for an empty or prompt-only file.

    >>> c = split_text("Why?\\nShort answer: yes.\\nMore.\\nShort answer: no.\\nLess.")
    >>> [r.start_line for r in c.responses]
    [2, 4]
    """
    return split_lines(
        _normalise(text).split("\n"), expected=expected, name=name, prompt_end=prompt_end
    )


def split_lines(
    lines: list[str],
    *,
    expected: int | None = None,
    name: str = "corpus",
    prompt_end: int | None = None,
) -> Corpus:
    """`split_text` for text already cut at "\\n" (with "\\r\\n" and "\\r" made "\\n" first).

    For a caller that holds a big text only to split it: it can cut the text into lines and
    drop the text before the responses are built, so the two never sit in memory together.
    The list itself is not changed.
    """
    if lines and lines[0].startswith("\ufeff"):
        lines = [lines[0].lstrip("\ufeff"), *lines[1:]]
    if lines and lines[-1] == "" and len(lines) > 1:
        lines = lines[:-1]  # the final newline ends the last line; it does not open another
    if not any(s.strip() for s in lines):
        raise ChorusInputError("The file is empty: there is no text to split into answers.")
    if expected is not None and expected < 1:
        raise ChorusInputError(
            f"The expected number of responses must be 1 or more, not {expected}."
        )
    if prompt_end is None:
        prompt_line = detect_prompt(lines)
        prompt = lines[prompt_line - 1].strip() if prompt_line else None
        said = f"Line {prompt_line} looks like the prompt"
    else:
        prompt = prompt_through(lines, prompt_end)
        prompt_line = max(0, int(prompt_end)) if prompt else None
        said = f"The prompt is set to end at line {prompt_end}"
    if not any(lines[i].strip() for i in range(prompt_line or 0, len(lines))):
        raise ChorusInputError(f"{said} and nothing follows it: no answers to split.")
    warnings: list[str] = []
    with paused_gc():  # a line object and a few strings per line: 300k lines at 10k answers
        boundaries = detect_boundaries(lines, prompt_line, expected, warnings)
        corpus = Corpus.from_boundaries(
            lines, boundaries, prompt=prompt, prompt_line=prompt_line, name=name, warnings=warnings
        )
    if not corpus.responses:
        marks = ", ".join(str(b.start_line) for b in boundaries[:5])
        raise ChorusInputError(
            f"The file holds only headers or separator lines (line {marks}): "
            "no answer text under them."
        )
    if expected is not None and len(corpus) != expected:
        corpus.warnings.append(
            f"Asked for {expected} responses but the text only allows {len(corpus)} "
            "(each response needs at least one line of its own)."
        )
    if len(corpus) == 1 and expected is None:
        corpus.warnings.append(
            "Found a single answer. If the file holds several, set the number of responses "
            "or split it at a line."
        )
    return corpus


def _normalise(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- the prompt -----------------------------------------------------------------------------
_PROMPT_PREFIX = re.compile(r"^\s*(?:prompt|question|q|user)\s*[:>]\s*\S", re.IGNORECASE)
_ASKING = re.compile(
    r"^\s*(?:what|how|why|when|where|which|who|whom|whose|should|can|could|would|will|is|are|"
    r"do|does|did|to\s+what|in\s+what|explain|describe|write|give|list|summari[sz]e|compare|tell|"
    r"please|discuss|analy[sz]e|evaluate|predict|estimate|imagine|suppose|consider)\b",
    re.IGNORECASE,
)


def detect_prompt(lines: list[str]) -> int | None:
    """The 1-based line of the prompt, or None when the file starts with an answer.

    A prompt is the first non-blank line when it is labelled ("Prompt: …"), or asks
    (ends with "?" or opens like a request) in under 80 words and more text follows.
    """
    first = next((i for i, s in enumerate(lines) if s.strip()), None)
    if first is None:
        return None
    line = lines[first].strip()
    if _explicit_header(line) or _SEPARATOR.match(line):
        return None
    if _STRONG_OPENERS.match(line) or _OPENERS.match(line):
        return None
    if _PROMPT_PREFIX.match(line):
        return first + 1
    n_words = len(line.split())
    if n_words > 80 or _BULLET.match(line):
        return None
    if line.endswith("?") or (_ASKING.match(line) and line[-1:] in ".:?!"):
        return first + 1
    return None


def _content_words(text: str) -> set[str]:
    words = set()
    for w in _WORD.findall(text.lower()):
        w = w.replace("’", "'")
        if len(w) < 3 or w in _STOP:
            continue
        if w.endswith("s") and len(w) > 4 and not w.endswith("ss"):
            w = w[:-1]
        words.add(w)
    return words


# --- explicit structure ---------------------------------------------------------------------
_MAYBE_MARKER = re.compile(
    r"^\s*(?:[-*=#_~\[]|(?:response|answer|output|completion|sample|generation|model|source|"
    r"system|llm|assistant|ai|bot)\b|[A-Z][^\n]{0,45}\ssaid:\s*$)",
    re.IGNORECASE,
)


def _explicit_header(line: str) -> tuple[bool, str | None] | None:
    """(True, model or None) when the line is a response header."""
    s = line.strip()
    if not s or len(s) > 90 or not _MAYBE_MARKER.match(s):
        return None
    for pattern in _HEADER_PATTERNS:
        m = pattern.match(s)
        if m:
            model = (m.groupdict().get("model") or "").strip(" *_:-–—") or None
            return True, model
    return None


# Speakers of a copied chat that are the user, not a model ("You said:").
_USER_TURNS = frozenset({"you", "user", "me", "human", "i"})


def _explicit_boundaries(lines: list[str], first_body: int) -> list[Boundary]:
    """Boundaries from separator lines and headers; consecutive marker lines form one."""
    found: list[Boundary] = []
    labels = _model_labels(lines, first_body)

    def header_at(line: str, k: int) -> tuple[bool, str | None] | None:
        return (True, labels[k]) if k in labels else _explicit_header(line)

    i = first_body
    n = len(lines)
    while i <= n:
        s = lines[i - 1]
        if (len(s) > 100 or not _MAYBE_MARKER.match(s)) and i not in labels:
            i += 1
            continue
        s = s.strip()
        if s[0] == "-" and not s.startswith("---"):
            i += 1  # a dash bullet: headers and separators that start with "-" need "---"
            continue
        header = header_at(s, i)
        sep = bool(_SEPARATOR.match(s))
        if not (header or sep):
            i += 1
            continue
        start, model, evidence = i, None, []
        j = i
        while j <= n:
            s = lines[j - 1].strip()
            h = header_at(s, j)
            if h and (h[1] or "").casefold() in _USER_TURNS:
                # "You said:" in a copied chat: the user's own message is part of no answer;
                # it heads the model's reply below it, when a model's turn comes next.
                k, reply = j + 1, None
                while k <= n:
                    t = lines[k - 1].strip()
                    reply = header_at(t, k)
                    if reply or _SEPARATOR.match(t):
                        break
                    k += 1
                if reply and (reply[1] or "").casefold() not in _USER_TURNS:
                    evidence.append(f"your own message (“{s[:30]}”) is left out")
                    j = k
                    continue
                # No model's turn follows: the text stays, but it is no model's answer.
                h = (True, None)
                evidence.append("a message of yours with no model's turn after it is kept here")
            if h:
                model = h[1] or model
                evidence.append(f"header line “{s[:60]}”")
            elif _SEPARATOR.match(s):
                evidence.append(f"separator line “{s[:20]}”")
            elif s:
                break
            j += 1
        label = f" (model: {model})" if model else ""
        found.append(
            Boundary(start, 1.0, (*evidence[:2], f"explicit structure{label}"), model, j - start)
        )
        i = j
    return found


# --- scoring ------------------------------------------------------------------------------
def _classify(lines: list[str], first_body: int) -> list[_Line]:
    """The non-blank lines from `first_body` (1-based) on; blank lines are never scored."""
    out = []
    append = out.append
    for k in range(first_body, len(lines) + 1):
        raw = lines[k - 1]
        s = raw.strip()
        if not s:
            continue
        # Only lines starting with a marker or a digit can be bullets: skip the regex otherwise.
        bullet = s[0] in _BULLET_FIRST and bool(_BULLET.match(raw))
        words = s.count(" ") + 1
        heading = not bullet and words <= 14 and s[-1] not in ".!?;," and _is_heading(s)
        append(_Line(k, s, bullet, heading, words))
    return out


def _is_heading(s: str) -> bool:
    """`lib.corpus.is_heading_line(s)` for the lines `_classify` asks about, in fewer steps.

    `s` is stripped, not a bullet and does not end in sentence punctuation, so the bullet and
    end-of-line tests of `is_heading_line` are known to fail and are left out; the Markdown
    test runs only on lines starting with "#" (a test checks the two agree).
    """
    if s[0] == "#" and _MD_HEADING.match(s):
        return True
    n = len(s)
    if s.startswith(("**", "__")) and s.rstrip(":").endswith(("**", "__")) and n <= 120:
        return True
    if n > 110 or len(s.split()) > 14:
        return False
    return s[0].isupper() or s[0].isdigit() or s[0] in "\"'“"


# Every word an opener pattern can start with: lines starting otherwise skip both regexes.
_OPENER_FIRST_WORDS = frozenset(re.findall(r"[a-z]+", _QUALITY)) | frozenset(
    re.findall(
        r"[a-z]+",
        "the short tl tldr title what a an this that it thanks thank sure certainly "
        "absolutely of okay ok yes no happy i in my honestly here let as overall",
    )
)
_FIRST_WORD = re.compile(r"[A-Za-z]+")


def _opener_strength(text: str) -> int:
    """2 for a strong opener ("Short answer:"), 1 for a typical one ("I think"), else 0.

    Markdown copied as source keeps its marks: "**Short answer:** yes", "**Short answer**: yes"
    and "## Short answer" open like "Short answer: yes". (A single "*" is a bullet, not
    emphasis, and stays.)
    """
    if text[:2] in ("**", "__"):
        # "**Short answer:** yes" and "**Short answer**: yes" both read "Short answer: yes".
        text = text[2:].replace(text[:2], "", 1)
    elif text[:1] == "#":
        text = text.lstrip("#").lstrip()
        if text.rstrip(" :").casefold() in ("short answer", "tl;dr", "tldr"):
            return 2  # a heading needs no colon: "## Short answer"
    first = _FIRST_WORD.match(text)
    if first is None or first.group(0).lower() not in _OPENER_FIRST_WORDS:
        return 0
    return 2 if _STRONG_OPENERS.match(text) else int(bool(_OPENERS.match(text)))


# The first three _WORD matches of a line. Possessive quantifiers make it exactly what
# `_WORD.findall(...)[:3]` gives: no backtracking into a word to invent a third one.
_FIRST_THREE_WORDS = re.compile(
    r"[^A-Za-z]*+([A-Za-z][A-Za-z'’]*+)[^A-Za-z]++([A-Za-z][A-Za-z'’]*+)"
    r"[^A-Za-z]++([A-Za-z][A-Za-z'’]*+)"
)


def _opening_key(text: str) -> str | None:
    """The line's first three words, lower-cased ("short answer yes"), within 80 characters."""
    m = _FIRST_THREE_WORDS.match(text[:80].lower())
    return " ".join(m.groups()) if m else None


def _style_shift(rows: list[_Line]) -> np.ndarray:
    """Per line (same positions as `rows`): how much the writing changes across it, as a
    percentile among body lines; empty when there are too few lines to compare.

    Each line becomes a histogram of hashed byte pairs (punctuation, casing and word habits)
    plus its formatting; windows before and after a line are compared by cosine distance.
    Done with numpy in chunks of lines, so time grows linearly and memory stays bounded.
    """
    n = len(rows)
    if n < 4:
        return np.empty(0)
    dist = np.empty(n, np.float32)
    w = SHIFT_WINDOW
    for start in range(0, n, SHIFT_CHUNK):
        stop = min(start + SHIFT_CHUNK, n)
        lo, hi = max(start - w, 0), min(stop + w, n)
        feats = _line_features(rows[lo:hi])
        csum = np.vstack([np.zeros((1, feats.shape[1]), np.float32), np.cumsum(feats, axis=0)])
        idx = np.arange(start, stop)
        left, right = np.maximum(idx - w, 0) - lo, np.minimum(idx + w, n) - lo
        before, after = csum[idx - lo] - csum[left], csum[right] - csum[idx - lo]
        num = (before * after).sum(axis=1)
        den = np.linalg.norm(before, axis=1) * np.linalg.norm(after, axis=1)
        dist[start:stop] = np.where(den > 0, 1.0 - num / np.maximum(den, 1e-9), 0.0)
    # An array, not a list: 300k Python floats would be 9 MB of small objects.
    return dist.argsort(kind="stable").argsort(kind="stable") / max(n - 1, 1)


def _pair_buckets(buckets: int, spare: int) -> np.ndarray:
    """Bucket of each byte pair (a, b) at index a * 256 + b: (a * 31 + b) % buckets, or
    `spare` when either byte is a line break: one look-up per byte instead of a multiply, a
    modulo and a masked assignment."""
    byte = np.arange(256, dtype=np.intp)
    table = (byte[:, None] * 31 + byte[None, :]) % buckets
    table[10, :] = table[:, 10] = spare
    return table.ravel()


_PAIR_BUCKET = _pair_buckets(SHIFT_BUCKETS, SHIFT_BUCKETS + 3)


def _line_features(rows: list[_Line]) -> np.ndarray:
    """Hashed byte-pair histogram (normalised) plus bullet, heading and length, per line."""
    buckets = SHIFT_BUCKETS
    width = buckets + 3  # the three formatting columns follow the hashed pairs
    n = len(rows)
    # One spare column past `width` collects the pairs that touch a line break, so no boolean
    # filtering of the bytes is needed; it is dropped before normalising.
    counts = np.empty((n, width + 1), np.int32)
    for start in range(0, n, FEATURE_BATCH):
        batch = rows[start : start + FEATURE_BATCH]
        data = np.frombuffer("\n".join([r.text for r in batch]).encode("utf-8"), np.uint8)
        # intp throughout: bincount would otherwise copy its input to intp first.
        line_id = np.cumsum(data == 10, dtype=np.intp)  # a byte's line, once past any "\n"
        pair = data[:-1].astype(np.intp)
        pair <<= 8
        pair |= data[1:]
        flat = _PAIR_BUCKET.take(pair)
        row = line_id[1:]
        row *= width + 1
        flat += row
        m = len(batch)
        counts[start : start + m] = np.bincount(flat, minlength=m * (width + 1)).reshape(
            m, width + 1
        )
    feats = counts[:, :width].astype(np.float32)
    feats /= np.maximum(feats.sum(axis=1, keepdims=True), 1.0) / 4.0
    feats[:, buckets] = [r.bullet * 2.0 for r in rows]
    feats[:, buckets + 1] = [r.heading * 2.0 for r in rows]
    feats[:, buckets + 2] = [min(r.words, 80) / 20 for r in rows]
    return feats


def score_lines(lines: list[str], prompt_line: int | None) -> list[tuple[int, float, list[str]]]:
    """Every line that could start an answer: (line number, score, evidence), in line order.

    Two passes: the first scores each line on its own evidence; the second adds a bonus
    for opening words shared with answers already found confidently (and with the first
    answer), so the corpus teaches the splitter its own openers. The first answer line is
    not included: it always starts an answer.
    """
    rows = _classify(lines, (prompt_line or 0) + 1)
    if len(rows) < 2:
        return []
    # Every line of the prompt (one, unless the user said it runs on: `prompt_end`).
    prompt_words = _content_words(" ".join(lines[:prompt_line])) if prompt_line else set()
    shift = _style_shift(rows)
    # Per body position (lists, not dicts keyed by line: 300k lines on a big paste):
    # the last conclusion heading seen, for "the previous lines sit in a conclusion" (a new
    # heading or a line that opens like an answer ends that conclusion section), and the
    # opener strength (2: a strong opener, 1: a typical one).
    last_ending = [0] * len(rows)
    opener = [0] * len(rows)
    last = -(10**9)
    for pos, line in enumerate(rows):
        last_ending[pos] = last
        if line.bullet:
            continue
        strength = opener[pos] = _opener_strength(line.text)
        if line.heading and line.words <= 8 and _ENDING_HEADING.match(line.text):
            last = line.number
        elif line.heading or strength:
            last = -(10**9)

    first_scores = []
    for pos in range(1, len(rows)):
        line = rows[pos]
        if line.bullet:
            continue
        nxt = rows[pos + 1] if pos + 1 < len(rows) else None
        score, evidence = _line_evidence(
            line, opener[pos], rows[pos - 1], nxt, last_ending[pos], prompt_words
        )
        pct = float(shift[pos]) if len(shift) else 0.0
        if pct > 0.5:
            score += W_SHIFT * (pct - 0.5) * 2
            if pct >= 0.9:
                evidence.append("the wording changes here")
        first_scores.append((line, score, evidence))
    del shift, last_ending, opener

    # Opening words shared by lines that, on average, already look like answer starts.
    # Lines just below a confident start are left out: they are second lines ("Here's a
    # breakdown…"), and averaging makes the rule the same for 16 answers or 10,000.
    first = rows[0]
    strong = {line.number for line, score, _ in first_scores if score >= THRESHOLD}
    strong.add(first.number)
    by_key: dict[str, list[float]] = {}
    key_of: dict[int, str] = {}
    for line, score, _ in [(first, THRESHOLD, None), *first_scores]:
        k = line.number
        key = _opening_key(line.text)
        if key and not (k - 1 in strong or k - 2 in strong):
            by_key.setdefault(key, []).append(score)
            key_of[k] = key
    learned = {
        key: len(scores) - 1
        for key, scores in by_key.items()
        if len(scores) >= 2 and sum(scores) / len(scores) >= LEARN_MEAN
    }
    first_key = key_of.get(first.number)
    scored = []
    for line, score, evidence in first_scores:
        k = line.number
        key = key_of.get(k)
        others = learned.get(key, 0)
        if key and key == first_key:
            # The very first answer opened with these words: a line that opens the same way is
            # most likely another answer from the same source.
            score += W_FIRST_OPENING
            evidence.append(f"opens like the first answer (“{key}”)")
        elif others:
            score += min(W_REPEATED_STEP * others, W_REPEATED_MAX)
            evidence.append(f"opens like {others} other answer(s) (“{key}”)")
        if score > 0:
            scored.append((k, score, evidence))
    return scored


def _line_evidence(
    line: _Line,
    opener: int,
    prev: _Line,
    nxt: _Line | None,
    last_ending: int,
    prompt_words: set[str],
) -> tuple[float, list[str]]:
    """The score and evidence a line gets on its own, from its neighbours and the prompt."""
    score, evidence = 0.0, []
    text = line.text
    if opener == 2:
        score += W_STRONG_OPENER
        evidence.append(f"opens like a new answer (“{_clip(text, 30)}”)")
    elif opener == 1:
        score += W_OPENER
        evidence.append(f"typical answer opening (“{_clip(text, 30)}”)")
    if _asks_reader(prev.text) or _signs_off(prev.text[-200:]):
        score += W_CLOSER
        evidence.append(f"line {prev.number} closes an answer (“{_clip(prev.text, 40, end=True)}”)")
    elif (_ENDING_START.match(prev.text) and not prev.heading) or (
        0 < prev.number - last_ending <= ENDING_LOOKBACK and not _ENDING_HEADING.match(text)
    ):
        score += W_ENDING
        evidence.append("follows a conclusion")
    if prompt_words and (line.heading or line.words <= 15) and _may_restate(text, prompt_words):
        own = _content_words(text)
        shared = own & prompt_words
        if len(shared) >= 3 and len(shared) >= 0.5 * len(own):
            score += W_RESTATED
            evidence.append(f"restates the prompt ({len(shared)} of its words)")
    if (
        line.heading
        and nxt is not None
        and not nxt.bullet
        and not nxt.heading
        and nxt.words >= 40
        and _is_title_case(text)
    ):
        score += W_TITLE
        evidence.append("a title followed by an introduction")
    return score, evidence


def _signs_off(tail: str) -> bool:
    """`_SIGN_OFF.search(tail)`, skipped on text lacking the words it needs (most lines).

    Substring tests cost a fraction of the regex, which tries every position of the line.
    """
    low = tail.lower()
    if not tail.isascii():
        # The case-blind regex also reads "ı" as "i" and "ſ" as "s", and "İ" lowers to two
        # characters ("i" and a dot): spell them as the regex sees them.
        low = tail.replace("İ", "i").lower().replace("ı", "i").replace("ſ", "s")
    return _may_sign_off(low) and bool(_SIGN_OFF.search(tail))


def _may_sign_off(low: str) -> bool:
    """False when lower-cased `low` lacks the words of every alternative of `_SIGN_OFF`.

    One test per alternative, in its order: "let me know" needs "let" and "know", "i'd love
    to" needs "love", "your thoughts?" needs "you" and "thought", and so on.
    """
    return (
        ("know" in low and "let" in low)
        or ("helps" in low and "hope" in low)
        or ("free" in low and "feel" in low)
        or "happy" in low  # "happy to help", "i'd be happy to", "happy cooking!"
        or ("like" in low and "would" in low)
        or "want" in low
        or "shall" in low
        or ("also" in low and "can" in low)
        or "love" in low
        or "glad" in low
        or "curious" in low
        or (
            "you" in low
            and ("thought" in low or "take" in low or "view" in low or "perspective" in low)
        )
        or "enjoy" in low
        or "bon" in low
        or ("luck" in low and "good" in low)
        or "cheers" in low
    )


def _asks_reader(text: str) -> bool:
    """A question to the reader among the last two sentences ("What's your take?")."""
    tail = text[-240:]
    if "?" not in tail:
        return False
    for sentence in re.split(r"(?<=[.!?])\s+", tail)[-2:]:
        if sentence.endswith("?") and _YOU.search(sentence):
            return True
    return False


def _may_restate(text: str, prompt_words: set[str]) -> bool:
    """False when fewer than 3 prompt words occur in the line even as substrings.

    Every content word of a line, stemmed or not, is a piece of its lower-cased text (with
    "’" read as "'"), so such a line cannot share 3 content words with the prompt and
    `_content_words` (a regex and a set per line) is not needed.
    """
    low = text.lower().replace("’", "'")
    found = 0
    for word in prompt_words:
        if word in low:
            found += 1
            if found >= 3:
                return True
    return False


def _is_title_case(text: str) -> bool:
    words = [w for w in _WORD.findall(text) if len(w) >= 4]
    if not words:
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _clip(text: str, n: int, end: bool = False) -> str:
    if len(text) <= n:
        return text
    return "…" + text[-n:] if end else text[:n] + "…"


def _confidence(score: float) -> float:
    return round(1.0 / (1.0 + math.exp(-1.5 * (score - THRESHOLD + 0.5))), 3)


def detect_boundaries(
    lines: list[str],
    prompt_line: int | None,
    expected: int | None = None,
    warnings: list[str] | None = None,
) -> list[Boundary]:
    """Where each response starts. Explicit structure wins; otherwise scored evidence."""
    warnings = warnings if warnings is not None else []
    first_body = _text_line_from(lines, (prompt_line or 0) + 1)
    explicit = _explicit_boundaries(lines, first_body)
    if not explicit:
        # Answers that open with their model's name on the text line ("Claude: Scaling ...").
        # The name stays in the text: the line is the answer's first line, not a header.
        explicit = [
            Boundary(
                k,
                INLINE_LABEL_CONFIDENCE,
                (f"opens with a model's name (“{model}:”), as every answer here does",),
                model,
            )
            for k, model in _inline_labels(lines, first_body).items()
        ]
    if explicit and explicit[0].start_line > first_body and explicit[0].model is None:
        # Answers separated by lines like "---": the first answer has no separator above it.
        explicit.insert(0, Boundary(first_body, 1.0, ("first answer, before the first separator",)))
    all_scored = None
    if explicit and _separators_only(explicit):
        all_scored = score_lines(lines, prompt_line)
        if _rules_inside_answers(lines, all_scored, explicit):
            explicit = []
            warnings.append(
                "Lines like “---” sit inside answers here (answers also start away from them), "
                "so they were read as part of the text, not as separators."
            )
    if explicit and (expected is None or _count_after(explicit, lines, first_body) == expected):
        return _drop_repeated_prompt(lines, prompt_line, explicit)
    start = Boundary(
        first_body, 1.0, ("first answer after the prompt" if prompt_line else "start of the file",)
    )
    if expected is not None and not explicit:
        # As many lines opening with a model's name as answers expected, even without blank
        # lines between them ("Claude: ...\nGPT-4o: ..."): one answer each.
        named = _inline_labels(lines, first_body, after_blank=False)
        if len(named) == expected > 1:
            said = "opens with a model's name (“{}:”); as many as answers expected"
            return [
                Boundary(k, PARAGRAPH_CONFIDENCE, (said.format(model),), model)
                for k, model in named.items()
            ]
        # As many paragraphs (runs of lines between blank lines) as answers expected: one
        # answer each. Short answers ("Yes.\nScaling keeps working.") carry too little
        # evidence of where they start, but a paste separates them with blank lines.
        starts = _paragraph_starts(lines, first_body)
        if len(starts) == expected > 1:
            evidence = ("after a blank line; as many paragraphs as answers expected",)
            rest = [Boundary(k, PARAGRAPH_CONFIDENCE, evidence) for k in starts[1:]]
            return _drop_repeated_prompt(lines, prompt_line, [start, *rest])
    scored = all_scored if all_scored is not None else score_lines(lines, prompt_line)
    scored = [(k, s, e) for k, s, e in scored if k > first_body]
    for b in explicit:
        scored.append((b.start_line, W_EXPLICIT, list(b.evidence)))
    explicit_at = {b.start_line: b for b in explicit}
    if expected is None:
        chosen = _non_max(sorted(scored, key=lambda t: (-t[1], t[0])), THRESHOLD, None)
    else:
        chosen = _non_max(sorted(scored, key=lambda t: (-t[1], t[0])), -1.0, expected - 1)
        if len(chosen) < expected - 1:
            chosen = _fill_by_position(lines, first_body, chosen, expected - 1)
    out = [start]
    for k, score, evidence in sorted(chosen):
        if k in explicit_at:
            out.append(explicit_at[k])
        else:
            out.append(
                Boundary(
                    k,
                    _confidence(score),
                    tuple(evidence) or ("needed to reach the expected count",),
                )
            )
    return _drop_repeated_prompt(lines, prompt_line, out)


def _separators_only(explicit: list[Boundary]) -> bool:
    """Whether the explicit structure is separator lines alone (no header names an answer)."""
    return not any(
        b.model or any(e.startswith("header line") for e in b.evidence) for b in explicit
    )


RULES_STRETCH_STARTS = 3  # clear starts between two separators that show they are rules


def _rules_inside_answers(lines: list[str], scored: list, explicit: list[Boundary]) -> bool:
    """Whether lines like "---" are Markdown rules inside answers rather than separators.

    Answers copied as Markdown source hold such rules and are pasted back to back, so several
    answers start clearly (a score past THRESHOLD) between two rules, and such starts away
    from the rules number at least half of them. One answer holding a "TL;DR:" and a "Short
    answer:", or two titled poems, is not enough: separators between answers are trusted.
    """
    near = set()  # each separator and the first line of text after it
    for b in explicit:
        near.update(range(b.start_line, _text_line_from(lines, b.start_line + b.header_lines) + 1))
    inside = [k for k, score, _ in scored if score >= THRESHOLD and k not in near]
    if len(inside) < max(2, len(explicit) / 2):
        return False
    # Clear starts per stretch between separators: only several in one stretch show that
    # the separators fail to separate the answers.
    cuts = [b.start_line for b in explicit]
    per_stretch: dict[int, int] = {}
    for k in inside:
        stretch = bisect_right(cuts, k)
        per_stretch[stretch] = per_stretch.get(stretch, 0) + 1
    return max(per_stretch.values()) >= RULES_STRETCH_STARTS


# How sure a paragraph start is as an answer's start when the paragraphs match the count asked.
PARAGRAPH_CONFIDENCE = 0.8


def _paragraph_starts(lines: list[str], first_body: int) -> list[int]:
    """The first line (1-based) of each run of non-blank lines from `first_body` on."""
    return [
        k
        for k in range(first_body, len(lines) + 1)
        if lines[k - 1].strip() and (k == first_body or not lines[k - 2].strip())
    ]


def _text_line_from(lines: list[str], k: int, stop: int | None = None) -> int:
    """The first non-blank line from line `k` (1-based) on, before `stop` (default: past the
    last line); `stop` when there is none."""
    stop = len(lines) + 1 if stop is None else stop
    while k < stop and not lines[k - 1].strip():
        k += 1
    return k


def _prompt_key(line: str) -> str:
    return " ".join(line.split()).casefold()


def _drop_repeated_prompt(
    lines: list[str], prompt_line: int | None, bounds: list[Boundary]
) -> list[Boundary]:
    """A copy of the prompt pasted above or at the top of an answer is part of no answer: it
    becomes a header line of the answer below (kept in the file, left out of both texts). A
    boundary whose answer would be nothing but copies joins the answer after it."""
    if not prompt_line or not bounds:
        return bounds
    key = _prompt_key(lines[prompt_line - 1])
    if not key:
        return bounds
    out: list[Boundary] = []
    stops = [b.start_line for b in bounds[1:]] + [len(lines) + 1]
    carry: Boundary | None = None  # a boundary holding only copies, joined to the next one
    for b, nxt in zip(bounds, stops, strict=True):
        start, header = b.start_line, b.header_lines
        if carry is not None:
            header += start - carry.start_line
            start = carry.start_line
        above = start - 1
        while above > prompt_line and not lines[above - 1].strip():
            above -= 1
        floor = out[-1].start_line + out[-1].header_lines if out else prompt_line
        if above > floor and _prompt_key(lines[above - 1]) == key:
            header += start - above  # the copy and any blank lines after it
            start = above
        first = _text_line_from(lines, start + header, nxt)  # the copy itself, if it is one
        if first < nxt and _prompt_key(lines[first - 1]) == key:
            body = [k for k in range(first, nxt) if lines[k - 1].strip()]
            if nxt <= len(lines) and all(_prompt_key(lines[k - 1]) == key for k in body):
                carry = Boundary(start, b.confidence, b.evidence, b.model, header)
                continue
            header = body[1] - start if len(body) > 1 else header
        model = b.model or (carry.model if carry else None)
        if (start, header, model) == (b.start_line, b.header_lines, b.model):
            out.append(b)
        else:
            evidence = (*b.evidence, "a copy of the prompt above the answer is left out")
            out.append(Boundary(start, b.confidence, evidence, model, header))
        carry = None
    return out


def _count_after(explicit: list[Boundary], lines: list[str], first_body: int) -> int:
    corpus = Corpus.from_boundaries(lines, explicit, prompt_line=first_body - 1 or None)
    return len(corpus)


def _non_max(ranked: list, threshold: float, limit: int | None, gap: int = 2) -> list:
    """Best-scoring lines first, skipping any within `gap` lines of one already taken."""
    taken: list = []
    used: set[int] = set()
    for k, score, evidence in ranked:
        if score < threshold:
            break
        if limit is not None and len(taken) >= limit:
            break
        if any(j in used for j in range(k - gap, k + gap + 1)):
            continue
        taken.append((k, score, evidence))
        used.add(k)
    return taken


def _fill_by_position(lines: list[str], first_body: int, chosen: list, need: int) -> list:
    """Too few scored lines for the expected count: add non-blank lines, evenly spread."""
    taken = {k for k, _, _ in chosen}
    free = [
        k for k in range(first_body + 1, len(lines) + 1) if lines[k - 1].strip() and k not in taken
    ]
    missing = need - len(chosen)
    if missing <= 0 or not free:
        return chosen
    step = len(free) / (missing + 1)
    picks = sorted({free[min(int(step * (i + 1)), len(free) - 1)] for i in range(missing)})
    return chosen + [(k, 0.0, ["placed to reach the expected count"]) for k in picks]


def boundary_candidates(corpus: Corpus, top: int = 20) -> list[dict]:
    """Near misses: lines that scored but did not start an answer, best first (for the Data page)."""
    if corpus.lines is None:
        return []
    lines = list(corpus.lines)  # a plain list: it is read line by line
    # An answer starts at its boundary, and its text at the first text line under its header:
    # splitting anywhere from one to the other would cut the header off as an empty answer
    # and leave the text without its model (`Corpus.split_at` does nothing there).
    starts = set()
    for b in corpus.boundaries or []:
        starts.update(
            range(b.start_line, _text_line_from(lines, b.start_line + b.header_lines) + 1)
        )
    with paused_gc():
        scored = score_lines(lines, corpus.prompt_line)
    rows = [
        {
            "line": k,
            "score": round(s, 2),
            "confidence": _confidence(s),
            "evidence": "; ".join(e),
            "text": lines[k - 1].strip(),
        }
        for k, s, e in scored
        if k not in starts
    ]
    return sorted(rows, key=lambda r: -r["score"])[:top]
