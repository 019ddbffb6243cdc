"""The command line: output formats, errors, subcommands wired to their modules."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lib import estimates, findings, themes, topics
from lib.cli import main, write_frame
from lib.loaders import load_path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
FIELDS = [
    "response_id",
    "index",
    "start_line",
    "end_line",
    "group",
    "model",
    "prompt",
    "boundary_confidence",
    "text",
]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_responses_jsonl_has_every_column_and_full_text(capsys):
    code, out, err = run(capsys, "responses", str(FIXTURES / "answers.csv"), "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["index"], r["start_line"], r["end_line"], r["model"]) for r in rows] == [
        (1, 2, 4, "gpt-5"),
        (2, 5, 5, "claude"),
        (3, 7, 7, "gemini"),
    ]
    assert set(FIELDS) <= set(rows[0])
    assert rows[0]["text"] == "First line\n- a bullet\nLast line"
    assert rows[0]["prompt"] == "Will scaling reach AGI?"
    # Model labels win over style groups.
    assert [r["group"] for r in rows] == ["gpt-5", "claude", "gemini"]
    assert "warning: answers.csv line 6: the response text is empty" in err


def test_unknown_model_is_null_in_jsonl(capsys):
    code, out, _ = run(
        capsys, "responses", str(FIXTURES / "utf8bom.txt"), "--format", "jsonl", "--groups", "1"
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["model"] for r in rows] == [None, None]
    assert [r["text"] for r in rows] == ["Café owners say “no”.", "A second answer."]


def test_responses_csv_round_trips_multiline_text(capsys):
    code, out, _ = run(capsys, "responses", str(FIXTURES / "answers.csv"), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert set(FIELDS) <= set(rows[0])
    assert rows[0]["text"] == "First line\n- a bullet\nLast line"
    assert rows[1]["model"] == "claude"


def test_multiple_prompts_are_all_printed_with_a_prompt_column(capsys):
    code, out, _ = run(
        capsys, "responses", str(FIXTURES / "multi_prompt.jsonl"), "--format", "jsonl"
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["prompt"], r["index"]) for r in rows] == [
        ("Will scaling reach AGI?", 1),
        ("Will scaling reach AGI?", 2),
        ("Is AGI near?", 1),
        ("Is AGI near?", 2),
    ]


def test_table_truncates_text_to_the_terminal(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COLUMNS", "100")
    long_line = "word " * 100
    path = tmp_path / "long.jsonl"
    path.write_text(
        json.dumps({"answer": long_line}) + "\n" + json.dumps({"answer": "short"}) + "\n"
    )
    code, out, _ = run(capsys, "responses", str(path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == FIELDS
    assert len(lines) == 3
    assert all(len(line) <= 100 for line in lines)
    assert lines[1].endswith("word word…")
    assert lines[2].endswith("short")


def test_write_frame_formats_on_a_tiny_frame():
    import pandas as pd

    frame = pd.DataFrame({"a": [1, None], "b": ["x", "y\nz"]})
    out = io.StringIO()
    write_frame(frame, "table", out)
    assert out.getvalue() == "a    b\n1.0  x\n     y z\n"
    out = io.StringIO()
    write_frame(frame, "jsonl", out)
    assert out.getvalue() == '{"a": 1.0, "b": "x"}\n{"a": null, "b": "y\\nz"}\n'
    out = io.StringIO()
    write_frame(frame, "csv", out)
    assert out.getvalue() == 'a,b\n1.0,x\n,"y\nz"\n'


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (FIXTURES / "empty.txt", "empty.txt is empty"),
        (FIXTURES / "binary.png", "looks like a binary file"),
        (FIXTURES / "no_text.csv", "no column holds the response text"),
        (FIXTURES / "prompt_only.csv", "prompts but no answers"),
        (FIXTURES / "missing.txt", "cannot read it"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(capsys, path, message):
    code, out, err = run(capsys, "responses", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("chorus: ")
    assert message in err
    assert "Traceback" not in err


def test_columns_can_be_mapped_on_the_command_line(capsys):
    code, out, _ = run(
        capsys,
        "responses",
        str(FIXTURES / "no_text.csv"),
        "--text-column",
        "reply",
        "--model-column",
        "bot",
        "--format",
        "jsonl",
    )
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["text"], r["model"]) for r in rows] == [("Yes", "gpt"), ("No", "claude")]


def test_python_dash_m_lib_runs_and_reads_stdin():
    data = b'{"answer": "a", "model": "x"}\n{"answer": "b", "model": "y"}\n'
    proc = subprocess.run(
        [sys.executable, "-m", "lib", "responses", "-", "--format", "jsonl"],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["text"] for r in rows] == ["a", "b"]
    assert "read as JSON Lines (from its content)" in proc.stderr.decode()


def test_python_dash_m_lib_bad_input_has_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "lib", "responses", str(FIXTURES / "binary.png")],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert b"looks like a binary file" in proc.stderr


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["responses"])
    assert info.value.code == 2


# --- analysis subcommands ----------------------------------------------------------------------
# Each must print what the module gives for the grouped corpus, so compare with a direct call.
def grouped(path, **kw):
    from lib.cli import _grouped

    return [_grouped(c, None) for c in load_path(path, **kw).corpora]


def jsonl_rows(out):
    return [json.loads(line) for line in out.splitlines()]


def direct_rows(frame):
    out = io.StringIO()
    write_frame(frame, "jsonl", out)
    return jsonl_rows(out.getvalue())


def test_estimates_subcommand_passes_reference_year_and_scale(capsys):
    path = FIXTURES / "multi_prompt.jsonl"
    code, out, err = run(
        capsys, "estimates", str(path), "--format", "jsonl", "--reference-year", "2025"
    )
    assert code == 0, err
    expected = []
    for corpus in grouped(path):
        frame = estimates.extract_estimates(corpus, reference_year=2025, scale="capphrase")
        expected += [{"prompt": corpus.prompt, **row} for row in direct_rows(frame)]
    assert jsonl_rows(out) == expected
    # "Maybe within 10 years." counted from 2025.
    assert any(r["kind"] == "timeline" and r["year_high"] == 2035 for r in expected)


def test_themes_subcommand(capsys, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    code, out, err = run(capsys, "themes", str(path), "--format", "jsonl")
    assert code == 0, err
    (corpus,) = grouped(path)
    scores = themes.theme_scores(corpus, themes.load_taxonomy())
    rows = jsonl_rows(out)
    assert len(rows) == len(scores)
    assert {"response_index", "theme_id", "passages_hit", "score", "matched"} <= set(rows[0])
    assert [(r["response_index"], r["theme_id"], r["score"]) for r in rows] == [
        (r["response_index"], r["theme_id"], r["score"]) for r in direct_rows(scores)
    ]


def test_topics_subcommand(capsys, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    code, out, err = run(capsys, "topics", str(path), "--format", "jsonl", "--topics", "3")
    assert code == 0, err
    (corpus,) = grouped(path)
    assert jsonl_rows(out) == direct_rows(topics.topics_table(corpus, n_topics=3))


def test_summary_subcommand(capsys, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text, encoding="utf-8")
    code, out, err = run(capsys, "summary", str(path))
    assert code == 0, err
    (corpus,) = grouped(path)
    frame = estimates.extract_estimates(corpus)
    assert out.splitlines() == [f.text for f in findings.key_findings(corpus, estimates=frame)]
    assert out.splitlines()


def test_summary_passes_reference_year_and_scale(capsys, tmp_path):
    path = tmp_path / "answers.jsonl"
    answers = [
        "AGI could arrive within 5 years.",
        "Scaling alone is likely insufficient for AGI.",
        "Scaling alone is unlikely to suffice for AGI.",
    ]
    path.write_text("".join(json.dumps({"answer": a}) + "\n" for a in answers))
    argv = ["summary", str(path), "--reference-year", "2030", "--scale", "ipcc"]
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    (corpus,) = grouped(path)
    frame = estimates.extract_estimates(corpus, reference_year=2030, scale="ipcc")
    assert out.splitlines() == [f.text for f in findings.key_findings(corpus, estimates=frame)]
    assert "2030-2035" in out  # "within 5 years" counted from 2030, not from today


@pytest.mark.parametrize("command", ["estimates", "summary"])
def test_unknown_scale_is_a_usage_error(capsys, command):
    with pytest.raises(SystemExit) as info:
        main([command, str(FIXTURES / "answers.csv"), "--scale", "foo"])
    assert info.value.code == 2
    _, err = capsys.readouterr()
    assert "invalid choice: 'foo'" in err
    assert "capphrase" in err  # the message lists the scales to choose from


def test_python_dash_m_lib_unknown_scale_has_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "lib", "estimates", str(FIXTURES / "answers.csv"), "--scale", "foo"],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr
    assert b"invalid choice: 'foo'" in proc.stderr
