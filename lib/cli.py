"""Command line: `python -m lib responses|estimates|themes|topics|summary FILE`.

Every subcommand loads FILE (`-` reads standard input) like the app does, groups the answers
by style (model labels win), and prints one row per result as an aligned table (default; long
text truncated to the terminal), JSON Lines or CSV (full text). Warnings go to stderr. Input
problems and usage errors (an unknown --scale, say) print one message and exit with code 2,
no traceback.

    python -m lib responses data/000_dce1674832fde9a1.txt --format jsonl
    python -m lib estimates answers.csv --text-column reply --reference-year 2025
    python -m lib summary answers.csv --reference-year 2025 --scale ipcc
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

import pandas as pd

from lib.corpus import RESPONSE_COLUMNS, ChorusInputError, Corpus
from lib.loaders import LoadResult, load_bytes, load_path
from lib.scales import DEFAULT_SCALE, SCALES

FORMATS = ("table", "jsonl", "csv")
THEME_COLUMNS = [
    "response_index",
    "response_id",
    "group",
    "theme_id",
    "theme_label",
    "passages_hit",
    "score",
    "matched",
]
_MIN_COL = 6
_MAX_COL = 32


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 bad input)."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except ChorusInputError as err:
        print(f"chorus: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `python -m lib responses big.txt | head`: stop quietly, as Unix tools do.
        _silence_stdout()
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lib", description="Split, group and analyse many LLM answers."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, run: Callable[[argparse.Namespace], int]):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("file", metavar="FILE", help="a .txt/.md/.jsonl/.json/.csv file, or -")
        p.add_argument("--format", choices=FORMATS, default="table", help="output format")
        p.add_argument("--expected", type=int, metavar="N", help="how many answers to expect")
        p.add_argument("--groups", type=int, metavar="K", help="number of style groups")
        p.add_argument("--text-column", metavar="NAME", help="column holding the answer text")
        p.add_argument("--model-column", metavar="NAME", help="column holding the model name")
        p.add_argument("--prompt-column", metavar="NAME", help="column holding the prompt")
        p.set_defaults(run=run)
        return p

    def estimate_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--reference-year", type=int, metavar="YYYY", help="year 'in 10 years' counts from"
        )
        p.add_argument(
            "--scale",
            default=DEFAULT_SCALE,
            choices=list(SCALES),
            help=f"verbal-probability scale (default {DEFAULT_SCALE})",
        )

    command("responses", "One row per response: lines, group, model, text.", _responses)
    p = command("estimates", "Probabilities, shares and timelines quoted in answers.", _estimates)
    estimate_options(p)
    p = command("themes", "Theme scores per response.", _themes)
    p.add_argument("--taxonomy", metavar="PATH", help="theme taxonomy file (default: bundled)")
    p = command("topics", "Topic clusters found in the answers.", _topics)
    p.add_argument("--topics", type=int, metavar="K", help="number of topics")
    p = command("summary", "Key findings, one sentence per line.", _summary)
    estimate_options(p)
    return parser


# --- subcommands -----------------------------------------------------------------------------
def _responses(args: argparse.Namespace) -> int:
    frames = [c.responses_frame() for c in _corpora(args)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    columns = list(RESPONSE_COLUMNS)
    if args.format == "table":
        columns.remove("boundary_evidence")
    write_frame(frame[columns], args.format, sys.stdout)
    return 0


# Analysis modules (and scikit-learn behind them) are imported where they are used, so
# `--help` and usage errors answer at once.
def _estimates(args: argparse.Namespace) -> int:
    from lib.estimates import extract_estimates

    corpora = _corpora(args)
    frames = [
        _with_prompt(
            extract_estimates(c, reference_year=args.reference_year, scale=args.scale),
            c,
            len(corpora) > 1,
        )
        for c in corpora
    ]
    write_frame(_concat(frames), args.format, sys.stdout)
    return 0


def _themes(args: argparse.Namespace) -> int:
    from lib.themes import load_taxonomy, theme_scores

    taxonomy = load_taxonomy(args.taxonomy) if args.taxonomy else load_taxonomy()
    corpora = _corpora(args)
    frames = []
    for c in corpora:
        scores = theme_scores(c, taxonomy)
        columns = [k for k in THEME_COLUMNS if k in scores]
        frames.append(_with_prompt(scores[columns], c, len(corpora) > 1))
    write_frame(_concat(frames), args.format, sys.stdout)
    return 0


def _topics(args: argparse.Namespace) -> int:
    from lib.topics import topics_table

    corpora = _corpora(args)
    frames = []
    for c in corpora:
        table = topics_table(c, n_topics=args.topics)
        frames.append(_with_prompt(table, c, len(corpora) > 1))
    write_frame(_concat(frames), args.format, sys.stdout)
    return 0


def _summary(args: argparse.Namespace) -> int:
    from lib.estimates import extract_estimates
    from lib.findings import key_findings

    corpora = _corpora(args)
    for c in corpora:
        if len(corpora) > 1:
            print(f"# {c.prompt or c.name}")
        estimates = extract_estimates(c, reference_year=args.reference_year, scale=args.scale)
        for finding in key_findings(c, estimates=estimates):
            # key_findings gives Finding objects (or plain strings): print the sentence.
            print(getattr(finding, "text", finding))
    return 0


# --- helpers ---------------------------------------------------------------------------------
def _corpora(args: argparse.Namespace) -> list[Corpus]:
    result = _load(args)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return [_grouped(c, args.groups) for c in result.corpora]


def _load(args: argparse.Namespace) -> LoadResult:
    columns = {
        role: name
        for role, name in (
            ("text", args.text_column),
            ("model", args.model_column),
            ("prompt", args.prompt_column),
        )
        if name
    }
    kw = {"expected": args.expected, "columns": columns or None}
    if args.file == "-":
        return load_bytes(sys.stdin.buffer.read(), "stdin", **kw)
    return load_path(args.file, **kw)


def _grouped(corpus: Corpus, n_groups: int | None) -> Corpus:
    """The corpus with style groups (model labels win, as in the app)."""
    from lib.grouping import group_by_style

    return group_by_style(corpus, n_groups=n_groups)


def _with_prompt(frame: pd.DataFrame, corpus: Corpus, many: bool) -> pd.DataFrame:
    """With several prompts in one file, rows say which prompt they belong to."""
    frame = frame.copy()
    if many and "prompt" not in frame.columns:
        frame.insert(0, "prompt", corpus.prompt)
    return frame


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    if not frames:
        return pd.DataFrame()
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# --- output ----------------------------------------------------------------------------------
def write_frame(frame: pd.DataFrame, fmt: str, out: TextIO) -> None:
    """Write a frame as "jsonl" (null for missing), "csv" or an aligned "table"."""
    columns = [str(c) for c in frame.columns]
    records = [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    if fmt == "jsonl":
        for row in records:
            out.write(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_cell(v) for v in row] for row in records])
    elif fmt == "table":
        _write_table(columns, records, out)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _plain(value: object) -> object:
    """A JSON-ready value: numpy scalars unwrapped, NaN/NA as None, arrays as lists."""
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _plain(value.tolist())
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str | int | float | bool | dict):
        return value
    return str(value)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _write_table(columns: list[str], records: list[list[object]], out: TextIO) -> None:
    width = shutil.get_terminal_size((120, 24)).columns
    cells = [[" ".join(_cell(v).split())[:400] for v in row] for row in records]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    # The last column (the text, for responses) gets the room; others show their start.
    widths = [min(w, _MAX_COL) for w in widths[:-1]] + widths[-1:]
    # Shrink the widest columns (text, prompt) until the table fits the terminal.
    budget = max(width - 2 * (len(columns) - 1), _MIN_COL * len(columns))
    while sum(widths) > budget:
        i = max(range(len(widths)), key=lambda k: widths[k])
        if widths[i] <= _MIN_COL:
            break
        widths[i] = max(_MIN_COL, widths[i] - (sum(widths) - budget))
    out.write("  ".join(c[: widths[i]].ljust(widths[i]) for i, c in enumerate(columns)).rstrip())
    out.write("\n")
    for row in cells:
        line = "  ".join(_fit(v, widths[i]) for i, v in enumerate(row))
        out.write(line.rstrip() + "\n")


def _fit(value: str, width: int) -> str:
    if len(value) <= width:
        return value.ljust(width)
    return value[: width - 1] + "…"
