"""Answer text as safe HTML, with themes and estimates marked.

Corpus text is untrusted: every piece of it goes through `html.escape`, and the only tags
in the output are the `<mark>`, `<br>` and wrapper tags written here. Spans are plain data
(character offsets into the text), so the same answer can be marked by any analysis.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Okabe-Ito derived tints: distinguishable for colour-blind readers and on a projector,
# dark text stays readable on all of them.
MARK_STYLES = {
    "estimate": "background:#FFE3A3;border-bottom:3px solid #E69F00;",
    "theme": "background:#CDE7F7;border-bottom:3px solid #0072B2;",
}


# Characters that start inline markdown in Streamlit (emphasis, code, links and images, raw HTML,
# LaTeX, tables, strike-through, the `:color[...]` directives). Ordinary punctuation (. , - ( ) ?
# and a "#" inside a line) is left alone so a label like "Answer #1" reads the same in the source.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>$~|])")
# Block markers only count at the start of a line (newlines are folded into spaces first).
_MD_BLOCK_START = re.compile(r"^(\s*)([-+>=#]|\d+)([.)]?)")
# ":smile:" and ":material/home:" are expanded after backslash escapes are read, so a backslash
# cannot stop them: an invisible word joiner after the colon does.
# The runs a colon looks ahead over contain no colon, so the scan stays linear.
_MD_SHORTCODE = re.compile(r":(?=[\w+-]+(?:/[\w-]+)?:)")


def _escape_block_start(m: re.Match) -> str:
    lead, marker, dot = m.groups()
    if marker.isdigit():  # "1." starts a list, "2025 was" does not
        return lead + marker + ("\\" + dot if dot else "")
    return lead + "\\" + marker + dot


def escape_markdown(text: object) -> str:
    """Corpus text made literal for st.markdown, st.caption, st.subheader and widget labels.

    Newlines become spaces, markup characters get a backslash, so a model named
    ``![x](http://host/p.png)`` is shown as written and never fetches the image.

    >>> print(escape_markdown("**bold** ![x](p.png)"))
    \\*\\*bold\\*\\* !\\[x\\](p.png)
    """
    flat = " ".join(str(text).splitlines())
    flat = _MD_INLINE.sub(r"\\\1", flat)
    flat = _MD_BLOCK_START.sub(_escape_block_start, flat, count=1)
    return _MD_SHORTCODE.sub(":\u2060", flat)


@dataclass(frozen=True)
class Span:
    """A stretch of text to mark: `text[start:end]`, of a kind ("theme"/"estimate")."""

    start: int
    end: int
    kind: str = "theme"
    label: str = ""


def phrase_spans(text: str, phrases: list[str], kind: str = "theme", label: str = "") -> list[Span]:
    """Every case-insensitive occurrence of each phrase in `text`.

    Uses `str.find` in a loop, so the cost stays linear in the text for each phrase.
    >>> phrase_spans("Scaling helps. scaling", ["scaling"])
    [Span(start=0, end=7, kind='theme', label=''), Span(start=15, end=22, kind='theme', label='')]
    """
    lowered = text.lower()
    spans: list[Span] = []
    for phrase in phrases:
        needle = (phrase or "").strip().lower()
        if not needle:
            continue
        pos = lowered.find(needle)
        while pos != -1:
            spans.append(Span(pos, pos + len(needle), kind, label or phrase))
            pos = lowered.find(needle, pos + len(needle))
    return sorted(spans, key=lambda s: (s.start, -s.end))


def resolve_overlaps(spans: list[Span], length: int) -> list[Span]:
    """Spans clipped to the text and made disjoint: earlier (then longer) spans win."""
    kept: list[Span] = []
    cursor = 0
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        start, end = max(s.start, 0), min(s.end, length)
        if start >= end or start < cursor:
            continue
        kept.append(Span(start, end, s.kind, s.label))
        cursor = end
    return kept


def escape_text(text: str) -> str:
    """Escaped text with line breaks kept visible."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def highlight_html(text: str, spans: list[Span] | None = None) -> str:
    """The text as HTML with each span wrapped in `<mark>`; everything else is escaped.

    >>> highlight_html("a <b> 20%", [Span(6, 9, "estimate", "share")])
    '<div class="chorus-answer">a &lt;b&gt; <mark class="chorus-estimate" title="share" style="background:#FFE3A3;border-bottom:3px solid #E69F00;">20%</mark></div>'
    """
    parts = []
    cursor = 0
    for s in resolve_overlaps(list(spans or []), len(text)):
        parts.append(escape_text(text[cursor : s.start]))
        kind = s.kind if s.kind in MARK_STYLES else "theme"
        parts.append(
            f'<mark class="chorus-{kind}" title="{html.escape(s.label, quote=True)}" '
            f'style="{MARK_STYLES[kind]}">{escape_text(text[s.start : s.end])}</mark>'
        )
        cursor = s.end
    parts.append(escape_text(text[cursor:]))
    return f'<div class="chorus-answer">{"".join(parts)}</div>'


def legend_html() -> str:
    """A one-line key for the marks, written here so it contains no corpus text."""
    return (
        '<div class="chorus-legend">'
        f'<mark style="{MARK_STYLES["theme"]}">theme phrase</mark> '
        f'<mark style="{MARK_STYLES["estimate"]}">estimate</mark></div>'
    )


def count_phrase(n: int, noun: str) -> str:
    """ "1 answer", "16 answers", "10,000 answers"."""
    return f"{n:,} {noun if n == 1 else noun + 's'}"


def of_phrase(k: int, n: int, noun: str, start: bool = False) -> str:
    """ "7 of 16 answers", "1 of 1 answer", and "both answers" for 2 of 2, which a reader
    would never say; `start` capitalises it to open a sentence ("Both answers")."""
    text = f"both {noun}s" if k == n == 2 else f"{k:,} of {count_phrase(n, noun)}"
    return text[:1].upper() + text[1:] if start else text


def join_phrase(items: list[str], word: str = "and", limit: int = 4) -> str:
    """ "a, b and c"; past `limit` items the last ones are counted: "a, b, c and 2 more"."""
    items = list(items)
    if len(items) > limit:
        rest = len(items) - (limit - 1)
        items = [*items[: limit - 1], f"{rest} more"]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def table_html(frame, css_class: str = "chorus-table") -> str:
    """A small frame as a static HTML table, every header and cell escaped.

    For a few rows that need no sorting or scrolling: drawn at once, without the interactive
    grid's ~1 MB of scripts a browser must load on a first visit. Whole numbers get thousands
    separators and are right-aligned.
    """
    head = "".join(f"<th>{escape_text(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int | float):
                cells.append(f"<td>{escape_text('' if v is None else str(v))}</td>")
            elif isinstance(v, float) and not v.is_integer():
                cells.append(f'<td class="num">{v:,.2f}</td>')
            else:
                cells.append(f'<td class="num">{int(v):,}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
