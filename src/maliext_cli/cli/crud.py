"""What the add, edit, remove, import, export and report commands of every noun do
around their one service call, so that their messages and outputs are the same
everywhere: each noun's module writes its commands as plain functions and calls these.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from maliext_cli.cli import common
from maliext_cli.errors import UsageProblem
from maliext_cli.render import output

if TYPE_CHECKING:
    from maliext_cli.services.crud import Added, ImportReport, Noun
    from maliext_cli.services.importing import Source
    from maliext_cli.store import Store


def print_added(noun: Noun, store: Store, added: Added, *, quiet: bool, fmt: str) -> None:
    """After `add`: its warnings, then the new id (--quiet) or the record as `show` prints it."""
    for text in added.warnings:
        output.warning(text)
    if quiet:
        common.print_ids([added.id])
        return
    output.message(f"Added {noun.label} {added.id}.")
    output.record(noun.get(store, added.id), fmt, sections=noun.sections)


def nothing_to_change() -> UsageProblem:
    """The error of an `edit` given no field option."""
    return common.usage("nothing to change", hint="Give at least one field option (see --help).")


def print_edited(label: str, edited: tuple[int, bool, list[str]]) -> None:
    """After `edit`: the warnings of `Noun.edit`'s (id, changed, warnings), then what it did."""
    record_id, changed, warnings = edited
    for text in warnings:
        output.warning(text)
    output.message(
        f"Updated {label} {record_id}."
        if changed
        else f"{label.capitalize()} {record_id} already had these values; nothing changed."
    )


def confirm_removal(noun: Noun, store: Store, ref: str, yes: bool) -> int:
    """Before `remove`: the id of the record REF names, once the user agreed (or --yes)."""
    record_id = noun.find(store, ref)["id"]
    common.confirm(f"Remove {noun.label} {record_id}?", yes)
    return record_id


def print_removed(label: str, record_id: int) -> None:
    output.message(f"Removed {label} {record_id}.")


@contextlib.contextmanager
def import_source(file: str, *, input_format: str | None, encoding: str) -> Iterator[tuple[Source, Any]]:
    """FILE (or stdin) read as rows, and a progress bar for checking them, for the one
    `Noun.import_source` call of an `import` command made inside this block."""
    from maliext_cli.render.progress import bar
    from maliext_cli.services.importing import collector_paused, read

    data, name = common.read_input(file)
    with collector_paused():
        source = read(data, name=name, input_format=input_format, encoding=encoding)
        with bar(source.size_hint, "Checking rows") as progress:
            yield source, progress


def print_import_report(label: str, report: ImportReport, *, quiet: bool, dry_run: bool) -> None:
    """After `import`: its first warnings, then the new ids (--quiet) or what it did."""
    shown = report.warnings[:20]
    for text in shown:
        output.warning(text)
    if len(report.warnings) > len(shown):
        output.warning(f"... and {len(report.warnings) - len(shown)} more warnings")
    if quiet and not dry_run:
        common.print_ids(report.inserted)
        return
    verb = "Would import" if dry_run else "Imported"
    output.message(
        f"{verb} {report.rows} row(s): {len(report.inserted)} new {label}(s), {len(report.updated)} updated"
        + (f", {report.unchanged} unchanged" if report.unchanged else "")
        + (" (dry run: nothing was written)." if dry_run else ".")
    )


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
        output.message(f"Wrote {len(rows)} {noun.label}(s) to {out}.")


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
    output.records(rows, fmt, columns=shown, totals=totals, stream=stream)  # the total row: table formats only
