"""The HTML report: self-contained (plotly.js inlined once) and every corpus string escaped."""

import plotly.graph_objects as go

from lib.report import build_report

EVIL = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def _fig(label: str) -> go.Figure:
    return go.Figure(go.Bar(x=[label], y=[1]), layout={"title": {"text": label}})


def test_report_escapes_every_corpus_string():
    out = build_report(
        f"Report {EVIL}",
        [f"Most say {IMG}"],
        [(f"Chart {EVIL}", f"Caption {IMG}", _fig(EVIL))],
        {"Prompt": EVIL, IMG: 3},
    )
    assert EVIL not in out
    assert IMG not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    # Inside the figure JSON plotly writes "<" as \u003c.
    assert "\\u003cscript\\u003ealert(1)" in out


def test_plotly_js_inlined_once_and_no_network():
    out = build_report("R", [], [("a", "", _fig("a")), ("b", "", _fig("b"))], "two charts")
    assert out.count("plotly.js v") == 1  # the library banner, once
    assert out.count('class="plotly-graph-div"') == 2
    # Nothing is loaded from elsewhere (plotly.js mentions a topojson CDN only for geo maps).
    assert "<script src=" not in out and "<link" not in out and "@import" not in out


def test_findings_accept_objects_with_text():
    class Finding:
        text = "Claude is the most cautious."

    out = build_report("R", [Finding(), "plain"], [], None)
    assert "<li>Claude is the most cautious.</li><li>plain</li>" in out
    assert out.startswith("<!DOCTYPE html>")
