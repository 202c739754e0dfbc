"""Spreadsheet safety for CSV/TSV cells.

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) is run as a
formula by spreadsheets (CSV injection). On export such text gets a leading `'`, which
spreadsheets show as text; numbers (`-12.5`) and phone numbers (`+223 76 12 34 56`)
are left alone. On import one leading `'` before such a character is taken off again,
so that an export reads back to the same values.
"""

from __future__ import annotations

import re

_TRIGGER = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?")
_PHONE = re.compile(r"\+\d[\d .()\-/]{4,28}\d")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(value: str) -> str:
    if _TRIGGER.match(value) and not _NUMBER.fullmatch(value) and not _PHONE.fullmatch(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    return value[1:] if _QUOTED.match(value) else value
