"""A self-contained HTML report of the current view: key findings plus charts.

plotly.js is inlined once, so the file opens offline and makes no network request. Every
string that can come from a corpus (title, findings, captions, summary) is escaped here;
plotly itself escapes the text inside figure JSON (`<` becomes `\\u003c`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#111;background:#fff;line-height:1.5;padding:0 1rem}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{font-size:1.3rem;margin-top:2rem}
table.summary{border-collapse:collapse}table.summary td{padding:.2rem .8rem .2rem 0;vertical-align:top}
table.summary td:first-child{font-weight:600}.caption{color:#333;font-size:.95rem}
figure{margin:1.5rem 0;page-break-inside:avoid}
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def build_report(
    title: str,
    findings: Sequence[object],
    figures: Sequence[tuple[str, str, go.Figure]],
    corpus_summary: Mapping[str, object] | str | None = None,
) -> str:
    """The report as one HTML document.

    `findings` are strings (or objects with a `.text`), `figures` are (title, caption, figure)
    and `corpus_summary` maps a label ("Answers") to a value, or is a sentence.
    """
    body = [f"<h1>{_esc(title)}</h1>"]
    if isinstance(corpus_summary, Mapping):
        rows = "".join(
            f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in corpus_summary.items()
        )
        body.append(f'<table class="summary">{rows}</table>')
    elif corpus_summary:
        body.append(f'<p class="caption">{_esc(corpus_summary)}</p>')
    texts = [getattr(f, "text", f) for f in findings]
    if texts:
        items = "".join(f"<li>{_esc(t)}</li>" for t in texts)
        body.append(f"<h2>Key findings</h2><ul>{items}</ul>")
    first = True
    for fig_title, caption, fig in figures:
        # The first chart carries plotly.js for the whole page; later ones reuse it.
        chart = fig.to_html(include_plotlyjs=first, full_html=False)
        first = False
        body.append(
            f"<figure><h2>{_esc(fig_title)}</h2>{chart}"
            f'<figcaption class="caption">{_esc(caption)}</figcaption></figure>'
        )
    body.append('<p class="caption">Made with Chorus.</p>')
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )
