"""What the add, edit, remove, import, export and report commands of every noun do
around their one service call, so that their messages and outputs are the same
everywhere: each noun's module writes its commands as plain functions and calls these.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from maliext_cli import i18n
from maliext_cli.cli import common
from maliext_cli.errors import UsageProblem
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.render import output

if TYPE_CHECKING:
    from maliext_cli.services.crud import Added, ImportReport, Noun
    from maliext_cli.services.importing import Source
    from maliext_cli.store import Store


@dataclass(frozen=True)
class Said:
    """What the commands say about one kind of record, each a whole sentence: French
    gives the noun its gender and article ("Mission 4 ajoutée", "Supprimer le besoin
    4 ?"), which no sentence assembled around a translated noun would get right. The
    texts are marked here and translated where they are shown (`wrote` is a function:
    its ngettext call must see the number)."""

    added: str
    updated: str
    unchanged: str
    remove: str  # the question asked before removing
    removed: str
    wrote: Callable[[int], str]  # the sentence for n records written to a file, translated


# Keyed by the nouns' labels (services/*.py `Entity.label`), which stay in English.
SAID: dict[str, Said] = {
    "consultant": Said(
        N_("Added consultant {id}."),
        N_("Updated consultant {id}."),
        N_("Consultant {id} already had these values; nothing changed."),
        N_("Remove consultant {id}?"),
        N_("Removed consultant {id}."),
        lambda n: ngettext("Wrote {n} consultant to {path}.", "Wrote {n} consultants to {path}.", n),
    ),
    "institution": Said(
        N_("Added institution {id}."),
        N_("Updated institution {id}."),
        N_("Institution {id} already had these values; nothing changed."),
        N_("Remove institution {id}?"),
        N_("Removed institution {id}."),
        lambda n: ngettext("Wrote {n} institution to {path}.", "Wrote {n} institutions to {path}.", n),
    ),
    "programme": Said(
        N_("Added programme {id}."),
        N_("Updated programme {id}."),
        N_("Programme {id} already had these values; nothing changed."),
        N_("Remove programme {id}?"),
        N_("Removed programme {id}."),
        lambda n: ngettext("Wrote {n} programme to {path}.", "Wrote {n} programmes to {path}.", n),
    ),
    "antenna": Said(
        N_("Added antenna {id}."),
        N_("Updated antenna {id}."),
        N_("Antenna {id} already had these values; nothing changed."),
        N_("Remove antenna {id}?"),
        N_("Removed antenna {id}."),
        lambda n: ngettext("Wrote {n} antenna to {path}.", "Wrote {n} antennas to {path}.", n),
    ),
    "need": Said(
        N_("Added need {id}."),
        N_("Updated need {id}."),
        N_("Need {id} already had these values; nothing changed."),
        N_("Remove need {id}?"),
        N_("Removed need {id}."),
        lambda n: ngettext("Wrote {n} need to {path}.", "Wrote {n} needs to {path}.", n),
    ),
    "mission": Said(
        N_("Added mission {id}."),
        N_("Updated mission {id}."),
        N_("Mission {id} already had these values; nothing changed."),
        N_("Remove mission {id}?"),
        N_("Removed mission {id}."),
        lambda n: ngettext("Wrote {n} mission to {path}.", "Wrote {n} missions to {path}.", n),
    ),
    "agreement": Said(
        N_("Added agreement {id}."),
        N_("Updated agreement {id}."),
        N_("Agreement {id} already had these values; nothing changed."),
        N_("Remove agreement {id}?"),
        N_("Removed agreement {id}."),
        lambda n: ngettext("Wrote {n} agreement to {path}.", "Wrote {n} agreements to {path}.", n),
    ),
    "association": Said(
        N_("Added association {id}."),
        N_("Updated association {id}."),
        N_("Association {id} already had these values; nothing changed."),
        N_("Remove association {id}?"),
        N_("Removed association {id}."),
        lambda n: ngettext("Wrote {n} association to {path}.", "Wrote {n} associations to {path}.", n),
    ),
    "project": Said(
        N_("Added project {id}."),
        N_("Updated project {id}."),
        N_("Project {id} already had these values; nothing changed."),
        N_("Remove project {id}?"),
        N_("Removed project {id}."),
        lambda n: ngettext("Wrote {n} project to {path}.", "Wrote {n} projects to {path}.", n),
    ),
    "evaluation": Said(
        N_("Added evaluation {id}."),
        N_("Updated evaluation {id}."),
        N_("Evaluation {id} already had these values; nothing changed."),
        N_("Remove evaluation {id}?"),
        N_("Removed evaluation {id}."),
        lambda n: ngettext("Wrote {n} evaluation to {path}.", "Wrote {n} evaluations to {path}.", n),
    ),
}
# A noun without its own sentences yet names itself in parentheses, where no grammar
# depends on it (tests/test_consultant_cli.py asks every noun of the registry for its own).
SAID_OF_ANY = Said(
    N_("Added record {id} ({noun})."),
    N_("Updated record {id} ({noun})."),
    N_("Record {id} ({noun}) already had these values; nothing changed."),
    N_("Remove record {id} ({noun})?"),
    N_("Removed record {id} ({noun})."),
    lambda n: ngettext("Wrote {n} record ({noun}) to {path}.", "Wrote {n} records ({noun}) to {path}.", n),
)


def said(label: str) -> Said:
    return SAID.get(label, SAID_OF_ANY)


def _say(text: str, label: str, **values: Any) -> str:
    # `noun` is used by the sentences of SAID_OF_ANY only; format ignores it elsewhere.
    return _(text).format(noun=_(label), **values)


def print_added(noun: Noun, store: Store, added: Added, *, quiet: bool, fmt: str) -> None:
    """After `add`: its warnings, then the new id (--quiet) or the record as `show` prints it."""
    for text in added.warnings:
        output.warning(text)
    if quiet:
        common.print_ids([added.id])
        return
    output.message(_say(said(noun.label).added, noun.label, id=added.id))
    output.record(noun.get(store, added.id), fmt, sections=noun.sections)


def print_list(
    noun: Noun, rows: list[dict], fmt: str, columns: list[str] | None, out: Path | None = None, *, title: str
) -> None:
    """After `list`: the brief columns in the table and html formats, every field in the
    others and with `-c all`, or those of `-c` (readable ones such as discipline_label
    too); to stdout or the file `out`. `title` heads the html page."""
    shown, brief = output.choose_columns(
        noun.columns, columns, fmt, brief=noun.brief, extra=noun.label_columns
    )
    print_rows(rows, fmt, shown, out, title=title, fit=brief, entity=noun.entity)


def print_rows(
    rows: list[dict],
    fmt: str,
    columns: list[str],
    out: Path | None,
    *,
    title: str,
    fit: bool,
    entity: Any = None,
) -> None:
    """Print `rows` with `columns` (the readable ones of `entity` filled in), to stdout
    or to the file `out`."""
    if entity is not None:
        from maliext_cli.services import records

        rows = records.with_labels(entity, rows, columns, i18n.current())
    with common.output_stream(out) as stream:
        output.records(rows, fmt, columns=columns, stream=stream, fit=fit, title=title)
    if out:
        output.message(_("Wrote {path}.").format(path=out))


def print_record(noun: Noun, obj: dict, fmt: str, columns: list[str] | None) -> None:
    """After `show`: the record with its sections, or only the fields and sections of
    `-c` (readable ones such as discipline_label too; `-c all`: every field)."""
    sections = noun.sections
    if columns:
        known = [*noun.columns, *sections]
        shown, _brief = output.choose_columns(known, columns, fmt, extra=noun.label_columns)
        from maliext_cli.services import records

        full = records.with_labels(noun.entity, [obj], shown, i18n.current())[0]
        obj = {c: full.get(c) for c in shown}
        sections = tuple(s for s in sections if s in shown)
    output.record(obj, fmt, sections=sections)


def nothing_to_change() -> UsageProblem:
    """The error of an `edit` given no field option."""
    return common.usage(_("nothing to change"), hint=_("Give at least one field option (see --help)."))


def print_edited(label: str, edited: tuple[int, bool, list[str]]) -> None:
    """After `edit`: the warnings of `Noun.edit`'s (id, changed, warnings), then what it did."""
    record_id, changed, warnings = edited
    for text in warnings:
        output.warning(text)
    texts = said(label)
    output.message(_say(texts.updated if changed else texts.unchanged, label, id=record_id))


def confirm_removal(noun: Noun, store: Store, ref: str, yes: bool) -> int:
    """Before `remove`: the id of the record REF names, once the user agreed (or --yes)."""
    record_id = noun.find(store, ref)["id"]
    common.confirm(_say(said(noun.label).remove, noun.label, id=record_id), yes)
    return record_id


def print_removed(label: str, record_id: int) -> None:
    output.message(_say(said(label).removed, label, id=record_id))


@contextlib.contextmanager
def import_source(file: str, *, input_format: str | None, encoding: str) -> Iterator[tuple[Source, Any]]:
    """FILE (or stdin) read as rows, and a progress bar for checking them, for the one
    `Noun.import_source` call of an `import` command made inside this block."""
    from maliext_cli.render.progress import bar
    from maliext_cli.services.importing import collector_paused, read

    data, name = common.read_input(file)
    with collector_paused():
        source = read(data, name=name, input_format=input_format, encoding=encoding)
        # Translators: the label of the progress bar while an import checks its rows.
        with bar(source.size_hint, _("Checking rows")) as progress:
            yield source, progress


def print_import_report(label: str, report: ImportReport, *, quiet: bool, dry_run: bool) -> None:
    """After `import`: its first warnings, then the new ids (--quiet) or what it did."""
    shown = report.warnings[:20]
    for text in shown:
        output.warning(text)
    more = len(report.warnings) - len(shown)
    if more > 0:
        output.warning(ngettext("... and {n} more warning", "... and {n} more warnings", more).format(n=more))
    if quiet and not dry_run:
        common.print_ids(report.inserted)
        return
    counts = dict(rows=report.rows, new=len(report.inserted), updated=len(report.updated), unchanged=report.unchanged)
    if dry_run and report.unchanged:
        text = ngettext(
            "Would import {rows} row: {new} new, {updated} updated, {unchanged} unchanged (dry run: nothing was written).",
            "Would import {rows} rows: {new} new, {updated} updated, {unchanged} unchanged (dry run: nothing was written).",
            report.rows,
        )
    elif dry_run:
        text = ngettext(
            "Would import {rows} row: {new} new, {updated} updated (dry run: nothing was written).",
            "Would import {rows} rows: {new} new, {updated} updated (dry run: nothing was written).",
            report.rows,
        )
    elif report.unchanged:
        text = ngettext(
            "Imported {rows} row: {new} new, {updated} updated, {unchanged} unchanged.",
            "Imported {rows} rows: {new} new, {updated} updated, {unchanged} unchanged.",
            report.rows,
        )
    else:
        text = ngettext(
            "Imported {rows} row: {new} new, {updated} updated.",
            "Imported {rows} rows: {new} new, {updated} updated.",
            report.rows,
        )
    output.message(text.format(**counts))


def write_export(noun: Noun, rows: list[dict], fmt: str, out: Path | None, *, redact: bool = False) -> None:
    """`export`: every column of `rows` (without contact data if `redact`), to stdout
    or to the file `out`, in a form that `import` reads back."""
    columns = noun.columns
    if redact:
        from maliext_cli.services import records

        rows, columns = records.redact(noun.entity, rows, columns)
    with common.output_stream(out) as stream:
        output.records(rows, fmt, stream=stream, columns=columns)
    if out:
        output.message(said(noun.label).wrote(len(rows)).format(n=len(rows), path=out, noun=_(noun.label)))


def print_report(
    title: str, keys: list[str], rows: list[dict], totals: dict | None, fmt: str, columns, stream: IO | None = None
) -> None:
    """Print a grouped report (`--columns` chosen among `keys`) to `stream` (default
    stdout): an HTML page, or records with the total row in table formats."""
    shown = output.select_columns(keys, columns)
    if fmt == "html":
        from maliext_cli.render import html

        print(html.table_page(title, rows, shown, totals=totals), file=stream or sys.stdout)
        return
    # The total row: table formats only. A group key (institution, consultant) names its record.
    output.records(rows, fmt, columns=shown, totals=totals, stream=stream, named=keys)
