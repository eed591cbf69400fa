"""Spreadsheet cells that cannot run: formula-leading text is escaped, reversibly.

A CSV cell whose text begins with ``= + - @``, a tab or a carriage return would be read by a
spreadsheet as a formula. Such a cell, and any cell already beginning with ``'``, gets one
``'`` in front (the OWASP advice); reading removes exactly one leading ``'``, so the original
text comes back. In Excel files every text cell is typed as text and marked quote-prefixed,
so nothing is prefixed there; characters an Excel file cannot hold are written as the
standard ``_xHHHH_`` escapes, which Excel (and the verifier) read back as the original.
"""

from __future__ import annotations

import re
from typing import Any

#: What a spreadsheet may take for the start of a formula.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def escape_cell(value: Any) -> Any:
    """A CSV cell's value, with a ``'`` in front of text a spreadsheet could run."""
    if isinstance(value, str) and value.startswith((*FORMULA_LEADS, PREFIX)):
        return PREFIX + value
    return value


def unescape_cell(text: str) -> str:
    """The original text of an escaped CSV cell."""
    return text[1:] if text.startswith(PREFIX) else text


#: What an Excel file cannot hold as it is: a ``_xHHHH_`` already in the text, characters XML
#: forbids, and the carriage return (XML readers turn it into a line feed).
_NOT_AS_IS = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff]")


def xlsx_text(value: str) -> str:
    """Text as an Excel cell stores it (ECMA-376 ``_xHHHH_`` escapes); Excel shows the original."""
    return _NOT_AS_IS.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
