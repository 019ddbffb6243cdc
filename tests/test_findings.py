"""Key findings: every sentence checked against hand-made data and against the seed."""

import pandas as pd
import pytest

from lib.estimates import COLUMNS as ESTIMATE_COLUMNS
from lib.estimates import extract_estimates
from lib.findings import Finding, group_summary, key_findings
from lib.themes import load_taxonomy, theme_scores

WEATHER = [
    "Rain fell all day.\nWe stayed in and read.",  # 4 + 5 words
    "Snow and rain again.\nThe roads were closed for hours today.",  # 4 + 7
    "Sunny skies and rain later.\nA long walk by the sea with friends and family.",  # 5 + 10
    "Sunny again.\nWe swam in the sea.",  # 2 + 5
]
WEATHER_GROUPS = ["a", "a", "b", "b"]
WEATHER_TAXONOMY = pd.DataFrame(
    {
        "id": ["weather", "sun", "sea", "fog"],
        "label": ["Weather", "Sun", "Sea & swimming", "Fog"],
        "description": ["", "", "", ""],
        "phrases": ["rain; snow*", "sunny; sun", "sea; swim*; swam", "fog*"],
    }
)
NO_ESTIMATES = pd.DataFrame(columns=ESTIMATE_COLUMNS)


def _estimates(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).reindex(columns=ESTIMATE_COLUMNS)
    return frame


HAND_ESTIMATES = _estimates(
    [
        {"response_index": 1, "group": "a", "kind": "share", "low": 50.0, "high": 70.0},
        {"response_index": 2, "group": "a", "kind": "share", "low": 50.0, "high": 70.0},
        {"response_index": 2, "group": "a", "kind": "share", "low": 50.0, "high": 70.0},
        {"response_index": 3, "group": "b", "kind": "share", "low": 30.0, "high": None},
        {"response_index": 1, "kind": "timeline", "year_low": 2030, "year_high": 2035},
        {
            "response_index": 3,
            "kind": "timeline",
            "year_low": 2029,
            "year_high": 2029,
            "attributed_to": "Ray Kurzweil",
        },
        {"response_index": 4, "kind": "timeline", "year_low": 2040, "attributed_to": "others"},
        {"response_index": 1, "kind": "probability", "low": 65, "high": 80, "quote": "probably"},
        {"response_index": 2, "kind": "probability", "low": 65, "high": 80, "quote": "Probably"},
        {"response_index": 4, "kind": "probability", "low": 10, "high": 25, "quote": "unlikely"},
        {
            "response_index": 4,
            "kind": "probability",
            "low": 90,
            "high": 99,
            "quote": "almost certain",
            "attributed_to": "Someone Else",
        },
    ]
)


def _texts(findings: list[Finding]) -> list[str]:
    return [f.text for f in findings]


def test_weather_corpus_every_sentence(make_corpus):
    corpus = make_corpus(WEATHER, models=WEATHER_GROUPS)
    findings = key_findings(corpus, WEATHER_TAXONOMY, HAND_ESTIMATES)
    assert _texts(findings) == [
        "4 answers from 2 groups, 7-15 words each (median 10).",
        "3 of 4 answers mention weather; sun and sea & swimming appear in only 2 each.",
        "No answer mentions fog.",
        "Group a never mentions sun, which both other answers do.",
        "Group a never mentions sea & swimming, which both other answers do.",
        "Every answer in group b mentions sun; none of the other 2 answers do.",
        "Every answer in group b mentions sea & swimming; none of the other 2 answers do.",
        "Group b writes the longest answers (median 11 words), group a the shortest (median 10).",
        "3 of 4 answers give a share estimate; the most common is 50-70% (2 answers, all in group a).",
        "1 of 4 answers gives its own timeline (years 2030-2035); 2 more only cite other "
        "people's timelines (Ray Kurzweil).",
        "3 of 4 answers give a likelihood Chorus can put a number on; the most common wording is "
        "“probably” "
        "(2 answers).",
    ]
    kinds = [f.kind for f in findings]
    assert kinds[:3] == ["overview", "theme_common", "theme_absent"]
    assert findings[0].numbers == {
        "answers": 4,
        "groups": 2,
        "min_words": 7,
        "max_words": 15,
        "median_words": 10,
        "total_words": 42,
    }
    assert str(findings[0]) == findings[0].text


def test_group_of_one_is_named_as_such(make_corpus):
    corpus = make_corpus(WEATHER, models=["a", "a", "a", "b"])
    gaps = [
        f for f in key_findings(corpus, WEATHER_TAXONOMY, NO_ESTIMATES) if f.kind == "group_gap"
    ]
    assert _texts(gaps) == [
        "Group b's only answer never mentions weather, which all 3 other answers do."
    ]


def test_two_answers_are_both_not_all_2(make_corpus):
    corpus = make_corpus(
        ["Rain fell all day.\nWe swam in the sea.", "Sunny skies and rain.\nThe sea was calm."],
        models=["a", "b"],
    )
    findings = key_findings(corpus, WEATHER_TAXONOMY, NO_ESTIMATES)
    assert _texts(findings) == [
        "2 answers from 2 groups, 8-9 words each (median 9).",
        "Both answers mention weather and sea & swimming; sun appears in only 1 answer.",
        "No answer mentions fog.",
        "Group a writes the longest answers (median 9 words), group b the shortest (median 8).",
    ]
    assert findings[1].numbers == {
        "answers": 2,
        "top_themes": ["weather", "sea"],
        "top_answers": 2,
        "rare_themes": ["sun"],
        "rare_answers": 1,
    }
    # Two themes, each in a different one of two answers: no sentence says one answer holds
    # both ("1 of 2 answers mentions weather and sun" read so).
    apart = make_corpus(["Rain fell all day.", "Sunny skies."])
    apart = key_findings(apart, WEATHER_TAXONOMY, NO_ESTIMATES)
    assert (
        _texts(apart)[1]
        == "The most mentioned themes, weather and sun, each appear in 1 of 2 answers."
    )
    # One theme in one answer of two: the verb agrees with "1".
    alone = key_findings(
        make_corpus(["Rain fell all day.", "Nothing here."]), WEATHER_TAXONOMY, NO_ESTIMATES
    )
    assert _texts(alone)[1] == "1 of 2 answers mentions weather."


def test_no_answers(make_corpus):
    findings = key_findings(make_corpus([]))
    assert findings == [Finding("No answers to analyse yet.", "overview", {"answers": 0})]


def test_one_answer(make_corpus):
    corpus = make_corpus([WEATHER[2]])
    estimates = HAND_ESTIMATES[HAND_ESTIMATES["response_index"] == 3].assign(response_index=1)
    assert _texts(key_findings(corpus, WEATHER_TAXONOMY, estimates)) == [
        "1 answer of 15 words.",
        "The answer mentions 3 of 4 themes, most of all weather (1 passage).",
        "It never mentions fog.",
        "The answer gives a share estimate of at least 30%.",
        "The answer only cites other people's timelines (Ray Kurzweil).",
    ]


def test_one_answer_singular_words_and_no_theme(make_corpus):
    corpus = make_corpus(["Hello."])
    findings = key_findings(corpus, WEATHER_TAXONOMY, NO_ESTIMATES)
    assert _texts(findings) == ["1 answer of 1 word.", "The answer mentions none of the 4 themes."]


def test_ungrouped_corpus_has_no_group_sentences(make_corpus):
    findings = key_findings(make_corpus(WEATHER), WEATHER_TAXONOMY, NO_ESTIMATES)
    assert _texts(findings)[0] == "4 answers, 7-15 words each (median 10)."
    assert not [f for f in findings if f.kind.startswith("group")]


def test_share_without_a_repeated_range_gives_the_span(make_corpus):
    estimates = _estimates(
        [
            {"response_index": 1, "kind": "share", "low": 20.0, "high": 30.0},
            {"response_index": 2, "kind": "share", "low": 80.0, "high": None},
        ]
    )
    findings = key_findings(make_corpus(WEATHER), WEATHER_TAXONOMY, estimates)
    assert _texts(findings)[-1] == "2 of 4 answers give a share estimate, between 20% and 80%."


def test_probability_without_a_common_wording(make_corpus):
    estimates = _estimates(
        [{"response_index": 2, "kind": "probability", "low": 10, "high": 25, "quote": "unlikely"}]
    )
    findings = key_findings(make_corpus(WEATHER), WEATHER_TAXONOMY, estimates)
    assert _texts(findings)[-1] == (
        "1 of 4 answers gives a likelihood Chorus can put a number on, in words like “unlikely”."
    )


def test_topics_sentence(make_corpus):
    topics = pd.DataFrame(
        {
            "response_index": [1, 1, 2, 2, 3, 3, 4, 4],
            "topic_id": [0, 1, 0, 1, 0, 1, 0, 1],
            "share": [0.9, 0.1, 0.7, 0.3, 0.2, 0.8, 0.6, 0.4],
            "label": ["rain", "sea"] * 4,
        }
    )
    findings = key_findings(make_corpus(WEATHER), WEATHER_TAXONOMY, NO_ESTIMATES, topics)
    assert findings[-1] == Finding(
        "The most common main topic is “rain”, leading in 3 of 4 answers.",
        "topic",
        {"topic": 0, "answers": 3, "of": 4},
    )


def test_off_topic_corpus_uses_discovered_themes(make_corpus):
    from tests.test_themes import TRAVEL

    findings = key_findings(make_corpus(TRAVEL), estimates=NO_ESTIMATES)
    source = [f for f in findings if f.kind == "themes_source"]
    assert len(source) == 1
    assert source[0].text.startswith("The default themes fit only 4% of passages")
    assert source[0].numbers["coverage"] == 0.04
    # Nothing about AGI themes is claimed for a travel blog.
    assert not any("hardware" in f.text for f in findings)


def test_discovered_themes_are_named_as_on_the_chart(make_corpus):
    # Quoted with their capitals: before, "river & amazon" and "Group b never mentions belem".
    from lib.themes import fitting_taxonomy
    from tests.test_themes import AMAZON

    corpus = make_corpus(AMAZON, models=["a", "a", "a", "b", "a", "b"])
    findings = key_findings(corpus, estimates=NO_ESTIMATES)
    assert _texts(findings) == [
        "6 answers from 2 groups, 38-43 words each (median 40).",
        "The default themes fit only 10% of passages, so these findings use 6 themes found in "
        "the answers themselves.",
        "5 of 6 answers mention “River & Amazon”; “Market & acai” and “Deck & hammock” appear "
        "in only 3 each.",
        "Group b never mentions “Belem”, which all 4 other answers do.",
        "Group b never mentions “Market & acai”, which 3 of the other 4 answers do.",
        "Group b never mentions “Deck & hammock”, which 3 of the other 4 answers do.",
        "Every answer in group a mentions “Belem”; none of the other 2 answers do.",
        "Group a writes the longest answers (median 41 words), group b the shortest (median 40).",
    ]
    # The app picks the taxonomy once (lib.state) and passes it in: the same findings.
    taxonomy, coverage = fitting_taxonomy(corpus)
    assert coverage == 0.1
    again = key_findings(corpus, taxonomy, NO_ESTIMATES, default_coverage=coverage)
    assert again == findings
    # Kept by the user ("Use these themes"), the found themes are the user's list: no
    # coverage note, and the labels are still quoted as written, not "belem".
    kept = _texts(key_findings(corpus, taxonomy, NO_ESTIMATES))
    assert kept == _texts(findings)[:1] + _texts(findings)[2:]
    # A found theme whose description the user rewrote is theirs: read like any other label.
    typed = taxonomy.assign(description="Places on the river")
    assert "mentions belem" in " ".join(_texts(key_findings(corpus, typed, NO_ESTIMATES)))


# --- the seed -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_findings(seed_labelled):
    estimates = extract_estimates(seed_labelled, reference_year=2025)
    return key_findings(seed_labelled, load_taxonomy(), estimates)


def test_seed_headline_sentences(seed_findings):
    texts = _texts(seed_findings)
    assert texts[0] == "16 answers from 4 groups, 193-1,171 words each (median 854)."
    assert texts[1] == (
        "All 16 answers mention evidence for scaling, grounding & embodiment, reasoning & "
        "planning, world models & causality and agency & goals; test-time compute appears in "
        "only 4."
    )  # every theme named: a room cannot ask what "and 2 more" were
    assert (
        "7 of 16 answers give a share estimate; the most common is 50-70% (4 answers, all in "
        "group grok)." in texts
    )
    assert (
        "Groups claude and gemini never mention safety & alignment, which all 8 other answers do."
        in texts
    )
    assert "Group gpt never mentions consciousness, which 9 of the other 12 answers do." in texts
    assert (
        "11 of 16 answers give a likelihood Chorus can put a number on; the most common wording "
        "is “probably” "
        "(7 answers)." in texts
    )


def test_seed_every_sentence_is_true(seed_findings, seed_labelled):
    taxonomy = load_taxonomy()
    scores = theme_scores(seed_labelled, taxonomy)
    hit = scores[scores.passages_hit > 0]
    answers_per_theme = hit.groupby("theme_id")["response_index"].nunique()
    labels = dict(zip(taxonomy["id"], taxonomy["label"], strict=True))
    checked = set()
    for f in seed_findings:
        n = f.numbers
        if f.kind == "theme_common":
            for t in n["top_themes"]:
                assert answers_per_theme[t] == n["top_answers"]
            assert answers_per_theme.max() == n["top_answers"]
            for t in n["rare_themes"]:
                assert answers_per_theme[t] == n["rare_answers"] == answers_per_theme.min()
        elif f.kind in ("group_gap", "group_distinctive"):
            rows = scores[scores.theme_id == n["theme"]]
            groups = n.get("groups", [n.get("group")])
            inside = rows[rows.group.isin(groups)]
            outside = rows[~rows.group.isin(groups)]
            assert len(inside) == n["group_answers"]
            assert (outside.passages_hit > 0).sum() == n["other_hit"]
            assert len(outside) == n["other_answers"]
            expected = 0 if f.kind == "group_gap" else len(inside)
            assert (inside.passages_hit > 0).sum() == expected
            assert labels[n["theme"]].lower() in f.text
        elif f.kind == "group_length":
            from lib.text import count_words

            words = pd.Series(
                [count_words(r.text) for r in seed_labelled.responses],
                index=[r.group for r in seed_labelled.responses],
            )
            medians = words.groupby(level=0).median()
            assert medians.idxmax() == n["longest_group"]
            assert medians.idxmin() == n["shortest_group"]
        checked.add(f.kind)
    assert {"overview", "theme_common", "group_gap", "group_distinctive", "group_length"} <= checked


def test_seed_findings_are_deterministic(seed_labelled, seed_findings):
    estimates = extract_estimates(seed_labelled, reference_year=2025)
    assert key_findings(seed_labelled, load_taxonomy(), estimates) == seed_findings


def test_groups_leaving_out_the_same_theme_share_one_sentence(make_corpus):
    corpus = make_corpus([*WEATHER, "Sunny.", "Sun and rain."], models=[*WEATHER_GROUPS, "c", "c"])
    findings = key_findings(corpus, WEATHER_TAXONOMY, NO_ESTIMATES)
    sea = [f for f in findings if f.kind == "group_gap" and f.numbers["theme"] == "sea"]
    assert _texts(sea) == [
        "Groups a and c never mention sea & swimming, which both other answers do."
    ]
    assert sea[0].numbers["groups"] == ["a", "c"]
    assert sea[0].numbers["group_answers"] == 4


def test_seed_topic_sentence_matches_the_topic_model(seed_labelled):
    topics_module = pytest.importorskip("lib.topics")
    model = topics_module.TopicModel(random_state=0).fit(seed_labelled)
    findings = key_findings(seed_labelled, load_taxonomy(), NO_ESTIMATES, topics=model)
    topic = [f for f in findings if f.kind == "topic"]
    assert len(topic) == 1
    rt = model.response_topics_
    main = rt.loc[rt.groupby("response_index")["share"].idxmax()]
    counts = main["topic_id"].value_counts()
    assert topic[0].numbers["answers"] == counts.max()
    assert counts[topic[0].numbers["topic"]] == counts.max()
    label = model.topics_.set_index("topic_id").loc[topic[0].numbers["topic"], "label"]
    assert f"“{label}”" in topic[0].text


def test_group_summary_by_hand(make_corpus):
    # Words as count_words counts them: "don't" and "chain-of-thought" are one word each,
    # "-" and "—" none; a median of 2.5 is read out as 3 (halves up, as the findings say).
    corpus = make_corpus(
        ["- Don't stop.", "One — two three", "chain-of-thought wins", "a b c d"],
        models=["x", "x", "y", "y"],
    )
    table = group_summary(corpus)
    assert table[["group", "answers", "median_words", "min_words", "max_words"]].to_dict(
        "records"
    ) == [
        {"group": "x", "answers": 2, "median_words": 3, "min_words": 2, "max_words": 3},
        {"group": "y", "answers": 2, "median_words": 3, "min_words": 2, "max_words": 4},
    ]
    assert list(table.columns[-2:]) == ["what marks it", "self-identification"]


def test_group_summary_and_findings_state_the_same_seed_numbers(seed_labelled, seed_findings):
    table = group_summary(seed_labelled).set_index("group")
    overview = seed_findings[0].numbers
    length = next(f for f in seed_findings if f.kind == "group_length").numbers
    assert table["answers"].sum() == overview["answers"] == 16
    assert table["min_words"].min() == overview["min_words"] == 193
    assert table["max_words"].max() == overview["max_words"] == 1171
    assert table.loc[length["longest_group"], "median_words"] == length["longest_median"]
    assert table.loc[length["shortest_group"], "median_words"] == length["shortest_median"]
    assert table["median_words"].max() == length["longest_median"]
    assert f"median {length['longest_median']:,} words" in str(
        next(f for f in seed_findings if f.kind == "group_length")
    )


def test_numbers_from_one_group_say_so_and_mixed_ones_do_not():
    from lib.findings import _estimate_findings

    def texts(rows, groups):
        return [f.text for f in _estimate_findings(_estimates(rows), 6, groups)]

    same = [
        {"response_index": i, "group": "D", "kind": "share", "low": 50.0, "high": 70.0}
        for i in (4, 5)
    ] + [
        {"response_index": i, "group": "D", "kind": "timeline", "year_low": y, "year_high": y}
        for i, y in ((4, 2030), (5, 2035))
    ]
    assert texts(same, 3) == [
        "2 of 6 answers give a share estimate; the most common is 50-70% (2 answers, all in "
        "group D).",
        "2 of 6 answers give their own timeline (years 2030-2035, all in group D).",
    ]
    # One group in the whole corpus: nothing to tell apart.
    assert "all in group" not in " ".join(texts(same, 1))
    mixed = [{**row, "group": "C"} if row["response_index"] == 5 else row for row in same]
    assert texts(mixed, 3) == [
        "2 of 6 answers give a share estimate; the most common is 50-70% (2 answers).",
        "2 of 6 answers give their own timeline (years 2030-2035).",
    ]


def test_two_answers_read_both_in_estimates_and_topics(make_corpus):
    corpus = make_corpus(["Rain fell all day.", "Snow and rain again."])
    estimates = _estimates(
        [
            {"response_index": 1, "kind": "share", "low": 20.0, "high": 30.0},
            {"response_index": 2, "kind": "share", "low": 80.0, "high": None},
            {"response_index": 1, "kind": "timeline", "year_low": 2030, "year_high": 2035},
            {"response_index": 2, "kind": "timeline", "year_low": 2031, "year_high": 2032},
            {
                "response_index": 1,
                "kind": "probability",
                "low": 65,
                "high": 80,
                "quote": "probably",
            },
            {
                "response_index": 2,
                "kind": "probability",
                "low": 65,
                "high": 80,
                "quote": "probably",
            },
        ]
    )
    topics = pd.DataFrame(
        {"response_index": [1, 2], "topic_id": [0, 0], "share": [1.0, 1.0], "label": ["rain"] * 2}
    )
    found = _texts(key_findings(corpus, WEATHER_TAXONOMY, estimates, topics))
    assert found[-4:] == [
        "Both answers give a share estimate, between 20% and 80%.",
        "Both answers give their own timeline (years 2030-2035).",
        "Both answers give a likelihood Chorus can put a number on; the most common wording is "
        "“probably” (2 answers).",
        "The most common main topic is “rain”, leading in both answers.",
    ]


def test_one_answer_mentions_both_themes(make_corpus):
    taxonomy = WEATHER_TAXONOMY[WEATHER_TAXONOMY["id"].isin(["weather", "sun"])]
    found = _texts(
        key_findings(
            make_corpus(["Rain all day.\nSunny later.\nThe sun stayed out."]),
            taxonomy,
            NO_ESTIMATES,
        )
    )
    assert found[1] == "The answer mentions both themes, most of all sun (2 passages)."
