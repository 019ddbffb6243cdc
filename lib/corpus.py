"""The corpus: responses and their passages, the unit every analysis reads.

A `Corpus` is built from source lines plus a list of `Boundary` objects. Boundaries are
plain data, so a user's correction (merge two responses, split one at a line) is a new
boundary list that can be saved as JSON and re-applied with `Corpus.from_boundaries`.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pandas as pd

PASSAGE_KINDS = ("heading", "bullet", "paragraph")

RESPONSE_COLUMNS = [
    "response_id",
    "index",
    "start_line",
    "end_line",
    "group",
    "model",
    "prompt",
    "boundary_confidence",
    "boundary_evidence",
    "text",
]
PASSAGE_COLUMNS = ["response_id", "order", "kind", "text", "line"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run a block that builds hundreds of thousands of small objects without the cyclic GC.

    Each collection walks every tracked object: at 10k answers (300k lines) the collector took
    about a fifth of the split. Nothing built there forms a cycle. Here rather than in
    `lib.text` so that the splitter need not import scikit-learn.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ChorusInputError(ValueError):
    """The library's one documented error: input that cannot give any response.

    The message names the problem and, where there is one, the line number.
    """


@dataclass(frozen=True)
class Boundary:
    """Where a response starts (1-based source line) and why we think so."""

    start_line: int
    confidence: float = 1.0
    evidence: tuple[str, ...] = ()
    model: str | None = None  # a model name from an explicit header, e.g. "### Model: gpt-4"
    header_lines: int = 0  # lines at start_line that are a header/separator, not answer text

    def to_dict(self) -> dict:
        return {
            "start_line": self.start_line,
            "confidence": self.confidence,
            "evidence": list(self.evidence),
            "model": self.model,
            "header_lines": self.header_lines,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Boundary:
        return cls(
            start_line=int(data["start_line"]),
            confidence=float(data.get("confidence", 1.0)),
            evidence=tuple(data.get("evidence", ())),
            model=data.get("model"),
            header_lines=int(data.get("header_lines", 0)),
        )


@dataclass(frozen=True)
class Response:
    response_id: str
    index: int  # 1-based position in the corpus
    text: str
    start_line: int  # 1-based, inclusive, in the source file
    end_line: int  # 1-based, inclusive
    prompt: str | None = None
    model: str | None = None  # known label (explicit header or structured column)
    group: str | None = None  # model label, or the style group when no label is known
    boundary_confidence: float = 1.0
    boundary_evidence: str = ""


def prompt_through(lines: Sequence[str], end: int) -> str | None:
    """The prompt of a source whose prompt ends at line `end` (1-based): its text lines joined
    by spaces; None when they hold no text (or `end` is 0)."""
    return " ".join(s.strip() for s in lines[: max(0, int(end))] if s.strip()) or None


class SourceLines(Sequence[str]):
    """The source file's lines, stored without a second copy of the answers' text.

    Each answer's text is a run of whole source lines (edge blank lines dropped), so the
    lines are the answers' texts, split, plus the few lines between them (prompt, headers,
    blank lines), kept by number. At 10k pasted answers this saves the ~80 MB a list of
    every line costs next to the answers' texts. Reads like a list: `len`, indexing, slices,
    iteration; `list(lines)` gives the plain list.
    """

    __slots__ = ("_firsts", "_n", "_others", "_texts")

    def __init__(self, n: int, pieces: list[tuple[int, str]], others: dict[int, str]) -> None:
        self._n = n
        self._firsts = [first for first, _ in pieces]  # 0-based line of each text, ascending
        self._texts = [text for _, text in pieces]
        self._others = others  # 0-based line -> text, for lines outside every answer's text

    @classmethod
    def of(cls, lines: Sequence[str], pieces: list[tuple[int, str]]) -> SourceLines:
        """`lines` stored through `pieces`: (0-based first line, text of that run of lines)."""
        others: dict[int, str] = {}
        done = 0
        for first, text in sorted(pieces):
            others.update((i, lines[i]) for i in range(done, first))
            done = max(done, first + text.count("\n") + 1)
        others.update((i, lines[i]) for i in range(done, len(lines)))
        return cls(len(lines), pieces, others)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self._n)
            if step != 1:
                return list(self)[index]
            return self._range(start, stop)
        if index < 0:
            index += self._n
        if not 0 <= index < self._n:
            raise IndexError("line index out of range")
        return self._range(index, index + 1)[0]

    def _range(self, start: int, stop: int) -> list[str]:
        out: list[str] = []
        i = start
        k = max(0, bisect.bisect_right(self._firsts, i) - 1)
        while i < stop:
            if k < len(self._firsts) and self._firsts[k] <= i:
                rows = self._texts[k].split("\n")
                end = self._firsts[k] + len(rows)
                if i < end:
                    take = min(stop, end)
                    out.extend(rows[i - self._firsts[k] : take - self._firsts[k]])
                    i = take
                    continue
                k += 1
                continue
            out.append(self._others[i])
            i += 1
        return out

    def __iter__(self):
        return iter(self._range(0, self._n))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (SourceLines, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __reduce__(self):
        return (
            SourceLines,
            (self._n, list(zip(self._firsts, self._texts, strict=True)), self._others),
        )


@dataclass
class Corpus:
    """Responses to one prompt, with their passages.

    `lines` keeps the source text (one entry per source line) so boundaries can be
    corrected and the corpus rebuilt without losing anything the user gave.
    """

    responses: list[Response]
    prompt: str | None = None
    name: str = "corpus"
    warnings: list[str] = field(default_factory=list)
    lines: Sequence[str] | None = None  # a `SourceLines` when built from boundaries
    boundaries: list[Boundary] | None = None
    prompt_line: int | None = None  # 1-based source line of the prompt, when it came from `lines`
    group_names: dict[str, str] = field(default_factory=dict)
    group_evidence: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.responses)

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.responses]

    @property
    def has_model_labels(self) -> bool:
        return any(r.model for r in self.responses)

    # --- frames -------------------------------------------------------------------------
    def responses_frame(self) -> pd.DataFrame:
        rows = [
            {
                "response_id": r.response_id,
                "index": r.index,
                "start_line": r.start_line,
                "end_line": r.end_line,
                "group": r.group,
                "model": r.model,
                "prompt": r.prompt,
                "boundary_confidence": round(r.boundary_confidence, 3),
                "boundary_evidence": r.boundary_evidence,
                "text": r.text,
            }
            for r in self.responses
        ]
        return pd.DataFrame(rows, columns=RESPONSE_COLUMNS)

    def passages_frame(self) -> pd.DataFrame:
        rows = []
        for r in self.responses:
            for p in split_passages(r.text, first_line=r.start_line):
                rows.append({"response_id": r.response_id, **p})
        return pd.DataFrame(rows, columns=PASSAGE_COLUMNS)

    # --- corrections ----------------------------------------------------------------------
    @classmethod
    def from_boundaries(
        cls,
        lines: Sequence[str],
        boundaries: list[Boundary],
        prompt: str | None = None,
        prompt_line: int | None = None,
        name: str = "corpus",
        warnings: list[str] | None = None,
    ) -> Corpus:
        """Rebuild responses from source lines and boundary start lines.

        Lines before the first boundary (other than the prompt line) are kept as part of the
        first response so nothing the user gave is lost. Boundaries are sorted and
        de-duplicated; ones outside the file are dropped with a warning.
        """
        warnings = list(warnings or [])
        if isinstance(lines, SourceLines):
            lines = list(lines)  # read line by line below: one split of every text, not many
        elif any("\n" in line for line in lines):
            # Lines are stored through the answers' texts (SourceLines): a newline inside a
            # line would come back as two lines.
            raise ValueError("from_boundaries takes lines without newlines (text.split('\\n')).")
        n = len(lines)
        first_body = (prompt_line or 0) + 1
        seen: dict[int, Boundary] = {}
        for b in boundaries:
            if not first_body <= b.start_line <= n:
                warnings.append(
                    f"Ignored a boundary at line {b.start_line}: the answers span lines "
                    f"{first_body}-{n}."
                )
                continue
            seen.setdefault(b.start_line, b)
        ordered = sorted(seen.values(), key=lambda b: b.start_line)
        if not ordered:
            ordered = [Boundary(first_body, 1.0, ("the whole file is one answer",))]
        elif ordered[0].start_line > first_body and any(
            lines[i - 1].strip() for i in range(first_body, ordered[0].start_line)
        ):
            # Text before the first detected start is kept as an answer of its own.
            warnings.append(
                f"Lines {first_body}-{ordered[0].start_line - 1} come before the first "
                "detected answer; they are kept as an answer of their own."
            )
            ordered.insert(0, Boundary(first_body, 0.5, ("text before the first header",)))
        responses = []
        pieces: list[tuple[int, str]] = []
        used_ids: set[str] = set()
        for i, b in enumerate(ordered):
            end = ordered[i + 1].start_line - 1 if i + 1 < len(ordered) else n
            # The text is the run of lines between the header and the next start, without
            # blank (or whitespace-only) lines at either edge.
            first, stop = b.start_line + b.header_lines - 1, end
            rows = lines[first:stop]
            lo, hi = 0, len(rows)
            while lo < hi and not rows[lo].strip():
                lo += 1
            while hi > lo and not rows[hi - 1].strip():
                hi -= 1
            first += lo
            text = "\n".join(rows[lo:hi])
            if not text.strip():
                if b.header_lines:
                    warnings.append(f"Response header at line {b.start_line} has no text under it.")
                continue
            pieces.append((first, text))
            responses.append(
                Response(
                    response_id=make_response_id(text, prompt, used_ids),
                    index=len(responses) + 1,
                    text=text,
                    start_line=b.start_line,
                    end_line=end,
                    prompt=prompt,
                    model=b.model,
                    group=b.model,
                    boundary_confidence=b.confidence,
                    boundary_evidence="; ".join(b.evidence),
                )
            )
        return cls(
            responses=responses,
            prompt=prompt,
            name=name,
            warnings=warnings,
            lines=SourceLines.of(lines, pieces),
            boundaries=ordered,
            prompt_line=prompt_line,
        )

    def merge(self, index: int) -> Corpus:
        """Merge response `index` (1-based) with the one after it."""
        bounds = self._require_boundaries()
        if not 1 <= index < len(bounds):
            raise ChorusInputError(f"Cannot merge response {index}: there are {len(bounds)}.")
        kept = [b for i, b in enumerate(bounds) if i != index]
        return self._rebuild(kept)

    def split_at(self, line: int) -> Corpus:
        """Start a new response at source line `line` (1-based); the same corpus when an answer
        already starts there, or in its header (down to its first text line)."""
        bounds = self._require_boundaries()
        lines = self.lines or []
        before = [b for b in bounds if b.start_line <= line]
        if before:
            # From the boundary to its first text line (past a header and blank lines) the
            # answer has already started: a split there would only cut its header off.
            b = max(before, key=lambda b: b.start_line)
            text = b.start_line + b.header_lines
            while text <= len(lines) and not lines[text - 1].strip():
                text += 1
            if line <= text:
                return self
        added = Boundary(line, 1.0, ("split by the user",))
        return self._rebuild([*bounds, added])

    def _require_boundaries(self) -> list[Boundary]:
        if self.boundaries is None or self.lines is None:
            raise ChorusInputError("This corpus came from structured rows; it has no boundaries.")
        return list(self.boundaries)

    def _rebuild(self, boundaries: list[Boundary]) -> Corpus:
        return Corpus.from_boundaries(
            self.lines or [],
            boundaries,
            prompt=self.prompt,
            prompt_line=self.prompt_line,
            name=self.name,
        )

    def with_groups(
        self,
        labels: list[str],
        names: dict[str, str] | None = None,
        evidence: dict[str, str] | None = None,
    ) -> Corpus:
        """A copy whose responses carry `labels` (one per response) as their group."""
        if len(labels) != len(self.responses):
            raise ValueError("one group label per response")
        responses = [_regrouped(r, g) for r, g in zip(self.responses, labels, strict=True)]
        return replace(
            self,
            responses=responses,
            group_names=dict(names or {}),
            group_evidence=dict(evidence or {}),
        )

    def rename_groups(self, mapping: dict[str, str]) -> Corpus:
        """A copy with groups renamed, e.g. {"A": "Claude"}; unknown keys are ignored."""
        mapping = {k: v.strip() for k, v in mapping.items() if v and v.strip()}
        responses = [replace(r, group=mapping.get(r.group, r.group)) for r in self.responses]
        names = {mapping.get(k, k): v for k, v in self.group_names.items()}
        evidence = {mapping.get(k, k): v for k, v in self.group_evidence.items()}
        return replace(self, responses=responses, group_names=names, group_evidence=evidence)

    def subset(self, response_ids: list[str] | set[str]) -> Corpus:
        """A copy with only the given responses (indexes kept, so they stay recognisable)."""
        keep = set(response_ids)
        return replace(self, responses=[r for r in self.responses if r.response_id in keep])


def _regrouped(response: Response, group: str | None) -> Response:
    """`dataclasses.replace(response, group=group)` at a quarter of the cost (10k answers).

    `replace` rebuilds the object through keyword arguments and the frozen `__init__`; a
    Response holds no derived state, so copying its fields and setting `group` is the same.
    """
    new = object.__new__(Response)
    new.__dict__.update(response.__dict__, group=group)
    return new


def make_response_id(text: str, prompt: str | None, used: set[str]) -> str:
    """A stable id from the prompt and text: the same answer gets the same id in any order."""
    # "surrogatepass": text from a notebook may hold a lone surrogate, which strict UTF-8 refuses.
    key = f"{prompt or ''}\x00{text.strip()}".encode("utf-8", "surrogatepass")
    digest = hashlib.sha1(key).hexdigest()
    base = f"r{digest[:8]}"
    rid = base
    if rid in used:
        # Identical answers get -2, -3, … in order: find the first free suffix in O(log n).
        lo, hi = 1, 2
        while f"{base}-{hi}" in used:
            lo, hi = hi, hi * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if f"{base}-{mid}" in used else (lo, mid)
        rid = f"{base}-{hi}"
    used.add(rid)
    return rid


# --- passages -----------------------------------------------------------------------------
_BULLET = re.compile(r"^\s*(?:[-*+\u2022\u2013]|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_HEADING_END = re.compile(r"[.!?;,]$")


def is_heading_line(line: str) -> bool:
    """A flattened heading: a short line with no sentence punctuation at its end.

    Markdown `#` headings and numbered section titles ("2. Deficiencies in ...") count too.
    """
    s = line.strip()
    if not s or (_BULLET.match(s) and not re.match(r"^\d{1,3}[.)]\s", s)):
        return False
    if _MD_HEADING.match(s):
        return True
    if s.startswith(("**", "__")) and s.rstrip(":").endswith(("**", "__")) and len(s) <= 120:
        return True
    words = s.split()
    if len(words) > 14 or len(s) > 110:
        return False
    if _HEADING_END.search(s):
        return False
    return s[0].isupper() or s[0].isdigit() or s[0] in "\"'“"


def split_passages(text: str, first_line: int = 1) -> list[dict]:
    """Headings, bullets and paragraphs of one response, in order.

    A bullet that inlines nested bullets as " - " stays one passage: they share a topic.
    >>> [p["kind"] for p in split_passages("Title\\n- a point\\nA paragraph.")]
    ['heading', 'bullet', 'paragraph']
    """
    rows = []
    for offset, raw in enumerate(text.split("\n")):
        s = raw.strip()
        if not s:
            continue
        s = _MD_HEADING.sub("", s)
        if _BULLET.match(raw) and not (is_heading_line(s) and re.match(r"^\d{1,3}[.)]\s", s)):
            kind = "bullet"
            s = _BULLET.sub("", s, count=1).strip()
        elif is_heading_line(raw) or (s.endswith(":") and len(s.split()) <= 8):
            kind = "heading"
        else:
            kind = "paragraph"
        s = s.strip("*_ ").strip() if kind == "heading" else s
        if not s:
            continue
        rows.append({"order": len(rows) + 1, "kind": kind, "text": s, "line": first_line + offset})
    return rows


def flatten_markdown(text: str) -> str:
    """Markdown answers (from JSON/CSV exports) flattened like pasted text.

    Strips `#` heading marks, emphasis markers and code fences; keeps bullets as "- ".
    """
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        s = raw.rstrip()
        if s.strip().startswith("```"):
            continue
        s = _MD_HEADING.sub("", s)
        s = re.sub(r"^(\s*)[*+\u2022]\s+", r"\1- ", s)
        s = re.sub(r"(\*\*|__)(.+?)\1", r"\2", s)
        out.append(s)
    return "\n".join(out).strip("\n")


def corpus_from_texts(
    texts: list[str],
    prompt: str | None = None,
    models: list[str | None] | None = None,
    name: str = "corpus",
) -> Corpus:
    """A corpus from a list of answer texts, e.g. in a notebook or a test.

    Line numbers count as if the answers were pasted one after another.
    >>> len(corpus_from_texts(["One answer.", "Another."]))
    2
    """
    models = list(models) if models is not None else [None] * len(texts)
    lines: list[str] = []
    boundaries = []
    for text, model in zip(texts, models, strict=True):
        body = text.strip("\n").split("\n")
        boundaries.append(Boundary(len(lines) + 1, 1.0, ("given as a separate answer",), model))
        lines.extend(body)
    corpus = Corpus.from_boundaries(lines, boundaries, prompt=prompt, name=name)
    # Separate answers have no source file to correct: drop the copy of every line.
    return replace(corpus, lines=None, boundaries=None)
