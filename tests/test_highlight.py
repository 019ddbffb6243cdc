"""Answer text as HTML: every piece of corpus text escaped, only our own <mark> tags added."""

from hypothesis import given
from hypothesis import strategies as st

from lib.highlight import Span, escape_text, highlight_html, phrase_spans, resolve_overlaps


def test_script_tag_is_escaped():
    out = highlight_html("<script>alert(1)</script>")
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_img_onerror_is_escaped():
    out = highlight_html("<img src=x onerror=alert(1)>")
    assert "<img" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_marked_text_and_label_are_escaped_too():
    text = 'say "<b>" 30%'
    out = highlight_html(text, [Span(4, 9, "theme", '"><script>x</script>')])
    assert '<mark class="chorus-theme" title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in out
    assert ">&quot;&lt;b&gt;&quot;</mark>" in out
    assert "<script>" not in out and "<b>" not in out


def test_marks_wrap_exactly_the_spans():
    out = highlight_html(
        "odds are 10% or 20%", [Span(9, 12, "estimate", "a"), Span(16, 19, "estimate", "b")]
    )
    assert out.count("<mark") == 2
    assert ">10%</mark>" in out and ">20%</mark>" in out
    assert out.startswith('<div class="chorus-answer">odds are <mark')


def test_newlines_become_breaks():
    assert escape_text("a\nb") == "a<br>b"


def test_overlapping_spans_keep_the_first():
    spans = [Span(0, 5), Span(3, 8), Span(8, 10), Span(20, 30)]
    assert resolve_overlaps(spans, 12) == [Span(0, 5), Span(8, 10)]


def test_phrase_spans_are_case_insensitive_and_all_found():
    spans = phrase_spans("Scaling helps; more SCALING helps", ["scaling", "", "absent"])
    assert [(s.start, s.end) for s in spans] == [(0, 7), (20, 27)]
    assert all(s.label == "scaling" for s in spans)


_TAGS = ("<mark", "</mark>", "<br>", "<div", "</div>")


@given(st.text(), st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), max_size=6))
def test_no_raw_angle_bracket_from_the_text_survives(text, pairs):
    out = highlight_html(text, [Span(a, b, "estimate", text[:5]) for a, b in pairs])
    stripped = out
    for tag in _TAGS:
        stripped = stripped.replace(tag, "")
    # What is left of our own tags are attribute tails ending in ">": no "<" from the text.
    assert "<" not in stripped


# --- corpus text inside markdown (captions, labels, subheaders) ----------------------------------
def test_escape_markdown_keeps_images_links_and_emphasis_literal():
    from lib.highlight import escape_markdown

    assert escape_markdown("![x](http://127.0.0.1:9/p.png)") == r"!\[x\](http://127.0.0.1:9/p.png)"
    assert escape_markdown("**bold** `code` $x$ <b>") == r"\*\*bold\*\* \`code\` \$x\$ \<b\>"
    assert escape_markdown("# Model\n- one") == r"\# Model - one"
    assert escape_markdown("Answer #1 A") == "Answer #1 A"
    assert escape_markdown("1. first") == r"1\. first"
    assert escape_markdown("2025 was a year: fine.") == "2025 was a year: fine."
    assert escape_markdown(":material/home: :red[x]") == ":\u2060material/home: :red\\[x\\]"


@given(st.text(max_size=200))
def test_escape_markdown_leaves_no_unescaped_markup(text):
    from lib.highlight import escape_markdown

    out = escape_markdown(text)
    assert "\n" not in out and "\r" not in out
    # Every markup character is preceded by a backslash that is itself not escaped.
    i = 0
    while i < len(out):
        if out[i] == "\\":
            i += 2
            continue
        assert out[i] not in "`*_[]<>$~|", (text, out)
        i += 1


def test_table_html_escapes_every_cell_and_formats_numbers():
    import pandas as pd

    from lib.highlight import table_html

    frame = pd.DataFrame(
        {
            "group <b>": ["<script>alert(1)</script>", None],
            "answers": [1234, 5],
            "share": [0.5, 2.0],
        }
    )
    out = table_html(frame)
    assert "<script>" not in out and "<b>" not in out
    assert "<th>group &lt;b&gt;</th>" in out
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in out
    assert '<td class="num">1,234</td>' in out
    assert '<td class="num">0.50</td>' in out and '<td class="num">2</td>' in out
    assert out.count("<tr>") == 3  # the header and two rows


def test_of_phrase_says_both_for_two_of_two():
    from lib.highlight import of_phrase

    assert of_phrase(2, 2, "answer") == "both answers"
    assert of_phrase(2, 2, "theme", start=True) == "Both themes"
    assert of_phrase(1, 2, "answer") == "1 of 2 answers"
    assert of_phrase(2, 3, "answer", start=True) == "2 of 3 answers"
    assert of_phrase(3, 3, "answer") == "3 of 3 answers"
    assert of_phrase(1, 1, "answer") == "1 of 1 answer"
    assert of_phrase(0, 2, "group") == "0 of 2 groups"
    assert of_phrase(1234, 10000, "answer") == "1,234 of 10,000 answers"
