"""Topics over passages: TF-IDF + NMF, with the number of topics chosen by stability.

Topics are fitted on passages (headings, bullets, paragraphs), not whole answers: a corpus of
16 answers is too few documents for a topic model, but it has a few hundred passages, and a
passage usually makes one point. Words used by almost every answer (the prompt's own words,
"scaling", "AGI", "LLMs") are removed first, otherwise every topic would be about them.

The number of topics is the most stable one in a small range: for each k, NMF is fitted with a
few random initialisations, and the topic-term matrices are compared pairwise by matching topics
one-to-one (Hungarian algorithm on cosine similarity); the mean matched similarity is k's
stability. The final model uses a deterministic initialisation (NNDSVDa), so the same corpus
gives the same topics every run.

>>> model = TopicModel().fit(corpus)  # doctest: +SKIP
>>> model.topics_[["topic_id", "label"]]  # doctest: +SKIP
"""

from __future__ import annotations

import re
import warnings
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import non_negative_factorization
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfTransformer

try:  # scikit-learn's own NMF steps, driven by `_nmf` below (see there)
    from scipy.sparse._sparsetools import csr_matvecs
    from sklearn.decomposition._cdnmf_fast import _update_cdnmf_fast
    from sklearn.decomposition._nmf import _initialize_nmf
except ImportError:  # another version laid them out differently: NMF itself is used
    _update_cdnmf_fast = None

from lib.corpus import Corpus
from lib.parallel import map_in_halves
from lib.text import TOKEN_PATTERN, term_counts, usual_forms

TOPIC_COLUMNS = ["topic_id", "label", "top_terms", "weight"]
PASSAGE_TOPIC_COLUMNS = ["response_id", "order", "topic_id", "weight"]
RESPONSE_TOPIC_COLUMNS = ["response_id", "response_index", "group", "topic_id", "share"]
GROUP_TOPIC_COLUMNS = ["group", "topic_id", "share"]
TABLE_COLUMNS = ["response_index", "topic_id", "label", "share"]
UNGROUPED = "(ungrouped)"

# Words that carry no topic in answers of this kind, beyond scikit-learn's English list.
FILLER_WORDS = frozenset(
    """also just like likely probably possibly perhaps really may might could would
    e.g eg i.e ie etc way ways think thing things lot lots much many make makes making
    need needs needed key current currently approach approaches example instance
    ll ve don doesn isn won aren let here's it's""".split()  # noqa: SIM905 (a word list)
)
COMMON_SHARE = 0.9  # a word in at least this share of the answers is corpus-wide, not a topic
MIN_COMMON_RESPONSES = 4  # ... but only judged so when there are at least this many answers
STABILITY_SEEDS = 3
STABILITY_ITER = 50
STABILITY_SAMPLE = 1000  # passages used to choose k in a large corpus
FIT_SAMPLE = 5000  # passages the final topics are learnt from in a large corpus
TOP_TERMS = 10
LABEL_TERMS = 3
LABEL_ANSWERS = 300  # answers read at most to see how label words are written


class TopicModel:
    """NMF topics over the passages of a corpus.

    Parameters are stored as given; `fit` learns `topics_` (topic_id, label, top_terms,
    weight), `passage_topics_` (each passage's main topic), `response_topics_` (each answer's
    share of every topic), `group_topics_` (mean share per group), `n_topics_` and
    `stability_` (k -> mean matched cosine across seeds; empty when `n_topics` is given).
    """

    def __init__(
        self,
        n_topics: int | None = None,
        random_state: int = 0,
        max_topics: int = 10,
        min_topics: int = 3,
    ) -> None:
        self.n_topics = n_topics
        self.random_state = random_state
        self.max_topics = max_topics
        self.min_topics = min_topics

    # --- fitting ------------------------------------------------------------------------
    def fit(self, corpus: Corpus) -> TopicModel:
        """Learn the topics of `corpus`'s passages; returns self."""
        counts = term_counts(corpus)
        keep = _topic_terms(counts, corpus.prompt)
        self.terms_ = counts.terms[keep]
        passage_counts = counts.passage_counts[:, keep]
        has_terms = np.asarray(passage_counts.getnnz(axis=1) > 0)
        rows = np.flatnonzero(has_terms)
        # Passages with no topic word (e.g. a heading of prompt words) get no topic.
        matrix = None
        if len(rows) and len(self.terms_):
            selected = passage_counts[rows]
            del passage_counts  # copies as big as the matrix: at most two alive at once
            # Weighted in place (the same arithmetic as fit_transform): `selected` is this
            # fit's own copy, never the shared counts.
            matrix = (
                TfidfTransformer(sublinear_tf=True).fit(selected).transform(selected, copy=False)
            )
        self.stability_: dict[int, float] = {}
        k_max = 0 if matrix is None else min(self.max_topics, matrix.shape[0], matrix.shape[1])
        if k_max < 1:
            self.n_topics_ = 0
            self._empty()
            return self
        if self.n_topics is not None:
            k = max(1, min(int(self.n_topics), k_max))
        else:
            k = self._choose_k(matrix, k_max)
        self.n_topics_ = k
        weights, components = _passage_weights(matrix, k, self.random_state)
        # The weights go straight in, not held here as well while `_set_frames` reorders them
        # into a copy.
        self._set_frames(corpus, counts, rows, weights, components)
        return self

    def _choose_k(self, matrix, k_max: int) -> int:
        low = min(self.min_topics, k_max)
        if low == k_max:
            return k_max
        sample = matrix
        if matrix.shape[0] > STABILITY_SAMPLE:
            sample = matrix[_sample_rows(matrix.shape[0], STABILITY_SAMPLE, self.random_state)]
        ks = list(range(low, k_max + 1))
        # The larger k's in a second process when one is free (each k's runs are independent,
        # and the result is the same). A k costs a fixed part and a little per topic: on the
        # seed 50 ms for k = 3, 87 ms for k = 10.
        scores = map_in_halves(
            lambda k: _stability(sample, k, self.random_state),
            ks,
            min_items=2,
            weights=[k + 6 for k in ks],
        )
        self.stability_ = dict(zip(ks, scores, strict=True))
        # Most stable k; ties (within rounding) go to the larger k, which says more.
        best = max(self.stability_.values())
        return max(k for k, score in self.stability_.items() if score >= best - 1e-6)

    def _set_frames(self, corpus, counts, rows, weights, components) -> None:
        k = components.shape[0]
        # Topics numbered 1.. by total weight, so the biggest topic is topic 1.
        totals = weights.sum(axis=0)
        order = np.lexsort((np.arange(k), -np.round(totals, 9)))
        components = components[order]
        weights = weights[:, order]
        totals = totals[order]
        self.components_ = components
        topic_ids = np.arange(1, k + 1)
        top_terms = [
            [self.terms_[j] for j in np.argsort(-row, kind="stable")[:TOP_TERMS] if row[j] > 0]
            for row in components
        ]
        grand = totals.sum() or 1.0
        # Terms are counted in lower case; labels write them as the answers do ("AGI", "Amazon").
        forms = usual_forms(
            {str(t) for terms in top_terms for t in terms[:LABEL_TERMS]},
            (r.text for r in corpus.responses),
            most=LABEL_ANSWERS,
        )
        self.topics_ = pd.DataFrame(
            {
                "topic_id": topic_ids,
                "label": [", ".join(forms[t] for t in terms[:LABEL_TERMS]) for terms in top_terms],
                "top_terms": top_terms,
                "weight": np.round(totals / grand, 6),
            },
            columns=TOPIC_COLUMNS,
        )
        responses = corpus.responses
        owners = counts.passage_response[rows]
        row_sums = weights.sum(axis=1)
        main = weights.argmax(axis=1)
        strength = np.divide(
            weights[np.arange(len(rows)), main],
            row_sums,
            out=np.zeros(len(rows)),
            where=row_sums > 0,
        )
        assigned = row_sums > 0
        self.passage_topics_ = pd.DataFrame(
            {
                "response_id": [responses[i].response_id for i in owners[assigned]],
                "order": counts.passage_order[rows][assigned],
                "topic_id": topic_ids[main[assigned]],
                "weight": np.round(strength[assigned], 6),
            },
            columns=PASSAGE_TOPIC_COLUMNS,
        )
        # An answer's share of a topic: its passages' topic weights summed, then normalised.
        # Summed as a product with a 0/1 membership matrix, which adds each answer's passages
        # in passage order, as np.add.at did (the same floats), but tens of times faster.
        by_owner = np.argsort(owners, kind="stable")
        membership = sparse.csr_matrix(
            (
                np.ones(len(owners)),
                by_owner,
                np.concatenate([[0], np.cumsum(np.bincount(owners, minlength=len(responses)))]),
            ),
            shape=(len(responses), len(owners)),
        )
        per_response = np.asarray(membership @ weights)
        sums = per_response.sum(axis=1, keepdims=True)
        shares = np.divide(per_response, sums, out=np.zeros_like(per_response), where=sums > 0)
        self.response_topics_ = pd.DataFrame(
            {
                "response_id": np.repeat([r.response_id for r in responses], k),
                "response_index": np.repeat([r.index for r in responses], k),
                "group": np.repeat(np.array([r.group for r in responses], dtype=object), k),
                "topic_id": np.tile(topic_ids, len(responses)),
                "share": np.round(shares.ravel(), 6),
            },
            columns=RESPONSE_TOPIC_COLUMNS,
        )
        self.group_topics_ = _group_shares(self.response_topics_)

    def _empty(self) -> None:
        self.components_ = np.zeros((0, len(self.terms_)))
        self.topics_ = pd.DataFrame(columns=TOPIC_COLUMNS)
        self.passage_topics_ = pd.DataFrame(columns=PASSAGE_TOPIC_COLUMNS)
        self.response_topics_ = pd.DataFrame(columns=RESPONSE_TOPIC_COLUMNS)
        self.group_topics_ = pd.DataFrame(columns=GROUP_TOPIC_COLUMNS)

    # --- use ----------------------------------------------------------------------------
    def term_weights(self, topic_id: int, top: int = 50) -> dict[str, float]:
        """The topic's `top` terms and their NMF weights, e.g. for a word cloud."""
        if not 1 <= topic_id <= len(self.components_):
            return {}
        row = self.components_[topic_id - 1]
        picked = [j for j in np.argsort(-row, kind="stable")[:top] if row[j] > 0]
        return {str(self.terms_[j]): float(row[j]) for j in picked}

    def rename(self, mapping: dict[int, str]) -> TopicModel:
        """Give topics readable names, e.g. {1: "Embodiment"}; blank names are ignored."""
        labels = self.topics_["label"].tolist()
        for i, topic_id in enumerate(self.topics_["topic_id"]):
            name = mapping.get(int(topic_id))
            if name and name.strip():
                labels[i] = name.strip()
        self.topics_ = self.topics_.assign(label=labels)
        return self


def topics_table(corpus: Corpus, n_topics: int | None = None) -> pd.DataFrame:
    """Each answer's share of each topic, with the topic's label (a long frame for the CLI)."""
    model = TopicModel(n_topics=n_topics).fit(corpus)
    labels = model.topics_[["topic_id", "label"]]
    frame = model.response_topics_.merge(labels, on="topic_id", how="left")
    return frame[TABLE_COLUMNS].reset_index(drop=True)


def _topic_terms(counts, prompt: str | None) -> np.ndarray:
    """A mask over `counts.terms`: the words that can define a topic."""
    terms = counts.terms
    if len(terms) == 0:
        return np.zeros(0, dtype=bool)
    stop = set(FILLER_WORDS)
    if prompt:
        stop |= {t.lower() for t in re.findall(TOKEN_PATTERN, prompt)}
    keep = np.array([t not in stop and not t.isdigit() for t in terms], dtype=bool)
    n_responses = counts.response_counts.shape[0]
    if n_responses >= MIN_COMMON_RESPONSES:
        in_responses = np.asarray(counts.response_counts.getnnz(axis=0)).ravel()
        keep &= in_responses < COMMON_SHARE * n_responses
    # A word seen in a single passage cannot link passages into a topic.
    in_passages = np.asarray(counts.passage_counts.getnnz(axis=0)).ravel()
    keep &= in_passages >= 2
    return keep


def _passage_weights(matrix, k: int, random_state: int) -> tuple[np.ndarray, np.ndarray]:
    """Every passage's weights on k topics, and the topics' term weights."""
    fit = {"init": "nndsvda", "random_state": random_state, "max_iter": 400, "tol": 1e-4}
    if matrix.shape[0] <= FIT_SAMPLE:
        return _nmf(matrix, k, **fit)
    # Large corpora: topics learnt from a seeded sample of passages, then every passage's
    # weights solved against them (NMF.transform), linear in passages.
    picked = _sample_rows(matrix.shape[0], FIT_SAMPLE, random_state)
    components = _nmf(matrix[picked], k, **fit)[1]
    return _nmf(matrix, k, **fit, components=components)[0], components


def _stability(matrix, k: int, random_state: int) -> float:
    """Mean matched cosine of the topics of `STABILITY_SEEDS` short NMF runs with k topics.

    The runs are capped short on purpose; unconverged runs count as unstable.
    """
    runs = [
        _nmf(
            matrix,
            k,
            init="random",
            random_state=random_state + seed,
            max_iter=STABILITY_ITER,
            tol=1e-3,
        )[1]
        for seed in range(STABILITY_SEEDS)
    ]
    scores = [_matched_similarity(a, b) for a, b in combinations(runs, 2)]
    return round(float(np.mean(scores)), 6)


def _nmf(
    matrix, k: int, init: str, random_state: int, max_iter: int, tol: float, components=None
) -> tuple[np.ndarray, np.ndarray]:
    """(W, H) as scikit-learn's `NMF(k, init=..., random_state=..., max_iter=..., tol=...)`
    gives them: `fit_transform`, or with `components` given, `transform` against them.

    Its coordinate-descent solver, step by step: its own initialisation and compiled update
    of W and H, with the same products in the same order, so the same floats (tested equal
    to the last bit). On a few hundred passages NMF's per-iteration checks and sparse-matrix
    wrappers took about a third of each fit; here the transposed matrix is made once and the
    products call scipy's kernel directly. Without those private pieces (another version),
    scikit-learn's public `non_negative_factorization` runs (the same solver), its warnings
    about unconverged runs silenced.
    """
    if _update_cdnmf_fast is None:
        with warnings.catch_warnings(), np.errstate(invalid="ignore"):
            # (NMF's loss on tiny exact fits can take the sqrt of a -0.0: harmless.)
            warnings.simplefilter("ignore", ConvergenceWarning)
            w, h, _ = non_negative_factorization(
                matrix,
                H=components,
                n_components=k,
                init="custom" if components is not None else init,
                update_H=components is None,
                random_state=random_state,
                max_iter=max_iter,
                tol=tol,
            )
        return w, h
    x = sparse.csr_matrix(matrix)
    x.sort_indices()  # in place, as NMF's input check does: its sums run in term order
    if components is None:
        w, h = _initialize_nmf(x, k, init=init, random_state=random_state)
    else:  # as NMF.transform starts: W at zero, H fixed
        w, h = np.zeros((x.shape[0], k), dtype=x.dtype), components
    w, ht = np.ascontiguousarray(w), np.ascontiguousarray(h.T)
    if components is None:  # each term's passages in passage order, as NMF's X.T sums them
        xt = x.T.tocsr()
    order = np.arange(k, dtype=np.intp)
    for step in range(1, max_iter + 1):
        violation = _update_cdnmf_fast(w, ht.T @ ht, _times(x, ht), order)
        if components is None:
            violation += _update_cdnmf_fast(ht, w.T @ w, _times(xt, w), order)
        if step == 1:
            first = violation
        if first == 0 or violation / first <= tol:
            break
    return w, ht.T


def _times(x, dense: np.ndarray) -> np.ndarray:
    """`x @ dense` for a csr `x` and a C-ordered `dense`: scipy's kernel, called directly."""
    out = np.zeros((x.shape[0], dense.shape[1]), dtype=np.result_type(x.dtype, dense.dtype))
    csr_matvecs(*x.shape, dense.shape[1], x.indptr, x.indices, x.data, dense.ravel(), out.ravel())
    return out


def _sample_rows(n: int, size: int, random_state: int) -> np.ndarray:
    return np.sort(np.random.default_rng(random_state).choice(n, size, replace=False))


def _matched_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cosine of topics matched one-to-one between two topic-term matrices."""
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    cosine = a @ b.T
    rows, cols = linear_sum_assignment(-cosine)
    return float(cosine[rows, cols].mean())


def _group_shares(response_topics: pd.DataFrame) -> pd.DataFrame:
    frame = response_topics.assign(group=response_topics["group"].fillna(UNGROUPED))
    frame["group"] = frame["group"].replace("", UNGROUPED)
    out = frame.groupby(["group", "topic_id"], sort=False, as_index=False)["share"].mean()
    out["share"] = out["share"].round(6)
    return out[GROUP_TOPIC_COLUMNS]
