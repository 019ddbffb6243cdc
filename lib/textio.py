"""Bytes → text: guess the encoding, normalise newlines, refuse binary files.

Order of guesses: a byte-order mark (UTF-8, UTF-32, UTF-16), then strict UTF-8, then UTF-8 with
a few bad bytes replaced (a file cut mid-character, one pasted symbol from another encoding),
then cp1252, the encoding Windows tools use for "ANSI" text. Every guess other than plain UTF-8
is reported in a warning that names the encoding used, so a wrong guess can be noticed.

Size: the input is decoded once and newlines are normalised with `str.replace`, which copies
only when there is a `\\r` to replace. For ASCII-heavy text the decoded string is about as big
as the bytes (1 byte per character), up to 4x for text outside the Basic Multilingual Plane.
`MAX_INPUT_BYTES` (256 MB, above Streamlit's 200 MB upload limit) is the largest input the
loaders accept; a 200 MB file decodes in well under 1 GB of memory.
"""

from __future__ import annotations

import codecs

from lib.corpus import ChorusInputError

MAX_INPUT_BYTES = 256 * 1024 * 1024

# How much of the start of the input the binary check looks at: enough to see a file's
# header and first records, small enough to stay cheap on a 200 MB file.
_SNIFF_BYTES = 64 * 1024
# Control characters that never occur in text (everything below 0x20 except tab, newline,
# vertical tab, form feed, carriage return and escape, plus DEL).
_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B} | {0x7F}
_BINARY_SHARE = 0.10
_ASCII = bytes(range(128))


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode a text file's bytes; return the text (newlines as "\\n") and warnings.

    Raises `ChorusInputError` for binary input (NUL bytes outside UTF-16/32, or mostly
    control bytes).
    >>> decode_bytes(b"caf\\xe9\\r\\n")
    ('café\\n', ['The file is not UTF-8; it was read as Windows-1252 (cp1252). Check accented letters and quotes.'])
    """
    warnings: list[str] = []
    text = _decode(bytes(data) if not isinstance(data, bytes) else data, warnings)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warnings


def _decode(data: bytes, warnings: list[str]) -> str:
    # UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
    for bom, codec, label in (
        (codecs.BOM_UTF8, "utf-8", "UTF-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
    ):
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], codec, label, warnings)

    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise ChorusInputError(_binary_message("it contains NUL bytes"))
        codec, label = utf16
        warnings.append(f"The file has no byte-order mark; it was read as {label}.")
        return _decode_with_bom(data, codec, label, warnings)

    _check_control_bytes(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        first_bad = err.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    # Replacement never swallows an ASCII byte, so the non-ASCII characters are the decoded
    # multi-byte sequences plus one U+FFFD per bad stretch.
    ascii_count = len(data) - len(data.translate(None, _ASCII))
    multibyte_ok = len(text) - ascii_count - bad
    if multibyte_ok > bad:
        # Mostly valid UTF-8 with a few broken bytes: cp1252 would garble every good
        # character, so keep UTF-8 and say where the damage is.
        line = data.count(b"\n", 0, first_bad) + 1
        warnings.append(
            f"{bad} byte(s) are not valid UTF-8 (the first on line {line}); "
            "they were replaced with \ufffd."
        )
        return text
    del text
    try:
        decoded = data.decode("cp1252")
        label = "Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so nothing is lost.
        decoded = data.decode("latin-1")
        label = "Latin-1 (ISO-8859-1)"
    warnings.append(
        f"The file is not UTF-8; it was read as {label}. Check accented letters and quotes."
    )
    return decoded


def _decode_with_bom(data: bytes, codec: str, label: str, warnings: list[str]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        text = data.decode(codec, errors="replace")
        warnings.append(
            f"The file is marked as {label} but has invalid bytes (the first at byte "
            f"{err.start}); they were replaced with \ufffd."
        )
        return text


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """("utf-16-le", "UTF-16 LE") when the NULs sit where UTF-16 puts them for ASCII text."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    # ASCII-range text in UTF-16 has a NUL in the high byte of nearly every unit.
    if odd.count(0) >= 0.9 * half and even.count(0) <= 0.05 * half:
        codec, label = "utf-16-le", "UTF-16 LE"
    elif even.count(0) >= 0.9 * half and odd.count(0) <= 0.05 * half:
        codec, label = "utf-16-be", "UTF-16 BE"
    else:
        return None
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError:
        return None
    if _control_share(text.encode("utf-8", errors="replace")) > _BINARY_SHARE:
        return None
    return codec, label


def _check_control_bytes(data: bytes) -> None:
    share = _control_share(data[:_SNIFF_BYTES])
    if share > _BINARY_SHARE:
        raise ChorusInputError(
            _binary_message(f"{share:.0%} of its first bytes are control characters")
        )


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    return sum(sample.count(b) for b in _CONTROL) / len(sample)


def _binary_message(reason: str) -> str:
    return (
        f"The file looks like a binary file ({reason}), not text. Chorus reads plain text, "
        "Markdown, JSON, JSON Lines or CSV saved as UTF-8, UTF-16 or Windows-1252."
    )
