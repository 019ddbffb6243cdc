"""Fuzzing the splitter and the loaders: bad input never gives anything but ChorusInputError.

Pasted text is built from the line kinds real pastes have (prompt, headings, bullets, answer
headers, blank and whitespace-only lines, CRLF, no trailing newline), and the response line
ranges must stay inside the file, in order, without overlap, covering every non-blank line.
"""

import csv
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.corpus import ChorusInputError
from lib.loaders import load_bytes
from lib.splitter import split_text

ROOT = Path(__file__).resolve().parent.parent
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies ---------------------------------------------------------------------------------
WORDS = st.sampled_from(
    ["scaling", "data", "compute", "models", "reasoning", "AGI", "may", "likely", "not", "the",
     "and", "of", "2030", "50%", "memory", "grounding", "however", "I", "think", "roughly",
     "probably", "agents", "—", "“quoted”", "café"]
)  # fmt: skip
# Printable text without line separators: those are built explicitly below.
FREE_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40)


def sentence(words: list[str]) -> str:
    return " ".join(words).capitalize() + "."


LINE = st.one_of(
    st.lists(WORDS, min_size=3, max_size=25).map(sentence),  # paragraph
    st.lists(WORDS, min_size=1, max_size=5).map(lambda w: " ".join(w).title()),  # heading
    st.lists(WORDS, min_size=1, max_size=5).map(lambda w: "## " + " ".join(w)),
    st.lists(WORDS, min_size=1, max_size=5).map(lambda w: "**" + " ".join(w) + "**"),
    st.lists(WORDS, min_size=1, max_size=12).map(lambda w: "- " + " ".join(w)),
    st.lists(WORDS, min_size=1, max_size=12).map(lambda w: " - " + " ".join(w)),
    st.lists(WORDS, min_size=1, max_size=12).map(lambda w: "* " + " ".join(w)),
    st.tuples(st.integers(1, 20), st.lists(WORDS, min_size=1, max_size=8)).map(
        lambda t: f"{t[0]}. " + " ".join(t[1])
    ),
    st.integers(1, 20).map(lambda i: f"Response {i}"),
    st.integers(1, 20).map(lambda i: f"### Answer {i}:"),
    st.sampled_from(["---", "***", "===", "### Model: gpt-4", "Claude:", "Here's my take:"]),
    st.sampled_from(["", "", "   ", "\t", " \t "]),  # blank and whitespace-only
    FREE_TEXT,
)


@st.composite
def pasted_text(draw) -> str:
    prompt = draw(st.lists(WORDS, min_size=3, max_size=15).map(lambda w: " ".join(w) + "?"))
    lines = draw(st.lists(LINE, min_size=0, max_size=60))
    if draw(st.booleans()):
        lines = [prompt, *lines]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    return text


def source_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_line_ranges(corpus, text: str) -> None:
    """Ranges inside the file, sorted, disjoint, and covering every non-blank answer line."""
    lines = source_lines(text)
    n = len(lines)
    ranges = [(r.start_line, r.end_line) for r in corpus.responses]
    for start, end in ranges:
        assert 1 <= start <= end <= n, (ranges, n)
    assert ranges == sorted(ranges)
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert end < start, ranges
    # A header with no text under it gives no response (with a warning): its lines are
    # accounted for by the boundary.
    headers = {
        line
        for b in corpus.boundaries or []
        for line in range(b.start_line, b.start_line + b.header_lines)
    }
    non_blank = [i for i, s in enumerate(lines, start=1) if s.strip()]
    # The prompt is the first non-blank line when the splitter found one.
    after_prompt = non_blank[1:] if corpus.prompt is not None else non_blank
    for line in after_prompt:
        covered = line in headers or any(start <= line <= end for start, end in ranges)
        assert covered, (line, ranges)


def check_structured(result) -> None:
    for corpus in result.corpora:
        assert corpus.responses
        starts = [r.start_line for r in corpus.responses]
        assert starts == sorted(starts)
        for r in corpus.responses:
            assert 1 <= r.start_line <= r.end_line
            assert r.text.strip()
        assert len({r.response_id for r in corpus.responses}) == len(corpus)


# --- the splitter -------------------------------------------------------------------------------
@FUZZ
@given(pasted_text())
def test_split_text_line_ranges(text):
    try:
        corpus = split_text(text)
    except ChorusInputError:
        return
    check_line_ranges(corpus, text)


@FUZZ
@given(pasted_text(), st.integers(1, 20))
def test_split_text_with_expected_count_keeps_every_line(text, expected):
    try:
        corpus = split_text(text, expected=expected)
    except ChorusInputError:
        return
    check_line_ranges(corpus, text)


# --- the loaders ----------------------------------------------------------------------------------
NAMES = st.sampled_from(
    ["a.txt", "a.md", "a.jsonl", "a.json", "a.csv", "a.tsv", "pasted", "a.bin", "A.JSONL"]
)


@FUZZ
@given(pasted_text(), st.sampled_from(["pasted.txt", "notes.md", "pasted"]))
def test_load_pasted_text_line_ranges(text, name):
    try:
        result = load_bytes(text.encode("utf-8"), name)
    except ChorusInputError:
        return
    if result.format == "text":
        (corpus,) = result.corpora
        check_line_ranges(corpus, text)
    else:
        check_structured(result)


@FUZZ
@given(st.binary(max_size=3000), NAMES)
def test_load_random_bytes(data, name):
    try:
        result = load_bytes(data, name)
    except ChorusInputError:
        return
    assert result.corpora


@FUZZ
@given(
    st.text(max_size=400),
    st.sampled_from(["utf-8", "utf-16", "utf-16-be", "utf-32", "cp1252", "latin-1"]),
    NAMES,
)
def test_load_text_in_any_encoding(text, encoding, name):
    data = text.encode(encoding, errors="replace")
    try:
        result = load_bytes(data, name)
    except ChorusInputError:
        return
    assert result.corpora


KEYS = st.sampled_from(
    ["response", "Answer", "TEXT", "content", "model", "Model_Name", "system", "prompt",
     "question", "id", "messages", "choices", "responses", "data", "meta"]
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | FREE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
RECORDS = st.dictionaries(KEYS, JSON_VALUES, max_size=5)


@st.composite
def jsonl_ish(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["record", "record", "value", "broken", "blank"]))
        if kind == "record":
            lines.append(json.dumps(draw(RECORDS), ensure_ascii=draw(st.booleans())))
        elif kind == "value":
            lines.append(json.dumps(draw(JSON_VALUES)))
        elif kind == "broken":
            good = json.dumps(draw(RECORDS))
            lines.append(good[: draw(st.integers(0, max(0, len(good) - 1)))])
        else:
            lines.append(draw(st.sampled_from(["", "  "])))
    return "\n".join(lines)


@st.composite
def json_ish(draw) -> str:
    items = draw(st.lists(st.one_of(RECORDS, JSON_VALUES), max_size=8))
    doc = draw(
        st.sampled_from(
            [
                items,
                {"responses": items},
                {"data": items, "prompt": "Q?"},
                {"meta": 1, "answers": items},
                {"response": "single"},
            ]
        )
    )
    text = json.dumps(doc, indent=draw(st.sampled_from([None, 1, 2])))
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]  # truncated file
    return text


@st.composite
def csv_ish(draw) -> str:
    header = draw(st.lists(KEYS | FREE_TEXT, min_size=1, max_size=5))
    rows = draw(st.lists(st.lists(FREE_TEXT | WORDS, max_size=6), max_size=10))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    if draw(st.booleans()):
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue()
    # Hand-joined: unbalanced quotes and stray delimiters are left as they fall.
    return "\n".join(delimiter.join(r) for r in [header, *rows])


@FUZZ
@given(jsonl_ish(), st.sampled_from(["a.jsonl", "pasted", "a.json", "a.txt"]))
def test_load_jsonl_ish(text, name):
    try:
        result = load_bytes(text.encode("utf-8"), name)
    except ChorusInputError:
        return
    if result.format != "text":
        check_structured(result)


@FUZZ
@given(json_ish(), st.sampled_from(["a.json", "pasted", "a.jsonl", "a.md"]))
def test_load_json_ish(text, name):
    try:
        result = load_bytes(text.encode("utf-8"), name)
    except ChorusInputError:
        return
    if result.format != "text":
        check_structured(result)


@FUZZ
@given(csv_ish(), st.sampled_from(["a.csv", "a.tsv", "pasted"]))
def test_load_csv_ish(text, name):
    try:
        result = load_bytes(text.encode("utf-8"), name)
    except ChorusInputError:
        return
    if result.format == "csv":
        check_structured(result)
        for corpus in result.corpora:
            for r in corpus.responses:
                assert r.end_line <= len(source_lines(text))


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["text", "model", "prompt", "other"]),
        st.sampled_from(["reply", "Bot", "q", "", "missing"]),
        max_size=3,
    )
)
def test_load_with_any_column_mapping(columns):
    data = b"id,reply,bot,q\n1,Yes,gpt,Q1\n2,No,claude,Q1\n3,,gpt,Q2\n"
    try:
        result = load_bytes(data, "a.csv", columns=columns)
    except ChorusInputError:
        return
    check_structured(result)


# --- regexes stay linear on long lines ----------------------------------------------------------
# One pathological 1-2 MB line per case. Run in a subprocess with a generous timeout: a guard
# against catastrophic backtracking (which would take hours), not a speed test.
LONG_LINES = {
    "spaced-words": '"a " * 500_000',
    "dashes": '"-" * 10**6',
    "title-words": '"Title " * 200_000',
    "bullets": '"- " * 500_000',
    "numbered": '"1. " * 400_000',
    "stars": '"**" * 500_000',
    "hashes": '"# " * 500_000',
    "quotes": "'\"' * 10**6",
    "commas": '"," * 10**6',
    "braces": '"{" * 10**6',
    "brackets": '"[{" * 500_000',
    "no-punctuation": '"word" * 400_000',
}
LONG_LINE_SCRIPT = """
import sys
from lib.corpus import ChorusInputError
from lib.loaders import load_bytes
from lib.splitter import split_text

line = {expr}
for text in (line, "Prompt?\\n" + line + "\\nSecond answer.\\n"):
    try:
        split_text(text)
    except ChorusInputError:
        pass
    for name in ("pasted.txt", "pasted", "a.csv", "a.jsonl", "a.json"):
        try:
            load_bytes(text.encode(), name)
        except ChorusInputError:
            pass
print("done")
"""


def _finishes(script: str) -> None:
    """Run `script` in a fresh Python: it must print "done" within a minute."""
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "done"


@pytest.mark.parametrize("expr", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_long_single_lines_finish(expr):
    _finishes(LONG_LINE_SCRIPT.format(expr=expr))


# Lines that made the estimate patterns backtrack polynomially (a review timed 150 s for 300
# tabs before a label): each must finish, in a subprocess with a generous timeout.
ESTIMATE_LINES = {
    "tabs-before-label": '"    " + "\\t" * 5000 + "likelihood 10%"',
    "spaces-before-label": '" " * 5000 + "likelihood 10%"',
    "label-then-spaces": '"Probability:" + " " * 5000 + "x 10%"',
    "named-bracket-spaces": '"(confidence" + " " * 5000 + "x 10%)"',
    "bullet-tabs": '"-" + "\\t" * 5000 + "Probability of AGI: 10%"',
    "timeline-label-spaces": '" " * 5000 + "- **AGI timeline:** 2035"',
    "verdict-spaces": '" " * 5000 + "- Verdict" + " " * 3000 + ": unlikely"',
    "questions": '"Is it? " * 2000 + "Unlikely."',
    "star-spaces": '"Probability:" + " *" * 2500 + "x 10%"',
    "spaced-question": '"Is" + " " * 5000 + "it?\\nUnlikely."',
    "many-questions": '"? Likely. " * 500',
    "spaced-heading": '"### a" + " " * 5000 + "b\\n- **Probability:** 60%"',
    # One sentence of thousands of estimates: each reads a bounded stretch around it (a review
    # timed 363 s and 58 s for these before; about 6 s and 1 s now).
    "sentence-of-dates": '"AGI could arrive by 2030 and compute by 2031 and data by 2032 and " * 2000',
    "sentence-of-likelies": '"AGI scaling alone is likely to get us to AGI and " * 2000',
}
ESTIMATE_LINE_SCRIPT = """
from lib.estimates import estimates_in_text

estimates_in_text({expr}, reference_year=2026)
print("done")
"""


@pytest.mark.parametrize("expr", ESTIMATE_LINES.values(), ids=ESTIMATE_LINES.keys())
def test_estimate_patterns_finish_on_long_lines(expr):
    _finishes(ESTIMATE_LINE_SCRIPT.format(expr=expr))
