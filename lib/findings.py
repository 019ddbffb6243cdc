"""Key findings: plain sentences with numbers a presenter can read aloud.

Every sentence is computed from the frames the other analyses return (theme scores, estimates,
topics), so it is true of the data shown; each `Finding` keeps the numbers it states.

>>> from lib.corpus import corpus_from_texts
>>> str(key_findings(corpus_from_texts(["One short answer."]))[0])
'1 answer of 3 words.'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from lib.corpus import Corpus
from lib.estimates import extract_estimates
from lib.highlight import join_phrase, of_phrase
from lib.text import word_counts
from lib.themes import DISCOVERED, fitting_taxonomy, theme_scores

MAX_GROUP_FINDINGS = 4


@dataclass(frozen=True)
class Finding:
    """One sentence, what it is about (`kind`), and the numbers it states."""

    text: str
    kind: str
    numbers: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text


def key_findings(
    corpus: Corpus,
    taxonomy: pd.DataFrame | None = None,
    estimates: pd.DataFrame | None = None,
    topics: object | None = None,
    default_coverage: float | None = None,
) -> list[Finding]:
    """The headline facts about a corpus, in reading order.

    `taxonomy` defaults to data/themes.csv, or to themes discovered in the corpus when that
    covers under 20% of passages (`lib.themes.fitting_taxonomy`). A caller that made that
    choice itself passes the discovered themes with the default's `default_coverage`, so the
    findings say why they use them. `estimates` is an `extract_estimates` frame; when None it
    is computed with its defaults (pass an empty frame to leave estimates out). `topics` is a
    fitted `TopicModel` (or its `response_topics_` frame, optionally with a ``label`` column).
    """
    n = len(corpus.responses)
    if n == 0:
        return [Finding("No answers to analyse yet.", "overview", {"answers": 0})]
    findings = [_overview(corpus)]
    findings += _theme_findings(corpus, taxonomy, default_coverage)
    findings += _group_length(corpus)
    if estimates is None:
        estimates = extract_estimates(corpus)
    if not estimates.empty:
        groups = len({r.group for r in corpus.responses})
        findings += _estimate_findings(estimates, n, groups)
    if topics is not None:
        findings += _topic_findings(topics, n)
    return findings


# --- wording helpers ----------------------------------------------------------------------------
def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def _label(text: str) -> str:
    """A theme label inside a sentence: "Grounding & embodiment" → "grounding & embodiment".

    Acronyms ("RL methods", "AGI timelines") keep their capitals.
    """
    first = text.split(" ", 1)[0]
    if len(first) > 1 and (any(c.isupper() for c in first[1:]) or any(c.isdigit() for c in first)):
        return text
    return text[:1].lower() + text[1:]


def _others(hit: int, total: int) -> str:
    """ "2 of the other 5 answers do", "both other answers do", "all 4 other answers do"."""
    if hit == total:
        return "both other answers do" if total == 2 else f"all {total:,} other answers do"
    return f"{hit:,} of the other {_count(total, 'answer')} {'does' if hit == 1 else 'do'}"


def _half_up(value: float) -> int:
    # round() rounds halves to even (11.5 → 12 but 10.5 → 10); a reader expects halves to go up.
    return math.floor(value + 0.5)


def _group_name(group: str) -> str:
    return f"Group {group}"


def _pct(value: float) -> str:
    return f"{value:g}"


def _range(low: object, high: object) -> str:
    lo = None if pd.isna(low) else float(low)
    hi = None if pd.isna(high) else float(high)
    if lo is not None and hi is not None:
        return f"{_pct(lo)}%" if lo == hi else f"{_pct(lo)}-{_pct(hi)}%"
    if lo is not None:
        return f"at least {_pct(lo)}%"
    if hi is not None:
        return f"up to {_pct(hi)}%"
    return "an unstated share"


# --- overview -----------------------------------------------------------------------------------
def group_summary(corpus: Corpus) -> pd.DataFrame:
    """One row per group: answers and words per answer (median with halves rounded up).

    The Overview's Groups table and the findings both read it, so they state the same
    numbers. Columns: group, answers, median_words, min_words, max_words, what marks it,
    self-identification (the last two from the grouping, blank when it gave none).
    Answers without a group are left out.
    """
    frame = pd.DataFrame(
        {"group": [r.group for r in corpus.responses], "words": word_counts(corpus)}
    ).dropna(subset=["group"])
    table = (
        frame.groupby("group", sort=True)["words"]
        .agg(answers="size", median_words="median", min_words="min", max_words="max")
        .reset_index()
    )
    table["median_words"] = [_half_up(float(m)) for m in table["median_words"]]
    table["what marks it"] = [corpus.group_names.get(g, "") for g in table["group"]]
    table["self-identification"] = [corpus.group_evidence.get(g, "") for g in table["group"]]
    return table.astype({"answers": int, "min_words": int, "max_words": int})


def word_summary(corpus: Corpus) -> dict:
    """Answers and their words: total, shortest, longest, median (halves rounded up)."""
    words = word_counts(corpus)
    if not words:
        return {"answers": 0, "total_words": 0, "min_words": 0, "max_words": 0, "median_words": 0}
    return {
        "answers": len(words),
        "total_words": sum(words),
        "min_words": min(words),
        "max_words": max(words),
        "median_words": _half_up(float(pd.Series(words).median())),
    }


def _overview(corpus: Corpus) -> Finding:
    w = word_summary(corpus)
    groups = sorted({r.group for r in corpus.responses if r.group})
    n = w["answers"]
    if n == 1:
        return Finding(
            f"1 answer of {_count(w['total_words'], 'word')}.",
            "overview",
            {"answers": 1, "words": w["total_words"]},
        )
    source = f" from {_count(len(groups), 'group')}" if groups else ""
    lo, hi, median = w["min_words"], w["max_words"], w["median_words"]
    span = f"{lo:,} words each" if lo == hi else f"{lo:,}-{hi:,} words each (median {median:,})"
    return Finding(
        f"{n:,} answers{source}, {span}.",
        "overview",
        {
            "answers": n,
            "groups": len(groups),
            "min_words": lo,
            "max_words": hi,
            "median_words": median,
            "total_words": w["total_words"],
        },
    )


def _group_length(corpus: Corpus) -> list[Finding]:
    table = group_summary(corpus)
    if len(table) < 2:
        return []
    med = table.set_index("group")["median_words"]
    longest, shortest = med.idxmax(), med.idxmin()
    if med[longest] == med[shortest]:
        return []
    return [
        Finding(
            f"{_group_name(longest)} writes the longest answers (median {med[longest]:,} words), "
            f"group {shortest} the shortest (median {med[shortest]:,}).",
            "group_length",
            {
                "longest_group": longest,
                "longest_median": int(med[longest]),
                "shortest_group": shortest,
                "shortest_median": int(med[shortest]),
            },
        )
    ]


# --- themes -------------------------------------------------------------------------------------
def _theme_findings(
    corpus: Corpus, taxonomy: pd.DataFrame | None, coverage: float | None = None
) -> list[Finding]:
    findings: list[Finding] = []
    if taxonomy is None:
        taxonomy, coverage = fitting_taxonomy(corpus)
    if coverage is not None:
        findings.append(
            Finding(
                f"The default themes fit only {coverage:.0%} of passages, so these "
                f"findings use {_count(len(taxonomy), 'theme')} found in the answers "
                "themselves.",
                "themes_source",
                {"coverage": coverage, "themes": len(taxonomy)},
            )
        )
    if taxonomy.empty:
        return findings
    scores = theme_scores(corpus, taxonomy)  # remembered with the hits (lib.themes)
    n = len(corpus.responses)
    labels = dict(zip(taxonomy["id"], taxonomy["label"], strict=True))
    # Labels of themes found in the answers ("River & Amazon", also once the user keeps them)
    # are quoted as the chart shows them, since lower-casing could turn a name into "amazon".
    # Other labels are common nouns, read lower-cased inside a sentence.
    descriptions = taxonomy.get("description", pd.Series("", index=taxonomy.index))
    found = descriptions.astype(str).str.startswith(DISCOVERED)
    quoted = set(taxonomy.loc[found, "id"]) | (set(labels) if coverage is not None else set())
    names = {t: f"“{label}”" if t in quoted else _label(label) for t, label in labels.items()}
    order = list(taxonomy["id"])
    answers = (
        scores[scores["passages_hit"] > 0].groupby("theme_id")["response_id"].nunique()
    ).reindex(order, fill_value=0)
    present = answers[answers > 0]
    absent = [t for t in order if answers[t] == 0]
    if n == 1:
        findings += _single_answer_themes(scores, labels, names, order, present, absent)
    elif not present.empty:
        findings.append(_common_and_rare(answers, present, names, n))
    if absent and n > 1:
        findings.append(
            Finding(
                f"No answer mentions {join_phrase([names[t] for t in absent], 'or')}.",
                "theme_absent",
                {"themes": [labels[t] for t in absent]},
            )
        )
    findings += _group_theme_findings(scores, names, order)
    return findings


def _single_answer_themes(scores, labels, names, order, present, absent) -> list[Finding]:
    out = []
    total = len(order)
    if present.empty:
        out.append(
            Finding(
                f"The answer mentions none of the {_count(total, 'theme')}.",
                "theme_common",
                {"themes_hit": 0, "themes": total},
            )
        )
    else:
        top = scores.sort_values("passages_hit", ascending=False, kind="stable").iloc[0]
        out.append(
            Finding(
                f"The answer mentions {of_phrase(len(present), total, 'theme')}, most of all "
                f"{names[top.theme_id]} ({_count(int(top.passages_hit), 'passage')}).",
                "theme_common",
                {
                    "themes_hit": len(present),
                    "themes": total,
                    "top_theme": top.theme_id,
                    "top_passages": int(top.passages_hit),
                },
            )
        )
    if absent and not present.empty:
        out.append(
            Finding(
                f"It never mentions {join_phrase([names[t] for t in absent], 'or')}.",
                "theme_absent",
                {"themes": [labels[t] for t in absent]},
            )
        )
    return out


def _common_and_rare(answers: pd.Series, present: pd.Series, names: dict, n: int) -> Finding:
    top_n = int(present.max())
    top = [t for t in present.index if present[t] == top_n]
    # Every theme named, up to six: a room cannot ask what "and 2 more" were.
    top_text = join_phrase([names[t] for t in top], limit=6)
    if top_n == n:
        lead = "Both answers mention" if n == 2 else f"All {n:,} answers mention"
        text = f"{lead} {top_text}"
    elif len(top) == 1:
        text = f"{top_n:,} of {n:,} answers {'mentions' if top_n == 1 else 'mention'} {top_text}"
    else:
        # Not "1 of 2 answers mentions weather and sun": that reads as one answer holding both,
        # when each may be in a different answer.
        text = f"The most mentioned themes, {top_text}, each appear in {top_n:,} of {n:,} answers"
    numbers = {"answers": n, "top_themes": top, "top_answers": top_n}
    low_n = int(present.min())
    if low_n < top_n:
        rare = [t for t in present.index if present[t] == low_n]
        only = "only " if low_n <= n / 2 else ""
        verb = "appears" if len(rare) == 1 else "appear"
        each = " each" if len(rare) > 1 else ""
        where = f"{only}{_count(low_n, 'answer')}{each}" if low_n == 1 else f"{only}{low_n:,}{each}"
        text += f"; {join_phrase([names[t] for t in rare])} {verb} in {where}"
        numbers.update({"rare_themes": rare, "rare_answers": low_n})
    return Finding(text + ".", "theme_common", numbers)


def _merge_gaps(gaps: list[tuple]) -> list[tuple]:
    """One sentence per theme when several groups of two or more answers all leave it out."""
    by_theme: dict[str, list[tuple]] = {}
    for gap in gaps:
        by_theme.setdefault(gap[3], []).append(gap)
    merged = []
    for theme, items in by_theme.items():
        if len(items) > 1 and all(item[4] >= 2 for item in items):
            in_n = sum(item[4] for item in items)
            out_hit = items[0][5]  # the groups have no hit, so every hit is outside them all
            out_n = items[0][4] + items[0][6] - in_n
            groups = sorted(item[2] for item in items)
            merged.append((-out_hit / out_n, items[0][1], groups, theme, in_n, out_hit, out_n))
        else:
            merged += [(*item[:2], [item[2]], *item[3:]) for item in items]
    return sorted(merged)


def _group_theme_findings(scores: pd.DataFrame, names: dict, order: list[str]) -> list[Finding]:
    scores = scores.dropna(subset=["group"])
    if scores["group"].nunique() < 2:
        return []
    hit = scores.assign(hit=scores["passages_hit"] > 0)
    per = hit.groupby(["group", "theme_id"])["hit"].agg(["sum", "count"]).reset_index()
    totals = hit.groupby("theme_id")["hit"].agg(["sum", "count"])
    all_hit = totals["sum"].reindex(per["theme_id"]).to_numpy()
    all_n = totals["count"].reindex(per["theme_id"]).to_numpy()
    gaps, distinct = [], []
    # Plain values, not a Series per row (iterrows): the same numbers, in the same order.
    for group, theme, in_hit, in_n, every_hit, every_n in zip(
        per["group"].tolist(),
        per["theme_id"].tolist(),
        per["sum"].tolist(),
        per["count"].tolist(),
        all_hit.tolist(),
        all_n.tolist(),
        strict=True,
    ):
        in_hit, in_n = int(in_hit), int(in_n)
        out_hit = int(every_hit) - in_hit
        out_n = int(every_n) - in_n
        if out_n == 0:
            continue
        if in_hit == 0 and out_hit >= 2 and out_hit / out_n >= 0.5:
            gaps.append((-out_hit / out_n, order.index(theme), group, theme, in_n, out_hit, out_n))
        if in_n >= 2 and in_hit == in_n and out_hit / out_n <= 0.25:
            distinct.append(
                (out_hit / out_n, order.index(theme), group, theme, in_n, out_hit, out_n)
            )
    findings = []
    for _, _, groups, theme, in_n, out_hit, out_n in _merge_gaps(gaps)[:MAX_GROUP_FINDINGS]:
        if len(groups) > 1:
            who, verb = f"Groups {join_phrase([str(g) for g in groups])}", "never mention"
        else:
            one = _group_name(groups[0])
            who, verb = (f"{one}'s only answer" if in_n == 1 else one), "never mentions"
        findings.append(
            Finding(
                f"{who} {verb} {names[theme]}, which {_others(out_hit, out_n)}.",
                "group_gap",
                {
                    "groups": groups,
                    "theme": theme,
                    "group_answers": in_n,
                    "other_hit": out_hit,
                    "other_answers": out_n,
                },
            )
        )
    for _, _, group, theme, in_n, out_hit, out_n in sorted(distinct)[:MAX_GROUP_FINDINGS]:
        if out_n == 1:
            others = "the other answer does not"
        elif out_hit == 0:
            others = f"none of the other {out_n:,} answers do"
        else:
            others = f"only {_others(out_hit, out_n)}"
        findings.append(
            Finding(
                f"Every answer in group {group} mentions {names[theme]}; {others}.",
                "group_distinctive",
                {
                    "group": group,
                    "theme": theme,
                    "group_answers": in_n,
                    "other_hit": out_hit,
                    "other_answers": out_n,
                },
            )
        )
    return findings


# --- estimates ----------------------------------------------------------------------------------
def _own(estimates: pd.DataFrame) -> pd.Series:
    if "attributed_to" not in estimates:
        return pd.Series(True, index=estimates.index)
    who = estimates["attributed_to"]
    return who.isna() | (who.astype(str).str.strip() == "")


def _estimate_findings(estimates: pd.DataFrame, n: int, groups: int = 1) -> list[Finding]:
    """`groups`: how many groups the corpus has; with several, numbers that all come from one
    group say so (four answers agreeing is one model repeating itself, not a consensus)."""
    own = estimates[_own(estimates)]
    findings = []
    shares = own[own["kind"] == "share"]
    if not shares.empty:
        findings.append(_share_finding(shares, n, groups))
    timelines = estimates[estimates["kind"] == "timeline"]
    if not timelines.empty:
        findings.append(_timeline_finding(timelines, _own(timelines), n, groups))
    probs = own[own["kind"] == "probability"]
    if not probs.empty:
        findings.append(_probability_finding(probs, n))
    return findings


def _of(k: int, n: int) -> str:
    return of_phrase(k, n, "answer", start=True) if n > 1 else "The answer"


def _one_group(rows: pd.DataFrame, groups: int) -> str:
    """ ", all in group D" when 2+ answers of a corpus with several groups share one group."""
    if groups < 2 or "group" not in rows or rows["response_index"].nunique() < 2:
        return ""
    found = rows["group"].dropna().astype(str).unique()
    if len(found) != 1 or rows["group"].isna().any():
        return ""
    return f", all in group {found[0]}"


def _share_finding(shares: pd.DataFrame, n: int, groups: int = 1) -> Finding:
    answers = shares["response_index"].nunique()
    ranges = shares.drop_duplicates(["response_index", "low", "high"])
    counts = ranges.groupby(["low", "high"], dropna=False)["response_index"].nunique()
    counts = counts.sort_values(ascending=False, kind="stable")
    lead = _of(answers, n)
    verb = "gives" if lead == "The answer" or answers == 1 else "give"
    text = f"{lead} {verb} a share estimate"
    numbers = {"answers": answers, "of": n}
    if (
        len(counts)
        and counts.iloc[0] >= 2
        and (len(counts) == 1 or counts.iloc[0] > counts.iloc[1])
    ):
        (low, high), k = counts.index[0], int(counts.iloc[0])
        same = ranges[ranges["low"].eq(low) if pd.notna(low) else ranges["low"].isna()]
        same = same[same["high"].eq(high) if pd.notna(high) else same["high"].isna()]
        where = _one_group(same, groups)
        text += f"; the most common is {_range(low, high)} ({_count(k, 'answer')}{where})"
        numbers.update({"common_low": low, "common_high": high, "common_answers": k})
    elif len(counts) == 1:
        low, high = counts.index[0]
        text += f" of {_range(low, high)}"
        numbers.update({"common_low": low, "common_high": high, "common_answers": 1})
    else:
        lows = pd.concat([shares["low"], shares["high"]]).dropna().astype(float)
        if len(lows):
            lo, hi = lows.min(), lows.max()
            text += f", between {_pct(lo)}% and {_pct(hi)}%" if lo != hi else f" of {_pct(lo)}%"
            numbers.update({"min": lo, "max": hi})
    return Finding(text + ".", "estimate_share", numbers)


def _timeline_finding(
    timelines: pd.DataFrame, own_mask: pd.Series, n: int, groups: int = 1
) -> Finding:
    own = timelines[own_mask]
    cited = timelines[~own_mask]
    cited_only = sorted(set(cited["response_index"]) - set(own["response_index"]))
    parts = []
    numbers: dict = {"own_answers": own["response_index"].nunique(), "of": n}
    if not own.empty:
        k = own["response_index"].nunique()
        years = pd.concat([own["year_low"], own["year_high"]]).dropna().astype(int)
        lead = _of(k, n)
        verb = "gives" if lead == "The answer" or k == 1 else "give"
        part = f"{lead} {verb} {'its' if k == 1 else 'their'} own timeline"
        if len(years):
            lo, hi = int(years.min()), int(years.max())
            where = _one_group(own, groups)
            part += f" ({lo}{where})" if lo == hi else f" (years {lo}-{hi}{where})"
            numbers.update({"year_min": lo, "year_max": hi})
        parts.append(part)
    if len(cited_only):
        names = []
        only = cited[cited["response_index"].isin(cited_only)]
        for cell in only["attributed_to"].dropna().astype(str):
            for name in cell.split(";"):
                name = name.strip()
                if name[:1].isupper() and name not in names:
                    names.append(name)
        who = f" ({join_phrase(names)})" if names else ""
        k = len(cited_only)
        subject = _count(k, "answer") if n > 1 else "The answer"
        if parts:
            subject = f"{k:,} more"
        verb = "cites" if k == 1 else "cite"
        parts.append(f"{subject} only {verb} other people's timelines{who}")
        numbers.update({"cited_only_answers": k, "cited_names": names})
    text = "; ".join(parts)
    return Finding(text[:1].upper() + text[1:] + ".", "estimate_timeline", numbers)


def _probability_finding(probs: pd.DataFrame, n: int) -> Finding:
    k = probs["response_index"].nunique()
    quotes = probs.assign(q=probs["quote"].astype(str).str.lower()).drop_duplicates(
        ["response_index", "q"]
    )
    counts = (
        quotes.groupby("q")["response_index"].nunique().sort_values(ascending=False, kind="stable")
    )
    lead = _of(k, n)
    verb = "gives" if lead == "The answer" or k == 1 else "give"
    # Only likelihoods Chorus can put a number on: answers hedge in more ways than it reads.
    text = f"{lead} {verb} a likelihood Chorus can put a number on"
    numbers = {"answers": k, "of": n}
    if len(counts) and counts.iloc[0] >= 2:
        word, m = counts.index[0], int(counts.iloc[0])
        text += f"; the most common wording is “{word}” ({_count(m, 'answer')})"
        numbers.update({"common_quote": word, "common_answers": m})
    elif len(counts):
        words = [f"“{w}”" for w in counts.index[:3]]
        text += (
            f", in words like {join_phrase(words, 'or')}"
            if k == 1
            else f" (e.g. {join_phrase(words)})"
        )
        numbers.update({"quotes": list(counts.index[:3])})
    return Finding(text + ".", "estimate_probability", numbers)


# --- topics -------------------------------------------------------------------------------------
def _topic_findings(topics: object, n: int) -> list[Finding]:
    frame = getattr(topics, "response_topics_", topics)
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        return []
    labels = {}
    table = getattr(topics, "topics_", None)
    if isinstance(table, pd.DataFrame) and "label" in table:
        labels = dict(zip(table["topic_id"], table["label"], strict=False))
    elif "label" in frame:
        labels = dict(zip(frame["topic_id"], frame["label"], strict=False))
    main = frame.sort_values(
        ["response_index", "share", "topic_id"], ascending=[True, False, True], kind="stable"
    )
    main = main.drop_duplicates("response_index")
    counts = (
        main.groupby("topic_id")["response_index"]
        .nunique()
        .sort_values(ascending=False, kind="stable")
    )
    topic, k = counts.index[0], int(counts.iloc[0])
    label = labels.get(topic, f"topic {topic}")
    if n == 1:
        text = f"The answer's main topic is “{label}”."
    else:
        text = f"The most common main topic is “{label}”, leading in {of_phrase(k, n, 'answer')}."
    return [Finding(text, "topic", {"topic": topic, "answers": k, "of": n})]
