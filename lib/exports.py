"""What the Data page offers to download or read back: tables, boundary files, column names.

Pure functions (no streamlit), so the page only lays out buttons. Download builders are
zero-argument callables: Streamlit runs them only when the button is clicked.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lib.corpus import ChorusInputError, Corpus


def columns_of(data: bytes, filename: str) -> list[str]:
    """Column names of a structured upload (.csv, .jsonl, .json), for mapping them by hand.

    A file that cannot be read gives [] (the loader has already said what is wrong with it).
    """
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(io.BytesIO(data), nrows=20, sep=None, engine="python")
            return [str(c) for c in frame.columns]
        if suffix == ".jsonl":
            for line in data.decode("utf-8-sig", errors="replace").splitlines():
                if line.strip():
                    row = json.loads(line)
                    return list(row) if isinstance(row, dict) else []
        if suffix == ".json":
            obj = json.loads(data.decode("utf-8-sig", errors="replace"))
            if isinstance(obj, dict):
                obj = next((v for v in obj.values() if isinstance(v, list)), [obj])
            first = next((r for r in obj if isinstance(r, dict)), {})
            return list(first)
    except (ValueError, pd.errors.ParserError):
        return []
    return []


def boundaries_json(corpus: Corpus, source: str) -> str:
    """The corpus's answer boundaries, and where its prompt ends (`prompt_line`, 0 for none),
    as a JSON file the Data page can read back."""
    return json.dumps(
        {
            "source": source,
            "prompt": corpus.prompt,
            "prompt_line": corpus.prompt_line or 0,
            "boundaries": [b.to_dict() for b in corpus.boundaries or []],
        },
        indent=2,
    )


def read_prompt_end(data: bytes) -> int | None:
    """Where the prompt ends in a file written by `boundaries_json` (None: the file does not
    say, as in a bare list or a file from before it did)."""
    try:
        obj = json.loads(data)
        end = obj.get("prompt_line") if isinstance(obj, dict) else None
        return None if end is None else max(0, int(end))
    except (ValueError, TypeError):
        return None


def read_boundaries(data: bytes, filename: str) -> list[dict]:
    """A boundary list from a file written by `boundaries_json` (or a bare list of them).

    >>> read_boundaries(b'[{"start_line": 2}]', "b.json")
    [{'start_line': 2}]
    """
    try:
        obj = json.loads(data)
        items = obj["boundaries"] if isinstance(obj, dict) else obj
    except (ValueError, KeyError, TypeError) as exc:
        raise ChorusInputError(f"{filename}: not a boundary list ({exc}).") from exc
    if not isinstance(items, list) or not all(
        isinstance(b, dict) and "start_line" in b for b in items
    ):
        raise ChorusInputError(
            f"{filename}: not a boundary list (expected a list of objects with a start_line)."
        )
    return items


def download_tables(
    corpus: Corpus,
    taxonomy: pd.DataFrame | Callable[[], pd.DataFrame],
    reference_year: int,
    scale: str,
) -> list[tuple[str, str, Callable[[], str]]]:
    """(button label, file name, builder of the file's text) for every table of the corpus.

    `taxonomy` may be a function giving it, called only when the theme scores are built.
    """

    def csv(build: Callable[[], pd.DataFrame]) -> Callable[[], str]:
        return lambda: build().to_csv(index=False)

    def estimates() -> pd.DataFrame:
        from lib.estimates import extract_estimates

        return extract_estimates(corpus, reference_year=reference_year, scale=scale)

    def themes() -> pd.DataFrame:
        from lib.themes import theme_scores

        return theme_scores(corpus, taxonomy() if callable(taxonomy) else taxonomy)

    def topics() -> pd.DataFrame:
        from lib.topics import TopicModel

        return TopicModel(random_state=0).fit(corpus).response_topics_

    def answer_map() -> pd.DataFrame:
        from lib.similarity import answer_map as amap

        return amap(corpus, random_state=0)

    return [
        ("Answers (CSV)", "answers.csv", csv(corpus.responses_frame)),
        (
            "Answers (JSON)",
            "answers.json",
            lambda: corpus.responses_frame().to_json(orient="records", indent=2),
        ),
        ("Passages (CSV)", "passages.csv", csv(corpus.passages_frame)),
        ("Estimates (CSV)", "estimates.csv", csv(estimates)),
        ("Theme scores (CSV)", "theme_scores.csv", csv(themes)),
        ("Topics per answer (CSV)", "topics.csv", csv(topics)),
        ("Answer map (CSV)", "answer_map.csv", csv(answer_map)),
    ]
