"""Plotly figure builders: one `make_x(frame, ...) -> go.Figure` per chart, plus its caption.

Builders never compute analyses and never render: they take the tidy frames from lib/ and
return a figure the caller shows. Corpus text reaches plotly only as data (hover text,
customdata), which plotly escapes; no HTML is ever built from it.

Clickable charts put the response id first in each point's `customdata`, so a page can read
a selection with `selected_customdata(event)` whatever the chart.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lib.highlight import count_phrase, join_phrase, of_phrase
from lib.text import count_words

# Okabe-Ito, reordered so the first colours are the most distinct on white (yellow last).
OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
]
NO_GROUP = "ungrouped"
NO_GROUP_COLOR = "#7F7F7F"
HEAT_SCALE = "Blues"  # sequential and colour-blind safe

FONT = {"compact": 14, "full": 18}
OWN_SYMBOL, ATTRIBUTED_SYMBOL = "circle", "circle-open"


# --- shared helpers --------------------------------------------------------------------------
def group_colors(groups: Iterable[str | None]) -> dict[str, str]:
    """Okabe-Ito colour per group, in order of first appearance (cycling after eight).

    >>> group_colors(["b", "a", "b"])
    {'b': '#0072B2', 'a': '#E69F00'}
    """
    colors: dict[str, str] = {}
    for g in groups:
        key = _group_name(g)
        if key in colors:
            continue
        if key == NO_GROUP:
            colors[key] = NO_GROUP_COLOR
        else:
            n = sum(1 for k in colors if k != NO_GROUP)
            colors[key] = OKABE_ITO[n % len(OKABE_ITO)]
    return colors


def stable_group_colors(groups: Iterable[str | None]) -> dict[str, str]:
    """Colours for every group of a corpus, in sorted order: pass them to each builder as
    `colors=` so a group keeps its colour on every chart and under every filter."""
    return group_colors(sorted({_group_name(g) for g in groups}))


def _palette(groups: Iterable[str | None], colors: dict[str, str] | None) -> dict[str, str]:
    """The caller's colours (e.g. for every group of the full corpus, so a filter never
    recolours a group), else colours for the groups in sorted order; any group missing from
    `colors` gets the next unused colour."""
    names = sorted({_group_name(g) for g in groups})
    if not colors:
        return group_colors(names)
    out = dict(colors)
    extra = [g for g in names if g not in out]
    if extra:
        spare = group_colors([*out, *extra])
        out.update({g: spare[g] for g in extra})
    return out


def response_label(index: int, group: str | None = None) -> str:
    """The short name of an answer used on every axis: "#3 claude"."""
    g = _group_name(group)
    return f"#{int(index)}" if g == NO_GROUP else f"#{int(index)} {g}"


def selected_customdata(event: dict | None) -> list[list]:
    """The customdata of each selected point in a Streamlit plotly selection event.

    Works on the plain dict (or AttributeDictionary) `st.plotly_chart(..., on_select=...)`
    returns, and on one injected through session state in tests.
    """
    if not event:
        return []
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return []
    out = []
    for p in points or []:
        data = p.get("customdata") if isinstance(p, dict) else None
        if data is None:
            continue
        out.append(list(data) if isinstance(data, list | tuple) else [data])
    return out


def wrap(text: str | None, width: int = 70) -> str:
    """Hover text wrapped with <br> so long sentences stay on screen.

    Plotly escapes the text itself; only the line breaks are markup.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return "<br>".join(textwrap.wrap(str(text), width=width)) or ""


def _group_name(g: str | None) -> str:
    if g is None or (isinstance(g, float) and math.isnan(g)) or str(g).strip() == "":
        return NO_GROUP
    return str(g)


def _font(compact: bool) -> int:
    return FONT["compact"] if compact else FONT["full"]


def _style(
    fig: go.Figure,
    title: str,
    x_title: str | None,
    y_title: str | None,
    compact: bool,
    height: int | None = None,
    legend_title: str | None = None,
) -> go.Figure:
    """The house look: a title, axis titles, large fonts, room for labels."""
    size = _font(compact)
    fig.update_layout(
        title={"text": title, "font": {"size": size + 4}, "x": 0, "xanchor": "left"},
        font={"size": size},
        hoverlabel={"font": {"size": size}},
        margin={"l": 10, "r": 10, "t": 60 if compact else 80, "b": 10},
        template="plotly_white",
        legend={
            "title": {"text": legend_title or "", "font": {"size": size}},
            "font": {"size": size},
        },
    )
    if height:
        fig.update_layout(height=height)
    # Explicit tick sizes: Streamlit's chart theme would otherwise shrink them to ~12 px.
    axis = {"automargin": True, "title_font": {"size": size}, "tickfont": {"size": size}}
    fig.update_xaxes(title_text=x_title, **axis)
    fig.update_yaxes(title_text=y_title, **axis)
    fig.update_traces(colorbar_tickfont_size=size, selector={"type": "heatmap"})
    return fig


def _num(values) -> pd.Series:
    """Plain float numbers (NaN for missing): estimates come as nullable Float64/Int64."""
    return pd.to_numeric(pd.Series(values), errors="coerce").astype(float)


def _values(series: pd.Series) -> list:
    """Plain Python values: plotly would encode an array as base64, opaque in tests and JSON."""
    return [None if pd.isna(v) else v for v in pd.Series(series).tolist()]


def _row_height(n_rows: int, compact: bool, base: int = 160) -> int:
    per = 26 if compact else 34
    return max(base + per * n_rows, 300 if compact else 380)


def _cell_overlay(x: Sequence, y: Sequence, customdata: Sequence, hover: Sequence) -> go.Scatter:
    """Invisible markers over heatmap cells: Streamlit returns no selection for a heatmap click."""
    return go.Scatter(
        x=list(x),
        y=list(y),
        mode="markers",
        marker={"size": 18, "opacity": 0, "symbol": "square"},
        customdata=[list(c) for c in customdata],
        hovertext=list(hover),
        hoverinfo="text",
        showlegend=False,
        name="cells",
    )


def _clickable_heatmap(
    grid: pd.DataFrame,
    row_labels: list[str],
    col_keys: dict[str, object],
    hover: Callable[[object, str, str], str],
    colorbar: str,
) -> go.Figure:
    """A heatmap of `grid` (rows x columns, percent) with a clickable marker over every cell.

    Each cell's marker carries customdata [column key, row key] and the hover text
    `hover(row key, column, row label)`.
    """
    values = grid.to_numpy(dtype=float)
    fig = go.Figure(
        go.Heatmap(
            z=values.round(1).tolist(),
            x=list(grid.columns),
            y=row_labels,
            colorscale=HEAT_SCALE,
            zmin=0,
            zmax=max(float(np.nanmax(values)) if values.size else 0.0, 1.0),
            hoverinfo="skip",
            colorbar={"title": {"text": colorbar}},
            xgap=2,
            ygap=2,
        )
    )
    xs, ys, cds, hvs = [], [], [], []
    for row, label in zip(grid.index, row_labels, strict=True):
        for c in grid.columns:
            xs.append(c)
            ys.append(label)
            cds.append([col_keys[c], row])
            hvs.append(hover(row, c, label))
    fig.add_trace(_cell_overlay(xs, ys, cds, hvs))
    return fig


def answers_phrase(k: int, n: int, verb: str) -> str:
    """A sentence's start: "7 of 16 answers give", "1 of 16 answers gives", "1 of 1 answer
    gives", "Both answers give", "1 of 2 answers touches"."""
    if k == 1:
        verb += "es" if verb.endswith(("ch", "sh", "s", "x")) else "s"
    return f"{of_phrase(k, n, 'answer', start=True)} {verb}"


def length_sentence(n: int, shortest: int, longest: int, median: int) -> str:
    """ "16 answers, 210 to 1,206 words long (median 700).", and plain words for one answer
    ("1 answer, 36 words long.") or answers of one length ("3 answers, each 36 words long.")."""
    if n == 1:
        return f"1 answer, {count_phrase(longest, 'word')} long."
    if shortest == longest:
        return f"{n:,} answers, each {count_phrase(longest, 'word')} long."
    return f"{n:,} answers, {shortest:,} to {longest:,} words long (median {median:,})."


def no_answer_phrase(n: int, what: str) -> str:
    """ "No answer gives a share (16 shown)." """
    return f"No answer {what} ({n} shown)."


def _fmt_pct(v: float) -> str:
    return f"{v:.0f}%" if abs(v - round(v)) < 0.05 else f"{v:.1f}%"


# --- themes ------------------------------------------------------------------------------------
def _theme_cells(
    scores: pd.DataFrame, by: str, sort: str
) -> tuple[pd.DataFrame, list, list, dict, str]:
    """The theme heatmap's cells (col, col_key, theme_id, share_pct, hover), column and theme
    order, theme labels and the x-axis title: shared by the plotly and the light heatmap."""
    if by not in {"response", "group"}:
        raise ValueError("by must be 'response' or 'group'")
    if sort not in {"group", "coverage"}:
        raise ValueError("sort must be 'group' or 'coverage'")
    df = scores.copy()
    df["group"] = df["group"].map(_group_name)
    df["share_pct"] = (_num(df["share"]) * 100).fillna(0.0)
    df["matched"] = df.get("matched", pd.Series("", index=df.index)).fillna("").astype(str)
    theme_order = list(dict.fromkeys(df["theme_id"]))
    labels = df.drop_duplicates("theme_id").set_index("theme_id")["theme_label"].to_dict()

    if by == "group":
        cells = (
            df.groupby(["group", "theme_id"], sort=False)
            .agg(
                share_pct=("share_pct", "mean"),
                answers=("passages_hit", lambda s: int((s > 0).sum())),
                n=("response_id", "nunique"),
            )
            .reset_index()
        )
        cells["col_key"] = cells["group"]
        cells["col"] = cells["group"]
        cells["hover"] = [
            f"{r.group} · {labels[r.theme_id]}<br>{answers_phrase(r.answers, r.n, 'touch')} it; "
            f"mean share of passages {r.share_pct:.0f}%"
            for r in cells.itertuples()
        ]
        col_order = list(dict.fromkeys(cells["col"]))
        x_title = "Group"
    else:
        cells = df.copy()
        cells["col_key"] = cells["response_id"]
        cells["col"] = [
            response_label(i, g)
            for i, g in zip(cells["response_index"], cells["group"], strict=True)
        ]
        cells["hover"] = [
            f"{r.col} · {labels[r.theme_id]}<br>{int(r.passages_hit)} passage(s), "
            f"{r.share_pct:.0f}% of the answer"
            + (f"<br>words: {wrap(r.matched, 60)}" if r.matched else "")
            for r in cells.itertuples()
        ]
        order = cells.drop_duplicates("col").sort_values(["group", "response_index"])
        col_order = list(order["col"]) if sort == "group" else []
        x_title = "Answer (number and group)"

    if sort == "coverage":
        touched = cells[cells["share_pct"] > 0]
        col_cover = touched.groupby("col")["theme_id"].nunique()
        first = {c: i for i, c in enumerate(dict.fromkeys(cells["col"]))}
        col_order = sorted(first, key=lambda c: (-col_cover.get(c, 0), first[c]))
        theme_cover = touched.groupby("theme_id")["col"].nunique()
        pos = {t: i for i, t in enumerate(theme_order)}
        theme_order = sorted(theme_order, key=lambda t: (-theme_cover.get(t, 0), pos[t]))

    return cells, col_order, theme_order, labels, x_title


def make_theme_heatmap(
    scores: pd.DataFrame,
    by: str = "response",
    sort: str = "group",
    compact: bool = False,
) -> go.Figure:
    """Themes (rows) x answers or groups (columns); colour = share of passages on the theme.

    `scores` is lib.themes.theme_scores output (response_id, response_index, group, theme_id,
    theme_label, passages_hit, share, matched). `by="group"` averages the share over each
    group's answers. `sort="group"` keeps answers by group then number and themes in taxonomy
    order; `sort="coverage"` puts the answers touching most themes, and the themes found in
    most answers, first. Each cell carries customdata [response_id or group, theme_id].
    """
    cells, col_order, theme_order, labels, x_title = _theme_cells(scores, by, sort)
    grid = cells.pivot_table(
        index="theme_id", columns="col", values="share_pct", aggfunc="first", sort=False
    ).reindex(index=theme_order, columns=col_order)
    hover = cells.pivot_table(
        index="theme_id", columns="col", values="hover", aggfunc="first", sort=False
    ).reindex(index=theme_order, columns=col_order)
    keys = cells.drop_duplicates("col").set_index("col")["col_key"].to_dict()

    def cell_hover(t: object, c: str, label: str) -> str:
        h = hover.at[t, c]
        return h if isinstance(h, str) else f"{c} · {label}: no passages"

    fig = _clickable_heatmap(
        grid, [labels[t] for t in theme_order], keys, cell_hover, "% of passages"
    )
    what = "group" if by == "group" else "answer"
    _style(
        fig,
        f"Which themes each {what} covers",
        x_title,
        "Theme",
        compact,
        height=_row_height(len(theme_order), compact, base=220),
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45 if len(col_order) > 6 else 0)
    return fig


def found_themes_sentence(default_coverage: float) -> str:
    """Why a chart shows themes found in the answers: "Themes found in the answers themselves,
    since the default themes fit only 10% of passages." (`lib.themes.fitting_taxonomy`)."""
    return (
        "Themes found in the answers themselves, since the default themes fit only "
        f"{default_coverage:.0%} of passages."
    )


def theme_caption(scores: pd.DataFrame, default_coverage: float | None = None) -> str:
    """One line: how many answers touch the most common theme, and how many themes appear.

    With `default_coverage` (see `lib.themes.fitting_taxonomy`) it first says the themes were
    found in the answers, and why: "Themes found in the answers themselves, since the default
    themes fit only 4% of passages. 4 of 4 themes appear; …".
    """
    source = "" if default_coverage is None else found_themes_sentence(default_coverage) + " "
    if scores.empty:
        return source + "No theme found in these answers."
    n = scores["response_id"].nunique()
    hit = scores[scores["passages_hit"] > 0]
    if hit.empty:
        return source + no_answer_phrase(n, "matches a theme of the taxonomy")
    per_theme = (
        hit.groupby("theme_label")["response_id"]
        .nunique()
        .sort_values(ascending=False, kind="stable")  # ties in label order
    )
    count = int(per_theme.iloc[0])
    top = [f"“{label}”" for label in per_theme.index[per_theme == count]]
    n_themes = scores["theme_id"].nunique()
    appear = (
        f"{of_phrase(len(per_theme), n_themes, 'theme', start=True)} "
        f"{'appears' if len(per_theme) == 1 else 'appear'}"
    )
    if len(top) == 1:
        return (
            source + f"{appear}; the most common, {top[0]}, is in {of_phrase(count, n, 'answer')}."
        )
    # Several tie: naming one as "the most common" would crown it by its place in the alphabet.
    return source + (
        f"{appear}; the most common are {join_phrase(top, limit=len(top))}, each in "
        f"{of_phrase(count, n, 'answer')}."
    )


# --- estimates ---------------------------------------------------------------------------------
def _attributed(est: pd.DataFrame) -> pd.Series:
    """Whether each estimate is credited to someone (`attributed_to` holds a name)."""
    return est.get("attributed_to", pd.Series(None, index=est.index)).map(
        lambda a: isinstance(a, str) and a.strip() != ""
    )


def _interval_rows(est: pd.DataFrame, low: str, high: str) -> pd.DataFrame:
    """One row per estimate with its y label; several estimates of one answer get ·2, ·3."""
    df = est.copy()
    for col in ("attributed_to", "quote", "sentence"):
        if col not in df:
            df[col] = ""
    df["group"] = df["group"].map(_group_name)
    df["attributed"] = _attributed(df)
    df[low], df[high] = _num(df[low]).to_numpy(), _num(df[high]).to_numpy()
    df = df.dropna(subset=[low, high], how="all")
    df[low] = df[low].fillna(df[high])
    df[high] = df[high].fillna(df[low])
    df = df.sort_values(["group", "response_index", low], kind="stable").reset_index(drop=True)
    base = [response_label(i, g) for i, g in zip(df["response_index"], df["group"], strict=True)]
    seen: dict[str, int] = {}
    rows = []
    for b in base:
        seen[b] = seen.get(b, 0) + 1
        rows.append(b if seen[b] == 1 else f"{b} ·{seen[b]}")
    df["row"] = rows
    return df


def _interval_figure(
    df: pd.DataFrame, low: str, high: str, value_fmt, colors: dict[str, str] | None
) -> tuple[go.Figure, dict[str, str]]:
    """Low-high segments per estimate: solid = the answer's own view, hollow = attributed."""
    colors = _palette(df["group"], colors)
    fig = go.Figure()
    for (group, attributed), part in df.groupby(["group", "attributed"], sort=False):
        xs, ys, cds, hv = [], [], [], []
        for r in part.itertuples():
            lo, hi = getattr(r, low), getattr(r, high)
            who = f"attributed to {r.attributed_to}" if attributed else "the answer's own view"
            text = (
                f"{r.row}: {value_fmt(lo)}"
                + (f"–{value_fmt(hi)}" if hi != lo else "")
                + f" ({who})<br>“{wrap(r.quote, 60)}”<br>{wrap(r.sentence)}"
            )
            xs += [lo, hi, None]
            ys += [r.row, r.row, None]
            cds += [[r.response_id, int(r.response_index)]] * 2 + [[None, None]]
            hv += [text, text, ""]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=f"{group} · {'attributed' if attributed else 'own view'}",
                legendgroup=group,
                line={"color": colors[group], "width": 6, "dash": "dot" if attributed else "solid"},
                marker={
                    "color": colors[group],
                    "size": 14,
                    "symbol": ATTRIBUTED_SYMBOL if attributed else OWN_SYMBOL,
                    "line": {"width": 3, "color": colors[group]},
                },
                customdata=cds,
                hovertext=hv,
                hoverinfo="text",
                connectgaps=False,
            )
        )
    return fig, colors


def _estimates_of(estimates: pd.DataFrame, kind: str) -> pd.DataFrame:
    if estimates is None or estimates.empty or "kind" not in estimates:
        return pd.DataFrame(columns=list(getattr(estimates, "columns", [])))
    return estimates[estimates["kind"] == kind]


def make_share_chart(
    estimates: pd.DataFrame, compact: bool = False, colors: dict[str, str] | None = None
) -> go.Figure:
    """Share estimates (how far along, what fraction) as low-high bars per answer, in percent.

    Solid markers are the answer's own estimate; hollow markers on a dotted line are numbers
    the answer attributes to someone else. Points carry customdata [response_id, index].
    """
    est = _estimates_of(estimates, "share").copy()
    est["low_pct"], est["high_pct"] = _num(est["low"]), _num(est["high"])
    df = _interval_rows(est, "low_pct", "high_pct")
    fig, _ = _interval_figure(df, "low_pct", "high_pct", _fmt_pct, colors)
    _style(
        fig,
        "Shares the answers give (low to high)",
        "Share (%)",
        "Answer",
        compact,
        height=_row_height(df["row"].nunique(), compact),
        legend_title="solid = own view, hollow = attributed",
    )
    fig.update_xaxes(range=[-2, 102], ticksuffix="%")
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def share_caption(estimates: pd.DataFrame, n_responses: int) -> str:
    """E.g. "7 of 16 answers give a share; median range 50-70%." (the medians of the answers'
    own low and high ends). Not "typically": four answers of one model can make that median."""
    est = _estimates_of(estimates, "share")
    if est.empty:
        return no_answer_phrase(n_responses, "gives a share")
    own = est[~_attributed(est)]
    use = own if not own.empty else est
    low = float(_num(use["low"]).median())
    high = float(_num(use["high"].fillna(use["low"])).median())
    n = est["response_id"].nunique()
    lead = f"{answers_phrase(n, n_responses, 'give')} a share"
    if round(low) == round(high):
        return f"{lead}: {_fmt_pct(low)}." if n == 1 else f"{lead}; median {_fmt_pct(low)}."
    spread = f"{low:.0f}-{high:.0f}%"
    return f"{lead}: {spread}." if n == 1 else f"{lead}; median range {spread}."


def make_timeline_chart(
    estimates: pd.DataFrame,
    reference_year: int,
    compact: bool = False,
    colors: dict[str, str] | None = None,
) -> go.Figure:
    """Timeline estimates as calendar-year bars; a dashed line marks the reference year.

    Uses year_low/year_high when present, else reference_year + years_low/years_high
    (relative estimates such as "within a decade").
    """
    est = _estimates_of(estimates, "timeline").copy()
    for side in ("low", "high"):
        rel = _num(est.get(f"years_{side}", pd.Series(np.nan, index=est.index))).to_numpy()
        absolute = _num(est.get(f"year_{side}", pd.Series(np.nan, index=est.index))).to_numpy()
        est[f"cal_{side}"] = np.where(np.isnan(absolute), reference_year + rel, absolute)
    df = _interval_rows(est, "cal_low", "cal_high")
    fig, _ = _interval_figure(df, "cal_low", "cal_high", lambda v: f"{v:.0f}", colors)
    fig.add_vline(
        x=reference_year,
        line={"dash": "dash", "color": "#555555", "width": 2},
        annotation_text=f"now: {reference_year}",
        annotation_position="top",
    )
    _style(
        fig,
        "When the answers expect it (calendar years)",
        "Year",
        "Answer",
        compact,
        height=_row_height(df["row"].nunique(), compact),
        legend_title="solid = own view, hollow = attributed",
    )
    fig.update_xaxes(tickformat="d")
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def timeline_caption(estimates: pd.DataFrame, n_responses: int, reference_year: int) -> str:
    """How many answers give a timeline of their own, and the earliest year each gives: one
    number per answer (an answer's second timeline, "ASI: 2045", or another person's it
    reports, is not one more vote), its range and its median."""
    est = _estimates_of(estimates, "timeline")
    if est.empty:
        return no_answer_phrase(n_responses, "gives a date or a number of years")
    earliest = _num(est.get("year_low", pd.Series(np.nan, index=est.index)))
    relative = _num(est.get("years_low", pd.Series(np.nan, index=est.index)))
    earliest = earliest.fillna(reference_year + relative)
    own = ~_attributed(est)
    answers = est.loc[own, "response_id"].nunique()
    cited_only = est["response_id"].nunique() - answers
    firsts = earliest[own].groupby(est.loc[own, "response_id"]).min().dropna()
    parts = []
    if answers:
        parts.append(
            f"{answers_phrase(answers, n_responses, 'give')} a timeline of "
            f"{'its' if answers == 1 else 'their'} own"
        )
        lo, hi = (float(firsts.min()), float(firsts.max())) if len(firsts) else (None, None)
        if lo is not None and lo == hi:
            parts.append(f"earliest year {lo:.0f}")
        elif lo is not None:
            middle = float(firsts.median())
            shown = f"{middle:.0f}" if middle == round(middle) else f"{middle:.1f}"
            parts.append(f"each answer's earliest year: {lo:.0f} to {hi:.0f}, median {shown}")
    if cited_only:
        if answers:
            parts.append(
                f"{cited_only:,} more only {'cites' if cited_only == 1 else 'cite'} others'"
            )
        else:
            parts.append(
                f"{answers_phrase(cited_only, n_responses, 'cite')} only other people's timelines"
            )
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]} (reference year {reference_year})."


STATED_ROW = "stated as a number"


def _probability_uses(estimates: pd.DataFrame, scale_table: pd.DataFrame) -> pd.DataFrame:
    """Probability estimates with their row (the phrase, lower case) and the number shown."""
    est = _estimates_of(estimates, "probability").copy()
    for col in ("quote", "sentence", "about"):
        if col not in est:
            est[col] = ""
    est["group"] = [_group_name(g) for g in est["group"]] if len(est) else []
    phrase = est["quote"].astype(str).str.strip().str.lower()
    numeric = phrase.str.contains(r"\d", regex=True)
    est["row"] = np.where(numeric, STATED_ROW, phrase)
    est["low"], est["high"] = _num(est["low"]).to_numpy(), _num(est["high"]).to_numpy()
    est["high"] = est["high"].fillna(est["low"])
    est["low"] = est["low"].fillna(est["high"])
    values = dict(zip(scale_table["phrase"].str.lower(), _num(scale_table["value"]), strict=True))
    mids = (est["low"] + est["high"]) / 2
    # A phrase's number is the scale's typical value; a stated number is its own midpoint.
    est["value"] = [
        values.get(r, m) if r != STATED_ROW else m for r, m in zip(est["row"], mids, strict=True)
    ]
    return est


def make_probability_chart(
    estimates: pd.DataFrame,
    scale_table: pd.DataFrame,
    compact: bool = False,
    colors: dict[str, str] | None = None,
) -> go.Figure:
    """Each probability wording the answers use: its number (tick) and spread (grey bar).

    `estimates` come from lib.estimates (low/high already read off the chosen scale, percent);
    `scale_table` is lib.scales.load_scale output (phrase, value, low, high), used for each
    phrase's typical value. Numbers stated outright share one row. One dot per group and
    row, its size the number of uses; dots carry customdata [response_id, index] of the
    first answer. With no estimates the chart shows the scale itself.
    """
    est = _probability_uses(estimates, scale_table)
    if est.empty:
        rows = scale_table.assign(
            value=_num(scale_table["value"]).to_numpy(),
            low=_num(scale_table["low"]).to_numpy(),
            high=_num(scale_table["high"]).to_numpy(),
        )[["phrase", "value", "low", "high"]]
    else:
        rows = (
            est[est["row"] != STATED_ROW]
            .groupby("row", sort=False)
            .agg(value=("value", "first"), low=("low", "min"), high=("high", "max"))
            .reset_index()
            .rename(columns={"row": "phrase"})
        )
    rows = rows.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    order = list(rows["phrase"])
    if (est.get("row", pd.Series(dtype=str)) == STATED_ROW).any():
        order.append(STATED_ROW)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=list(rows["phrase"]),
            x=_values((rows["high"] - rows["low"]).round(1)),
            base=_values(rows["low"].round(1)),
            orientation="h",
            marker={"color": "rgba(120,120,120,0.28)"},
            name="spread of what people mean",
            hovertext=[
                f"“{p}”: about {v:.0f}% (from {lo:.0f}% to {hi:.0f}%)"
                for p, v, lo, hi in zip(
                    rows["phrase"], rows["value"], rows["low"], rows["high"], strict=True
                )
            ],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=list(rows["phrase"]),
            x=_values(rows["value"].round(1)),
            mode="markers",
            marker={"symbol": "line-ns", "size": 26, "line": {"width": 4, "color": "#333333"}},
            name="typical number",
            hoverinfo="skip",
        )
    )
    colors = _palette(est["group"], colors) if len(est) else {}
    for group, part in est.groupby("group", sort=False):
        # A wording's uses share a dot (the same number each time); numbers stated outright
        # each keep their own: they rate different claims ("scenario A: 15%", "scenario B:
        # 60%"), and their mean would be a number nobody gave.
        key = np.where(part["row"] == STATED_ROW, part.index.astype(str), part["row"])
        dots = [(d["row"].iloc[0], d) for _, d in part.groupby(key, sort=False)]
        fig.add_trace(
            go.Scatter(
                y=[row for row, _ in dots],
                x=[round(float(d["value"].mean()), 1) for _, d in dots],
                mode="markers",
                orientation="h",
                offsetgroup=group,
                name=f"{group} answers",
                marker={
                    "color": colors[group],
                    "size": [12 + 4 * min(len(d), 6) for _, d in dots],
                    "line": {"width": 1, "color": "#ffffff"},
                },
                customdata=[
                    [d["response_id"].iloc[0], int(d["response_index"].iloc[0])] for _, d in dots
                ],
                hovertext=[
                    (
                        f"{group}: {d['quote'].iloc[0]} about {wrap(str(d['about'].iloc[0]), 60)}<br>"
                        if row == STATED_ROW
                        else f"{group}: “{row}” used {len(d)} time(s)<br>"
                    )
                    + "<br>".join(
                        f"{response_label(i, group)}: {wrap(sent, 60)}"
                        for i, sent in zip(d["response_index"][:3], d["sentence"][:3], strict=True)
                    )
                    for row, d in dots
                ],
                hoverinfo="text",
            )
        )
    _style(
        fig,
        "Probability words in the answers, as numbers",
        "Probability (%)",
        "Wording",
        compact,
        height=_row_height(len(order), compact),
        legend_title="dot size = times used",
    )
    fig.update_xaxes(range=[-2, 102], ticksuffix="%")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], type="category")
    fig.update_layout(barmode="overlay", scattermode="group")
    return fig


def probability_caption(
    estimates: pd.DataFrame, n_responses: int, scale_table: pd.DataFrame | None = None
) -> str:
    """E.g. "12 of 16 answers state a probability; the most used wording is “probably” …"."""
    scale_table = (
        scale_table if scale_table is not None else pd.DataFrame(columns=["phrase", "value"])
    )
    est = _probability_uses(estimates, scale_table)
    if est.empty:
        return no_answer_phrase(n_responses, "states a probability")
    n = est["response_id"].nunique()
    counts = est["row"].value_counts()
    top = counts.index[0]
    if top == STATED_ROW:  # numbers about different claims: no typical number to give
        what = f"numbers stated outright ({int(counts.iloc[0])}x)"
    else:
        value = float(est.loc[est["row"] == top, "value"].mean())
        what = f"“{top}” ({int(counts.iloc[0])}x, about {value:.0f}%)"
    return (
        f"{answers_phrase(n, n_responses, 'state')} a probability ({len(est)} in all); "
        f"the most used wording is {what}."
    )


def make_hedging_chart(
    hedging: pd.DataFrame, compact: bool = False, colors: dict[str, str] | None = None
) -> go.Figure:
    """How sure each answer sounds: hedges vs boosters per 100 words, one dot per answer.

    A large diamond marks each group's average. Dots carry customdata [response_id, index].
    """
    df = hedging.copy()
    df["group"] = df["group"].map(_group_name)
    colors = _palette(df["group"], colors)
    fig = go.Figure()
    for group, part in df.groupby("group", sort=False):
        fig.add_trace(
            go.Scatter(
                x=_values(part["hedges_per_100"].round(2)),
                y=_values(part["boosters_per_100"].round(2)),
                mode="markers+text",
                text=[f"#{int(i)}" for i in part["response_index"]],
                textposition="top center",
                name=group,
                legendgroup=group,
                marker={"color": colors[group], "size": 14},
                customdata=[
                    [rid, int(i)]
                    for rid, i in zip(part["response_id"], part["response_index"], strict=True)
                ],
                hovertext=[
                    f"{response_label(r.response_index, group)}: {r.hedges_per_100:.1f} hedges "
                    f"and {r.boosters_per_100:.1f} boosters per 100 words ({int(r.words)} words)"
                    for r in part.itertuples()
                ],
                hoverinfo="text",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[round(part["hedges_per_100"].mean(), 2)],
                y=[round(part["boosters_per_100"].mean(), 2)],
                mode="markers",
                name=f"{group} average",
                legendgroup=group,
                showlegend=False,
                marker={
                    "color": colors[group],
                    "size": 26,
                    "symbol": "diamond",
                    "line": {"width": 2, "color": "#000"},
                },
                hovertext=[
                    f"{group} average: {part['hedges_per_100'].mean():.1f} hedges, "
                    f"{part['boosters_per_100'].mean():.1f} boosters per 100 words"
                ],
                hoverinfo="text",
            )
        )
    _style(
        fig,
        "How sure each answer sounds (diamond = group average)",
        "Hedges per 100 words (may, might, perhaps …) → more cautious",
        "Boosters per 100 words (clearly, certainly …)",
        compact,
        height=420 if compact else 560,
    )
    return fig


def hedging_caption(hedging: pd.DataFrame) -> str:
    if hedging.empty:
        return "No answers to measure."
    by = hedging.assign(group=hedging["group"].map(_group_name)).groupby("group")
    ratio = by["hedges_per_100"].mean().sort_values(ascending=False)
    if len(ratio) == 1:
        return (
            f"The answers use {ratio.iloc[0]:.1f} hedges and "
            f"{by['boosters_per_100'].mean().iloc[0]:.1f} boosters per 100 words on average."
        )
    return (
        f"Most cautious: {ratio.index[0]} ({ratio.iloc[0]:.1f} hedges per 100 words); "
        f"least: {ratio.index[-1]} ({ratio.iloc[-1]:.1f})."
    )


# --- topics, maps, similarity ----------------------------------------------------------------
def topic_name(topic_id: int, label: str | None = None) -> str:
    return f"T{int(topic_id)}: {label}" if label else f"T{int(topic_id)}"


def _topic_cells(response_topics: pd.DataFrame, topics: pd.DataFrame):
    """What both topic heatmaps draw: shares in percent with each answer's column label,
    topic names and terms by id, and the answer columns in group then answer order."""
    df = response_topics.copy()
    df["group"] = df["group"].map(_group_name)
    df["share_pct"] = (_num(df["share"]) * 100).fillna(0.0)
    df["col"] = [
        response_label(i, g) for i, g in zip(df["response_index"], df["group"], strict=True)
    ]
    names = {
        int(t): topic_name(t, lbl)
        for t, lbl in zip(topics["topic_id"], topics["label"], strict=True)
    }
    terms = {
        int(t): ", ".join(tt) if isinstance(tt, list | tuple) else str(tt)
        for t, tt in zip(topics["topic_id"], topics["top_terms"], strict=True)
    }
    cols = df.drop_duplicates("col").sort_values(["group", "response_index"])
    return df, names, terms, cols


def make_topic_heatmap(
    response_topics: pd.DataFrame, topics: pd.DataFrame, compact: bool = False
) -> go.Figure:
    """Topics (rows) x answers (columns): colour = share of the answer on the topic (%).

    Cells carry customdata [response_id, topic_id].
    """
    df, names, terms, cols = _topic_cells(response_topics, topics)
    topic_order = [int(t) for t in topics["topic_id"]]
    col_order, col_ids = list(cols["col"]), dict(zip(cols["col"], cols["response_id"], strict=True))
    grid = (
        df.pivot_table(index="topic_id", columns="col", values="share_pct", aggfunc="sum")
        .reindex(index=topic_order, columns=col_order)
        .fillna(0.0)
    )
    fig = _clickable_heatmap(
        grid,
        [names[t] for t in topic_order],
        col_ids,
        lambda t, c, name: f"{c} · {name}: {grid.at[t, c]:.0f}% of the answer<br>terms: {terms[t]}",
        "% of answer",
    )
    _style(
        fig,
        "How much of each answer is about each topic",
        "Answer (number and group)",
        "Topic",
        compact,
        height=_row_height(len(topic_order), compact, base=240),
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45 if len(col_order) > 6 else 0)
    return fig


def make_answer_map(
    map_df: pd.DataFrame, compact: bool = False, colors: dict[str, str] | None = None
) -> go.Figure:
    """The 2-D answer map: one labelled dot per answer, coloured by group.

    Answers that say similar things sit close together; the axes have no units. Dots carry
    customdata [response_id, index]. An optional `snippet` column is shown on hover.
    """
    df = map_df.copy()
    df["group"] = df["group"].map(_group_name)
    colors = _palette(df["group"], colors)
    fig = go.Figure()
    for group, part in df.groupby("group", sort=False):
        snippets = part["snippet"] if "snippet" in part else [""] * len(part)
        clusters = part["cluster"] if "cluster" in part else [None] * len(part)
        fig.add_trace(
            go.Scatter(
                x=_values(part["x"].round(3)),
                y=_values(part["y"].round(3)),
                mode="markers+text",
                text=[f"#{int(i)}" for i in part["response_index"]],
                textposition="top center",
                name=group,
                marker={"color": colors[group], "size": 16, "line": {"width": 1, "color": "#fff"}},
                customdata=[
                    [rid, int(i)]
                    for rid, i in zip(part["response_id"], part["response_index"], strict=True)
                ],
                hovertext=[
                    response_label(i, group)
                    + (f" · cluster {int(c)}" if c is not None and not pd.isna(c) else "")
                    + (f"<br>{wrap(s, 60)}" if s else "")
                    for i, c, s in zip(part["response_index"], clusters, snippets, strict=True)
                ],
                hoverinfo="text",
            )
        )
    _style(
        fig,
        "Answer map: similar answers sit close together",
        "map dimension 1 (no units)",
        "map dimension 2 (no units)",
        compact,
        height=420 if compact else 600,
    )
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False)
    return fig


def make_similarity_heatmap(sim: pd.DataFrame | np.ndarray, compact: bool = False) -> go.Figure:
    """Pairwise similarity of answers (0-1). `sim` is square; its index names the answers."""
    if isinstance(sim, pd.DataFrame):
        labels = [str(c) for c in sim.index]
        z = sim.to_numpy(dtype=float)
    else:
        z = np.asarray(sim, dtype=float)
        labels = [f"#{i + 1}" for i in range(z.shape[0])]
    # The diagonal (an answer with itself, always 1) is left blank so pairs set the colour scale.
    z = z.copy()
    np.fill_diagonal(z, np.nan)
    top = float(np.nanmax(z)) if np.isfinite(z).any() else 1.0
    hover = [
        ["same answer" if i == j else f"{a} vs {b}: {z[i, j]:.2f}" for j, b in enumerate(labels)]
        for i, a in enumerate(labels)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=[[None if np.isnan(v) else round(float(v), 3) for v in row] for row in z],
            x=labels,
            y=labels,
            colorscale=HEAT_SCALE,
            zmin=0,
            zmax=max(top, 0.05),
            hovertext=hover,
            hoverinfo="text",
            colorbar={"title": {"text": "similarity"}},
        )
    )
    _style(
        fig,
        "How alike each pair of answers is (0 = no shared words)",
        "Answer",
        "Answer",
        compact,
        height=max(420, 160 + 30 * len(labels)) if not compact else 420,
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45 if len(labels) > 6 else 0)
    return fig


def _score_column(words: pd.DataFrame) -> str:
    for c in ("log_odds_z", "z", "zscore", "z_score", "log_odds", "score", "weight"):
        if c in words:
            return c
    raise ValueError(f"no score column among {list(words.columns)}")


def make_distinctive_chart(
    words: pd.DataFrame,
    by: str = "group",
    compact: bool = False,
    colors: dict[str, str] | None = None,
) -> go.Figure:
    """Words each group uses more than the others: one bar panel per group.

    `words` is lib.distinctive.distinctive_words output: a `by` column, a word/term column
    and a score (z-score of the log-odds ratio).
    """
    word_col = "word" if "word" in words else "term"
    score = _score_column(words)
    df = words.copy()
    df[by] = df[by].map(_group_name)
    groups = list(dict.fromkeys(df[by]))
    colors = _palette(groups, colors)
    n_cols = min(len(groups), 2 if compact else 4) or 1
    n_rows = math.ceil(len(groups) / n_cols) or 1
    fig = make_subplots(
        rows=n_rows,
        cols=n_cols,
        subplot_titles=groups,
        horizontal_spacing=0.12,
        vertical_spacing=0.25 / max(n_rows, 1),
    )
    top = int(df.groupby(by).size().max()) if len(df) else 0
    for k, g in enumerate(groups):
        part = df[df[by] == g].sort_values(score, ascending=True)
        fig.add_trace(
            go.Bar(
                x=_values(part[score].round(2)),
                y=_values(part[word_col]),
                orientation="h",
                marker={"color": colors[g]},
                name=g,
                showlegend=False,
                hovertext=[
                    f"{g}: “{w}” (score {s:.1f})"
                    for w, s in zip(part[word_col], part[score], strict=True)
                ],
                hoverinfo="text",
            ),
            row=k // n_cols + 1,
            col=k % n_cols + 1,
        )
    _style(
        fig,
        "Words each group uses more than the others",
        None,
        None,
        compact,
        height=n_rows * max(260, 30 + (22 if compact else 28) * top) + 100,
    )
    fig.update_xaxes(title_text="distinctiveness (z-score)")
    fig.update_annotations(font_size=_font(compact) + 2)
    return fig


def make_group_consistency_chart(consistency: pd.DataFrame, compact: bool = False) -> go.Figure:
    """Similarity within each group vs between it and the other groups (bars, 0-1).

    `consistency` is lib.similarity.group_consistency output (group, within_similarity,
    between_similarity); NaN (a group of one answer) draws no bar.
    """
    df = _consistency_frame(consistency)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=_values(df["group"]),
            y=_values(df["within"].round(3)),
            name="within the group",
            marker={"color": OKABE_ITO[0]},
            hovertext=[
                f"{g}: answers within the group {v:.2f}"
                for g, v in zip(df["group"], df["within"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Bar(
            x=_values(df["group"]),
            y=_values(df["between"].round(3)),
            name="with other groups",
            marker={"color": OKABE_ITO[1], "pattern": {"shape": "/"}},
            hovertext=[
                f"{g}: with other groups {v:.2f}"
                for g, v in zip(df["group"], df["between"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    _style(
        fig,
        "Do a group's answers resemble each other more than the rest?",
        "Group",
        "Mean similarity (0-1)",
        compact,
        height=380 if compact else 480,
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1])
    return fig


def _consistency_frame(consistency: pd.DataFrame) -> pd.DataFrame:
    """group, within, between: accepts lib.similarity's *_similarity column names too."""
    df = consistency.rename(
        columns={"within_similarity": "within", "between_similarity": "between"}
    ).copy()
    df["group"] = df["group"].map(_group_name)
    return df


def consistency_caption(consistency: pd.DataFrame) -> str:
    consistency = _consistency_frame(consistency)
    if consistency.empty:
        return "Need at least two answers to compare."
    valid = consistency.dropna(subset=["within", "between"])
    if valid.empty:
        return "Need at least two groups, one with two or more answers, to compare."
    n_more = int((valid["within"] > valid["between"]).sum())
    return (
        f"In {of_phrase(n_more, len(valid), 'group')} the answers resemble each other more than "
        "they resemble other groups."
    )


def make_length_chart(
    responses_frame: pd.DataFrame, compact: bool = False, colors: dict[str, str] | None = None
) -> go.Figure:
    """Words per answer, one bar per answer coloured by group. Bars carry [response_id, index]."""
    df = responses_frame.copy()
    df["group"] = df["group"].map(_group_name)
    if "words" not in df:
        df["words"] = df["text"].fillna("").map(count_words)
    df = df.sort_values(["group", "index"], kind="stable")
    colors = _palette(df["group"], colors)
    fig = go.Figure()
    for group, part in df.groupby("group", sort=False):
        fig.add_trace(
            go.Bar(
                x=[response_label(i, group) for i in part["index"]],
                y=_values(part["words"]),
                name=group,
                marker={"color": colors[group]},
                customdata=[
                    [rid, int(i)] for rid, i in zip(part["response_id"], part["index"], strict=True)
                ],
                hovertext=[
                    f"{response_label(i, group)}: {w} words"
                    for i, w in zip(part["index"], part["words"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    _style(
        fig, "How long each answer is", "Answer", "Words", compact, height=380 if compact else 480
    )
    fig.update_xaxes(type="category", tickangle=-45 if len(df) > 8 else 0)
    return fig


def length_caption(responses_frame: pd.DataFrame) -> str:
    if responses_frame.empty:
        return "No answers."
    if "words" in responses_frame:
        words = responses_frame["words"]
    else:
        words = responses_frame["text"].fillna("").map(count_words)
    return length_sentence(len(words), int(words.min()), int(words.max()), int(words.median()))


# --- light charts (Vega-Lite) ------------------------------------------------------------------
# The Overview's small charts are Vega-Lite specs, not plotly figures: a browser that opens the
# app loads and compiles plotly.js (4.7 MB) before it draws the first plotly chart, which is most
# of a page's first render; Vega-Lite is a fraction of that. Each `light_x(frame, ...) -> dict`
# mirrors `make_x(..., compact=True)` (same title, axis titles and colours; the HTML report still
# uses the plotly figure) and carries its data inline, so a spec is complete on its own.
# Corpus text reaches the spec only as data values (axis labels, tooltips), which Vega-Lite
# draws as text and whose tooltips escape HTML.
PICK = "pick"  # the name of a clickable light chart's point selection


def _light(title: str, rows: list[dict], height: int, compact: bool = True) -> dict:
    size = _font(compact)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "anchor": "start", "fontSize": size + 4},
        "data": {"values": rows},
        "height": height,
        "config": {
            "axis": {"labelFontSize": size - 1, "titleFontSize": size},
            "legend": {"labelFontSize": size - 1, "titleFontSize": size},
        },
    }


def _group_scale(groups: Iterable[str], colors: dict[str, str] | None) -> dict:
    palette = _palette(groups, colors)
    names = sorted({_group_name(g) for g in groups})
    return {"domain": names, "range": [palette[g] for g in names]}


def _py(v: object) -> object:
    """A JSON-ready scalar: numpy numbers become Python numbers, NaN becomes None."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, np.generic):
        return _py(v.item())
    return v


def _pick_fields(spec: dict) -> list[str]:
    for unit in [spec, *spec.get("layer", [])]:
        for param in unit.get("params", []):
            if param.get("name") == PICK:
                return list(param["select"].get("fields", []))
    return []


def light_selected(event: dict | None, spec: dict) -> list[list]:
    """The picked points of a light chart's selection event, each as the values of the spec's
    pick fields, e.g. [[response_id, index]]: the shape `selected_customdata` gives for plotly.
    """
    if not event:
        return []
    try:
        picked = event["selection"][PICK]
    except (KeyError, TypeError):
        return []
    fields = _pick_fields(spec)
    if isinstance(picked, dict):  # {} before any click; {field: [values]} from some versions
        if not picked or any(f not in picked for f in fields):
            return []
        columns = [v if isinstance(v, list) else [v] for v in (picked[f] for f in fields)]
        return [list(row) for row in zip(*columns, strict=False)]
    return [[p.get(f) for f in fields] for p in picked or [] if isinstance(p, dict)]


def light_length_chart(responses_frame: pd.DataFrame, colors: dict[str, str] | None = None) -> dict:
    """Words per answer as bars coloured by group; a click selects [response_id, index]."""
    df = responses_frame.copy()
    df["group"] = df["group"].map(_group_name)
    if "words" not in df:
        df["words"] = df["text"].fillna("").map(count_words)
    df = df.sort_values(["group", "index"], kind="stable")
    rows = [
        {
            "answer": response_label(i, g),
            "words": int(w),
            "group": g,
            "response_id": rid,
            "index": int(i),
        }
        for rid, i, g, w in zip(
            df["response_id"], df["index"], df["group"], df["words"], strict=True
        )
    ]
    spec = _light("How long each answer is", rows, 300)
    spec["params"] = [
        {"name": PICK, "select": {"type": "point", "fields": ["response_id", "index"]}}
    ]
    spec["mark"] = {"type": "bar", "cursor": "pointer"}
    spec["encoding"] = {
        "x": {
            "field": "answer",
            "type": "nominal",
            "sort": None,
            "title": "Answer",
            "axis": {
                "labelAngle": -45 if len(rows) > 8 else 0,
                "labelLimit": 120,
                "labelOverlap": len(rows) > 60,
            },
        },
        "y": {"field": "words", "type": "quantitative", "title": "Words"},
        "color": {
            "field": "group",
            "type": "nominal",
            "title": "",
            "scale": _group_scale(df["group"], colors),
        },
        "tooltip": [
            {"field": "answer", "title": "Answer"},
            {"field": "words", "title": "Words"},
        ],
    }
    return spec


def _light_heatmap(
    cells: list[dict],
    x_order: list[str],
    y_order: list[str],
    title: str,
    x_title: str,
    y_title: str,
    color_title: str,
    compact: bool,
) -> dict:
    """Cells {x, y, value, key, row_key, detail} as coloured squares; a click picks
    [key, row_key] (no invisible overlay needed: Vega-Lite selects a rect itself)."""
    height = _row_height(len(y_order), compact, base=220)
    spec = _light(title, cells, height, compact)
    spec["params"] = [{"name": PICK, "select": {"type": "point", "fields": ["key", "row_key"]}}]
    spec["mark"] = {"type": "rect", "stroke": "#ffffff", "strokeWidth": 2, "cursor": "pointer"}
    spec["encoding"] = {
        "x": {
            "field": "x",
            "type": "nominal",
            "title": x_title,
            "sort": x_order,
            "axis": {
                "labelAngle": -45 if len(x_order) > 6 else 0,
                "labelLimit": 140,
                # Every column named, as in the plotly heatmap (Vega would drop every other).
                "labelOverlap": len(x_order) > 60,
            },
        },
        "y": {
            "field": "y",
            "type": "nominal",
            "title": y_title,
            "sort": y_order,
            "axis": {
                "labelLimit": 260,
                "labelOverlap": len(y_order) > 60,
                # The title sits above the labels, level: labels are measured before the page
                # font loads and then widen, so a title beside them would overlap them.
                "titleAngle": 0,
                "titleAlign": "right",
                "titleAnchor": "end",
                "titleBaseline": "bottom",
                "titleX": 0,
                "titleY": -6,
            },
        },
        "color": {
            "field": "value",
            "type": "quantitative",
            "title": color_title,
            # From 0 to the largest value (at least 1), as the plotly heatmaps: with every
            # cell 0 an automatic scale would paint them all mid-blue, as if covered.
            "scale": {
                "scheme": "blues",
                "domain": [0, max([float(c["value"]) for c in cells] + [1.0])],
            },
        },
        "tooltip": [
            {"field": "x", "title": x_title},
            {"field": "y", "title": y_title},
            {"field": "detail", "title": " "},
        ],
    }
    return spec


def light_theme_heatmap(
    scores: pd.DataFrame, by: str = "response", sort: str = "group", compact: bool = False
) -> dict:
    """`make_theme_heatmap` as a light chart: same cells, order, titles; a click picks
    [response_id or group, theme_id]."""
    cells, col_order, theme_order, labels, x_title = _theme_cells(scores, by, sort)
    found = {(r.theme_id, r.col): r for r in cells.itertuples()}
    rows = []
    for t in theme_order:
        for c in col_order:
            r = found.get((t, c))
            rows.append(
                {
                    "x": c,
                    "y": labels[t],
                    "value": round(float(r.share_pct), 1) if r else 0.0,
                    "key": _py(r.col_key) if r else None,
                    "row_key": t,
                    "detail": str(r.hover).split("<br>", 1)[-1].replace("<br>", "; ")
                    if r
                    else "no passages",
                }
            )
    what = "group" if by == "group" else "answer"
    return _light_heatmap(
        rows,
        list(col_order),
        [labels[t] for t in theme_order],
        f"Which themes each {what} covers",
        x_title,
        "Theme",
        "% of passages",
        compact,
    )


def light_topic_heatmap(
    response_topics: pd.DataFrame, topics: pd.DataFrame, compact: bool = False
) -> dict:
    """`make_topic_heatmap` as a light chart; a click picks [response_id, topic_id]."""
    df, names, terms, cols = _topic_cells(response_topics, topics)
    share = df.groupby(["topic_id", "col"])["share_pct"].sum().to_dict()
    rows = [
        {
            "x": c,
            "y": names[int(t)],
            "value": round(float(share.get((t, c), 0.0)), 1),
            "key": rid,
            "row_key": int(t),
            "detail": f"{share.get((t, c), 0.0):.0f}% of the answer; terms: {terms[int(t)]}",
        }
        for t in topics["topic_id"]
        for c, rid in zip(cols["col"], cols["response_id"], strict=True)
    ]
    return _light_heatmap(
        rows,
        list(cols["col"]),
        [names[int(t)] for t in topics["topic_id"]],
        "How much of each answer is about each topic",
        "Answer (number and group)",
        "Topic",
        "% of answer",
        compact,
    )


def light_share_chart(
    estimates: pd.DataFrame, compact: bool = False, colors: dict[str, str] | None = None
) -> dict:
    """`make_share_chart` as a light chart: low-high segments per answer (%), hollow dots for
    numbers attributed to someone else; a click picks [response_id, index]."""
    est = _estimates_of(estimates, "share").copy()
    rows: list[dict] = []
    if len(est):
        est["low_pct"], est["high_pct"] = _num(est["low"]).to_numpy(), _num(est["high"]).to_numpy()
        df = _interval_rows(est, "low_pct", "high_pct")
        rows = [
            {
                "answer": r.row,
                "low": _py(round(float(r.low_pct), 1)),
                "high": _py(round(float(r.high_pct), 1)),
                "group": r.group,
                "view": "attributed" if r.attributed else "own view",
                "quote": str(r.quote or ""),
                "response_id": r.response_id,
                "index": int(r.response_index),
            }
            for r in df.itertuples()
        ]
    order = list(dict.fromkeys(r["answer"] for r in rows))
    spec = _light(
        "Shares the answers give (low to high)", rows, _row_height(len(order), compact), compact
    )
    x = {
        "field": "low",
        "type": "quantitative",
        "title": "Share (%)",
        "scale": {"domain": [0, 100]},
    }
    y = {
        "field": "answer",
        "type": "nominal",
        "title": "Answer",
        "sort": order,
        "axis": {"labelOverlap": len(order) > 60},  # every row named, as in plotly
    }
    color = {
        "field": "group",
        "type": "nominal",
        "title": "solid = own view, hollow = attributed",
        "scale": _group_scale([r["group"] for r in rows], colors),
        "legend": {"orient": "bottom", "titleLimit": 600},
    }
    tooltip = [
        {"field": "answer", "title": "Answer"},
        {"field": "low", "title": "Low (%)"},
        {"field": "high", "title": "High (%)"},
        {"field": "view", "title": "Whose view"},
        {"field": "quote", "title": "Quote"},
    ]
    spec["layer"] = [
        {
            "mark": {"type": "rule", "strokeWidth": 4},
            "encoding": {
                "x": x,
                "x2": {"field": "high"},
                "y": y,
                "color": color,
                "tooltip": tooltip,
            },
        },
        {
            # The dots take the clicks (a selection lives on one layer).
            "params": [
                {"name": PICK, "select": {"type": "point", "fields": ["response_id", "index"]}}
            ],
            "mark": {"type": "point", "size": 140, "strokeWidth": 3, "cursor": "pointer"},
            "encoding": {
                "x": x,
                "y": y,
                "color": color,
                "shape": {"value": "circle"},
                "fillOpacity": {
                    "condition": {"test": "datum.view === 'own view'", "value": 1},
                    "value": 0,
                },
                "fill": color,
                "tooltip": tooltip,
            },
        },
    ]
    return spec


def light_answer_map(map_df: pd.DataFrame, colors: dict[str, str] | None = None) -> dict:
    """The 2-D answer map: one labelled dot per answer, coloured by group; axes have no units."""
    df = map_df.copy()
    rows: list[dict] = []
    if len(df):
        df["group"] = df["group"].map(_group_name)
        clusters = df["cluster"] if "cluster" in df else [None] * len(df)
        rows = [
            {
                "x": round(float(x), 3),
                "y": round(float(y), 3),
                "group": g,
                "label": f"#{int(i)}",
                "answer": response_label(i, g),
                "cluster": _py(c),
            }
            for x, y, g, i, c in zip(
                df["x"], df["y"], df["group"], df["response_index"], clusters, strict=True
            )
        ]
    spec = _light(
        "Answer map: similar answers sit close together",
        rows,
        340,
    )
    x = {
        "field": "x",
        "type": "quantitative",
        "title": "map dimension 1 (no units)",
        "axis": {"labels": False, "ticks": False},
        "scale": {"zero": False},
    }
    y = {
        "field": "y",
        "type": "quantitative",
        "title": "map dimension 2 (no units)",
        "axis": {"labels": False, "ticks": False},
        "scale": {"zero": False},
    }
    spec["layer"] = [
        {
            "mark": {"type": "circle", "size": 140, "opacity": 0.9, "stroke": "#ffffff"},
            "encoding": {
                "x": x,
                "y": y,
                "color": {
                    "field": "group",
                    "type": "nominal",
                    "title": "",
                    "scale": _group_scale(df.get("group", []), colors),
                },
                "tooltip": [
                    {"field": "answer", "title": "Answer"},
                    {"field": "cluster", "title": "Cluster"},
                ],
            },
        },
        {
            "mark": {"type": "text", "dy": -12, "fontSize": 11},
            "encoding": {"x": x, "y": y, "text": {"field": "label"}},
        },
    ]
    return spec
