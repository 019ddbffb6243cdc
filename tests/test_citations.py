"""Citations: seed lines, traps that must not be people, and offsets that always line up."""

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from lib.citations import COLUMNS, KINDS, extract_citations, find_citations


def names(text):
    return [(c["kind"], c["name"]) for c in find_citations(text)]


def test_seed_lines():
    line = (
        "This viewpoint, often associated with researchers at OpenAI, Google DeepMind, and "
        'proponents of Richard Sutton\'s "The Bitter Lesson," is based on several key observations:'
    )
    assert names(line) == [
        ("organisation", "OpenAI"),
        ("organisation", "Google DeepMind"),
        ("person", "Richard Sutton"),
        ("work", "The Bitter Lesson"),
    ]
    line = (
        'This aligns with the "scaling hypothesis" popularized by researchers at OpenAI and '
        "others (e.g., as described in papers like Kaplan et al., 2020)."
    )
    assert names(line) == [("organisation", "OpenAI"), ("paper", "Kaplan et al., 2020")]
    line = "Critiques from Experts: Researchers like Yann LeCun (Meta) and Gary Marcus argue"
    assert names(line) == [
        ("person", "Yann LeCun"),
        ("organisation", "Meta"),
        ("person", "Gary Marcus"),
    ]
    line = "(e.g., via projects like RT-2 or PaLM-E) Models like CLIP or DALL-E show promise"
    assert names(line) == [
        ("model", "RT-2"),
        ("model", "PaLM-E"),
        ("model", "CLIP"),
        ("model", "DALL-E"),
    ]
    assert names("AI researcher Rich Sutton famously articulated") == [("person", "Richard Sutton")]


def test_offsets_and_quotes_line_up():
    text = "Alternatives like state-space models (e.g., Mamba/S4) and GPT-3.5 by Hoffmann et al. (2022)"
    hits = find_citations(text)
    assert [(h["name"], h["quote"]) for h in hits] == [
        ("Mamba", "Mamba"),
        ("S4", "S4"),
        ("GPT-3.5", "GPT-3.5"),
        ("Hoffmann et al., 2022", "Hoffmann et al. (2022)"),
    ]
    for h in hits:
        assert text[h["start"] : h["end"]] == h["quote"]


def test_traps_are_not_citations():
    traps = [
        "However Scaling alone is not enough.",
        "Meta-learning and few-shot adaptation mechanisms",
        "Rich Internal Models of the world",
        "Will Scaling Work? Mark Progress carefully.",
        "The Transformer architecture is brilliant.",
        "State Space Models (like Mamba) are new.",  # only Mamba
        "Monte Carlo Tree Search is a search method.",
        "Google-scale compute and OpenAIish ideas",
    ]
    found = [n for t in traps for n in names(t)]
    assert found == [("model", "Mamba")]


def test_a_quoted_title_after_essay_is_a_work():
    assert names('In his essay, "Why Greatness Cannot Be Planned", the author argues') == [
        ("work", "Why Greatness Cannot Be Planned")
    ]


def test_seed_citations(seed_labelled):
    frame = extract_citations(seed_labelled)
    assert list(frame.columns) == COLUMNS
    assert set(frame["kind"]) <= set(KINDS)
    people = set(frame.loc[frame["kind"] == "person", "name"])
    assert people == {
        "Richard Sutton",
        "Yann LeCun",
        "Andrew Ng",
        "Yoshua Bengio",
        "Ray Kurzweil",
        "Gary Marcus",
        "Sam Altman",
        "Ilya Sutskever",
    }
    papers = frame.loc[frame["kind"] == "paper", ["response_index", "name"]]
    assert papers.values.tolist() == [[15, "Kaplan et al., 2020"], [16, "Kaplan et al."]]
    orgs = set(frame.loc[frame["kind"] == "organisation", "name"])
    assert {"OpenAI", "DeepMind", "Google DeepMind", "Meta", "xAI", "Tesla"} <= orgs
    models = set(frame.loc[frame["kind"] == "model", "name"])
    assert {"GPT-4", "Mamba", "PaLM-E", "CLIP", "Chinchilla", "AlphaGo"} <= models
    # Who cites The Bitter Lesson: only Gemini's answers.
    bitter = frame[frame["name"] == "The Bitter Lesson"]
    assert set(bitter["group"]) == {"gemini"}
    # Quotes always sit at their offsets in the response text.
    texts = {r.response_id: r.text for r in seed_labelled.responses}
    for row in frame.itertuples():
        assert texts[row.response_id][row.start : row.end] == row.quote


def test_empty_corpus(make_corpus):
    assert list(extract_citations(make_corpus([])).columns) == COLUMNS


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("Aa GPT-4 et al., 2020 ()\"'Sutton Meta\n")), max_size=200
    )
)
def test_never_raises_and_offsets_match(text):
    hits = find_citations(text)
    spans = [(h["start"], h["end"]) for h in hits]
    assert spans == sorted(spans)
    for h in hits:
        assert text[h["start"] : h["end"]] == h["quote"]
        assert h["kind"] in KINDS
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start  # no overlaps


def _plain_find(text):
    """The plain definition `find_citations` must equal: each pattern scanned on its own."""
    from lib import citations as c

    def starting_words(pattern):
        for m in pattern.finditer(text):
            s = m.start()
            if not (s and (text[s - 1].isalnum() or text[s - 1] in "_-")):
                yield m

    found = []
    for kind, pattern, spellings in c._GAZETTEERS:
        found += [
            (kind, spellings[m.group(0)], m.start(), m.end()) for m in starting_words(pattern)
        ]
    found += [("model", m.group(0), m.start(), m.end()) for m in starting_words(c._MODEL_SHAPE)]
    for m in starting_words(c._PERSON_SHAPE):
        if m.group(0).split()[-1].split("'")[0] not in c.NOT_SURNAMES:
            found.append(("person", m.group(0), m.start(), m.end()))
    for m in c._ET_AL.finditer(text):
        surname = c._SURNAME_BEFORE.search(text, max(0, m.start() - 31), m.start())
        if surname:
            end, year = m.end(), None
            year_match = c._YEAR_AFTER.match(text, end, end + 8)
            if year_match:
                year, end = year_match.group(1) or year_match.group(2), year_match.end()
            name = f"{surname.group(0)} et al." + (f", {year}" if year else "")
            found.append(("paper", name, surname.start(), end))
    for m in starting_words(c._QUOTED_WORK):
        title = m.group(1).strip().rstrip(",.")
        found.append(("work", c._canonical_work(title), m.start(1), m.start(1) + len(title)))
    ranked = sorted(enumerate(found), key=lambda p: (-(p[1][3] - p[1][2]), p[0]))
    kept = []
    for _, hit in ranked:
        if not any(hit[2] < e and s < hit[3] for *_, s, e in kept):
            kept.append(hit)
    return [
        {"kind": k, "name": n, "quote": text[s:e], "start": s, "end": e}
        for k, n, s, e in sorted(kept, key=lambda h: (h[2], h[3]))
    ]


_PIECES = [
    *"Aa-x,.'\"“”_ \n\t\xa0(",
    "Sam Altman",
    "Sam Model",
    "Rich Sutton",
    "Google DeepMind",
    "Google",
    "DeepMind",
    "xAI",
    "Meta",
    "GPT-4o",
    "Llama 2",
    "Claude 3.5",
    "the bitter lesson",
    "bitter lesson",
    "The Bitter Lesson",
    "neural Turing machine",
    "Kaplan",
    " et al",
    "et\tal.",
    " (2020)",
    ", 2021",
    "essay",
    "blog post",
    "paper,",
    '"Scaling Laws for Neural Language Models"',
    "'Attention Is All You Need'",
    "“Situational Awareness”",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_one_scan_finds_what_each_pattern_finds(text):
    # Candidates from one anchor scan, tried pattern by pattern, must give exactly the hits of
    # scanning with every pattern: overlaps, words glued to names, odd whitespace, quotes.
    assert find_citations(text) == _plain_find(text)
