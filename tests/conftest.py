"""Shared fixtures: the seed corpus as a golden case, and small hand-made corpora."""

from pathlib import Path

import pytest

from lib.corpus import Boundary, Corpus, corpus_from_texts

ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = ROOT / "data" / "000_dce1674832fde9a1.txt"

# Read off the seed by hand: the first line of each of the 16 answers, and who wrote them.
SEED_STARTS = [2, 21, 40, 63, 91, 120, 158, 193, 219, 268, 316, 374, 407, 443, 478, 508]
SEED_MODELS = ["claude"] * 4 + ["gemini"] * 4 + ["gpt"] * 4 + ["grok"] * 4
# A prompt on two lines (the splitter takes the first for the prompt), then two answers.
TWO_LINE_PROMPT = """Will scaling LLMs get us to AGI?
Please answer in a few sentences and give a probability.

Scaling has worked so far. I think it is likely to continue for a while.
But data is running out, so I give it 30%.

**Short answer:** no.
Scaling alone will not do it; we need memory and planning."""


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_corpus(seed_text) -> Corpus:
    """The seed cut at the hand-checked boundaries (independent of the splitter)."""
    lines = seed_text.split("\n")
    return Corpus.from_boundaries(
        lines,
        [Boundary(s) for s in SEED_STARTS],
        prompt=lines[0].strip(),
        prompt_line=1,
        name="seed",
    )


@pytest.fixture(scope="session")
def seed_labelled(seed_corpus) -> Corpus:
    """The seed with its true models as groups."""
    return seed_corpus.with_groups(SEED_MODELS)


@pytest.fixture
def make_corpus():
    return corpus_from_texts
