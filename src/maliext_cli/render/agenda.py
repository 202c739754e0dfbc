"""`maliext agenda` for the reader: one titled table per kind of item (render/document.py),
drawn as text, Markdown or an HTML page like the reports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.render.document import Document, table
from maliext_cli.render.formats import long_date, medium_date
from maliext_cli.services.agenda import KINDS, Item

# The record an item is about, as the reader reads it ("mission 12", "besoin 4").
_TABLES = {"mission": N_("mission"), "need": N_("need"), "application": N_("application")}


def _record(item: Item) -> str:
    """`mission 12`, `besoin 4`: the kind of record in the interface language, and its id."""
    kind = _TABLES.get(item.table)
    return f"{_(kind) if kind else item.table} {item.record}"


def agenda_document(items: Sequence[Item], day: date, within: int, lang: str) -> Document:
    """The items grouped by kind, in the order of KINDS, in the interface language `lang`."""
    sections = []
    for kind, title in KINDS.items():
        found = [item for item in items if item.kind == kind]
        if not found:
            continue
        sections.append(
            table(
                kind,
                # Translators: a section of the agenda: its kind and how many items it holds ("Outcomes missing (3)").
                _("{kind} ({n})").format(kind=_(title), n=len(found)),
                # Translators: the columns of the agenda: the record, the day it is due, what to do, the command.
                (_("Record"), _("Due"), _("What"), _("Command")),
                [[_record(item), medium_date(item.due), item.message, item.command] for item in found],
                nowrap=(0, 1),
            )
        )
    subtitle = ngettext(
        "What needs attention on {date}, and in the {n} day after it.",
        "What needs attention on {date}, and in the {n} days after it.",
        within,
    ).format(date=long_date(day.isoformat()), n=within)
    if not items:
        subtitle += " " + _("Nothing needs attention.")
    return Document(lang, _("Agenda"), subtitle, sections)
