"""How alike the answers are: similarity, a 2-D map with clusters, near-duplicates, consistency.

Representation (used by every function here): each whole answer is a TF-IDF vector over its
words (lower-cased, English stop words removed, sublinear term frequency, L2-normalised), so
the cosine similarity of two answers is the dot product of their vectors. It measures shared
vocabulary weighted by rarity, not meaning: two answers making the same point in different words
score low.

Every function accepts a corpus of 0, 1 or 2 responses and returns a well-formed (possibly
empty) frame. Large corpora (more than `DENSE_LIMIT` responses) never build an n x n dense
matrix: similarities are computed in row blocks and only what is asked for is kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.cluster.hierarchy  # noqa: F401  (average linkage imports it on first use: 90 ms)
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

from lib.corpus import Corpus
from lib.text import answer_vectors, lsa_vectors
from lib.text import term_counts as term_counts  # tests/test_similarity.py imports it from here

DENSE_LIMIT = 2000  # above this many responses, avoid n x n dense matrices
BLOCK_ROWS = 500  # rows per block when similarities are computed blockwise
LSA_MARGIN = 0.05  # how far below the threshold LSA candidates are checked exactly
MAX_PAIRS = 10_000  # near-duplicate pairs kept by default
TOP_K = 20  # neighbours kept per response in a large corpus's similarity matrix
LARGE_LSA_DIMS = 64  # LSA dimensions above DENSE_LIMIT: every n x n product scales with them
CLUSTER_SAMPLE = 2000  # answers the number of k-means clusters is chosen on above DENSE_LIMIT
MAX_CLUSTERS = 8

MAP_COLUMNS = ["response_id", "response_index", "group", "x", "y", "cluster"]
DUPLICATE_COLUMNS = ["a_index", "b_index", "a_id", "b_id", "similarity"]
CONSISTENCY_COLUMNS = ["group", "within_similarity", "between_similarity", "n"]
UNGROUPED = "(ungrouped)"


def similarity_matrix(corpus: Corpus, top_k: int | None = None) -> pd.DataFrame:
    """Cosine similarity of every pair of answers; index and columns are response indexes.

    Up to `DENSE_LIMIT` responses the matrix is dense, exact and complete. Above it (or when
    `top_k` is given) each row keeps only its `top_k` most similar answers (itself included)
    and the frame is sparse (pandas sparse columns, zeros elsewhere), so 10k answers fit in
    memory; above `DENSE_LIMIT` the values are cosines in the LSA space (`lsa_vectors`).
    """
    index = pd.Index([r.index for r in corpus.responses], name="response_index")
    n = len(index)
    if n == 0:
        return pd.DataFrame(index=index, columns=index, dtype=float)
    if top_k is None and n <= DENSE_LIMIT:
        vectors = answer_vectors(corpus)
        dense = (vectors @ vectors.T).toarray().astype(float)
        dense = np.round((dense + dense.T) / 2, 6)  # float32 products are not exactly symmetric
        np.fill_diagonal(dense, _self_similarity(vectors))
        return pd.DataFrame(np.clip(dense, 0.0, 1.0), index=index, columns=index)
    kept = _top_k_matrix(corpus, top_k or TOP_K)
    return pd.DataFrame.sparse.from_spmatrix(kept, index=index, columns=index)


def _self_similarity(vectors: sparse.csr_matrix) -> np.ndarray:
    # An answer with no content words has a zero vector; its similarity to itself is 0, not 1.
    return (np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel() > 0).astype(float)


def _blocks(corpus: Corpus):
    """Yield (first row, dense block of similarities of rows first.. against every row).

    Exact sparse products up to `DENSE_LIMIT` answers; LSA cosines above it, because sparse
    products of long answers sharing much vocabulary cost O(n^2 * terms).
    """
    n = len(corpus.responses)
    if n <= DENSE_LIMIT:
        vectors = answer_vectors(corpus)
        transposed = vectors.T.tocsc()
        for start in range(0, n, BLOCK_ROWS):
            yield start, (vectors[start : start + BLOCK_ROWS] @ transposed).toarray()
        return
    reduced = lsa_vectors(corpus, dims=LARGE_LSA_DIMS)
    for start in range(0, n, BLOCK_ROWS):
        yield start, reduced[start : start + BLOCK_ROWS] @ reduced.T


def _upper_blocks(corpus: Corpus):
    """Like `_blocks`, for pairs only: (first row, first column, block of rows x columns).

    Above `DENSE_LIMIT` a block holds only the columns from its first row on (the pairs
    a < b and the diagonal), which halves the work; below it, whole rows as `_blocks` gives.
    """
    n = len(corpus.responses)
    if n <= DENSE_LIMIT:
        for start, block in _blocks(corpus):
            yield start, 0, block
        return
    reduced = lsa_vectors(corpus, dims=LARGE_LSA_DIMS)
    for start in range(0, n, BLOCK_ROWS):
        yield start, start, reduced[start : start + BLOCK_ROWS] @ reduced[start:].T


def _top_k_matrix(corpus: Corpus, top_k: int) -> sparse.csr_matrix:
    n = len(corpus.responses)
    k = min(top_k, n)
    rows, cols, vals = [], [], []
    for start, block in _blocks(corpus):
        r, c, v = _row_top_k(block, k)
        rows.append(r + start)
        cols.append(c)
        vals.append(v)
    values = np.clip(np.concatenate(vals).astype(float), 0.0, 1.0)
    kept = sparse.csr_matrix((values, (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    kept.eliminate_zeros()
    return kept


def _row_top_k(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value) of each row's `k` largest values; ties go to the lower column.

    A wide block is not partitioned whole: the k-th largest value of an evenly spaced sample
    of its columns is at most the row's true k-th largest, so every one of the true top k
    clears it, and only the few values that do are sorted. Exact, and ~3x faster at 10k.
    """
    n_rows, n_cols = block.shape
    step = max(1, n_cols // (40 * k))
    if step > 1:
        sample = block[:, ::step]
        cutoff = np.partition(sample, sample.shape[1] - k, axis=1)[:, sample.shape[1] - k]
        r, c = np.nonzero(block >= cutoff[:, None])
    else:
        r, c = np.divmod(np.arange(n_rows * n_cols), n_cols)
    v = block[r, c]
    order = np.lexsort((c, -v, r))
    r, c, v = r[order], c[order], v[order]
    rank = np.arange(len(r)) - np.searchsorted(r, r, side="left")
    keep = rank < k
    return r[keep], c[keep], v[keep]


def near_duplicates(
    corpus: Corpus,
    threshold: float = 0.9,
    exact: bool | None = None,
    max_pairs: int | None = MAX_PAIRS,
) -> pd.DataFrame:
    """Pairs of answers whose cosine similarity is at least `threshold`, most similar first.

    Each pair appears once, with a_index < b_index. Up to `DENSE_LIMIT` answers the cosines
    are exact. Above it they are LSA cosines (like `similarity_matrix`), unless `exact=True`:
    then pairs within `LSA_MARGIN` below the threshold in LSA space are re-scored with their
    exact TF-IDF cosine, which costs time and memory in proportion to the pairs found. LSA
    cosines run higher than exact ones (the reduction drops the words that set near-copies
    apart), so above `DENSE_LIMIT` expect more pairs. At most `max_pairs` pairs, the most
    similar, are kept (None for all): a corpus of many copies can have millions.
    """
    responses = corpus.responses
    large = len(responses) > DENSE_LIMIT
    confirm = large and bool(exact)
    cut = threshold - LSA_MARGIN if confirm else threshold
    pairs_a, pairs_b, sims = [], [], []
    capped = max_pairs is not None and not confirm
    for start, first_col, block in _upper_blocks(corpus):
        # Once `max_pairs` are kept, a later block's pair (a larger a_index) enters only if
        # it is strictly more similar than the least similar kept: skip the rest unseen.
        full = capped and len(sims[0]) >= max_pairs if sims else False
        rows, cols = np.nonzero(block > sims[0].min() if full else block >= cut)
        sim = block[rows, cols].astype(float)
        rows = rows + start
        cols = cols + first_col
        keep = cols > rows
        pairs_a.append(rows[keep])
        pairs_b.append(cols[keep])
        sims.append(sim[keep])
        if capped:
            pairs_a, pairs_b, sims = _keep_most_similar(pairs_a, pairs_b, sims, max_pairs)
    if not sims:
        return pd.DataFrame(columns=DUPLICATE_COLUMNS)
    a, b, s = np.concatenate(pairs_a), np.concatenate(pairs_b), np.concatenate(sims)
    if confirm and len(a):
        s = _exact_cosines(answer_vectors(corpus), a, b)
        keep = s >= threshold
        a, b, s = a[keep], b[keep], s[keep]
        if max_pairs is not None:
            (a,), (b,), (s,) = _keep_most_similar([a], [b], [s], max_pairs)
    indexes = np.array([r.index for r in responses], dtype=np.int64)
    ids = np.array([r.response_id for r in responses], dtype=object)
    frame = pd.DataFrame(
        {
            "a_index": indexes[a],
            "b_index": indexes[b],
            "a_id": ids[a],
            "b_id": ids[b],
            "similarity": np.round(np.minimum(s, 1.0), 6),
        },
        columns=DUPLICATE_COLUMNS,
    )
    return frame.sort_values(
        ["similarity", "a_index", "b_index"], ascending=[False, True, True], ignore_index=True
    )


def _keep_most_similar(pairs_a, pairs_b, sims, limit: int):
    """The `limit` most similar pairs so far (ties broken by position), as one chunk each."""
    a, b, s = np.concatenate(pairs_a), np.concatenate(pairs_b), np.concatenate(sims)
    if len(s) > limit:
        # Sort only what can be kept: the pairs above the limit-th similarity, and enough of
        # the pairs at it.
        kth = np.partition(s, len(s) - limit)[len(s) - limit]
        above = np.flatnonzero(s > kth)
        at = np.flatnonzero(s == kth)
        at = at[np.lexsort((b[at], a[at]))[: limit - len(above)]]
        picked = np.concatenate([above, at])
        order = picked[np.lexsort((b[picked], a[picked], -s[picked]))]
        a, b, s = a[order], b[order], s[order]
    return [a], [b], [s]


def _exact_cosines(vectors: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.empty(len(a))
    for start in range(0, len(a), 20000):
        stop = start + 20000
        products = vectors[a[start:stop]].multiply(vectors[b[start:stop]])
        out[start:stop] = np.asarray(products.sum(axis=1)).ravel()
    return out


def group_consistency(corpus: Corpus) -> pd.DataFrame:
    """Per group: mean similarity of its answers to each other and to other groups' answers.

    Exact and linear in corpus size: with unit vectors, the sum of all pairwise dot products
    within a group is |sum of its vectors|^2 minus the self-products. A group of one answer has
    no within-group pair (NaN); a corpus of one group has no between-group pair (NaN).
    """
    if not corpus.responses:
        return pd.DataFrame(columns=CONSISTENCY_COLUMNS)
    vectors = answer_vectors(corpus)
    groups = np.array([_group_of(r.group) for r in corpus.responses], dtype=object)
    self_sq = np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel()
    total = np.asarray(vectors.sum(axis=0)).ravel()
    n = len(groups)
    rows = []
    for group in dict.fromkeys(groups):  # first-appearance order
        mask = groups == group
        size = int(mask.sum())
        group_sum = np.asarray(vectors[np.flatnonzero(mask)].sum(axis=0)).ravel()
        within_pairs = size * (size - 1)
        within = (
            (float(group_sum @ group_sum) - float(self_sq[mask].sum())) / within_pairs
            if within_pairs
            else np.nan
        )
        between_pairs = size * (n - size)
        between = (
            float(group_sum @ (total - group_sum)) / between_pairs if between_pairs else np.nan
        )
        rows.append(
            {
                "group": group,
                "within_similarity": _round(within),
                "between_similarity": _round(between),
                "n": size,
            }
        )
    return pd.DataFrame(rows, columns=CONSISTENCY_COLUMNS)


def answer_map(
    corpus: Corpus, random_state: int = 0, n_clusters: int | None = None
) -> pd.DataFrame:
    """A deterministic 2-D map of the answers and a cluster for each.

    Coordinates: PCA to 2-D of the TF-IDF vectors (of their LSA reduction for large corpora),
    so answers sharing vocabulary sit close together. Clusters: agglomerative (average linkage on cosine
    distance) for corpora up to `DENSE_LIMIT`, k-means on the reduced vectors above it; the
    number of clusters is the one with the best silhouette in 2..8 unless `n_clusters` is given.
    Clusters are numbered 1, 2, ... in order of first appearance.
    """
    responses = corpus.responses
    n = len(responses)
    base = pd.DataFrame(
        {
            "response_id": [r.response_id for r in responses],
            "response_index": [r.index for r in responses],
            "group": [r.group for r in responses],
        }
    )
    if n == 0:
        return pd.DataFrame(columns=MAP_COLUMNS)
    reduced = _reduce(corpus, random_state)
    coords = np.zeros((n, 2))
    if n >= 2 and reduced.shape[1] >= 1:
        dims = min(2, reduced.shape[1], n)
        # Answers with the same words have no variance: PCA's explained-variance ratio (not used
        # here) divides by zero, and every answer sits at the origin.
        with np.errstate(invalid="ignore", divide="ignore"):
            pca = PCA(n_components=dims, random_state=random_state)
            coords[:, :dims] = pca.fit_transform(reduced)
    base["x"] = np.round(coords[:, 0], 6)
    base["y"] = np.round(coords[:, 1], 6)
    base["cluster"] = _clusters(reduced, n_clusters, random_state)
    return base[MAP_COLUMNS]


def _reduce(corpus: Corpus, random_state: int) -> np.ndarray:
    vectors = answer_vectors(corpus)
    n, v = vectors.shape
    if n <= DENSE_LIMIT and n * v <= 4_000_000:  # a dense copy stays under ~32 MB
        return vectors.toarray()
    if n <= DENSE_LIMIT:
        return lsa_vectors(corpus, random_state)
    return lsa_vectors(corpus, random_state, dims=LARGE_LSA_DIMS)


def _clusters(
    reduced: np.ndarray,
    n_clusters: int | None,
    random_state: int,
) -> list[int]:
    n = reduced.shape[0]
    if n < 3 or reduced.shape[1] == 0:
        return [1] * n
    unit = reduced / np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    if n_clusters is not None:
        candidates = [max(1, min(n_clusters, n))]
    else:
        # More clusters than distinct answers would leave some empty.
        distinct = len(np.unique(np.round(unit, 6), axis=0))
        candidates = list(range(2, min(MAX_CLUSTERS, n - 1, distinct) + 1))
    small = n <= DENSE_LIMIT
    # Small corpora: one cosine-distance matrix shared by every k and every silhouette.
    distances = np.clip(1.0 - unit @ unit.T, 0.0, 2.0) if small else None
    if small:
        np.fill_diagonal(distances, 0.0)
    # Large corpora: k-means fitted on a seeded sample (each k, and its silhouette), then
    # every answer given the nearest centre of the best k: linear in the corpus size.
    sample = unit
    if not small and n > CLUSTER_SAMPLE:
        picked = np.random.default_rng(random_state).choice(n, CLUSTER_SAMPLE, replace=False)
        sample = unit[np.sort(picked)]
    # The sample's cosine distances, computed once for every k's silhouette (each call
    # computed them again: 7 times the same 2000 x 2000 matrix).
    sample_distances = None
    if not small and len(candidates) > 1:
        sample_distances = np.clip(1.0 - sample @ sample.T, 0.0, 2.0)
        np.fill_diagonal(sample_distances, 0.0)
    best_labels, best_score = None, -np.inf
    for k in candidates:
        if k == 1:
            labels = np.zeros(n, dtype=int)
        elif small:
            labels = AgglomerativeClustering(
                n_clusters=k, metric="precomputed", linkage="average"
            ).fit_predict(distances)
        else:
            model = KMeans(n_clusters=k, n_init=1, random_state=random_state).fit(sample)
            labels = model.labels_
        if len(candidates) == 1:
            best_labels = labels if small or k == 1 else model.predict(unit)
            break
        if len(set(labels)) < 2:
            continue
        if small:
            score = silhouette_score(distances, labels, metric="precomputed")
        else:
            score = silhouette_score(sample_distances, labels, metric="precomputed")
        if score > best_score + 1e-9:  # ties keep the smaller k
            best_labels, best_score = (labels if small else model), score
    if best_labels is None:
        return [1] * n
    if not small:
        best_labels = best_labels.predict(unit)
    renumber: dict[int, int] = {}
    return [renumber.setdefault(int(label), len(renumber) + 1) for label in best_labels]


def _group_of(group: str | None) -> str:
    return group if group else UNGROUPED


def _round(value: float) -> float:
    return value if np.isnan(value) else round(value, 6)
