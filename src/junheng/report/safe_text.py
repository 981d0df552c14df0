"""Text from input files made harmless where it leaves the program: on screen and in file names.

Names of schools, counties and townships come from the user's table and may hold anything: ANSI
escape sequences (which a terminal would execute: colours, cursor moves, OSC 8 hyperlinks, window
titles), other C0/C1 control characters, NUL, bidi overrides that reverse what is shown
(U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), rich markup such as ``[link=…]``, path
separators, names of any length. One function per destination:

- :func:`console_text`: for the terminal (rich): control and bidi characters shown as visible
  ``\\x1b``-style escapes, rich markup escaped;
- :func:`plain_text`: the same characters without markup escaping (for ``markup=False`` output
  and rich ``Text`` objects);
- :class:`SafeConsole`: the Console of the command line; neutralises control and bidi
  characters in everything it prints (names inside tables, messages, rich ``Text``);
- :class:`TerminalSafeWriter`: JSON bytes printable on a terminal (same document);
- :func:`xml_text` / :func:`xml_safe_blocks`: text for Word and HTML (no NUL or other characters
  XML cannot hold); :func:`short_label`: a name shortened for a chart axis;
- :func:`safe_filename`: a file name built from names (no separators, no leading dots, no
  control/bidi characters, no Windows-reserved names, at most 255 UTF-8 bytes).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from rich.console import Console
from rich.markup import escape
from rich.segment import Segment

#: Bidirectional formatting characters (embeddings, overrides, isolates, marks).
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_DANGEROUS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}\u2028\u2029]")
#: Longest file name (in UTF-8 bytes) on ext4, XFS, NTFS (255 UTF-16 units ≥ 255 bytes here).
MAX_NAME_BYTES = 255
_WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?", re.IGNORECASE)
_NOT_IN_NAMES = re.compile(rf'[\\/:*?"<>|\s\x00-\x1f\x7f-\x9f{BIDI}\u2028\u2029\ufeff]+')


def _visible(ch: re.Match) -> str:
    c = ord(ch[0])
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def plain_text(value: object) -> str:
    """``str(value)`` with every control character (C0 except tab and newline, DEL, C1) and every
    bidi formatting character replaced by a visible escape (``\\x1b``, ``\\u202e``): safe to
    print to a terminal without markup."""
    return _DANGEROUS.sub(_visible, str(value))


def console_text(value: object) -> str:
    """:func:`plain_text` with rich markup escaped: safe to interpolate into a string that rich
    prints with markup on (``console.print(f"已写入 {console_text(path)}")``, table cells)."""
    return escape(plain_text(value))


def safe_filename(stem: str, suffix: str = "", max_bytes: int = MAX_NAME_BYTES) -> str:
    """A portable file name ``<cleaned stem><suffix>``.

    stem: text built from data (county code and name, rule pack); suffix: our own fixed ending
    (e.g. ``"_自评报告.docx"``, kept whole). Runs of separators, whitespace, ``:*?"<>|``,
    control and bidi characters become ``_``; NFC-normalised; leading dots, dashes and
    underscores and trailing dots and spaces are removed; an empty stem becomes ``未命名``; a
    Windows-reserved stem (CON, NUL, COM1…) gets a leading ``_``. When the name would exceed
    ``max_bytes`` UTF-8 bytes, the stem is cut on a character boundary and an 8-digit hash of the
    full stem is appended, so two long names that share a beginning still get different files.
    Raises ValueError when the suffix alone leaves no room for a name.
    """
    clean = _NOT_IN_NAMES.sub("_", unicodedata.normalize("NFC", stem))
    clean = clean.lstrip("._-").rstrip(". ") or "未命名"
    if _WINDOWS_RESERVED.fullmatch(clean):
        clean = "_" + clean
    room = max_bytes - len(suffix.encode("utf-8"))
    if len(clean.encode("utf-8")) <= room:
        return clean + suffix
    tag = "~" + hashlib.sha1(stem.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    room -= len(tag)
    if room < 1:
        raise ValueError(f"文件名后缀过长：{suffix}")
    cut = clean.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(". ")
    return cut + tag + suffix


#: DEL, C1 controls, bidi controls and line/paragraph separators as UTF-8 byte sequences.
_JSON_UNSAFE = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xa8-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c")


class TerminalSafeWriter:
    """A binary stream wrapper for JSON printed to a terminal: DEL, C1 controls and bidi
    characters (which JSON encoders leave raw; C0 they escape already) are written as
    ``\\uXXXX`` escapes. The document is the same JSON; only its spelling changes. Each
    ``write`` must get whole UTF-8 characters (as orjson's output is)."""

    def __init__(self, fh) -> None:
        self.fh = fh

    def write(self, data: bytes) -> int:
        self.fh.write(_JSON_UNSAFE.sub(lambda m: b"\\u%04x" % ord(m[0].decode("utf-8")), data))
        return len(data)

    def flush(self) -> None:
        self.fh.flush()


#: Characters XML 1.0 cannot hold at all (Word and lxml refuse them; browsers replace them), and
#: the bidi controls (Word, LibreOffice and browsers would reverse the rest of the line).
_NOT_XML = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff{BIDI}]")


def xml_text(value: str) -> str:
    """``value`` with the characters XML 1.0 cannot hold (NUL and the other C0 controls except
    tab, newline and carriage return; U+FFFE, U+FFFF; lone surrogates) and the bidi controls
    (an override reverses the rest of a title) replaced by visible escapes (``\\x00``,
    ``\\u202e``), so a name from the data can go into a Word or HTML report as typed."""
    return _NOT_XML.sub(_visible, value)


def xml_safe_blocks(blocks: list) -> list:
    """The report blocks (narrative/blocks.py) with :func:`xml_text` applied to every text field of
    every block (text, lists of text, lists of rows); images (bytes) and numbers untouched."""
    from dataclasses import fields, replace

    def clean(v):
        if isinstance(v, str):
            return xml_text(v)
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    return [replace(b, **{f.name: clean(getattr(b, f.name)) for f in fields(b)}) for b in blocks]


def short_label(value: str, max_chars: int = 24) -> str:
    """A name for a chart axis: control, bidi and non-XML characters made visible
    (:func:`plain_text`, :func:`xml_text`), at most ``max_chars`` characters, ``…`` when cut."""
    value = xml_text(plain_text(value))
    return value if len(value) <= max_chars else value[:max_chars - 1] + "…"


class SafeConsole(Console):
    """A rich Console that never lets a control or bidi character from the data reach the
    terminal: every string it renders goes through :func:`plain_text` before layout (so widths
    stay right), and every text segment once more just before output (text built as rich
    ``Text`` objects). Rich's own styling and cursor control are unaffected. Emoji codes
    (``:cat:`` in a name) are never replaced, and rich markup is off unless asked for
    (``markup=True``): a name like ``[/bold]`` is text, styles go through ``style=`` and ``Text``.
    Where a console has markup on (the messages on stderr), data put into a markup string must be
    escaped (:func:`console_text`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("markup", False)
        super().__init__(*args, **kwargs)

    def render_str(self, text: str, **kwargs):  # noqa: D102 - see class doc
        return super().render_str(plain_text(text), **kwargs)

    def _render_buffer(self, buffer):
        return super()._render_buffer(
            s if s.control else Segment(plain_text(s.text), s.style, s.control) for s in buffer)
