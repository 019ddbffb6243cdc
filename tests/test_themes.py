"""Themes: phrase matching on a tiny hand-made corpus, the default taxonomy on the seed, discovery."""

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import themes as themes_module
from lib.corpus import ChorusInputError, corpus_from_texts, split_passages
from lib.themes import (
    GROUP_SCORE_COLUMNS,
    HIT_COLUMNS,
    SCORE_COLUMNS,
    TAXONOMY_COLUMNS,
    compile_phrases,
    count_words,
    discover_themes,
    group_theme_scores,
    load_taxonomy,
    match_themes,
    parse_phrases,
    read_taxonomy_csv,
    taxonomy_coverage,
    taxonomy_to_csv,
    theme_scores,
    validate_taxonomy,
)

GOLDEN = Path(__file__).parent / "golden" / "seed_theme_passages.csv"

TINY = [
    "Training data matters.\n"
    "Rain fell on the training ground.\n"
    "- Chain-of-thought helps.\n"
    "- chain of thought again, CHAIN OF THOUGHT.",
    "Models hallucinate.\nHallucinations are common; snowfall and snow too.\nNothing here.",
]
TINY_TAXONOMY = pd.DataFrame(
    {
        "id": ["weather", "cot", "halluc"],
        "label": ["Weather", "Chain of thought", "Hallucination"],
        "description": ["", "", ""],
        "phrases": ["rain; snow*", "chain of thought", "hallucinat*"],
    }
)

TRAVEL = [
    "Day one in Lisbon\nWe walked up to the castle and ate pastries at a small bakery near the "
    "river.\n- The tram to Belem was crowded but cheap.\n- The custard tarts were warm and sweet.\n"
    "At night we listened to fado in Alfama.",
    "Porto by the river\nThe bakery on our street sold pastries every morning.\n- We crossed the "
    "bridge at sunset.\n- Port wine cellars offer tastings for ten euros.\nThe train from Lisbon "
    "took three hours and the seats were comfortable.",
    "Beaches of the Algarve\nThe beaches near Lagos have golden cliffs and clear water.\n- Rent a "
    "kayak to reach the sea caves.\n- Sunscreen is essential; the sun is strong.\nWe took the bus "
    "along the coast and swam at every beach.",
    "Food notes\nGrilled sardines, custard tarts and cheap wine: the food in Portugal is a "
    "bargain.\n- Try the pastries at any bakery.\n- Wine with lunch costs less than water.\nOur "
    "budget for food was twenty euros a day.",
    "Getting around\nTrains between Lisbon and Porto are fast; buses reach the smaller towns.\n- "
    "Buy train tickets online to save money.\n- The tram in Lisbon is slow but beautiful.\nWe "
    "never rented a car and never missed one.",
]

# A travel blog where place names lead the discovered themes (the Overview's page test uses it too).
AMAZON = [
    "Three days in Belem\nWe landed in Belem late and walked to the Ver-o-Peso market at dawn.\n"
    "- The market sells acai, fish and herbs by the river.\n- Try the tacaca soup at a stall.\n"
    "The heat in Belem is heavy, so start early.",
    "Up the river to Manaus\nThe slow boat from Belem to Manaus takes five days on the Amazon.\n"
    "- Bring a hammock and hang it early on the deck.\n- The boat stops at small river towns.\n"
    "Nights on the Amazon are loud with frogs.",
    "Eating in Belem\nThe food in Belem is the best we had in Brazil.\n- Acai here is savoury, "
    "eaten with fish.\n- The market stalls open before sunrise.\nWe ate at the market every "
    "morning and never paid much.",
    "Jungle lodges near Manaus\nA lodge two hours from Manaus took us into the forest by canoe.\n"
    "- We saw pink dolphins in the river.\n- The guides know every bird and tree.\nThe forest "
    "at night is darker than anything at home.",
    "Money and safety\nCash is still useful at the market in Belem.\n- Keep your phone hidden "
    "on the boat.\n- Hammock spaces on the deck fill up fast.\nWe felt safe in Belem and in "
    "Manaus, but we were careful.",
    "Best time to go\nThe Amazon floods from March to June, and the river rises by metres.\n"
    "- Canoe trips into the flooded forest are best then.\n- The dry months suit jungle walks.\n"
    "Either way the river decides your plans.",
]

REQUIRED_IDS = [
    "scaling_evidence",
    "diminishing_returns",
    "data_limits",
    "compute_energy_cost",
    "grounding_embodiment",
    "multimodality",
    "reasoning_planning",
    "world_models_causality",
    "memory_continual_learning",
    "agency_goals",
    "reinforcement_learning",
    "sample_efficiency",
    "neuro_symbolic",
    "new_architectures",
    "tool_use_verification",
    "test_time_compute",
    "reliability_hallucination",
    "uncertainty_metacognition",
    "safety_alignment",
    "consciousness",
    "neuroscience_inspiration",
    "hardware",
]


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="module")
def seed_scores(seed_corpus, taxonomy):
    return theme_scores(seed_corpus, taxonomy)


# --- phrase syntax ------------------------------------------------------------------------------
def _found(phrases: str, text: str) -> list[str]:
    pattern = compile_phrases(phrases)
    return [m.group(0) for m in pattern.finditer(text)] if pattern else []


@pytest.mark.parametrize(
    ("phrases", "text", "expected"),
    [
        ("rain", "Training in the rain; RAIN again; rainy.", ["rain", "RAIN"]),
        (
            "hallucinat*",
            "They hallucinate. Hallucinations! unhallucinated",
            ["hallucinate", "Hallucinations"],
        ),
        (
            "chain of thought",
            "chain-of-thought, Chain  of\nthought, chainofthought",
            ["chain-of-thought", "Chain  of\nthought"],
        ),
        (
            "neuro-symbolic",
            "neurosymbolic, Neuro-Symbolic, neuro symbolic",
            ["neurosymbolic", "Neuro-Symbolic", "neuro symbolic"],
        ),
        ("test-time", "test\u2011time compute and test time", ["test\u2011time", "test time"]),
        ("scal* law*", "scaling laws and the scale law", ["scaling laws", "scale law"]),
        ("don't know", "I don’t know", ["don’t know"]),
        ("c++; gpt-4", "C++ code and GPT-4 or gpt4", ["C++", "GPT-4", "gpt4"]),
        ("world; world model*", "a world model of the world", ["world model", "world"]),
        ("emerg*; emergent abilit*", "emergent abilities emerge", ["emergent abilities", "emerge"]),
        ("***; -", "anything", []),
    ],
)
def test_phrase_syntax(phrases, text, expected):
    assert _found(phrases, text) == expected


def test_parse_phrases_splits_on_semicolons_commas_and_lines_and_drops_repeats():
    assert parse_phrases(" rain ;snow*, Rain\n\nsleet  storm ") == ["rain", "snow*", "sleet storm"]
    assert parse_phrases(None) == []
    assert parse_phrases(float("nan")) == []


def test_patterns_have_no_nested_quantifiers(taxonomy):
    # A group followed by a quantifier is where catastrophic backtracking starts; only optional
    # trie branches "(...)?" are allowed.
    for phrases in taxonomy["phrases"]:
        source = compile_phrases(phrases).pattern
        assert not re.search(r"\)[+*{]", source), source
        assert not re.search(r"[+*]\[\\s", source.replace(r"\w*[\s", "")), source


def test_count_words_counts_hyphenated_and_apostrophe_words_once():
    assert count_words("Chain-of-thought doesn't fail; 20 watts.") == 5
    assert count_words("") == 0


# --- matching and scores on the tiny corpus -------------------------------------------------------
def test_match_themes_tiny_exact_hits(make_corpus):
    corpus = make_corpus(TINY)
    hits = match_themes(corpus, TINY_TAXONOMY)
    assert list(hits.columns) == HIT_COLUMNS
    got = [
        (r.response_index, r.theme_id, r.passage_order, r.matched, r.passage_text)
        for r in hits.itertuples()
    ]
    assert got == [
        (1, "weather", 2, "rain", "Rain fell on the training ground."),
        (1, "cot", 3, "chain-of-thought", "Chain-of-thought helps."),
        (1, "cot", 4, "chain of thought", "chain of thought again, CHAIN OF THOUGHT."),
        (2, "weather", 2, "snowfall; snow", "Hallucinations are common; snowfall and snow too."),
        (2, "halluc", 1, "hallucinate", "Models hallucinate."),
        (2, "halluc", 2, "hallucinations", "Hallucinations are common; snowfall and snow too."),
    ]
    phrases = dict(zip(TINY_TAXONOMY["id"], TINY_TAXONOMY["phrases"], strict=True))
    for r in hits.itertuples():
        for m in compile_phrases(phrases[r.theme_id]).finditer(r.passage_text):
            start, end = m.span()
            assert r.passage_text[start:end].lower() in r.matched.split("; ")


def test_hits_without_texts_and_the_texts_of_a_few(make_corpus):
    """The pages keep the hits without passage copies and fetch the texts of those shown."""
    corpus = make_corpus(TINY)
    bare = match_themes(corpus, TINY_TAXONOMY, texts=False)
    assert list(bare.columns) == [c for c in HIT_COLUMNS if c != "passage_text"]
    full = match_themes(corpus, TINY_TAXONOMY)
    assert bare.equals(full.drop(columns="passage_text"))
    assert full["passage_text"].dtype == object  # references to the passages, as before
    # Any rows, in any order: answer 2's second passage, then answer 1's fourth, then the first.
    some = bare.iloc[[5, 2, 4]]
    assert themes_module.passage_texts(corpus, some) == [
        "Hallucinations are common; snowfall and snow too.",
        "chain of thought again, CHAIN OF THOUGHT.",
        "Models hallucinate.",
    ]
    assert themes_module.passage_texts(corpus, bare.iloc[[]]) == []


def test_passage_texts_tell_answers_with_the_same_id_apart():
    """A hand-built corpus may repeat an id; the answer's number tells its passages apart."""
    from lib.corpus import Corpus, Response

    texts = ["Rain fell.\nDry day.", "Sun.\nMore rain here."]
    corpus = Corpus(
        responses=[
            Response(response_id="same", index=i + 1, text=t, start_line=1, end_line=2)
            for i, t in enumerate(texts)
        ]
    )
    hits = match_themes(corpus, TINY_TAXONOMY)
    rows = [(r.response_index, r.passage_order, r.passage_text) for r in hits.itertuples()]
    assert rows == [(1, 1, "Rain fell."), (2, 2, "More rain here.")]


def test_theme_scores_tiny_exact_values(make_corpus):
    corpus = make_corpus(TINY)
    scores = theme_scores(corpus, TINY_TAXONOMY)
    assert list(scores.columns) == SCORE_COLUMNS
    assert len(scores) == 6  # every (answer, theme) cell, zeros included
    cells = {(r.response_index, r.theme_id): r for r in scores.itertuples()}
    a1_cot = cells[(1, "cot")]
    assert (a1_cot.passages_hit, a1_cot.passages, a1_cot.words) == (2, 4, 18)
    assert a1_cot.share == 0.5
    assert a1_cot.score == round(1 - math.exp(-2 * 100 / 18), 4)
    assert a1_cot.matched == "chain-of-thought; chain of thought"
    a2_h = cells[(2, "halluc")]
    assert (a2_h.passages_hit, a2_h.passages, a2_h.words) == (2, 3, 11)
    assert a2_h.share == round(2 / 3, 4)
    assert a2_h.score == round(1 - math.exp(-2 * 100 / 11), 4)
    assert cells[(1, "halluc")].passages_hit == 0
    assert cells[(1, "halluc")].score == 0.0
    assert cells[(1, "halluc")].matched == ""
    assert cells[(1, "weather")].score == round(1 - math.exp(-100 / 18), 4)


def test_score_is_comparable_across_lengths(make_corpus):
    # The same density of mentions gives the same score, however long the answer.
    short = "Rain today.\n" + "Dry words here.\n" * 4
    long = short * 5
    scores = theme_scores(make_corpus([short, long]), TINY_TAXONOMY)
    weather = scores[scores.theme_id == "weather"]
    assert weather["passages_hit"].tolist() == [1, 5]
    assert weather["score"].iloc[0] == weather["score"].iloc[1]


def test_group_theme_scores_tiny(make_corpus):
    corpus = make_corpus([*TINY, "Rain and snow."], models=["x", "x", "y"])
    groups = group_theme_scores(corpus, TINY_TAXONOMY)
    assert list(groups.columns) == GROUP_SCORE_COLUMNS
    cells = {(r.group, r.theme_id): r for r in groups.itertuples()}
    x_weather = cells[("x", "weather")]
    assert (x_weather.responses, x_weather.responses_hit, x_weather.passages_hit) == (2, 2, 2)
    assert x_weather.response_share == 1.0
    assert x_weather.matched == "rain; snowfall; snow"
    x_cot = cells[("x", "cot")]
    assert (x_cot.responses, x_cot.responses_hit, x_cot.response_share) == (2, 1, 0.5)
    assert x_cot.share == round((0.5 + 0) / 2, 4)
    y_weather = cells[("y", "weather")]
    assert (y_weather.responses, y_weather.responses_hit, y_weather.share) == (1, 1, 1.0)
    assert cells[("y", "halluc")].responses_hit == 0


def test_ungrouped_answers_are_pooled(make_corpus):
    groups = group_theme_scores(make_corpus(TINY), TINY_TAXONOMY)
    assert set(groups["group"]) == {"all"}
    assert groups.set_index("theme_id").loc["weather", "responses_hit"] == 2


def test_empty_corpus_gives_empty_frames(make_corpus):
    corpus = make_corpus([])
    assert len(corpus) == 0
    assert match_themes(corpus, TINY_TAXONOMY).empty
    assert list(theme_scores(corpus, TINY_TAXONOMY).columns) == SCORE_COLUMNS
    assert theme_scores(corpus, TINY_TAXONOMY).empty
    assert group_theme_scores(corpus, TINY_TAXONOMY).empty
    assert taxonomy_coverage(corpus, TINY_TAXONOMY) == 0.0
    assert discover_themes(corpus).empty


def test_coverage_tiny(make_corpus):
    # Passages hit: a1 p2, p3, p4; a2 p1, p2 → 5 of 7.
    assert taxonomy_coverage(make_corpus(TINY), TINY_TAXONOMY) == round(5 / 7, 4)


@settings(max_examples=60, deadline=None)
@given(phrases=st.text(max_size=40), text=st.text(max_size=200))
def test_matching_never_raises(phrases, text):
    pattern = compile_phrases(phrases)
    if pattern is not None:
        for m in pattern.finditer(text):
            assert m.end() > m.start()


# --- taxonomy tables ------------------------------------------------------------------------------
def test_validate_taxonomy_fixes_and_reports_by_row():
    raw = pd.DataFrame(
        {
            " ID ": ["rain", "rain", "", "Snow Storm", None, "empty"],
            "Label": ["Rain", "Rain again", "Sleet", "Snow", None, "Empty"],
            "phrases": ["rain", "drizzle", "sleet", "snow*", None, " ; , "],
            "notes": ["x", "", "", "", "", ""],
        }
    )
    clean, problems = validate_taxonomy(raw)
    assert list(clean.columns) == TAXONOMY_COLUMNS
    assert clean["id"].tolist() == ["rain", "rain_2", "sleet", "snow_storm", "empty"]
    assert clean["phrases"].tolist() == ["rain", "drizzle", "sleet", "snow*", ""]
    assert problems == [
        "Ignored columns: notes.",
        "Row 2: id 'rain' is used by an earlier row; renamed to 'rain_2'.",
        "Row 3: no id; using 'sleet'.",
        "Row 4: id 'Snow Storm' was changed to 'snow_storm' (ids use lower-case letters, digits "
        "and underscores).",
        "Row 6 (empty): no phrases, so this theme matches nothing.",
    ]


def test_validate_taxonomy_without_phrases_column():
    clean, problems = validate_taxonomy(pd.DataFrame({"id": ["a"], "words": ["x"]}))
    assert clean.empty
    assert problems == [
        "The taxonomy needs a 'phrases' column (the words that signal each theme, separated by "
        "';'); found columns: id, words."
    ]


def test_csv_round_trip(taxonomy):
    text = taxonomy_to_csv(taxonomy)
    back, problems = read_taxonomy_csv(text.encode("utf-8"))
    assert problems == []
    pd.testing.assert_frame_equal(back, taxonomy.reset_index(drop=True), check_like=False)


def test_read_taxonomy_csv_reports_empty_and_garbage():
    assert read_taxonomy_csv(b"")[1] == ["The taxonomy file is empty."]
    clean, problems = read_taxonomy_csv("id,label\nx,y\n")
    assert clean.empty
    assert "needs a 'phrases' column" in problems[0]


def test_load_taxonomy_errors(tmp_path):
    with pytest.raises(ChorusInputError, match="Cannot read the taxonomy"):
        load_taxonomy(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,label\nx,y\n", encoding="utf-8")
    with pytest.raises(ChorusInputError, match="phrases"):
        load_taxonomy(bad)


def test_a_loaded_taxonomy_is_the_callers_own(tmp_path):
    """The file is read once per content; each caller gets a copy it may change."""
    first = load_taxonomy()
    first.loc[0, "label"] = "Changed here"
    first.attrs["problems"].append("a caller's note")
    second = load_taxonomy()
    assert second.loc[0, "label"] == "Evidence for scaling" and second.attrs["problems"] == []
    # A changed file is read again.
    path = tmp_path / "themes.csv"
    path.write_text("id,label,description,phrases\nrain,Rain,,rain\n", encoding="utf-8")
    assert load_taxonomy(path)["phrases"].tolist() == ["rain"]
    path.write_text("id,label,description,phrases\nrain,Rain,,rain; drizzle\n", encoding="utf-8")
    assert load_taxonomy(path)["phrases"].tolist() == ["rain; drizzle"]


def test_default_taxonomy_is_complete_and_clean(taxonomy):
    assert taxonomy.attrs["problems"] == []
    assert set(REQUIRED_IDS) <= set(taxonomy["id"])
    assert taxonomy["id"].is_unique
    assert (taxonomy["label"].str.len() > 0).all()
    assert (taxonomy["description"].str.len() > 0).all()
    assert taxonomy.set_index("id").loc["grounding_embodiment", "label"] == "Grounding & embodiment"


# --- the seed: golden theme matrix ------------------------------------------------------------------
def test_seed_every_theme_is_found(seed_scores):
    per_theme = seed_scores.groupby("theme_id")["passages_hit"].sum()
    assert (per_theme > 0).all()


def _answers_with(scores: pd.DataFrame, theme_id: str) -> list[int]:
    rows = scores[(scores.theme_id == theme_id) & (scores.passages_hit > 0)]
    return sorted(rows["response_index"].tolist())


def test_seed_cells_checked_by_reading(seed_scores):
    # Read off the seed: consciousness comes up in Claude 3-4, Gemini 5, 6, 8 and all of Grok;
    # never in GPT-5's answers.
    assert _answers_with(seed_scores, "consciousness") == [3, 4, 5, 6, 8, 13, 14, 15, 16]
    # Safety and alignment: every GPT-5 and Grok answer, no Claude or Gemini answer.
    assert _answers_with(seed_scores, "safety_alignment") == list(range(9, 17))
    # Test-time compute: GPT-5's answers 9, 11, 12 and Gemini 7's Monte Carlo Tree Search.
    assert _answers_with(seed_scores, "test_time_compute") == [7, 9, 11, 12]
    # Grounding & embodiment: every answer.
    assert _answers_with(seed_scores, "grounding_embodiment") == list(range(1, 17))
    # Hallucinations are named in Claude 1-3 but not 4 ("Fewer obvious errors and hallucinations").
    hall = seed_scores[seed_scores.theme_id == "reliability_hallucination"]
    assert hall.set_index("response_index").loc[4, "passages_hit"] == 0
    assert "hallucinations" in hall.set_index("response_index").loc[2, "matched"]


def test_seed_words_do_not_leak_across_boundaries(seed_corpus, taxonomy):
    hits = match_themes(seed_corpus, taxonomy)
    # "rain" is no phrase, but "training" is everywhere: make sure nothing matches inside words.
    phrases = dict(zip(taxonomy["id"], taxonomy["phrases"], strict=True))
    for r in hits.itertuples():
        for m in compile_phrases(phrases[r.theme_id]).finditer(r.passage_text):
            start, end = m.span()
            before = r.passage_text[start - 1] if start else " "
            after = r.passage_text[end] if end < len(r.passage_text) else " "
            assert not before.isalnum() and not after.isalnum(), (r.passage_text, start, end)


def test_seed_golden_passage_matrix(seed_scores, taxonomy):
    golden = pd.read_csv(GOLDEN, index_col="theme_id")
    got = seed_scores.pivot(index="theme_id", columns="response_index", values="passages_hit")
    got = got.reindex(taxonomy["id"])
    got.index.name = "theme_id"
    got.columns = [f"r{i}" for i in got.columns]
    pd.testing.assert_frame_equal(got, golden, check_dtype=False)


def test_seed_coverage_is_high(seed_corpus, taxonomy):
    assert taxonomy_coverage(seed_corpus, taxonomy) > 0.7


def test_seed_group_scores(seed_labelled, taxonomy):
    groups = group_theme_scores(seed_labelled, taxonomy).set_index(["group", "theme_id"])
    assert groups.loc[("gpt", "safety_alignment"), "responses_hit"] == 4
    assert groups.loc[("claude", "safety_alignment"), "responses_hit"] == 0
    assert groups.loc[("grok", "hardware"), "responses_hit"] == 4
    assert groups.loc[("gpt", "consciousness"), "responses_hit"] == 0


# --- a corpus about something else ----------------------------------------------------------------
def test_travel_blog_has_low_coverage_and_gets_discovered_themes(make_corpus, taxonomy):
    corpus = make_corpus(TRAVEL)
    assert taxonomy_coverage(corpus, taxonomy) < 0.1
    found = discover_themes(corpus)
    assert list(found.columns) == TAXONOMY_COLUMNS
    assert 2 <= len(found) <= 8
    clean, problems = validate_taxonomy(found)
    assert problems == []
    pd.testing.assert_frame_equal(clean, found)
    assert (found["label"].str.len() > 0).all()
    phrases = "; ".join(found["phrases"])
    for word in ("lisbon", "train", "bakery", "pastries", "wine", "beaches"):
        assert word in parse_phrases(phrases) or f"{word}*" in parse_phrases(phrases), word
    # Every discovered theme matches something, and together they cover most of the blog.
    scores = theme_scores(corpus, found)
    assert (scores.groupby("theme_id")["passages_hit"].sum() > 0).all()
    assert taxonomy_coverage(corpus, found) > 0.6


def test_fitting_taxonomy_keeps_a_default_that_fits(seed_corpus, make_corpus, taxonomy):
    from lib.themes import fitting_taxonomy

    kept, coverage = fitting_taxonomy(seed_corpus, taxonomy)
    assert kept is taxonomy and coverage is None
    corpus = make_corpus(TRAVEL)
    found, coverage = fitting_taxonomy(corpus, taxonomy)
    assert coverage == 0.04
    pd.testing.assert_frame_equal(found, discover_themes(corpus))
    # Too little text to discover anything: the default stays, however badly it fits.
    kept, coverage = fitting_taxonomy(make_corpus(["Lisbon.", "Porto."]), taxonomy)
    assert kept is taxonomy and coverage is None


def test_discover_themes_is_deterministic(make_corpus):
    corpus = make_corpus(TRAVEL)
    pd.testing.assert_frame_equal(discover_themes(corpus), discover_themes(corpus))
    assert len(discover_themes(corpus, n=2)) <= 2


def test_discover_themes_on_seed_is_labelled(seed_corpus):
    found = discover_themes(seed_corpus, n=6)
    assert len(found) == 6
    assert found["id"].is_unique
    assert all(" & " in label for label in found["label"])
    assert all(label[:1].isupper() for label in found["label"])


def test_discovered_labels_are_written_as_the_answers_write_them(make_corpus):
    # A label starts with a capital; a name keeps its capital after "&" ("River & Amazon", was
    # "River & amazon"); the ids stay lower case as before.
    found = discover_themes(make_corpus(AMAZON))
    assert list(zip(found["id"], found["label"], strict=True)) == [
        ("river_amazon", "River & Amazon"),
        ("belem", "Belem"),
        ("market_acai", "Market & acai"),
        ("manaus_jungle", "Manaus & jungle"),
        ("forest_canoe", "Forest & canoe"),
        ("deck_hammock", "Deck & hammock"),
    ]
    travel = discover_themes(make_corpus(TRAVEL))
    assert dict(zip(travel["id"], travel["label"], strict=True)) == {
        "lisbon_train": "Lisbon & train",
        "wine_euros": "Wine & euros",
        "bakery_pastries": "Bakery & pastries",
        "beaches_water": "Beaches & water",
    }


def test_usual_forms_count_only_words_inside_sentences():
    from lib.text import usual_forms

    texts = [
        "Amazon trips. River boats leave daily.",  # both words open a sentence: not counted
        "We sailed the Amazon by boat, up the Amazon to the AMAZON delta and the amazon.",
        "The river boats are slow; river boats, Custard-tarts and custard  tarts.",
        "In AI and ai.",
    ]
    forms = usual_forms({"amazon", "river boats", "custard tarts", "ai", "manaus"}, texts)
    assert forms == {
        "amazon": "Amazon",  # twice as Amazon, once as amazon and once as AMAZON
        "river boats": "river boats",
        "custard tarts": "custard tarts",  # a hyphen or two spaces count as one space
        "ai": "ai",  # one each: lower case wins a tie
        "manaus": "manaus",  # never seen: lower case
    }


def test_usual_forms_skip_titles():
    from lib.text import usual_forms

    texts = [
        # A title before ": " (most words capitalised), then the sentence it opens.
        "- Advanced Reinforcement Learning (RL) and Agency: To build agents, we need "
        "reinforcement learning.",
        "**Scaling Laws and Emergent Abilities** in short: more data helps.",  # bold
        "Intro\nNotes on Scaling Laws and Emergent Abilities\nThe end",  # a heading line
        "We use Mamba and mamba-style models, like Mamba from Gu and Dao.",
    ]
    assert usual_forms({"reinforcement", "laws", "abilities", "mamba", "dao"}, texts) == {
        "reinforcement": "reinforcement",  # the capitalised one is in a title
        "laws": "laws",  # only ever in titles: lower case
        "abilities": "abilities",
        "mamba": "Mamba",  # two to one, in sentences
        "dao": "Dao",
    }
    # Hyphens are kept: a word counted with its hyphen gets the hyphenated form.
    texts = ["Compared with GPT-4 and COVID-19, and as GPT-4 shows, later gpt-4 runs."]
    assert usual_forms({"gpt-4", "covid-19"}, texts) == {"gpt-4": "GPT-4", "covid-19": "COVID-19"}


# --- the fast matcher equals scanning every passage with every pattern ----------------------------
def brute_force_hits(corpus, taxonomy):
    """(response, passage order, theme, passage, matched) from running every pattern everywhere."""
    out = []
    for r in corpus.responses:
        for p in split_passages(r.text):
            for theme_id, phrases in zip(taxonomy["id"], taxonomy["phrases"], strict=True):
                pattern = compile_phrases(phrases)
                found = list(pattern.finditer(p["text"])) if pattern else []
                if found:
                    words = list(dict.fromkeys(m.group(0).lower() for m in found))
                    out.append((r.index, p["order"], theme_id, p["text"], "; ".join(words)))
    return sorted(out, key=lambda h: (h[0], list(taxonomy["id"]).index(h[2]), h[1]))


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return list(frame.itertuples(index=False, name=None))


def fast_hits(corpus, taxonomy, subsets=False):
    """The matcher's hits; with `subsets`, running only the candidate phrases of each theme
    (as it does on large corpora) instead of whole patterns."""
    if subsets:
        # Every candidate runs its phrase subset, however few passages share it.
        saved = themes_module.SUBSETS_FROM, themes_module.SUBSET_USES
        themes_module.SUBSETS_FROM, themes_module.SUBSET_USES = 0, 0
        try:
            hits, cells = themes_module._match_themes(corpus, taxonomy)  # uncached
            hits["passage_text"] = themes_module.passage_texts(corpus, hits)
        finally:
            themes_module.SUBSETS_FROM, themes_module.SUBSET_USES = saved
    else:
        hits = match_themes(corpus, taxonomy)
        cells = themes_module._hits_and_cells(corpus, taxonomy)[1]
    # The (answer, theme) cells found while matching are those counted from the hits after.
    assert sorted(_rows(cells)) == sorted(_rows(themes_module._count_hits(hits)))
    return list(
        zip(
            hits["response_index"],
            hits["passage_order"],
            hits["theme_id"],
            hits["passage_text"],
            hits["matched"],
            strict=True,
        )
    )


# Words that stress the key-word rules: stop words ("system", "the", "on"), words inside stop
# words ("her", "rl"), hyphen joins, digits first, apostrophes, stars.
PHRASE_WORDS = [
    "becom*",
    "max_tokens",
    "inference",
    "safety",
    "μ",
    "system",
    "2",
    "on",
    "the",
    "fly",
    "her",
    "rl",
    "data",
    "in",
    "context",
    "x",
    "gpt",
    "4",
    "don't",
    "scal*",
    "self",
    "a",
    "wall",
    "neuro",
    "symbolic",
    "İs",
    "ab",
]
PHRASE = st.lists(st.sampled_from(PHRASE_WORDS), min_size=1, max_size=3).flatmap(
    lambda ws: st.lists(
        st.sampled_from([" ", "-"]), min_size=len(ws) - 1, max_size=len(ws) - 1
    ).map(lambda gaps: "".join(w + g for w, g in zip(ws, [*gaps, ""], strict=True)))
)
TEXT_WORDS = [
    "becomes",
    "nothing",
    "max_tokens",
    "İnference",
    "ſafety",
    "µ",
    "λόγος",
    *PHRASE_WORDS,
    "formerly",
    "herself",
    "onthefly",
    "incontext",
    "in-context",
    "on\u2011the\u2011fly",
    "data-driven",
    "metadata",
    "4gpt",
    "GPT-4",
    "Don’t",
    "SCALING",
    "neurosymbolic",
    "neuro - symbolic",
    "x-rl",
    "rls",
    "—",
    ".",
    "\n- ",
    "\n",
]
PASSAGE_TEXT = st.lists(st.sampled_from(TEXT_WORDS), max_size=14).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    phrases=st.lists(
        st.lists(PHRASE, min_size=1, max_size=3).map("; ".join), min_size=1, max_size=3
    ),
    texts=st.lists(PASSAGE_TEXT.filter(str.strip), min_size=1, max_size=3),
    subsets=st.booleans(),
)
def test_fast_matching_equals_scanning_every_passage(phrases, texts, subsets):
    taxonomy = pd.DataFrame(
        {
            "id": [f"t{i}" for i in range(len(phrases))],
            "label": phrases,
            "description": "",
            "phrases": phrases,
        }
    )
    corpus = corpus_from_texts(texts)
    assert fast_hits(corpus, taxonomy, subsets) == brute_force_hits(corpus, taxonomy)


@pytest.mark.parametrize("subsets", [False, True])
def test_fast_matching_equals_scanning_on_the_seed(seed_corpus, taxonomy, subsets):
    assert fast_hits(seed_corpus, taxonomy, subsets) == brute_force_hits(seed_corpus, taxonomy)


def test_remembered_hits_follow_groups_and_taxonomy_edits(make_corpus):
    corpus = make_corpus(TINY)
    first = match_themes(corpus, TINY_TAXONOMY)
    first["extra"] = 1  # a caller's column must not reach the remembered frame
    assert "extra" not in match_themes(corpus, TINY_TAXONOMY).columns
    grouped = corpus.with_groups(["A", "B"])
    assert set(match_themes(grouped, TINY_TAXONOMY)["group"]) == {"A", "B"}
    assert set(theme_scores(grouped, TINY_TAXONOMY)["group"]) == {"A", "B"}
    edited = TINY_TAXONOMY.assign(phrases=["rain", "chain of thought", "hallucinat*"])
    assert "snow" not in " ".join(match_themes(corpus, edited)["matched"])
    relabelled = TINY_TAXONOMY.assign(label=["Wet", "CoT", "Halluc"])
    assert "Wet" in set(theme_scores(corpus, relabelled)["theme_label"])


def test_a_theme_with_more_phrases_than_a_mask_holds_runs_whole():
    # 70 phrases with key words: past 64 a theme's pattern runs whole, with the same hits.
    words = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(70)]
    taxonomy = pd.DataFrame(
        {"id": ["t"], "label": ["T"], "description": [""], "phrases": ["; ".join(words)]}
    )
    corpus = corpus_from_texts(["The wab and the wcr.", "Nothing here.", "wbz wbz"])
    expected = brute_force_hits(corpus, taxonomy)
    assert [h[4] for h in expected] == ["wab; wcr", "wbz"]
    assert fast_hits(corpus, taxonomy, subsets=True) == expected


@pytest.mark.parametrize(
    ("phrase", "text"),
    [
        ("becom*", "It becomes clear."),  # "becomes" is a stop word, so it is not counted
        ("max_tokens", "Set max_tokens high."),  # "_" is part of a counted word
        ("inference", "İnference matters"),  # ignore-case matching and lower() disagree
        ("safety", "ſafety first"),
        ("λόγοσ", "ο λόγος"),
        ("μ value", "the µ value"),
    ],
)
def test_fast_matching_edge_cases_by_hand(phrase, text):
    taxonomy = pd.DataFrame({"id": ["t"], "label": ["T"], "description": [""], "phrases": [phrase]})
    corpus = corpus_from_texts([text])
    assert len(brute_force_hits(corpus, taxonomy)) == 1
    assert fast_hits(corpus, taxonomy) == brute_force_hits(corpus, taxonomy)
    assert fast_hits(corpus, taxonomy, subsets=True) == brute_force_hits(corpus, taxonomy)


def test_remembered_hits_follow_the_answer_numbers():
    # A filtered corpus keeps its answers' numbers; the same texts opened alone start at 1.
    full = corpus_from_texts(["rain one", "other", "rain three"])
    filtered = full.subset([full.responses[0].response_id, full.responses[2].response_id])
    alone = corpus_from_texts(["rain one", "rain three"])
    assert list(match_themes(filtered, TINY_TAXONOMY)["response_index"]) == [1, 3]
    assert list(match_themes(alone, TINY_TAXONOMY)["response_index"]) == [1, 2]
    assert list(theme_scores(alone, TINY_TAXONOMY)["response_index"].unique()) == [1, 2]


def test_evidence_spans_are_whole_word_matches():
    from lib.themes import phrase_match_spans

    text = "Rain hurts training; chain-of-thought helps."
    assert phrase_match_spans(text, "rain; chain of thought") == [(0, 4), (21, 37)]
    assert phrase_match_spans(text, "***") == []


def test_case_risky_characters_are_those_found_one_by_one():
    # The block-wise search must list exactly the characters the one-by-one definition does,
    # on this Python's own case tables ("Σ", the one context rule, included in the check).
    from lib.themes import _case_risky_chars

    one_by_one = []
    for code in range(0x80, 0x20000):
        c = chr(code)
        low = c.lower()
        if len(low) != 1 or low != c.casefold() or c.upper().lower() != low:
            one_by_one.append(c)
    found = _case_risky_chars()
    assert found == one_by_one
    assert {"İ", "ſ", "µ", "ς", "ß"} <= set(found) and "Σ" not in found


def test_case_risky_pattern_holds_exactly_those_characters():
    # Read from the stored ranges on the Unicode versions they were checked for: they must be
    # this Python's list (this test runs on one of those versions).
    import unicodedata

    from lib.themes import _CASE_RISKY_KNOWN, _case_risky, _case_risky_chars

    assert unicodedata.unidata_version in _CASE_RISKY_KNOWN
    risky = _case_risky()
    held = [chr(code) for code in range(0x80, 0x20000) if risky.fullmatch(chr(code))]
    assert held == _case_risky_chars()
    assert not risky.search("".join(map(chr, range(0x80))))


@given(
    st.lists(st.text(alphabet="ab-", min_size=1, max_size=6), min_size=1, max_size=6),
    st.text(alphabet="ab", min_size=1, max_size=3),
    st.booleans(),
    st.booleans(),
)
def test_key_positions_find_the_terms_the_anchored_pattern_finds(terms, word, at_start, at_end):
    from lib.themes import _key_positions

    joined = "\n".join(terms)
    source = ("(?:^|-)" if at_start else "") + re.escape(word) + ("(?=-|$)" if at_end else "")
    expected = [m.start() for m in re.finditer(source, joined, re.M)]
    found = _key_positions(joined, word, at_start, at_end)
    # Places may differ (the pattern's match starts at the hyphen; find() also reports places
    # overlapping a match), but never the terms they fall in.
    term_of = lambda pos: joined.count("\n", 0, pos)  # noqa: E731
    assert {term_of(p) for p in found} == {term_of(p) for p in expected}


def test_scores_from_hits_in_any_row_order(seed_corpus, taxonomy):
    """`match_themes` gives hits in (answer, theme) runs and they are counted without a sort;
    a frame in another order (a caller's own) is sorted into runs and counts the same."""
    hits = match_themes(seed_corpus, taxonomy)
    in_runs = theme_scores(seed_corpus, taxonomy, hits=hits)
    shuffled = theme_scores(seed_corpus, taxonomy, hits=hits.sample(frac=1, random_state=0))
    same = in_runs.columns.drop("matched")
    pd.testing.assert_frame_equal(in_runs[same], shuffled[same])
    words = [set(m.split("; ")) - {""} for m in in_runs["matched"]]
    assert words == [set(m.split("; ")) - {""} for m in shuffled["matched"]]
    assert (in_runs["passages_hit"] > 1).sum() > 100  # runs of several rows were merged


@pytest.mark.parametrize("subsets", [False, True])
def test_a_phrase_without_key_words_runs_with_the_candidates_beside_it(subsets):
    """ "system 2" has no key word ("system" is a stop word): where "system" is, it runs with
    the theme's phrases whose key words are there, and only those."""
    taxonomy = pd.DataFrame(
        {
            "id": ["r"],
            "label": ["Reasoning"],
            "description": [""],
            "phrases": ["system 2; planning; deliberat*; search"],
        }
    )
    corpus = corpus_from_texts(
        [
            "System 2 thinking needs planning.",  # the needle and a keyed phrase together
            "A system of rules.",  # the needle alone, no match
            "Deliberate planning, not system 2.",
            "Search.",
        ]
    )
    expected = brute_force_hits(corpus, taxonomy)
    assert [h[4] for h in expected] == [
        "system 2; planning",
        "deliberate; planning; system 2",
        "search",
    ]
    assert fast_hits(corpus, taxonomy, subsets=subsets) == expected
