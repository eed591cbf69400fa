"""Spreadsheet cells that cannot run: formula-leading text is escaped, reversibly.

A CSV cell whose text begins with ``= + - @``, a tab or a carriage return would be read by a
spreadsheet as a formula. Such a cell, and any cell already beginning with ``'``, gets one
``'`` in front (the OWASP advice); reading removes exactly one leading ``'``, so the original
text comes back. In Excel files every text cell is typed as text and marked quote-prefixed,
so nothing is prefixed there.
"""

from __future__ import annotations

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
