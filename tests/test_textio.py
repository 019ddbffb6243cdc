"""decode_bytes: encodings, newlines, binary input."""

from pathlib import Path

import pytest

from lib.corpus import ChorusInputError
from lib.textio import decode_bytes

FIXTURES = Path(__file__).parent / "fixtures"
PASTED = (
    "Will scaling reach AGI?\nResponse 1\nCafé owners say “no”.\nResponse 2\nA second answer.\n"
)


def test_plain_utf8_has_no_warning():
    assert decode_bytes("naïve “quotes” — ok".encode()) == ("naïve “quotes” — ok", [])


def test_empty_input_is_empty_text():
    assert decode_bytes(b"") == ("", [])


@pytest.mark.parametrize(
    "name", ["utf8bom.txt", "utf16le.txt", "utf16be.txt"], ids=["utf8-bom", "utf16-le", "utf16-be"]
)
def test_byte_order_marks_decode_silently_without_the_mark(name):
    text, warnings = decode_bytes((FIXTURES / name).read_bytes())
    assert text == PASTED
    assert warnings == []


def test_utf32_with_bom():
    assert decode_bytes("hé\n".encode("utf-32")) == ("hé\n", [])


def test_cp1252_fallback_names_the_encoding():
    text, warnings = decode_bytes((FIXTURES / "cp1252.txt").read_bytes())
    assert text == PASTED
    assert len(warnings) == 1
    assert "cp1252" in warnings[0]


def test_cp1252_cafe_and_curly_quotes():
    text, warnings = decode_bytes(b"caf\xe9 \x93quoted\x94")
    assert text == "café “quoted”"
    assert "Windows-1252 (cp1252)" in warnings[0]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1_and_keep_every_byte():
    text, warnings = decode_bytes(b"a\x81b\xe9")
    assert text == "a\x81bé"
    assert "Latin-1" in warnings[0]


def test_mostly_utf8_with_one_bad_byte_keeps_utf8_and_names_the_line():
    data = "première ligne\ndeuxième ligne é\n".encode() + b"bad \xff here\n"
    text, warnings = decode_bytes(data)
    assert text == "première ligne\ndeuxième ligne é\nbad \ufffd here\n"
    assert warnings == [
        "1 byte(s) are not valid UTF-8 (the first on line 3); they were replaced with \ufffd."
    ]


def test_utf16_without_bom_is_recognised_with_a_warning():
    text, warnings = decode_bytes("Prompt line\nAn answer.\n".encode("utf-16-le"))
    assert text == "Prompt line\nAn answer.\n"
    assert warnings == ["The file has no byte-order mark; it was read as UTF-16 LE."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\n\r\nb\rc\n", "a\n\nb\nc\n"),
        (b"no newline at end", "no newline at end"),
    ],
)
def test_newlines_are_normalised(raw, expected):
    assert decode_bytes(raw)[0] == expected


def test_crlf_in_utf16_is_normalised():
    text, _ = decode_bytes(b"\xff\xfe" + "a\r\nb\rc".encode("utf-16-le"))
    assert text == "a\nb\nc"


def test_binary_file_with_nul_bytes_is_refused():
    with pytest.raises(ChorusInputError, match="looks like a binary file"):
        decode_bytes((FIXTURES / "binary.png").read_bytes())


def test_control_bytes_without_nul_are_refused():
    with pytest.raises(ChorusInputError, match=r"looks like a binary file \(\d+% of its first"):
        decode_bytes(bytes(range(1, 32)) * 50)


def test_a_few_control_characters_in_text_are_accepted():
    text, _ = decode_bytes(b"Prompt\n\x1b[1mbold\x1b[0m answer\x0c\n")
    assert text.startswith("Prompt\n")
