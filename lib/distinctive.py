"""Words that set one group's answers apart from the rest.

Weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words", section 3.5). For a group i, the rest of the corpus j and a word w with
counts y_iw, y_jw and totals n_i, n_j, the prior is the whole corpus's counts scaled by a
constant, alpha_w = prior * (y_iw + y_jw), alpha_0 = sum of alpha_w, and

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w))
            - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
    var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

The z-score, not the raw log-odds, ranks words: a word used 3 times by one group and never by
the others is less certain evidence than one used 60 times against 10.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.corpus import Corpus
from lib.text import TOKEN_PATTERN, term_counts

COLUMNS = ["group", "term", "log_odds_z", "count", "rank"]
UNGROUPED = "(ungrouped)"


def log_odds_z(
    group_counts: np.ndarray, rest_counts: np.ndarray, prior: float = 0.01
) -> np.ndarray:
    """z-scores of the weighted log-odds ratio of one group's word counts against the rest's."""
    group_counts = np.asarray(group_counts, dtype=float)
    rest_counts = np.asarray(rest_counts, dtype=float)
    alpha = prior * (group_counts + rest_counts)
    alpha0 = alpha.sum()
    n_i, n_j = group_counts.sum(), rest_counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((group_counts + alpha) / (n_i + alpha0 - group_counts - alpha)) - np.log(
            (rest_counts + alpha) / (n_j + alpha0 - rest_counts - alpha)
        )
        variance = 1.0 / (group_counts + alpha) + 1.0 / (rest_counts + alpha)
        z = delta / np.sqrt(variance)
    return np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)


def distinctive_words(
    corpus: Corpus, by: str = "group", top: int = 15, prior: float = 0.01
) -> pd.DataFrame:
    """The `top` most distinctive words of each group against all the other groups together.

    `by` names a response attribute ("group", "model", "index", ...). Words are lower-cased,
    English stop words removed, and a group's own name is not among its words. Only words over-used by a group (z > 0) are listed, most
    distinctive first; a corpus with fewer than two groups has nothing to contrast (empty).
    >>> distinctive_words(corpus, top=5)  # doctest: +SKIP
    """
    labels = [_label(getattr(r, by)) for r in corpus.responses]
    groups = list(dict.fromkeys(labels))
    if len(groups) < 2:
        return pd.DataFrame(columns=COLUMNS)
    counts = term_counts(corpus)
    if counts.response_counts.shape[1] == 0:
        return pd.DataFrame(columns=COLUMNS)
    position = {g: i for i, g in enumerate(groups)}
    owner = np.array([position[label] for label in labels])
    per_group = np.zeros((len(groups), counts.response_counts.shape[1]))
    for i in range(len(groups)):
        per_group[i] = np.asarray(counts.response_counts[owner == i].sum(axis=0)).ravel()
    total = per_group.sum(axis=0)
    rows = []
    for i, group in enumerate(groups):
        z = log_odds_z(per_group[i], total - per_group[i], prior)
        own = _own_name(group)
        candidates = [j for j in np.flatnonzero(z > 0) if counts.terms[j] not in own]
        # Most distinctive first; equal z-scores in alphabetical order, so output is stable.
        ranked = sorted(candidates, key=lambda j: (-round(z[j], 9), counts.terms[j]))[:top]
        for rank, j in enumerate(ranked, start=1):
            rows.append(
                {
                    "group": group,
                    "term": str(counts.terms[j]),
                    "log_odds_z": round(float(z[j]), 6),
                    "count": int(per_group[i, j]),
                    "rank": rank,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def _own_name(group: str) -> set[str]:
    """The words of a group's own name ("GPT-4o" -> gpt-4o, gpt; "claude-3-opus" -> claude,
    opus, ...): a group over-using its own name says nothing about how it writes (answers
    labelled "Claude: ..." carry it in their text)."""
    low = group.lower()
    return {*re.findall(TOKEN_PATTERN, low), *re.findall(r"[^\W\d_]{3,}", low)}


def _label(value) -> str:
    if value is None or value == "":
        return UNGROUPED
    return str(value)
