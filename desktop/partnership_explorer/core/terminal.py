"""Text that is safe to print on a terminal.

File names, event titles and article text come from outside: they may hold escape sequences (ESC ] 0 sets a
terminal's window title, OSC 52 writes the clipboard, OSC 8 makes links), line breaks that forge extra
"failed:" lines, bidirectional overrides that show text in another order than it is, and (in file names that
are not UTF-8) bytes that the OS hands over as lone surrogates and that no terminal encoding can print.

:func:`printable` writes every such character as a visible escape (``\\x1b``, ``\\n``, ``\\u202e``; a byte of a
non-UTF-8 file name as ``\\xff``). :func:`json_for_terminal` does the same inside JSON text with JSON's own
``\\u`` escapes, so the JSON still reads back to exactly the same values.
"""

from __future__ import annotations

import re

__all__ = ["printable", "json_for_terminal"]

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, the bidirectional marks, embeddings,
# overrides and isolates, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    named = _NAMED.get(ch)
    if named:
        return named
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: object) -> str:
    """``text`` with every control, line-breaking, bidirectional or unprintable character escaped."""
    s = str(text)
    return _UNSAFE.sub(_escape, s) if _UNSAFE.search(s) else s


def json_for_terminal(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with the characters ``json.dumps`` leaves raw but
    a terminal would act on written as ``\\uXXXX`` escapes: the same JSON value, safe to print."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _JSON_UNSAFE.search(text) else text
