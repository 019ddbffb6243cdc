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
