"""The splitter: the seed as a golden case, explicit structure, counts, corrections."""

import itertools
import json
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import splitter
from lib.corpus import Boundary, ChorusInputError, Corpus
from lib.splitter import boundary_candidates, detect_prompt, split_lines, split_text
from tests.conftest import SEED_STARTS, TWO_LINE_PROMPT

SEED_ENDS = [s - 1 for s in SEED_STARTS[1:]] + [539]


def seed_blocks(seed_text):
    lines = seed_text.split("\n")
    stops = [*SEED_STARTS[1:], len(lines) + 1]
    return lines[0], [lines[a - 1 : b - 1] for a, b in zip(SEED_STARTS, stops, strict=True)]


def test_seed_splits_into_the_sixteen_answers(seed_text):
    corpus = split_text(seed_text)
    lines = seed_text.split("\n")
    assert corpus.prompt == lines[0]
    assert [r.start_line for r in corpus.responses] == SEED_STARTS
    assert [r.end_line for r in corpus.responses] == SEED_ENDS
    for r in corpus.responses:
        body = r.text.split("\n")
        assert body[0] == lines[r.start_line - 1].strip()
        last_text_line = max(k for k in range(r.start_line, r.end_line + 1) if lines[k - 1].strip())
        assert body[-1] == lines[last_text_line - 1]
    assert corpus.responses[0].text.startswith("I think scaling alone is probably insufficient")
    assert corpus.responses[-1].text.endswith("based on your perspective.")
    assert corpus.warnings == []


def test_seed_boundaries_carry_readable_evidence(seed_text):
    corpus = split_text(seed_text)
    second = corpus.responses[1]
    assert "closes an answer" in second.boundary_evidence
    assert "What's your take on this?" in second.boundary_evidence
    assert "opens like a new answer" in corpus.responses[8].boundary_evidence  # "Short answer:"
    assert "restates the prompt" in corpus.responses[12].boundary_evidence  # the title line
    assert all(0.5 < r.boundary_confidence <= 1.0 for r in corpus.responses)


@pytest.mark.parametrize("seed", range(8))
def test_shuffled_seed_answers_split_the_same(seed_text, seed):
    prompt, blocks = seed_blocks(seed_text)
    order = list(range(16))
    random.Random(seed).shuffle(order)
    text = "\n".join([prompt] + [line for i in order for line in blocks[i]])
    corpus = split_text(text)
    assert [r.text.split("\n")[0] for r in corpus.responses] == [blocks[i][0] for i in order]


def test_ids_are_stable_whatever_the_order(seed_text):
    prompt, blocks = seed_blocks(seed_text)
    straight = split_text(seed_text)
    reversed_text = "\n".join([prompt] + [line for b in reversed(blocks) for line in b])
    backwards = split_text(reversed_text)
    assert {r.response_id for r in straight.responses} == {
        r.response_id for r in backwards.responses
    }


def test_without_prompt_line_crlf_and_trailing_newline(seed_text):
    body = seed_text.split("\n", 1)[1]
    corpus = split_text(body.replace("\n", "\r\n") + "\r\n")
    assert corpus.prompt is None
    assert len(corpus) == 16
    assert corpus.responses[0].start_line == 1
    assert corpus.responses[-1].end_line == 538


def test_expected_count_gives_exactly_that_many(seed_text):
    for n in (1, 4, 15, 16, 17, 30):
        corpus = split_text(seed_text, expected=n)
        assert len(corpus) == n
    # Asking for one fewer merges the weakest boundary, keeping the rest.
    fifteen = [r.start_line for r in split_text(seed_text, expected=15).responses]
    assert set(fifteen) < set(SEED_STARTS)


SHORT_ANSWERS = (
    "Will scaling get us to AGI?\n\nYes.\nScaling keeps working.\n\nNo.\nWe need new ideas."
    "\n\nPossibly.\nNobody knows."
)


def test_short_answers_are_the_paragraphs_when_their_count_is_given():
    # Too little in them to tell where each starts: one answer, and a message saying so.
    alone = split_text(SHORT_ANSWERS)
    assert len(alone) == 1 and "Found a single answer" in alone.warnings[0]
    # Told there are three, and there are three paragraphs: one answer each.
    three = split_text(SHORT_ANSWERS, expected=3)
    assert [(r.start_line, r.text) for r in three.responses] == [
        (3, "Yes.\nScaling keeps working."),
        (6, "No.\nWe need new ideas."),
        (9, "Possibly.\nNobody knows."),
    ]
    assert [r.boundary_confidence for r in three.responses] == [1.0, 0.8, 0.8]
    assert three.responses[1].boundary_evidence == (
        "after a blank line; as many paragraphs as answers expected"
    )
    # Another count: the paragraphs are not the answers, the scored lines decide.
    two = split_text(SHORT_ANSWERS, expected=2)
    assert [r.start_line for r in two.responses] == [3, 6]
    assert two.responses[1].text == "No.\nWe need new ideas.\n\nPossibly.\nNobody knows."


def test_expected_more_than_lines_warns():
    corpus = split_text("Q?\nOne.\nTwo.", expected=5)
    assert len(corpus) == 2
    assert "Asked for 5 responses" in corpus.warnings[0]


def test_openers_and_closers_on_a_small_file():
    text = (
        "What is the best pet?\n"
        "Great question! Dogs are loyal.\n"
        "They need walks.\n"
        "What do you think?\n"
        "Sure! Cats are independent.\n"
        "They sleep a lot.\n"
        "Hope this helps!\n"
        "Excellent question. Fish are calm.\n"
    )
    corpus = split_text(text)
    assert corpus.prompt == "What is the best pet?"
    assert [r.start_line for r in corpus.responses] == [2, 5, 8]
    assert (
        corpus.responses[1].text
        == "Sure! Cats are independent.\nThey sleep a lot.\nHope this helps!"
    )


@pytest.mark.parametrize("sep", ["---", "***", "===", "#####", "___"])
def test_separator_lines(sep):
    text = f"Prompt: name a colour\nRed.\n{sep}\nBlue.\nIndigo.\n{sep}\nGreen."
    corpus = split_text(text)
    assert corpus.prompt == "Prompt: name a colour"
    assert [r.text for r in corpus.responses] == ["Red.", "Blue.\nIndigo.", "Green."]
    assert [(r.start_line, r.end_line) for r in corpus.responses] == [(2, 2), (3, 5), (6, 7)]
    assert all(r.boundary_confidence == 1.0 for r in corpus.responses)


def test_headers_give_model_labels():
    text = (
        "Response 1\nalpha\n---\nResponse 2 (gpt-4)\nbeta\n"
        "[claude]\ngamma\n### Model: gpt-4o\ndelta\n=== gemini ===\nepsilon"
    )
    corpus = split_text(text)
    assert [(r.text, r.model) for r in corpus.responses] == [
        ("alpha", None),
        ("beta", "gpt-4"),
        ("gamma", "claude"),
        ("delta", "gpt-4o"),
        ("epsilon", "gemini"),
    ]
    assert [r.group for r in corpus.responses] == [None, "gpt-4", "claude", "gpt-4o", "gemini"]
    assert "explicit structure (model: claude)" in corpus.responses[2].boundary_evidence


@pytest.mark.parametrize(
    ("first", "second", "models"),
    [
        ("Claude:", "Gemini:", ["Claude", "Gemini"]),
        ("### Claude", "### Gemini 2.5 Pro", ["Claude", "Gemini 2.5 Pro"]),
        ("**GPT-4o**", "**Claude**", ["GPT-4o", "Claude"]),
        ("GPT-4o response 1", "GPT-4o response 2", ["GPT-4o", "GPT-4o"]),
        ("Claude #1", "Claude #2", ["Claude", "Claude"]),
        ("Claude Sonnet 4 said:", "ChatGPT said:", ["Claude Sonnet 4", "ChatGPT"]),
    ],
)
def test_model_name_label_lines_start_answers_and_name_the_model(first, second, models):
    text = (
        f"Why does it rain?\n{first}\nI think clouds matter most here.\nThat is the main point.\n"
        f"What's your take?\n{second}\nI think it is the water cycle.\nThat is all."
    )
    corpus = split_text(text)
    assert [(r.start_line, r.model, r.text) for r in corpus.responses] == [
        (
            2,
            models[0],
            "I think clouds matter most here.\nThat is the main point.\nWhat's your take?",
        ),
        (6, models[1], "I think it is the water cycle.\nThat is all."),
    ]


def test_only_lines_written_like_the_first_label_are_labels():
    text = "Why?\n### Claude\nThe leaders are:\nGemini\nGPT-4o\nAll good.\n### Gemini\nI think b."
    corpus = split_text(text)
    assert [(r.model, r.text) for r in corpus.responses] == [
        ("Claude", "The leaders are:\nGemini\nGPT-4o\nAll good."),
        ("Gemini", "I think b."),
    ]


def test_a_model_name_heading_inside_an_unlabelled_answer_is_no_boundary():
    # Labels count only in a file labelled that way (the first answer opens with one).
    text = (
        "Which model reasons best?\nIt depends on the task.\nGPT-4:\n- strong at code\n"
        "Claude:\n- careful with long documents\nEach has its place."
    )
    corpus = split_text(text)
    assert len(corpus) == 1
    assert corpus.responses[0].model is None


def test_markdown_bold_or_heading_openers_start_answers():
    bold = split_text("Why?\n**Short answer:** yes.\nMore.\n**Short answer:** no.\nLess.")
    assert [r.text for r in bold.responses] == [
        "**Short answer:** yes.\nMore.",
        "**Short answer:** no.\nLess.",
    ]
    heading = split_text("Why?\n## Short answer:\nYes.\nMore.\n## Short answer:\nNo.\nLess.")
    assert [r.start_line for r in heading.responses] == [2, 5]
    bare = split_text("Why?\n## Short answer\nYes.\nMore.\n## Short answer\nNo.\nLess.")
    assert [r.start_line for r in bare.responses] == [2, 5]
    outside = split_text("Why?\n**Short answer**: yes.\nMore.\n**Short answer**: no.\nLess.")
    assert [r.start_line for r in outside.responses] == [2, 4]


def test_a_prompt_pasted_again_before_each_answer_is_in_no_answer():
    text = "Why?\nShort answer: yes.\nMore.\n\nWhy?\nShort answer: no.\nLess.\nwhy? \nLast one."
    corpus = split_text(text, expected=3)
    assert [r.text for r in corpus.responses] == [
        "Short answer: yes.\nMore.",
        "Short answer: no.\nLess.",
        "Last one.",
    ]
    assert "a copy of the prompt above the answer is left out" in (
        corpus.responses[1].boundary_evidence
    )
    # Every line of the file is still somewhere: the copies are header lines of the answer.
    assert [(r.start_line, r.end_line) for r in corpus.responses] == [(2, 4), (5, 7), (8, 9)]


def test_a_copied_chat_leaves_the_users_own_messages_out():
    text = (
        "You said:\nWhy does it rain?\nChatGPT said:\nShort answer: clouds.\nMore.\n"
        "You said:\nWhy does it rain?\nChatGPT said:\nShort answer: the water cycle.\nLess."
    )
    corpus = split_text(text)
    assert [(r.start_line, r.model, r.text) for r in corpus.responses] == [
        (1, "ChatGPT", "Short answer: clouds.\nMore."),
        (6, "ChatGPT", "Short answer: the water cycle.\nLess."),
    ]
    assert "your own message" in corpus.responses[1].boundary_evidence


def test_a_quote_introduced_with_said_is_no_header():
    text = (
        "Will scaling get us to AGI?\nShort answer: no.\nAs Rich Sutton said:\n"
        "> The bitter lesson.\nStill, more is needed.\nShort answer: yes.\nScale is enough."
    )
    corpus = split_text(text)
    assert [(r.start_line, r.model) for r in corpus.responses] == [(2, None), (6, None)]


def test_user_turns_without_a_model_turn_keep_their_text():
    # No model header after "You said:": the replies are in the user turns; nothing is lost.
    plain = split_text(
        "You said:\nWhy does it rain?\nClouds and the water cycle.\nMore text.\n"
        "You said:\nWhy does it rain?\nThe water cycle.\nLess."
    )
    assert [(r.model, r.text) for r in plain.responses] == [
        (None, "Why does it rain?\nClouds and the water cycle.\nMore text."),
        (None, "Why does it rain?\nThe water cycle.\nLess."),
    ]
    # A chat that ends with a question of the user's: kept, but no model "You" wrote it.
    tail = split_text(
        "You said:\nWhy?\nChatGPT said:\nShort answer: clouds.\nMore.\nYou said:\nAnd snow?"
    )
    assert [(r.model, r.text) for r in tail.responses] == [
        ("ChatGPT", "Short answer: clouds.\nMore."),
        (None, "And snow?"),
    ]
    assert "no model's turn after it" in tail.responses[1].boundary_evidence


@pytest.mark.parametrize(
    "text",
    [
        "Why does it rain?\nWhy does it rain?\nShort answer: clouds.\nMore.\n\n"
        "Why does it rain?\nShort answer: the water cycle.\nLess.",
        "Why does it rain?\n---\nWhy does it rain?\n---\nShort answer: clouds.\nMore.\n---\n"
        "Why does it rain?\n---\nShort answer: the water cycle.\nLess.",
    ],
)
def test_a_prompt_copy_above_the_first_answer_is_no_answer(text):
    corpus = split_text(text)
    assert [r.text for r in corpus.responses] == [
        "Short answer: clouds.\nMore.",
        "Short answer: the water cycle.\nLess.",
    ]
    assert corpus.responses[0].start_line == 2  # every line after the prompt is in an answer


def test_markdown_rules_inside_answers_are_text_not_separators():
    # Answers pasted back to back, one of them holding a rule: three answers start clearly
    # between two "---" lines, so the lines are rules, not separators.
    answers = [f"Short answer: {x}.\nMore {x}.\nEven more {x}." for x in "abcd"]
    answers[3] += "\n---\nSection of d."
    answers.append("Short answer: e.\nMore e.")
    corpus = split_text("\n".join(["Why?", *answers]))
    assert [r.text for r in corpus.responses] == answers
    assert any("read as part of the text" in w for w in corpus.warnings)


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        # A TL;DR closing each answer, or a title under a short preamble, opens no answer.
        (
            "Rust or Go first?\nGo is simpler and fast to learn.\n\nTL;DR: Go first.\n---\n"
            "Rust teaches you more about memory.\n\nTL;DR: Rust first.\n---\nEither is fine.",
            [2, 5, 9],
        ),
        (
            "Write a haiku about rain.\nSure! Here is one:\n\nTitle: Autumn Rain\n"
            "Soft drops on amber leaves.\n---\nHere is a haiku:\n\nTitle: The Grey Hour\n"
            "Rain combs the maple.\n---\nPuddles hold the sky.",
            [2, 6, 11],
        ),
        # One answer holding both a "Short answer:" and a "TL;DR:".
        (
            "Is it worth it?\nIt depends.\n\nShort answer: yes.\n\nCosts are lower.\n\n"
            "TL;DR: buy one.\n---\nFor many people, yes.\n---\nProbably, but check first.",
            [2, 9, 11],
        ),
    ],
)
def test_separators_between_answers_are_trusted_despite_openers_inside(text, starts):
    corpus = split_text(text)
    assert [r.start_line for r in corpus.responses] == starts
    assert corpus.warnings == []


def test_seed_with_rules_inside_some_answers_or_between_all_splits_exactly(seed_text):
    prompt, blocks = seed_blocks(seed_text)
    answers = [[line for line in block if line.strip()] for block in blocks]
    # Rules inside the third model's answers (as Markdown source holds them), none between.
    ruled = [
        [*a[:4], "---", *a[4:8], "---", *a[8:]] if 8 <= i < 12 else a for i, a in enumerate(answers)
    ]
    corpus = split_text("\n".join([prompt, *(line for a in ruled for line in a)]))
    assert [r.text for r in corpus.responses] == ["\n".join(a) for a in ruled]
    # "---" between every two answers: the separators are trusted as they were.
    between = [prompt, *answers[0]]
    for a in answers[1:]:
        between += ["---", *a]
    corpus = split_text("\n".join(between))
    assert [r.text for r in corpus.responses] == ["\n".join(a) for a in answers]
    assert corpus.warnings == []


def test_text_before_first_header_is_kept():
    corpus = split_text("Some preface here.\n[claude]\nAnswer one.\n[gpt]\nAnswer two.")
    assert [r.text for r in corpus.responses] == [
        "Some preface here.",
        "Answer one.",
        "Answer two.",
    ]
    assert "before the first detected answer" in corpus.warnings[0]


def test_prompt_detection():
    assert detect_prompt(["Why is the sky blue?", "Because."]) == 1
    assert detect_prompt(["Explain photosynthesis.", "Plants..."]) == 1
    assert detect_prompt(["Question: colours", "Red."]) == 1
    assert detect_prompt(["Short answer: yes.", "More."]) is None
    assert detect_prompt(["I think it is blue.", "More."]) is None
    assert detect_prompt(["", "Why?", "Because."]) == 2
    assert detect_prompt(["Why?"]) == 1  # a prompt-only file: split_text says so


def test_bad_input_errors_name_the_problem():
    with pytest.raises(ChorusInputError, match="empty"):
        split_text("  \n\t\n")
    with pytest.raises(ChorusInputError, match="Line 1 looks like the prompt"):
        split_text("What will happen to AGI?\n\n   \n")
    with pytest.raises(ChorusInputError, match="1 or more"):
        split_text("Q?\nA.", expected=0)


def test_one_answer_is_a_corpus_of_one_with_a_note():
    corpus = split_text("Why?\nBecause it is.\nAnd more.")
    assert len(corpus) == 1
    assert corpus.responses[0].text == "Because it is.\nAnd more."
    assert "single answer" in corpus.warnings[0]


def test_corrections_merge_split_and_replay(seed_text):
    corpus = split_text(seed_text)
    merged = corpus.merge(3)  # answers 3 and 4 become one
    assert len(merged) == 15
    assert merged.responses[2].start_line == 40 and merged.responses[2].end_line == 90
    split = merged.split_at(63)
    assert [r.start_line for r in split.responses] == SEED_STARTS
    # A correction is data: the boundary list round-trips through JSON.
    saved = json.dumps([b.to_dict() for b in merged.boundaries])
    replayed = Corpus.from_boundaries(
        seed_text.split("\n"),
        [Boundary.from_dict(d) for d in json.loads(saved)],
        prompt=corpus.prompt,
        prompt_line=1,
    )
    assert [r.response_id for r in replayed.responses] == [r.response_id for r in merged.responses]
    with pytest.raises(ChorusInputError):
        corpus.merge(16)


def test_near_misses_are_listed_for_the_user(seed_text):
    corpus = split_text(seed_text)
    near = boundary_candidates(corpus, top=5)
    assert len(near) == 5
    assert all(row["line"] not in SEED_STARTS for row in near)
    assert near[0]["score"] >= near[-1]["score"]


def test_passages_of_a_response(seed_text):
    corpus = split_text(seed_text)
    passages = corpus.passages_frame()
    first = passages[passages.response_id == corpus.responses[0].response_id]
    assert list(first.kind[:3]) == ["paragraph", "heading", "bullet"]
    assert first.text.iloc[2] == "Emergent capabilities that weren't explicitly trained"
    assert first.line.iloc[2] == 4
    assert len(passages) == len(passages.drop_duplicates(["response_id", "order"]))


def test_headers_without_text_are_an_error():
    with pytest.raises(ChorusInputError, match="only headers or separator lines"):
        split_text("Response 1")
    with pytest.raises(ChorusInputError, match=r"only headers or separator lines \(line 2\)"):
        split_text("Prompt?\nResponse 1\n---\n")


RECIPES = """Give me a quick dinner recipe.
Sure! Here's a recipe for garlic pasta.
Ingredients:
- 200 g spaghetti
- 3 cloves garlic
Steps:
1. Boil the pasta in salted water for 9 minutes.
2. Toss the pasta with the garlic oil and serve.
Enjoy your pasta!
Sure! Here's a recipe for tomato soup.
Ingredients:
- 1 kg tomatoes
Steps:
1. Simmer the tomatoes in stock for 20 minutes.
2. Blend until smooth and season.
Enjoy your soup!
Sure! Here's a recipe for fried rice.
Ingredients:
- 2 cups cooked rice
Steps:
1. Stir-fry the rice with eggs for 5 minutes.
Enjoy your fried rice!"""


def test_answers_about_something_else_split_too():
    corpus = split_text(RECIPES)
    assert [r.start_line for r in corpus.responses] == [2, 10, 17]
    assert "closes an answer (“Enjoy your pasta!”)" in corpus.responses[1].boundary_evidence


def test_same_opening_as_the_first_answer_is_evidence_on_its_own():
    # No sign-off at all: the repeated opening of the first answer carries the split.
    text = RECIPES.replace("Enjoy your ", "That is the ")
    corpus = split_text(text)
    assert [r.start_line for r in corpus.responses] == [2, 10, 17]
    assert "opens like the first answer (“sure here's a”)" in corpus.responses[2].boundary_evidence


def test_copied_chat_transcripts():
    corpus = split_text(
        "What is 2+2?\nChatGPT said:\nIt is 4.\nClaude said:\nFour.\nAssistant:\n2+2=4"
    )
    assert [(r.model, r.text) for r in corpus.responses] == [
        ("ChatGPT", "It is 4."),
        ("Claude", "Four."),
        (None, "2+2=4"),
    ]


def test_opener_prefilter_agrees_with_the_patterns(seed_text):
    lines = [
        *seed_text.split("\n"),
        "Sure! Here it is.", "Tl;dr: no.", "OK, fine.", "Happy to help!", "I’d say yes.",
        "Here’s why:", "Let’s see.", "What a great question!", "Thanks for asking.",
        "Title: A plan", "That’s a good question.", "As an AI, I can't.", "It depends.",
        "In my view, no.", "My take: yes.", "Honestly, maybe.", "This is a tricky question.",
        "An excellent question.", "Fascinating question!", "Of course!", "No, never.",
    ]  # fmt: skip
    for line in (s.strip() for s in lines if s.strip()):
        by_regex = (
            2 if splitter._STRONG_OPENERS.match(line) else int(bool(splitter._OPENERS.match(line)))
        )
        assert splitter._opener_strength(line) == by_regex, line


def test_corrections_keep_a_prompt_that_follows_blank_lines():
    corpus = split_text("\n\nWhy?\nShort answer: yes.\nMore.\nShort answer: no.\nLess.")
    assert corpus.prompt == "Why?" and corpus.prompt_line == 3
    merged = corpus.merge(1)
    assert len(merged) == 1
    assert merged.responses[0].text == "Short answer: yes.\nMore.\nShort answer: no.\nLess."
    assert merged.split_at(6).responses[1].start_line == 6
    assert boundary_candidates(merged)[0]["line"] == 6  # the merged-away start, best first


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="aZ'’ -.,\n1é\t", max_size=120))
def test_opening_key_is_the_first_three_words(text):
    words = splitter._WORD.findall(text[:80].lower())[:3]
    assert splitter._opening_key(text) == (" ".join(words) if len(words) == 3 else None)


def test_split_lines_is_split_text_on_lines(seed_text):
    lines = ("\ufeff" + seed_text + "\n").split("\n")
    before = list(lines)
    by_lines = split_lines(lines)
    assert lines == before  # the caller's list is left alone
    by_text = split_text(seed_text)
    assert [(r.start_line, r.text) for r in by_lines.responses] == [
        (r.start_line, r.text) for r in by_text.responses
    ]
    assert by_lines.lines == by_text.lines


def test_style_shift_features_do_not_depend_on_the_batch_size(seed_text, monkeypatch):
    rows = splitter._classify(seed_text.split("\n"), 2)
    whole = splitter._line_features(rows)
    monkeypatch.setattr(splitter, "FEATURE_BATCH", 7)
    assert (splitter._line_features(rows) == whole).all()


# --- shortcuts taken for speed give exactly what the slow path gives ----------------------
# Text built from the words the shortcuts look for, odd cases ("ı", "ſ", "İ", "K") and the
# punctuation the patterns read, so both sides of each shortcut get exercised.
_PIECES = [
    *("let me know", "hope this helps", "feel free", "happy to help", "would you like"),
    *("want me to", "shall I", "I can also", "I'd love to", "I’d be glad to", "curious what you"),
    *("your thoughts?", "your take.", "Enjoy!", "bon appétit!", "good luck.", "Cheers!"),
    *("happy baking!", "ſhall ı", "İ", "LET ME KNOW", "Title", "# Heading", "**Bold**", "1. "),
    *("scaling", "models", "AGI", "large language", "- ", "* ", "?", ".", ":", " ", "  ", "\t"),
]
_line_text = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=6)), min_size=1, max_size=12
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_line_text)
def test_sign_off_shortcut_agrees_with_the_regex(text):
    assert splitter._signs_off(text) == bool(splitter._SIGN_OFF.search(text))


@settings(max_examples=300, deadline=None)
@given(_line_text)
def test_heading_shortcut_agrees_with_is_heading_line(text):
    from lib.corpus import is_heading_line

    for row in splitter._classify([text], 1):
        s = row.text
        if not row.bullet and row.words <= 14 and s[-1] not in ".!?;,":
            assert splitter._is_heading(s) == is_heading_line(s)


@settings(max_examples=300, deadline=None)
@given(_line_text)
def test_restate_shortcut_never_drops_a_restated_prompt(text):
    prompt = splitter._content_words("Will scaling large language models achieve AGI's goals?")
    shared = splitter._content_words(text) & prompt
    if len(shared) >= 3:
        assert splitter._may_restate(text, prompt)


def test_shortcuts_agree_on_every_seed_line(seed_text):
    from lib.corpus import is_heading_line

    lines = seed_text.split("\n")
    prompt = splitter._content_words(lines[0])
    for row in splitter._classify(lines, 2):
        s = row.text
        assert splitter._signs_off(s[-200:]) == bool(splitter._SIGN_OFF.search(s[-200:]))
        if not row.bullet and row.words <= 14 and s[-1] not in ".!?;,":
            assert splitter._is_heading(s) == is_heading_line(s)
        if len(splitter._content_words(s) & prompt) >= 3:
            assert splitter._may_restate(s, prompt)


def test_byte_pair_table_gives_the_modulo_histogram(seed_text):
    import numpy as np

    rows = splitter._classify(seed_text.split("\n"), 1)
    buckets, width = splitter.SHIFT_BUCKETS, splitter.SHIFT_BUCKETS + 3
    expected = np.zeros((len(rows), width), np.float32)
    for i, row in enumerate(rows):
        data = row.text.encode("utf-8")
        for a, b in itertools.pairwise(data):
            expected[i, (a * 31 + b) % buckets] += 1
    expected /= np.maximum(expected.sum(axis=1, keepdims=True), 1.0) / 4.0
    got = splitter._line_features(rows)
    assert np.array_equal(got[:, :buckets], expected[:, :buckets])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["-", " ", "Response 2", "model: x", "[gpt]", "said:", "=="]), max_size=6
    )
)
def test_dash_lines_without_three_dashes_are_never_markers(pieces):
    line = "".join(pieces).strip()
    if line.startswith("-") and not line.startswith("---"):
        assert splitter._explicit_header(line) is None
        assert not splitter._SEPARATOR.match(line)


_LABEL_STYLES = ["{m}:", "### {m}", "**{m}**", "{m} response {i}", "{m} #{i}", "{m} said:"]
_ANSWER_LINE = st.lists(
    st.sampled_from(["scaling", "data", "helps", "a", "lot", "but", "not", "alone", "AGI", "I"]),
    min_size=1,
    max_size=8,
).map(lambda words: " ".join(words) + ".")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    style=st.sampled_from(_LABEL_STYLES),
    answers=st.lists(
        st.tuples(
            st.sampled_from(["Claude", "Gemini", "GPT-4o", "Grok 3", "Llama 3.1 70B"]),
            st.lists(_ANSWER_LINE, min_size=1, max_size=4),
        ),
        min_size=2,
        max_size=6,
    ),
    blank=st.booleans(),
)
def test_any_model_labelled_paste_splits_at_its_labels(style, answers, blank):
    lines = ["Will scaling get us to AGI?"]
    for i, (model, body) in enumerate(answers, 1):
        lines.append(style.format(m=model, i=i))
        lines.extend(body)
        if blank:
            lines.append("")
    corpus = split_text("\n".join(lines))
    assert [(r.model, r.text) for r in corpus.responses] == [
        (model, "\n".join(body)) for model, body in answers
    ]


# --- a prompt on several lines, or none --------------------------------------------------------


def test_a_prompt_on_two_lines_can_be_set_and_the_first_answer_starts_below_it():
    split = split_text(TWO_LINE_PROMPT)
    # The splitter takes one line for the prompt: the second opens answer 1.
    assert (split.prompt, split.prompt_line) == ("Will scaling LLMs get us to AGI?", 1)
    assert split.responses[0].text.startswith("Please answer in a few sentences")
    fixed = split_text(TWO_LINE_PROMPT, prompt_end=2)
    assert fixed.prompt == (
        "Will scaling LLMs get us to AGI? Please answer in a few sentences and give a probability."
    )
    assert fixed.prompt_line == 2
    assert [(r.start_line, r.text) for r in fixed.responses] == [
        (
            4,
            "Scaling has worked so far. I think it is likely to continue for a while.\n"
            "But data is running out, so I give it 30%.",
        ),
        (7, "**Short answer:** no.\nScaling alone will not do it; we need memory and planning."),
    ]
    assert all(r.prompt == fixed.prompt for r in fixed.responses)
    assert fixed.warnings == []
    # The line the splitter found gives its split back, ids included.
    again = split_text(TWO_LINE_PROMPT, prompt_end=1)
    assert [(r.response_id, r.text) for r in again.responses] == [
        (r.response_id, r.text) for r in split.responses
    ]
    # Told the count too, the paragraphs are counted below the prompt: two answers, not three.
    assert len(split_text(TWO_LINE_PROMPT, prompt_end=2, expected=2)) == 2


def test_no_prompt_makes_the_first_line_an_answers_first_and_nothing_is_lost():
    none = split_text(TWO_LINE_PROMPT, prompt_end=0)
    assert (none.prompt, none.prompt_line) == (None, None)
    assert none.responses[0].start_line == 1
    assert none.responses[0].text.startswith("Will scaling LLMs get us to AGI?\nPlease answer")
    # Every line is in an answer, in order.
    kept = [line for r in none.responses for line in r.text.split("\n") if line.strip()]
    assert kept == [line for line in TWO_LINE_PROMPT.split("\n") if line.strip()]


def test_a_prompt_end_between_a_header_and_the_text_keeps_each_answers_model():
    text = "Will it work?\nA second prompt line.\n\n## Model: alpha\nYes it will.\n\n## Model: beta\nNo."
    two = split_text(text, prompt_end=2)
    assert two.prompt == "Will it work? A second prompt line."
    assert [(r.model, r.text) for r in two.responses] == [
        ("alpha", "Yes it will."),
        ("beta", "No."),
    ]
    one = split_text(text, prompt_end=1)
    # Line 2 comes before alpha's header: an answer of its own, which the user may merge.
    assert [(r.model, r.text) for r in one.responses] == [
        (None, "A second prompt line."),
        ("alpha", "Yes it will."),
        ("beta", "No."),
    ]


def test_a_prompt_that_leaves_no_answer_is_refused():
    with pytest.raises(ChorusInputError, match="set to end at line 8 and nothing follows it"):
        split_text(TWO_LINE_PROMPT, prompt_end=8)
    with pytest.raises(ChorusInputError, match="set to end at line 20 and nothing follows it"):
        split_text(TWO_LINE_PROMPT, prompt_end=20)


def test_the_first_line_under_a_header_is_no_near_miss_and_no_split():
    text = (
        "Will it work?\n\n## Model: alpha\nYes it will. Scaling works.\nMore text here.\n\n"
        "## Model: beta\nNo. It will not.\nWe need more."
    )
    split = split_text(text)
    assert [(r.start_line, r.model) for r in split.responses] == [(3, "alpha"), (7, "beta")]
    # "No. It will not." opens beta's text: offering to split there would cut its header off
    # as an empty answer and leave the text without its model.
    assert [c["line"] for c in boundary_candidates(split)] == [9]
    for line in (3, 4, 7, 8):
        assert split.split_at(line) is split
    assert [(r.start_line, r.model) for r in split.split_at(9).responses] == [
        (3, "alpha"),
        (7, "beta"),
        (9, None),
    ]


def test_lines_of_a_header_on_several_lines_are_no_near_misses():
    text = (
        "Will it work?\n\n## Response 1\n\n**Model: alpha**\nYes it will. Scaling works.\n"
        "More text here.\n\n## Response 2\n\n**Model: beta**\nNo. It will not.\nWe need more."
    )
    split = split_text(text)
    heads = [(b.start_line, b.header_lines) for b in split.boundaries]
    assert [r.model for r in split.responses] == ["alpha", "beta"]
    header_lines = {k for start, n in heads for k in range(start, start + n + 1)}  # + 1st text
    assert heads == [(3, 3), (9, 3)]
    assert header_lines == {3, 4, 5, 6, 9, 10, 11, 12}
    assert [c["line"] for c in boundary_candidates(split)] == [13]  # "We need more."
    assert all(split.split_at(k) is split for k in header_lines)


def test_a_prompt_on_two_lines_gives_all_its_words_to_the_restated_prompt_evidence():
    from lib.splitter import score_lines

    lines = [
        "Should we adopt cats or dogs?",
        "Weigh loyalty, grooming costs and daily exercise.",
        "",
        "Cats are calm and clean.",
        "They suit small flats.",
        "",
        "Loyalty, grooming costs and daily exercise",  # restates the prompt's second line
        "Dogs need walks but repay it.",
    ]
    evidence = {k: e for k, _, e in score_lines(lines, 2)}
    assert evidence[7] == ["restates the prompt (5 of its words)"]
    assert {k: e for k, _, e in score_lines(lines, 1)}[7] == []  # the first line alone


INLINE_LABELLED = (
    "Will scaling get us to AGI?\n\n"
    "Claude: Scaling helps but is not enough.\nWe need memory.\n\n"
    "GPT-4o: Probably not by itself.\nMaybe 40% of the way.\n\n"
    "Gemini: Scaling is necessary, not sufficient.\n\n"
    "Claude: Another sample. It depends on data."
)


def test_answers_opening_with_their_models_name_are_split_and_labelled():
    split = split_text(INLINE_LABELLED)
    assert [(r.start_line, r.model, r.text) for r in split.responses] == [
        (3, "Claude", "Claude: Scaling helps but is not enough.\nWe need memory."),
        (6, "GPT-4o", "GPT-4o: Probably not by itself.\nMaybe 40% of the way."),
        (9, "Gemini", "Gemini: Scaling is necessary, not sufficient."),
        (11, "Claude", "Claude: Another sample. It depends on data."),
    ]
    assert {r.boundary_confidence for r in split.responses} == {0.9}
    assert split.responses[1].boundary_evidence == (
        "opens with a model's name (“GPT-4o:”), as every answer here does"
    )
    assert split.warnings == []
    # Written in bold throughout, the same; a bold one among plain ones is no label.
    bold = re.sub(r"(?m)^(Claude|GPT-4o|Gemini):", r"**\1:**", INLINE_LABELLED)
    assert [r.model for r in split_text(bold).responses] == ["Claude", "GPT-4o", "Gemini", "Claude"]
    mixed = INLINE_LABELLED.replace("GPT-4o:", "**GPT-4o:**")
    assert [r.model for r in split_text(mixed).responses] == ["Claude", "Gemini", "Claude"]


def test_model_names_on_consecutive_lines_are_a_list_unless_the_count_says_otherwise():
    # One answer comparing models, a line each: no blank line before them, so not labels.
    listing = "Compare the models?\nGPT-4: strong at code.\nClaude: strong at writing.\n"
    assert len(split_text(listing + "Gemini: strong at search.")) == 1
    # Told there are three, and three lines open with a model's name: one answer each.
    told = split_text(INLINE_LABELLED.replace("\n\n", "\n"), expected=4)
    assert [(r.start_line, r.model) for r in told.responses] == [
        (2, "Claude"),
        (4, "GPT-4o"),
        (6, "Gemini"),
        (7, "Claude"),
    ]
    # The first answer must open with a name: an answer mentioning models is left alone.
    mention = "Which model?\nI prefer Claude.\n\nGPT-4: fine too.\n\nClaude: also fine."
    assert all(r.model is None for r in split_text(mention).responses)
