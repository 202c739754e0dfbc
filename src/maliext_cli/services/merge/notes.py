"""What merge says about a conflict or a likely duplicate, in the interface language.

A merge keeps the details of each conflict and held record in its bookkeeping
(`merge_conflict.note`, `merge_duplicate.reason`) for `merge conflicts` and `merge
duplicates` to show later, maybe in another language: so they are kept as data, never
as sentences. A note is compact JSON naming what the conflict is about (a reference,
the records that still refer to a removed one, a key taken here); a likely duplicate's
reason is the noun's declared `LikelyDuplicate.reason`, an English message id. The
sentences are written here, when they are shown. Files of earlier versions kept English
sentences instead: those are shown as they are.
"""

from __future__ import annotations

import json
from typing import Any

from maliext_cli.i18n import N_, _, ngettext

# Conflict kinds, as `merge conflicts` shows them (translated where shown).
KINDS = {
    "edit": N_("changed here and there"),
    "removed-here": N_("removed here, changed there"),
    "removed-there": N_("changed here, removed there"),
    "reference": N_("their version refers to a record that is not here"),
    "unique": N_("their version uses a key (e-mail, acronym, code) that another record here has"),
    "children": N_("removed there, but records here still refer to it"),
}

# How many of the records that still refer to a removed one a note names.
NAMED = 3


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def reference(field: str, table: str, uid: str, *, held: bool) -> str:
    """The note of a conflict of kind `reference`: their version's `field` names record
    `uid` of `table`, which is not here (`held`: a merge holds it as a likely duplicate)."""
    return _dumps({"field": field, "table": table, "uid": uid, "held": held})


def children(found: list[tuple[str, str]]) -> str:
    """The note of a conflict of kind `children`: the records (table, uid) here that
    still refer to the record removed there."""
    return _dumps({"records": [list(r) for r in found[:NAMED]], "more": max(0, len(found) - NAMED)})


def key(columns: list[tuple[str, Any]] | None, table: str, uid: str) -> str:
    """The note of a conflict of kind `unique`, and the reason a record is held: its
    unique key (column, value)... is record `uid`'s of `table` here (None: a key made of
    values that are not shown)."""
    return _dumps({"key": None if columns is None else [list(c) for c in columns], "table": table, "uid": uid})


def _loads(text: str | None) -> dict | None:
    if not text or not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _key_text(note: dict) -> str:
    names = dict(table=note["table"], uid=note["uid"])
    if note.get("key"):
        shown = ", ".join(f"{column} {value}" for column, value in note["key"])
        # Translators: {key} is a unique key and its value ("email aminata@example.org").
        return _("same {key} as {table} {uid} here").format(key=shown, **names)
    return _("same key as {table} {uid} here").format(**names)


def conflict(kind: str, note: str | None) -> str:
    """What `merge conflicts` and a merge's report say of a conflict of `kind` with its
    kept `note`."""
    kind_text = _(KINDS[kind]) if kind in KINDS else kind
    data = _loads(note)
    if data is None:
        # Translators: a conflict's kind, then what it is about.
        return _("{kind}: {note}").format(kind=kind_text, note=note) if note else kind_text
    if kind == "reference" and "field" in data:
        names = dict(field=data["field"], table=data["table"], uid=data["uid"])
        if data.get("held"):
            return _(
                "their version refers to a record that is not here: its {field} ({table} {uid}), held as a duplicate"
            ).format(**names)
        return _("their version refers to a record that is not here: its {field} ({table} {uid})").format(**names)
    if kind == "children" and "records" in data:
        records = ", ".join(f"{table} {uid}" for table, uid in data["records"])
        more = data.get("more") or 0
        if more:
            return ngettext(
                "removed there, but records here still refer to it: {records} and {n} more",
                "removed there, but records here still refer to it: {records} and {n} more",
                more,
            ).format(records=records, n=more)
        return _("removed there, but records here still refer to it: {records}").format(records=records)
    if kind == "unique" and "table" in data:
        return _("{kind}: {note}").format(kind=kind_text, note=_key_text(data))
    return kind_text


def duplicate_reason(reason: str) -> str:
    """Why two records are listed as likely duplicates: a key taken here (a held record),
    or the noun's declared reason ("same name and birth year")."""
    data = _loads(reason)
    if data is not None and "table" in data:
        return _key_text(data)
    return _(reason) if reason else reason  # gettext("") is the catalogue's header
