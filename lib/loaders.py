"""Files → corpora: pasted text goes through the splitter, structured rows map to responses.

Formats, by extension, corrected by a look at the content:

- `.txt`, `.md` (and anything unknown): pasted answers, split by `lib.splitter.split_text`.
  Content that is plainly JSON (a first line that is a JSON object, or text starting with
  `[{`) or CSV (a header row naming a response column) is read as such whatever the name.
- `.jsonl` / `.ndjson`: one JSON object per line. Broken lines are reported and skipped.
- `.json`: a list of objects, or an object holding one (`{"responses": [...]}`,
  `{"data": [...]}`, ...). A top-level `prompt` / `model` applies to every element.
- `.csv` / `.tsv`: a header row, then one answer per row (`,` `;` tab or `|` separated).

Columns are found by name, case-insensitively: the response text in the first of
`response, answer, output, completion, text, content`; the model in `model, model_id,
model_name, source, system` (a value longer than 100 characters or spanning lines is not a
model name, e.g. a system prompt); the prompt in `prompt, question, input`. Chat exports
(`{"messages": [...]}`, `{"choices": [...]}`) are read when no text column exists.
`columns={"text": ..., "model": ..., "prompt": ...}` maps them by hand.

Line numbers of structured rows: JSONL, the record's line; CSV, the physical lines of the row
(a quoted answer can span many); JSON, the lines of the element in the file. Rows with
several prompts give one `Corpus` per prompt, in order of first appearance.

Size limits: any file up to `lib.textio.MAX_INPUT_BYTES` (256 MB); pasted text to be split up
to `MAX_SPLIT_CHARS` (64 M characters, about 12,000 answers of 700 words), which keeps a split
under about 1 GB of memory; larger collections belong in JSON Lines or CSV.

Bundled corpora (`list_bundled`): `*.txt`, `*.md` and `*.jsonl` files directly in `data/`,
plus every `.txt/.md/.jsonl/.json/.csv` file under `data/corpora/`. Tables that are not
corpora (theme taxonomy, probability scales) are `.csv`/`.json` files in `data/` and so are
never listed; README/LICENSE files are skipped.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lib.corpus import ChorusInputError, Corpus, Response, flatten_markdown, make_response_id
from lib.splitter import split_lines
from lib.textio import MAX_INPUT_BYTES, decode_bytes

TEXT_COLUMNS = ("response", "answer", "output", "completion", "text", "content")
MODEL_COLUMNS = ("model", "model_id", "model_name", "source", "system")
PROMPT_COLUMNS = ("prompt", "question", "input")
# Keys of a JSON object that hold the list of answers, most specific first.
CONTAINER_KEYS = (
    "responses",
    "data",
    "answers",
    "results",
    "outputs",
    "completions",
    "items",
    "records",
    "rows",
    "samples",
)
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
BUNDLED_SUFFIXES = (".txt", ".md", ".jsonl")
CORPORA_SUFFIXES = (".txt", ".md", ".jsonl", ".json", ".csv")

# Splitting pasted text takes about 45x its size in memory (measured on the seed repeated to
# 20 MB: 0.93 GB peak), so pasted text is capped well below MAX_INPUT_BYTES; structured files
# (JSONL/CSV/JSON) read up to MAX_INPUT_BYTES (200 MB of JSONL: 0.83 GB peak).
MAX_SPLIT_CHARS = 64 * 1024 * 1024
_MAX_MODEL_CHARS = 100
# Answers nested deeper than this in a JSON value are not text anyone pasted.
_MAX_DEPTH = 20
# Per kind of problem, how many warnings are spelled out before the rest are counted.
_MAX_NOTES_PER_KIND = 10
_WS = re.compile(r"[ \t\n\r]*")
_HEADER_FIELD = re.compile(r"[\w .\-/()#]{1,40}")
# strict=False: a raw tab or form feed inside a string is kept, not a reason to drop the row.
_DECODER = json.JSONDecoder(strict=False)


@dataclass
class LoadResult:
    """What a file gave: one corpus per prompt, every warning, and the format read."""

    corpora: list[Corpus]
    warnings: list[str] = field(default_factory=list)
    format: str = "text"  # "text", "jsonl", "json" or "csv"

    @property
    def corpus(self) -> Corpus:
        """The first corpus (most files hold one prompt)."""
        return self.corpora[0]


@dataclass(slots=True)
class _Row:
    text: str | None
    model: str | None
    prompt: str | None
    start_line: int
    end_line: int
    where: str  # "a.csv lines 4-6": names the row in warnings


class _Notes:
    """Warnings, with floods of the same problem (a 1M-line broken file) summarised."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._counts: dict[str, int] = {}

    def add(self, message: str, kind: str = "") -> None:
        n = self._counts[kind] = self._counts.get(kind, 0) + 1
        if not kind or n <= _MAX_NOTES_PER_KIND:
            self.items.append(message)

    def finish(self) -> list[str]:
        out = list(self.items)
        for kind, n in self._counts.items():
            if kind and n > _MAX_NOTES_PER_KIND:
                out.append(f"... and {n - _MAX_NOTES_PER_KIND} more {kind}.")
        return out


# --- public API ------------------------------------------------------------------------------
def load_bytes(
    data: bytes,
    filename: str,
    *,
    expected: int | None = None,
    columns: dict[str, str] | None = None,
    prompt_end: int | None = None,
) -> LoadResult:
    """Read an uploaded or pasted file into corpora.

    `expected` and `prompt_end` are passed to the splitter for pasted text (see
    `lib.splitter.split_text`); `columns` maps a structured file's columns.

    Raises `ChorusInputError` (message starting with the file name) when nothing can be read.
    >>> load_bytes(b'{"response": "Yes."}\\n{"response": "No."}\\n', "a.jsonl").format
    'jsonl'
    """
    _check_size(len(data), filename)
    try:
        source = _Decoded(*decode_bytes(data))
    except ChorusInputError as err:
        raise ChorusInputError(f"{filename}: {err}") from None
    return _load_text(source, filename, expected=expected, columns=columns, prompt_end=prompt_end)


def load_path(path: str | Path, **kw) -> LoadResult:
    """`load_bytes` for a file on disk; keyword arguments as for `load_bytes`."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ChorusInputError(f"{path}: cannot read it ({err.strerror}).") from None
    if path.is_dir():
        raise ChorusInputError(f"{path} is a folder, not a file.")
    _check_size(size, path.name)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ChorusInputError(f"{path}: cannot read it ({err.strerror}).") from None
    try:
        source = _Decoded(*decode_bytes(data))
    except ChorusInputError as err:
        raise ChorusInputError(f"{path.name}: {err}") from None
    del data  # a 200 MB file: keep only the decoded text from here on
    return _load_text(source, path.name, **kw)


def list_bundled(data_dir: str | Path = "data") -> list[Path]:
    """Corpora shipped with the app, sorted by name (see the module docstring for the rule).

    A relative `data_dir` that does not exist from the working directory is looked up
    from the repository root.
    """
    root = Path(data_dir)
    if not root.is_absolute() and not root.is_dir():
        root = Path(__file__).resolve().parent.parent / root
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_file() and p.suffix.lower() in BUNDLED_SUFFIXES]
    corpora_dir = root / "corpora"
    if corpora_dir.is_dir():
        found += [
            p
            for p in corpora_dir.rglob("*")
            if p.is_file() and p.suffix.lower() in CORPORA_SUFFIXES
        ]
    return sorted(
        (p for p in found if not p.name.startswith(".") and not _is_readme(p.name)),
        key=lambda p: (p.parent != root, str(p.relative_to(root)).lower()),
    )


# --- dispatch -------------------------------------------------------------------------------
@dataclass(slots=True)
class _Decoded:
    """A file's decoded text on its way to `_load_text`, which takes it out of here.

    The text then lives in one frame only, so a pasted file can be dropped once it is cut
    into lines: the decoded text (2 bytes a character once one curly quote appears) would
    otherwise sit in memory next to its lines and the responses built from them.
    """

    text: str
    warnings: list[str]

    def take(self) -> str:
        text, self.text = self.text, ""
        return text


def _load_text(
    source: _Decoded,
    filename: str,
    *,
    expected: int | None = None,
    columns: dict[str, str] | None = None,
    prompt_end: int | None = None,
) -> LoadResult:
    text, warnings = source.take(), source.warnings
    if not text or text.isspace():  # not `text.strip()`: that copies a 200 MB text
        raise ChorusInputError(f"{filename} is empty: there is no text to read.")
    mapping = _check_mapping(columns, filename)
    fmt, sniffed = _guess_format(text, filename)
    notes = _Notes()
    for w in warnings:
        notes.add(w)
    stem = Path(filename).stem or filename

    rows: Iterable[_Row] = ()
    if fmt != "text":
        try:
            rows, fmt = _read_rows(text, fmt, filename, mapping, notes)
        except _NotStructured as err:
            if not sniffed:
                raise ChorusInputError(f"{filename}: {err}") from None
            notes.add(f"{filename} looked like {fmt.upper()} but is not ({err}); read as text.")
            fmt = "text"
    if fmt == "text":
        # Split outside the `except` above: its traceback would keep the text alive.
        lines = _lines_to_split(text, filename)
        del text  # the lines hold it now (see _Decoded)
        corpora = [_split(lines, filename, stem, expected, prompt_end)]
    else:
        if sniffed:
            notes.add(f"{filename} was read as {_FORMAT_NAMES[fmt]} (from its content).")
        corpora = _corpora_from_rows(rows, filename, stem, fmt, mapping, notes)
        if expected is not None:
            found = sum(len(c) for c in corpora)
            if found != expected:
                notes.add(f"{filename}: expected {expected} answers, found {found}.")

    for corpus in corpora:
        said = any(("one answer" in w or "single answer" in w) for w in corpus.warnings)
        if len(corpus) == 1 and not said:
            note = (
                f"{filename}: only one answer was found"
                + (
                    f" for prompt {corpus.prompt[:60]!r}"
                    if len(corpora) > 1 and corpus.prompt
                    else ""
                )
                + "; comparisons need at least two."
            )
            corpus.warnings.append(note)
        for w in corpus.warnings:
            notes.add(w)
    return LoadResult(corpora=corpora, warnings=notes.finish(), format=fmt)


_FORMAT_NAMES = {"jsonl": "JSON Lines", "json": "JSON", "csv": "CSV", "text": "text"}


class _NotStructured(Exception):
    """The content is not the structured format its name or look suggested."""


def _check_size(size: int, filename: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise ChorusInputError(
            f"{filename} is {size / 2**20:.0f} MB; Chorus reads files up to "
            f"{MAX_INPUT_BYTES // 2**20} MB. Split it into smaller files."
        )


def _check_mapping(columns: dict[str, str] | None, filename: str) -> dict[str, str]:
    if not columns:
        return {}
    unknown = sorted(set(columns) - {"text", "model", "prompt"})
    if unknown:
        raise ChorusInputError(
            f"{filename}: unknown column role(s) {', '.join(unknown)}; "
            'map "text", "model" and/or "prompt" to column names.'
        )
    return {k: v for k, v in columns.items() if v}


def _lines_to_split(text: str, filename: str) -> list[str]:
    """Pasted text cut into lines for the splitter (newlines are already "\\n": textio)."""
    if len(text) > MAX_SPLIT_CHARS:
        raise ChorusInputError(
            f"{filename}: {len(text) / 2**20:.0f} MB of pasted text is more than Chorus splits "
            f"at once ({MAX_SPLIT_CHARS // 2**20} MB). Save the answers as JSON Lines or CSV, "
            "one answer per row, or split the file."
        )
    return text.split("\n")


def _split(
    lines: list[str], filename: str, stem: str, expected: int | None, prompt_end: int | None
) -> Corpus:
    try:
        corpus = split_lines(lines, expected=expected, name=stem, prompt_end=prompt_end)
    except ChorusInputError as err:
        raise ChorusInputError(f"{filename}: {err}") from None
    return corpus


def _guess_format(text: str, filename: str) -> tuple[str, bool]:
    """(format, sniffed): the extension's format, or what the content plainly is."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl", False
    if suffix == ".json":
        return "json", False
    if suffix in (".csv", ".tsv"):
        return "csv", False
    start = _WS.match(text).end()
    first_char = text[start : start + 1]
    if first_char == "{":
        end = text.find("\n", start)
        first_line = text[start : end if end >= 0 else len(text)]
        try:
            value = _DECODER.decode(first_line)
        except (ValueError, RecursionError):
            # A pretty-printed object spans lines; whether it is JSON is settled by parsing.
            return "json", True
        return ("jsonl" if isinstance(value, dict) else "text"), isinstance(value, dict)
    if first_char == "[":
        nxt = _WS.match(text, start + 1).end()
        if text[nxt : nxt + 1] in ("{", '"', "]"):
            return "json", True
    end = text.find("\n", start)
    header = text[start : end if end >= 0 else len(text)]
    if _looks_like_csv_header(header):
        return "csv", True
    return "text", False


def _looks_like_csv_header(line: str) -> bool:
    if len(line) > 400:
        return False
    delim = _delimiter(line)
    fields = [f.strip().strip('"').strip() for f in line.split(delim)]
    if len(fields) < 2 or not all(_HEADER_FIELD.fullmatch(f) for f in fields):
        return False
    return any(_norm(f) in TEXT_COLUMNS for f in fields)


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _norm(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _is_readme(name: str) -> bool:
    return name.lower().startswith(("readme", "license", "licence", "changelog"))


# --- rows from each format ------------------------------------------------------------------
def _read_rows(
    text: str, fmt: str, filename: str, mapping: dict[str, str], notes: _Notes
) -> tuple[Iterable[_Row], str]:
    if fmt == "jsonl":
        start = _WS.match(text).end()
        if text[start : start + 1] == "[":
            # Maybe a JSON array saved as .jsonl: read it as the JSON it is.
            array_notes = _Notes()
            try:
                rows = _json_rows(text, filename, mapping, array_notes)
            except (_NotStructured, ChorusInputError):
                pass
            else:
                notes.add(f"{filename} holds one JSON array, not JSON Lines; read as JSON.")
                for w in array_notes.finish():
                    notes.add(w)
                return rows, "json"
        return _jsonl_rows(text, filename, mapping, notes), "jsonl"
    if fmt == "json":
        try:
            return _json_rows(text, filename, mapping, notes), "json"
        except _NotStructured as err:
            if _first_line_is_object(text):
                notes.add(f"{filename} is not one JSON document ({err}); read as JSON Lines.")
                return _jsonl_rows(text, filename, mapping, notes), "jsonl"
            raise
    return _csv_rows(text, filename, mapping, notes), "csv"


def _first_line_is_object(text: str) -> bool:
    start = _WS.match(text).end()
    end = text.find("\n", start)
    try:
        return isinstance(_DECODER.decode(text[start : end if end >= 0 else len(text)]), dict)
    except (ValueError, RecursionError):
        return False


def _iter_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) without building the list of all lines."""
    start, number, n = 0, 1, len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        yield number, text[start:end]
        start, number = end + 1, number + 1


def _jsonl_rows(text: str, filename: str, mapping: dict[str, str], notes: _Notes) -> Iterator[_Row]:
    """Rows one at a time, so a 200 MB file never holds a second copy of every record."""
    n_rows = 0
    first_bad, n_bad = "", 0
    for number, line in _iter_lines(text):
        if not line.strip():
            continue
        try:
            value = _DECODER.decode(line)
        except (ValueError, RecursionError) as err:
            reason = err.msg if isinstance(err, json.JSONDecodeError) else "nested too deeply"
            msg = f"line {number}: not valid JSON ({reason})"
            first_bad, n_bad = first_bad or msg, n_bad + 1
            notes.add(f"{filename} {msg}; line skipped.", "lines that are not valid JSON")
            continue
        where = f"{filename} line {number}"
        row = _checked(_row_from_value(value, number, number, where, mapping, {}, notes), notes)
        if row is not None:
            n_rows += 1
            yield row
    if not n_rows and n_bad:
        raise ChorusInputError(
            f"{filename}: no line is valid JSON Lines ({first_bad}"
            + (f"; {n_bad - 1} more" if n_bad > 1 else "")
            + ")."
        )


class _LineCounter:
    """Line number of a character offset; cheap when offsets only grow."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _json_rows(text: str, filename: str, mapping: dict[str, str], notes: _Notes) -> list[_Row]:
    try:
        top, positioned = _scan_json(text)
    except json.JSONDecodeError as err:
        raise _NotStructured(
            f"not valid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from None
    except RecursionError:
        raise _NotStructured("JSON nested too deeply") from None

    defaults: dict[str, str | None] = {}
    if isinstance(top, list):
        items = positioned[None]
    elif isinstance(top, dict):
        key = _container_key(top)
        if key is None:
            if _find_key(top, "text", mapping) is not None or _chat_text(top) is not None:
                lc = _LineCounter(text)
                start = _WS.match(text).end()
                items = [(top, lc.at(start), lc.at(len(text.rstrip()) - 1))]
            else:
                keys = ", ".join(repr(k) for k in list(top)[:12])
                raise ChorusInputError(
                    f"{filename}: expected a list of answers, or an object holding one "
                    f'(like {{"responses": [...]}}); found an object with keys {keys}.'
                )
        else:
            items = positioned[key]
            defaults = {
                "prompt": _value_text(top.get(_find_key(top, "prompt", mapping) or "")),
                "model": _model_text(top.get(_find_key(top, "model", mapping) or "")),
            }
    else:
        raise ChorusInputError(
            f"{filename}: expected a list of answers, found a single JSON {type(top).__name__}."
        )

    rows = []
    for i, (value, start, end) in enumerate(items, start=1):
        where = f"{filename} element {i} ({_lines(start, end)})"
        _add_row(rows, _row_from_value(value, start, end, where, mapping, defaults, notes), notes)
    return rows


def _scan_json(text: str) -> tuple[object, dict[str | None, list[tuple[object, int, int]]]]:
    """Parse a JSON document, noting the lines of the elements of top-level arrays.

    Returns the value and, per array (None for a top-level array, else the key of an array
    inside a top-level object), its elements as (value, first line, last line).
    """
    lc = _LineCounter(text)
    positioned: dict[str | None, list[tuple[object, int, int]]] = {}
    pos = _WS.match(text).end()
    char = text[pos : pos + 1]
    if char == "[":
        items, pos = _scan_array(text, pos, lc)
        top: object = [v for v, _, _ in items]
        positioned[None] = items
    elif char == "{":
        obj: dict = {}
        pos = _WS.match(text, pos + 1).end()
        if text[pos : pos + 1] == "}":
            pos += 1
        else:
            while True:
                if text[pos : pos + 1] != '"':
                    raise json.JSONDecodeError(
                        "Expecting property name enclosed in double quotes", text, pos
                    )
                key, pos = _DECODER.raw_decode(text, pos)
                pos = _WS.match(text, pos).end()
                if text[pos : pos + 1] != ":":
                    raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
                pos = _WS.match(text, pos + 1).end()
                if text[pos : pos + 1] == "[":
                    items, pos = _scan_array(text, pos, lc)
                    obj[key] = [v for v, _, _ in items]
                    positioned[key] = items
                else:
                    obj[key], pos = _DECODER.raw_decode(text, pos)
                pos = _WS.match(text, pos).end()
                char = text[pos : pos + 1]
                if char == ",":
                    pos = _WS.match(text, pos + 1).end()
                elif char == "}":
                    pos += 1
                    break
                else:
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        top = obj
    else:
        top, pos = _DECODER.raw_decode(text, pos)
    pos = _WS.match(text, pos).end()
    if pos != len(text):
        raise json.JSONDecodeError("Extra data", text, pos)
    return top, positioned


def _scan_array(text: str, pos: int, lc: _LineCounter) -> tuple[list[tuple[object, int, int]], int]:
    items: list[tuple[object, int, int]] = []
    pos = _WS.match(text, pos + 1).end()
    if text[pos : pos + 1] == "]":
        return items, pos + 1
    while True:
        start = pos
        value, pos = _DECODER.raw_decode(text, pos)
        items.append((value, lc.at(start), lc.at(pos - 1)))
        pos = _WS.match(text, pos).end()
        char = text[pos : pos + 1]
        if char == ",":
            pos = _WS.match(text, pos + 1).end()
        elif char == "]":
            return items, pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _container_key(obj: dict) -> str | None:
    by_norm = {_norm(k): k for k in obj}
    for name in CONTAINER_KEYS:
        key = by_norm.get(name)
        if key is not None and isinstance(obj[key], list):
            return key
    lists = [
        k for k, v in obj.items() if isinstance(v, list) and v and isinstance(v[0], dict | str)
    ]
    return lists[0] if len(lists) == 1 and _find_key(obj, "text", {}) is None else None


def _csv_rows(text: str, filename: str, mapping: dict[str, str], notes: _Notes) -> list[_Row]:
    suffix = Path(filename).suffix.lower()
    first_end = text.find("\n")
    first_line = text[: first_end if first_end >= 0 else len(text)]
    delim = "\t" if suffix == ".tsv" else _delimiter(first_line)
    old_limit = csv.field_size_limit()
    # One long answer in a cell is normal here; csv's default cap is 128 KB.
    csv.field_size_limit(2**31 - 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        try:
            header = next(reader)
        except (StopIteration, csv.Error) as err:
            raise ChorusInputError(f"{filename}: cannot read a CSV header ({err}).") from None
        names = [h.strip() for h in header]
        if not any(names):
            raise ChorusInputError(
                f"{filename}: the first line should name the columns (a header row such as "
                "model,prompt,response) but it is empty."
            )
        roles = {role: _column_index(names, role, mapping) for role in ("text", "model", "prompt")}
        if roles["text"] is None:
            found = ", ".join(repr(n) for n in names[:20])
            example = next(n for n in names if n)
            wanted = mapping.get("text")
            problem = (
                f"the column {wanted!r} mapped as the text is not in the header"
                if wanted
                else "no column holds the response text"
            )
            raise ChorusInputError(
                f"{filename}: {problem}. Columns found: {found}. Name the text column one of "
                f"{', '.join(TEXT_COLUMNS)}, or map it, e.g. columns={{'text': {example!r}}} "
                f"(command line: --text-column {example!r})."
            )
        rows: list[_Row] = []
        start = reader.line_num + 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as err:
                notes.add(f"{filename} line {reader.line_num}: {err}; row skipped.", "bad CSV rows")
                start = reader.line_num + 1
                continue
            end = reader.line_num
            where = f"{filename} {_lines(start, end)}"
            if any(f.strip() for f in fields):
                if len(fields) > len(names):
                    notes.add(
                        f"{where}: {len(fields)} fields but the header has "
                        f"{len(names)}; the extra fields were ignored.",
                        "rows with extra fields",
                    )
                cell = {
                    role: fields[i] if i is not None and i < len(fields) else None
                    for role, i in roles.items()
                }
                _add_row(
                    rows,
                    _Row(
                        text=cell["text"],
                        model=_model_text(cell["model"]),
                        prompt=_value_text(cell["prompt"]),
                        start_line=start,
                        end_line=end,
                        where=where,
                    ),
                    notes,
                )
            start = end + 1
    finally:
        csv.field_size_limit(old_limit)
    if rows and rows[-1].end_line > rows[-1].start_line and text.rstrip("\n")[-1:] != '"':
        last = rows[-1]
        tail = _tail_from_line(text, last.start_line)
        if tail.count('"') % 2:
            notes.add(
                f"{filename} line {last.start_line}: a quoted field is never closed, so lines "
                f"{last.start_line}-{last.end_line} were read as one row. Check the quotes."
            )
    return rows


def _lines(start: int, end: int) -> str:
    return f"line {start}" if start == end else f"lines {start}-{end}"


def _tail_from_line(text: str, line: int) -> str:
    pos = 0
    for _ in range(line - 1):
        pos = text.find("\n", pos) + 1
        if pos == 0:
            return ""
    return text[pos:]


def _column_index(names: list[str], role: str, mapping: dict[str, str]) -> int | None:
    normed = [_norm(n) for n in names]
    if role in mapping:
        want = _norm(mapping[role])
        return normed.index(want) if want in normed else None
    for candidate in _CANDIDATES[role]:
        if candidate in normed:
            return normed.index(candidate)
    return None


_CANDIDATES = {"text": TEXT_COLUMNS, "model": MODEL_COLUMNS, "prompt": PROMPT_COLUMNS}


# --- values → rows --------------------------------------------------------------------------
@functools.lru_cache(maxsize=256)
def _keys_by_norm(keys: tuple) -> dict[str, str]:
    # Records of one file share their keys: normalise each set of keys once.
    by_norm: dict[str, str] = {}
    for k in keys:
        by_norm.setdefault(_norm(k), k)
    return by_norm


def _find_key(obj: dict, role: str, mapping: dict[str, str], value_ok=None) -> str | None:
    by_norm = _keys_by_norm(tuple(obj))
    if role in mapping:
        return by_norm.get(_norm(mapping[role]))
    for candidate in _CANDIDATES[role]:
        key = by_norm.get(candidate)
        if key is not None and (value_ok is None or value_ok(obj[key])):
            return key
    return None


def _row_from_value(
    value: object,
    start: int,
    end: int,
    where: str,
    mapping: dict[str, str],
    defaults: dict[str, str | None],
    notes: _Notes,
) -> _Row | None:
    if isinstance(value, str):
        return _Row(value, defaults.get("model"), defaults.get("prompt"), start, end, where)
    if not isinstance(value, dict):
        notes.add(
            f"{where}: expected a JSON object, found a {type(value).__name__}; skipped.",
            "records that are not objects",
        )
        return None
    text_key = _find_key(value, "text", mapping)
    prompt_key = _find_key(value, "prompt", mapping)
    model_key = _find_key(value, "model", mapping, lambda v: _model_text(v) is not None)
    text = _value_text(value[text_key]) if text_key is not None else None
    prompt = _value_text(value[prompt_key]) if prompt_key is not None else None
    if text_key is None and "text" not in mapping:
        chat = _chat_text(value)
        if chat is not None:
            text, chat_prompt = chat
            prompt = prompt or chat_prompt
    return _Row(
        text=text,
        model=_model_text(value[model_key]) if model_key is not None else defaults.get("model"),
        prompt=prompt if prompt is not None else defaults.get("prompt"),
        start_line=start,
        end_line=end,
        where=where,
    )


def _checked(row: _Row | None, notes: _Notes) -> _Row | None:
    """The row with its Markdown flattened; an empty one is kept textless and reported."""
    if row is None:
        return None
    row.text = flatten_markdown(row.text) if row.text else ""
    if not row.text.strip():
        row.text = ""
        notes.add(f"{row.where}: the response text is empty; row skipped.", "rows with empty text")
    return row


def _add_row(rows: list[_Row], row: _Row | None, notes: _Notes) -> None:
    row = _checked(row, notes)
    if row is not None:
        rows.append(row)


def _chat_text(obj: dict) -> tuple[str | None, str | None] | None:
    """(answer, prompt) from a chat export: {"messages": [...]} or {"choices": [...]}."""
    messages = obj.get("messages")
    if isinstance(messages, list) and messages and all(isinstance(m, dict) for m in messages):
        answers = [m for m in messages if m.get("role") == "assistant"]
        users = [m for m in messages if m.get("role") == "user"]
        if answers:
            prompt = _value_text(users[-1].get("content")) if users else None
            return _value_text(answers[-1].get("content")), prompt
    choices = obj.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        first = choices[0]
        message = first.get("message")
        if isinstance(message, dict):
            return _value_text(message.get("content")), None
        return _value_text(first.get("text")), None
    return None


def _value_text(value: object, depth: int = 0) -> str | None:
    """A cell or JSON value as text: strings as given, content blocks joined, None if empty."""
    if value is None or depth > _MAX_DEPTH:
        return None
    if isinstance(value, str):
        out = value
    elif isinstance(value, bool | int | float):
        out = str(value)
    elif isinstance(value, list):
        parts = [_value_text(v, depth + 1) for v in value]
        out = "\n\n".join(p for p in parts if p)
    elif isinstance(value, dict):
        for key in ("text", "content", "value"):
            if key in value:
                return _value_text(value[key], depth + 1)
        try:
            out = json.dumps(value, ensure_ascii=False)
        except (RecursionError, ValueError):
            return None
    else:
        out = str(value)
    return out if out.strip() else None


def _model_text(value: object) -> str | None:
    text = _value_text(value) if not isinstance(value, list | dict) else None
    if text is None:
        return None
    text = text.strip()
    if len(text) > _MAX_MODEL_CHARS or "\n" in text:
        return None  # a system prompt or a note, not a model name
    return text


def _corpora_from_rows(
    rows: Iterable[_Row],
    filename: str,
    stem: str,
    fmt: str,
    mapping: dict[str, str],
    notes: _Notes,
) -> list[Corpus]:
    kind = {"jsonl": "JSON Lines record", "json": "JSON", "csv": "CSV row"}[fmt]
    by_prompt: dict[str | None, list[Response]] = {}
    used: dict[str | None, set[str]] = {}
    prompts_seen = n_rows = 0
    # One string object per distinct prompt/model: 600k rows of a 200 MB file share a few.
    shared: dict[str, str] = {}
    for row in rows:
        n_rows += 1
        prompt = row.prompt.strip() if row.prompt else None
        if prompt is not None:
            prompt = shared.setdefault(prompt, prompt)
        model = shared.setdefault(row.model, row.model) if row.model else None
        prompts_seen += prompt is not None
        text = row.text
        if not text:
            continue  # reported by _add_row
        responses = by_prompt.setdefault(prompt, [])
        ids = used.setdefault(prompt, set())
        responses.append(
            Response(
                response_id=make_response_id(text, prompt, ids),
                index=len(responses) + 1,
                text=text,
                start_line=row.start_line,
                end_line=row.end_line,
                prompt=prompt,
                model=model,
                group=model,
                boundary_confidence=1.0,
                boundary_evidence=f"{kind}, {_lines(row.start_line, row.end_line)}",
            )
        )
    if not by_prompt:
        if prompts_seen:
            raise ChorusInputError(
                f"{filename}: the rows have prompts but no answers: no row has response text"
                + (f" in column {mapping['text']!r}" if "text" in mapping else "")
                + f". Name the answer column one of {', '.join(TEXT_COLUMNS)}, or map it."
            )
        if not n_rows:
            raise ChorusInputError(f"{filename}: no rows with answers were found.")
        raise ChorusInputError(
            f"{filename}: no row has response text. Name the answer field one of "
            f"{', '.join(TEXT_COLUMNS)}, or map it with columns={{'text': ...}}."
        )
    many = len(by_prompt) > 1
    return [
        Corpus(
            responses=responses,
            prompt=prompt,
            name=f"{stem} #{i}" if many else stem,
            warnings=[],
        )
        for i, (prompt, responses) in enumerate(by_prompt.items(), start=1)
    ]
