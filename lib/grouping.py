"""Group unlabelled responses by writing style, as a guess at their source model.

Each response becomes a feature vector: TF-IDF on words and word pairs from its opening and
closing stretch, opener and closer tokens, and a few dense style measures (length, bullet and
heading habits, punctuation), each on a fixed scale so distances keep an absolute meaning.
Above a few hundred responses the vectors are reduced with TruncatedSVD; KMeans clusters them.
The number of groups is the best silhouette on a fixed-size sample, among splits whose closest
centres are far enough apart to be more than noise. Input order cannot change the result: the
fit runs on the responses sorted by text. The tokenising reads only a capped window of each
answer, so cost grows linearly with the corpus and memory stays far from O(n^2).

A self-identification in the text ("As an AI built by xAI") is reported as evidence for its
group, never used to name or label the group: the user decides, e.g. with
`Corpus.rename_groups`.
"""

from __future__ import annotations

import math
import re
import string
from array import array
from collections import Counter, defaultdict
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from lib.corpus import Corpus, is_heading_line, paused_gc
from lib.highlight import of_phrase

UNLABELLED = "unlabelled"

# Long answers are read in two windows: style shows at the start and the end, and a bounded
# window keeps the cost per response constant (10k long answers must group in seconds).
HEAD_CHARS = 1000
TAIL_CHARS = 300
# Groups are only split off when the best silhouette reaches this; below it the answers look
# like one population (e.g. near-identical texts) and stay one group.
MIN_SILHOUETTE = 0.12
# k is chosen on at most this many responses; the final fit then uses all of them.
SELECTION_SAMPLE = 2000
SVD_COMPONENTS = 48
# Up to this many responses the joint feature matrix is clustered as is (exact distances).
EXACT_MAX = 300
# Word pairs are taken from the opening and closing stretch only: they carry the stock phrases
# ("short answer", "great question", "bottom line") and pairs everywhere would double the cost.
HEAD_PAIRS = 60
TAIL_PAIRS = 25

_BULLET_PREFIXES = ("- ", "* ", "+ ", "\u2022", "\u2013 ", "\u2014 ")
_NUMBERED = re.compile(r"\d{1,3}[.)]\s")
_YOU = re.compile(r"\byou(?:r)?\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_SIGNOFF = re.compile(
    r"\b(?:let me know|hope (?:this|that) helps|feel free|happy to (?:help|dive|expand|discuss)"
    r"|i'?d love to hear|would you like|want me to|if you'?d like|glad to help)\b",
    re.IGNORECASE,
)
_ASSISTANTS = (
    r"Claude|ChatGPT|GPT-?\d[\w.-]{0,8}|Gemini|Bard|Grok|Llama|LLaMA|Mistral|Copilot|Qwen"
    r"|DeepSeek|Command R"
)
# Bounded gaps ({0,40}) keep these linear on long lines.
_SELF_ID = re.compile(
    r"\b(?i:as|I am|I'm|I’m)\s+(?i:an?\s+)?"
    r"(?i:AI|artificial intelligence|(?:large\s+)?language\s+model|LLM"
    r"|AI\s+(?:assistant|model|system|language\s+model))\b[^.!?\n]{0,40}?"
    r"\b(?i:built|trained|developed|made|created|designed|owned)\s+by\s+\w[\w.&-]{1,20}"
    rf"|\bI(?:'m|’m|\s+am)\s+(?:{_ASSISTANTS})\b"
    rf"|\bAs\s+(?:{_ASSISTANTS})\s*,"
    r"|\b(?i:my\s+(?:creators|developers|makers)\s+at)\s+[A-Z][\w.&-]{1,20}",
)

# The regex runs only near these (lower-case) words: a scan of every position costs ~10x a
# substring search, and answers rarely identify themselves.
_SELF_ID_VERBS = (
    *("built by", "trained by", "developed by", "made by", "created by", "designed by"),
    *("owned by", "my creators", "my developers", "my makers"),
)
_SELF_ID_TRIGGERS = (
    *_SELF_ID_VERBS,
    *("claude", "chatgpt", "gpt", "gemini", "bard", "grok", "llama", "mistral", "copilot"),
    *("qwen", "deepseek", "command r"),
)
_NAME_LEADS = ("i'm ", "i’m ", "i am ", "as ")

# Dense style measures and the size of a difference that counts as "one unit" of style (about
# what separates two models' habits). Fixed scales, not the corpus's spread: standardising
# would blow up tiny differences between near-identical answers into fake groups.
DENSE_SCALES = {
    "log_words": 1.0,  # 1.0 = lengths differing by a factor e
    "bullet_share": 0.3,
    "heading_share": 0.3,
    "words_per_line": 1.0,  # log of mean words per line
    "title_first": 1.0,
    "list_first": 1.0,
    "ends_question": 1.0,
    "asks_reader": 1.0,
    "signoff": 1.0,
    "em_dash_rate": 1.0,  # rates are per 100 words
    "colon_rate": 2.0,
    "paren_rate": 2.0,
    "curly_quote_rate": 1.0,
    "exclaim_rate": 0.5,
    "bold_rate": 2.0,
}
DENSE_COLUMNS = list(DENSE_SCALES)
# Block weights in the joint space: words are mostly topic, so they count for less than the
# opener/closer habits and the dense measures.
WORDS_WEIGHT = 1.0
MARKERS_WEIGHT = 0.6
DENSE_WEIGHT = 0.5
# A split is kept only if its two closest groups' centres are at least this far apart in the
# joint space; perturbed copies of one answer sit ~0.2 apart, different models' answers ~2.
MIN_SEPARATION = 0.6


class StyleGrouper:
    """Cluster responses by style, as a guess at which model wrote them.

    `n_groups=None` picks k in 2..max_groups by silhouette (on at most SELECTION_SAMPLE
    responses), keeping one group unless a split is also MIN_SEPARATION apart; an int forces k
    (capped at the number of distinct answers). After `fit(corpus)`:
    `labels_` (one key per response, "A", "B", … in order of first appearance), `names_` (key →
    description), `evidence_` (key → quoted self-identifications, "" if none), `n_groups_`,
    `scores_` (k → silhouette), `separations_` (k → distance of the two closest centres) and
    `features_` (one row of style measures per response, for display).

    >>> g = StyleGrouper().fit(seed_corpus)  # doctest: +SKIP
    >>> g.labels_[8], g.names_["C"]  # doctest: +SKIP
    ('C', 'Opens “Short answer:” · ~610 words · mostly bullets')
    """

    def __init__(self, n_groups: int | None = None, random_state: int = 0, max_groups: int = 8):
        self.n_groups = n_groups
        self.random_state = random_state
        self.max_groups = max_groups

    def fit(self, corpus: Corpus) -> StyleGrouper:
        # Feature rows and token lists are a few million small objects at 10k answers.
        with paused_gc():
            return self._fit(corpus)

    def _fit(self, corpus: Corpus) -> StyleGrouper:
        texts = corpus.texts
        n = len(texts)
        self.features_ = style_features(corpus)
        self.scores_: dict[int, float] = {}
        self.separations_: dict[int, float] = {}
        if n == 0:
            self.labels_, self.names_, self.evidence_, self.n_groups_ = [], {}, {}, 0
            return self
        # Fit in a canonical order so input order cannot matter. By text, not response_id:
        # ids also hash the prompt, and equal texts (ids "r…-2") have equal features anyway.
        order = sorted(range(n), key=texts.__getitem__)
        # One BLAS/OpenMP thread: the matrices are small, thread start-up and contention on a
        # shared 2-core machine cost more than they save, and a fixed thread count keeps the
        # floating-point sums (and so the result) identical everywhere.
        with threadpool_limits(1):
            embedding = _embed(
                [texts[i] for i in order], self.features_.iloc[order], self.random_state
            )
            sorted_labels = self._cluster(embedding)
        raw = np.empty(n, dtype=int)
        raw[order] = sorted_labels
        self.labels_ = _letter_keys(raw.tolist())
        self.n_groups_ = len(set(self.labels_))
        self.names_ = describe_groups(self.features_, self.labels_, texts)
        self.evidence_ = group_evidence(self.features_, self.labels_)
        return self

    def _cluster(self, x: np.ndarray) -> np.ndarray:
        n = x.shape[0]
        distinct = len(np.unique(np.round(x, 9), axis=0))
        if self.n_groups is not None:
            k = max(1, min(int(self.n_groups), distinct))
            candidates = [k]
        else:
            candidates = list(range(2, min(self.max_groups, distinct, n - 1) + 1))
        if candidates == [1] or not candidates:
            return np.zeros(n, dtype=int)
        sample = _selection_sample(n, self.random_state)
        xs = x[sample]
        sample_distinct = len(np.unique(np.round(xs, 9), axis=0))
        fitted: dict[int, np.ndarray] = {}
        for k in candidates:
            if 2 <= k < len(xs) and k <= sample_distinct:
                fitted[k] = self._kmeans(k, len(xs)).fit_predict(xs)
                self.scores_[k] = round(float(silhouette_score(xs, fitted[k])), 4)
                self.separations_[k] = round(_min_separation(xs, fitted[k]), 4)
        if self.n_groups is not None:
            k = candidates[0]
        else:
            # Silhouette is blind to scale, so a split must also be far apart in absolute terms.
            ok = [
                (score, -k)
                for k, score in self.scores_.items()
                if score >= MIN_SILHOUETTE and self.separations_[k] >= MIN_SEPARATION
            ]
            k = -max(ok)[1] if ok else 1
        if k == 1:
            return np.zeros(n, dtype=int)
        if len(xs) == n and k in fitted:  # the sample was everything: reuse that fit
            return fitted[k]
        return self._kmeans(k, n).fit_predict(x)

    def _kmeans(self, k: int, n: int) -> KMeans:
        # Fewer restarts on big inputs: each restart is O(n) and the clusters there are stable.
        n_init = 10 if n <= SELECTION_SAMPLE else 3
        return KMeans(n_clusters=k, n_init=n_init, random_state=self.random_state)


def group_by_style(corpus: Corpus, n_groups: int | None = None, random_state: int = 0) -> Corpus:
    """The corpus with groups set: model labels when any are known, else style groups.

    >>> group_by_style(corpus).responses[0].group  # doctest: +SKIP
    'A'
    """
    # Feature rows, token lists and the regrouped responses: millions of small objects at 10k.
    with paused_gc():
        if corpus.has_model_labels:
            labels = [r.model or UNLABELLED for r in corpus.responses]
            features = style_features(corpus)
            names = describe_groups(features, labels, corpus.texts)
            evidence = group_evidence(features, labels)
            return corpus.with_groups(labels, names, evidence)
        grouper = StyleGrouper(n_groups=n_groups, random_state=random_state).fit(corpus)
        return corpus.with_groups(grouper.labels_, grouper.names_, grouper.evidence_)


# --- per-response features -----------------------------------------------------------------
def style_features(corpus: Corpus) -> pd.DataFrame:
    """One row per response (corpus order): the style measures the grouping uses."""
    rows = [_one_response(r.text) for r in corpus.responses]
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["words", "opener", "closer", "self_id", *DENSE_COLUMNS])
    frame.insert(0, "index", [r.index for r in corpus.responses])
    frame.insert(0, "response_id", [r.response_id for r in corpus.responses])
    return frame


def _one_response(text: str) -> dict:
    lines = [s for s in map(str.strip, text.split("\n")) if s]
    n_lines = max(len(lines), 1)
    bullets = headings = 0
    for s in lines:  # `_is_bullet` and `is_heading_line`, in one pass
        if s.startswith(_BULLET_PREFIXES):
            bullets += 1  # and not a heading: is_heading_line is False for all of these
            continue
        if s[0].isdigit() and _NUMBERED.match(s):
            bullets += 1
        # The heading test is regex-based: cheap checks first rule out long lines and sentences.
        if len(s) <= 120 and (s[-1] not in ".!?;," or s[0] == "#") and is_heading_line(s):
            headings += 1
    # Bullet markers ("-", "1.") are tokens to split() but not words.
    words = max(len(text.split()) - bullets, 0)
    per_word = 100.0 / max(words, 1)
    first = lines[0] if lines else ""
    last = lines[-1] if lines else ""
    tail = " ".join(lines[-2:])[-400:]
    # Self-identification comes at the start or the end; the windows keep the scan bounded.
    window = _window(text)
    self_id = _find_self_id(window)
    return {
        "words": words,
        "opener": _lead_words(first, 3),
        "closer": _lead_words(last, 2),
        "self_id": _sentence_around(window, self_id) if self_id else "",
        "log_words": math.log1p(words),
        "bullet_share": bullets / n_lines,
        "heading_share": headings / n_lines,
        "words_per_line": math.log1p(words / n_lines),
        "title_first": float(bool(first) and len(lines) > 1 and is_heading_line(first)),
        "list_first": float(_is_bullet(first)),
        "ends_question": float(last.endswith("?")),
        "asks_reader": float("?" in tail and bool(_YOU.search(tail))),
        "signoff": float(bool(_SIGNOFF.search(tail))),
        "em_dash_rate": text.count("—") * per_word,
        "colon_rate": text.count(":") * per_word,
        "paren_rate": text.count("(") * per_word,
        "curly_quote_rate": (text.count("’") + text.count("“")) * per_word,
        "exclaim_rate": text.count("!") * per_word,
        "bold_rate": (text.count("**") + text.count("__")) * per_word,
    }


def _is_bullet(line: str) -> bool:
    return line.startswith(_BULLET_PREFIXES) or (line[:1].isdigit() and bool(_NUMBERED.match(line)))


def _find_self_id(window: str) -> re.Match | None:
    """The first self-identification near a trigger word, e.g. 'As an AI built by xAI'."""
    lower = window.lower()
    for trigger in _SELF_ID_TRIGGERS:
        pos = lower.find(trigger)
        while pos != -1:
            # Assistant names are common in answers about AI ("GPT-4 shows…"): only a name
            # right after "I'm", "I am" or "As" can be a self-identification.
            if trigger in _SELF_ID_VERBS or lower[max(0, pos - 5) : pos].endswith(_NAME_LEADS):
                # The regex's bounded parts span < 120 chars before the trigger, 40 after.
                match = _SELF_ID.search(window, max(0, pos - 120), pos + len(trigger) + 40)
                if match:
                    return match
            pos = lower.find(trigger, pos + 1)
    return None


def _lead_words(line: str, k: int) -> str:
    """The first k words of a line as written (punctuation inside kept, e.g. 'Short answer:')."""
    line = _NUMBERED.sub("", line, count=1) if _NUMBERED.match(line) else line
    words = line.lstrip("-*+\u2022\u2013\u2014#> ").split()[:k]
    return " ".join(words).strip("*_\"'“”` ")


def _normal(words: str, k: int) -> str:
    tokens = [w.strip(string.punctuation + "“”’‘—–").lower() for w in words.split()[:k]]
    return "_".join(t for t in tokens if t)


def _window(text: str) -> str:
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    return text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]


def _sentence_around(window: str, match: re.Match) -> str:
    """The sentence holding a match, clipped for display."""
    start = max(window.rfind(c, 0, match.start()) for c in ".!?\n") + 1
    ends = [p + 1 for p in (window.find(c, match.end()) for c in ".!?\n") if p != -1]
    sentence = window[start : min(ends, default=len(window))].strip()
    return sentence if len(sentence) <= 160 else sentence[:157].rstrip() + "…"


# --- embedding and clustering --------------------------------------------------------------
def _embed(texts: list[str], features: pd.DataFrame, random_state: int) -> np.ndarray:
    """Words + opener/closer tokens + dense style measures, weighted and reduced by SVD."""
    n = len(texts)
    blocks = [
        WORDS_WEIGHT * _word_tfidf(texts, min_df=2 if n >= 5 else 1, max_features=20000),
        MARKERS_WEIGHT
        * _tfidf(_marker_docs(features), token_pattern=r"\S+", min_df=1, max_features=5000),
    ]
    dense = features[DENSE_COLUMNS].to_numpy(dtype=float) / np.array(list(DENSE_SCALES.values()))
    # Clipped so one extreme rate (a 3-word answer with "!") cannot dominate the distance.
    dense = np.clip(dense, 0.0, 3.0)
    dense[:, 0] = features["log_words"].to_numpy(dtype=float)  # length is never clipped
    dense -= dense.mean(axis=0)  # centred, so the SVD spends no component on the mean
    blocks.append(sparse.csr_matrix(DENSE_WEIGHT * dense, dtype=np.float32))
    # float32 halves memory and time of the SVD; clustering needs no more precision.
    x = sparse.hstack(blocks, format="csr", dtype=np.float32)
    if n <= EXACT_MAX or x.shape[1] <= SVD_COMPONENTS:
        return x.toarray().astype(np.float64)  # small: exact distances, no reduction needed
    # Identical rows make sklearn divide 0/0 for explained variance, which we do not use.
    with np.errstate(invalid="ignore", divide="ignore"):
        svd = TruncatedSVD(n_components=SVD_COMPONENTS, n_iter=3, random_state=random_state)
        x = svd.fit_transform(x)
    # No row normalisation: distances keep their absolute meaning (see MIN_SEPARATION).
    return np.asarray(x, dtype=np.float64)


def _tfidf(docs: list[str], **kw) -> sparse.csr_matrix:
    vec = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **kw)
    try:
        return vec.fit_transform(docs)
    except ValueError:  # empty vocabulary: no words at all in any response
        return sparse.csr_matrix((len(docs), 1), dtype=np.float32)


# Words of 2+ characters: sklearn's default token pattern without its `\b`s, which cannot
# change a match (a greedy run of word characters always ends at a boundary, and a search
# only starts inside a word after failing at a 1-character one) but cost a quarter of the time.
_TOKEN = re.compile(r"\w\w+")


def _word_tfidf(texts: list[str], min_df: int, max_features: int) -> sparse.csr_matrix:
    """TF-IDF of the words and word pairs in each text's window.

    The very matrix `_tfidf([_window(t) for t in texts], analyzer=_words_and_pairs, ...)`
    gives (a test checks they agree), built with less memory: no list of 10k windows, and
    the term indices in a 4-byte array instead of CountVectorizer's list of Python ints.
    """
    # Counting as CountVectorizer._count_vocab does: columns numbered in order of first
    # appearance, each row's terms in order of first appearance in its text.
    vocabulary: defaultdict[str, int] = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    indices, values, indptr = array("i"), array("i"), array("i", [0])
    for text in texts:
        counts = Counter(_words_and_pairs(_window(text)))
        indices.extend(map(vocabulary.__getitem__, counts))
        values.extend(counts.values())
        indptr.append(len(indices))
    empty = sparse.csr_matrix((len(texts), 1), dtype=np.float32)
    if not vocabulary:  # no words at all in any response
        return empty
    x = sparse.csr_matrix(
        (np.frombuffer(values, np.intc), np.frombuffer(indices, np.int32), indptr),
        shape=(len(texts), len(vocabulary)),
        dtype=np.float32,
    )
    del values
    x.sort_indices()
    # Then as CountVectorizer._sort_features (columns in term order) and _limit_features
    # (at least min_df answers, then the max_features most frequent terms).
    remap = np.empty(len(vocabulary), dtype=x.indices.dtype)
    for new, term in enumerate(sorted(vocabulary)):
        remap[vocabulary[term]] = new
    del vocabulary
    x.indices = remap.take(x.indices, mode="clip")
    df = np.bincount(x.indices, minlength=x.shape[1])
    mask = df >= min_df
    if mask.sum() > max_features:
        tfs = np.asarray(x.sum(axis=0)).ravel()
        top = (-tfs[mask]).argsort()[:max_features]
        mask = np.zeros(len(df), dtype=bool)
        mask[np.where(df >= min_df)[0][top]] = True
    kept = np.where(mask)[0]
    if len(kept) == 0:
        return empty
    x = x[:, kept]
    return TfidfTransformer(sublinear_tf=True).fit(x).transform(x, copy=False)


def _words_and_pairs(window: str) -> list[str]:
    tokens = _TOKEN.findall(window.lower())
    head, tail = tokens[:HEAD_PAIRS], tokens[-TAIL_PAIRS:] if len(tokens) > HEAD_PAIRS else []
    pairs = [f"{a} {b}" for part in (head, tail) for a, b in pairwise(part)]
    return tokens + pairs


def _marker_docs(features: pd.DataFrame) -> list[str]:
    """Opener/closer habits as tokens, e.g. 'o2:short_answer c1:what c:question'."""
    docs = []
    for opener, closer, q, s in zip(
        features["opener"],
        features["closer"],
        features["ends_question"],
        features["signoff"],
        strict=True,
    ):
        toks = _prefix_tokens("o", opener, 3) + _prefix_tokens("c", closer, 2)
        toks += ["c:question"] * int(q) + ["c:signoff"] * int(s)
        docs.append(" ".join(toks) or "o:none")
    return docs


def _prefix_tokens(tag: str, words: str, k: int) -> list[str]:
    """'Short answer: Scaling' → ['o1:short', 'o2:short_answer', 'o3:short_answer_scaling']."""
    parts = _normal(words, k).split("_") if words else []
    return [f"{tag}{i}:{'_'.join(parts[:i])}" for i in range(1, len(parts) + 1) if parts[0]]


def _min_separation(x: np.ndarray, labels: np.ndarray) -> float:
    """Distance between the two closest group centres."""
    centres = np.array([x[labels == c].mean(axis=0) for c in np.unique(labels)])
    d = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(-1))
    return float(d[np.triu_indices(len(centres), 1)].min())


def _selection_sample(n: int, random_state: int) -> np.ndarray:
    if n <= SELECTION_SAMPLE:
        return np.arange(n)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n, size=SELECTION_SAMPLE, replace=False))


def _letter_keys(raw: list[int]) -> list[str]:
    """Cluster numbers → 'A', 'B', … in order of first appearance ('AA' after 'Z')."""
    keys: dict[int, str] = {}
    for c in raw:
        if c not in keys:
            keys[c] = _letters(len(keys))
    return [keys[c] for c in raw]


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        out = chr(65 + rem) + out
    return out


# --- naming and evidence -------------------------------------------------------------------
def describe_groups(features: pd.DataFrame, labels: list[str], texts: list[str]) -> dict[str, str]:
    """A distinct descriptive name per group: opener · typical length · layout · closer."""
    groups = list(dict.fromkeys(labels))
    lab = np.asarray(labels, dtype=object)
    names: dict[str, str] = {}
    for g in groups:
        part = features[lab == g]
        bits = [
            _opener_bit(
                part["opener"].tolist(),
                float(part["title_first"].mean()),
                float(part["list_first"].mean()),
            )
        ]
        bits.append(f"~{_round2(float(part['words'].median()))} words")
        bits.append(
            _layout_bit(float(part["bullet_share"].mean()), float(part["heading_share"].mean()))
        )
        if part["ends_question"].mean() >= 0.5:
            bits.append("ends with a question")
        names[g] = " · ".join(b for b in bits if b)
    return _make_distinct(names, lab, texts)


def _opener_bit(openers: list[str], title_share: float, list_share: float) -> str:
    """The first two words shared by at least half the group, e.g. 'Opens “Short answer:”'."""
    total = len(openers)
    counts = Counter(_normal(o, 2) for o in openers if len(o.split()) >= 2)
    if counts:
        # Ties broken alphabetically so the name does not depend on input order.
        key, hits = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if hits * 2 >= total and (hits >= 2 or total == 1):
            shown = min(" ".join(o.split()[:2]) for o in openers if _normal(o, 2) == key)
            share = "" if hits == total else f" ({hits}/{total})"
            if title_share >= 0.5:
                return f"Opens with a title “{shown}…”{share}"
            if list_share >= 0.5:
                return f"Opens with a list “{shown}…”{share}"
            return f"Opens “{shown}”{share}"
    if title_share >= 0.5:
        return "Opens with a title"
    return "Opens with a list" if list_share >= 0.5 else "Varied openers"


def _layout_bit(bullets: float, headings: float) -> str:
    if bullets >= 0.6:
        layout = "mostly bullets"
    elif bullets >= 0.25:
        layout = "bullets + prose"
    else:
        layout = "prose"
    return layout + (" with headings" if headings >= 0.15 else "")


def _round2(x: float) -> int:
    """Two significant figures: 1161 → 1200, 223 → 220."""
    if x < 10:
        return round(x)
    digits = math.floor(math.log10(x)) - 1
    return int(round(x, -digits))


def _make_distinct(names: dict[str, str], lab: np.ndarray, texts: list[str]) -> dict[str, str]:
    """Where names collide, add the group's most characteristic word; else its key."""
    clash = [g for g, v in names.items() if list(names.values()).count(v) > 1]
    if clash:
        doc_freq, sizes = _word_doc_freq(lab, texts)
        overall = sum(doc_freq.values(), Counter())
        n_all = sum(sizes.values())
        for g in clash:
            word = _characteristic_word(doc_freq[g], sizes[g], overall, n_all)
            if word:
                names[g] = f"{names[g]} · “{word}”"
    values = list(names.values())
    return {g: f"{v} · group {g}" if values.count(v) > 1 else v for g, v in names.items()}


def _word_doc_freq(
    lab: np.ndarray, texts: list[str], per_group: int = 300
) -> tuple[dict[str, Counter], dict[str, int]]:
    """In how many of a group's answers each word occurs, and how many answers were read.

    At most `per_group` answers per group, taken in text order so that input order cannot
    change the result.
    """
    by_group: dict[str, list[str]] = {}
    for g, t in zip(lab, texts, strict=True):
        by_group.setdefault(g, []).append(t)
    freq: dict[str, Counter] = {}
    sizes: dict[str, int] = {}
    for g, group_texts in by_group.items():
        read = sorted(group_texts)[:per_group]
        counts: Counter = Counter()
        for t in read:
            counts.update({w.lower() for w in _WORD.findall(_window(t)) if len(w) > 3})
        freq[g], sizes[g] = counts, len(read)
    return freq, sizes


def _characteristic_word(inside: Counter, n_in: int, overall: Counter, n_all: int) -> str:
    """The word most over-used in a group relative to the rest (share of answers using it)."""
    n_out = max(n_all - n_in, 1)
    scored = [(c / n_in - (overall[w] - c) / n_out, w) for w, c in inside.items() if c * 2 >= n_in]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] > 0 else ""


def group_evidence(features: pd.DataFrame, labels: list[str]) -> dict[str, str]:
    """Self-identifications found in each group's answers, quoted with the answer number."""
    evidence: dict[str, str] = {}
    lab = np.asarray(labels, dtype=object)
    for g in dict.fromkeys(labels):
        part = features[lab == g]
        hits = [(i, s) for i, s in zip(part["index"], part["self_id"], strict=True) if s]
        if not hits:
            evidence[g] = ""
            continue
        quoted = "; ".join(f"answer {i}: “{s}”" for i, s in hits[:3])
        more = f" (+{len(hits) - 3} more)" if len(hits) > 3 else ""
        found_in = of_phrase(len(hits), len(part), "answer")
        evidence[g] = f"Self-identification in {found_in}: {quoted}{more}"
    return evidence
