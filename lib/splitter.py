"""Split pasted multi-answer text into responses (work in progress: API is final)."""

from __future__ import annotations

from lib.corpus import Boundary, ChorusInputError, Corpus


def split_text(text: str, *, expected: int | None = None, name: str = "corpus") -> Corpus:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(s.strip() for s in lines):
        raise ChorusInputError("The file is empty: there is no text to split.")
    prompt = lines[0].strip()
    return Corpus.from_boundaries(lines, [Boundary(2)], prompt=prompt, prompt_line=1, name=name)
