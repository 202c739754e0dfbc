"""The commands every noun has (add, list, show, edit, remove, import, export), built
from its service so that options, messages and outputs are the same everywhere.

No `from __future__ import annotations` here: the commands are defined inside `build`,
and Typer must be able to evaluate their annotations, which refer to its locals.
"""

import functools
import inspect
import typing
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Optional

import typer

from maliext_cli.cli import common
from maliext_cli.cli.options import (
    ColumnsOption,
    DbOption,
    DryRunOption,
    EncodingOption,
    FormatOption,
    ImportFile,
    InputFormatOption,
    LimitOption,
    OutputOption,
    QuietOption,
    RedactOption,
    ReportFormatOption,
    SearchOption,
    UpsertOption,
    YesOption,
)
from maliext_cli.render import output
from maliext_cli.services import records
from maliext_cli.services.crud import Filter, Noun
from maliext_cli.text import a

ExportFormat = Annotated[
    str, typer.Option("-f", "--format", help="csv (default), tsv, json, jsonl, markdown, table or a tabulate format.")
]
Sort = Annotated[
    Optional[str],
    typer.Option(
        "--sort",
        help="Fields to sort by, e.g. name or -start_date (- for descending). Default: id.",
        show_default=False,
    ),
]


def with_options(params: Sequence[inspect.Parameter], into: str) -> Callable:
    """Add keyword options `params` to a command; their values reach it as one dict
    in its parameter `into` (options made from data, e.g. one per filter)."""

    def decorate(fn: Callable) -> Callable:
        signature = inspect.signature(fn)
        hints = typing.get_type_hints(fn, include_extras=True)
        own = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in signature.parameters.values()
            if p.name != into
        ]
        names = [p.name for p in params]

        @functools.wraps(fn)
        def command(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **{into: {n: kwargs.pop(n) for n in names}}, **kwargs)

        every = [*own, *params]
        command.__signature__ = signature.replace(parameters=every)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in every}
        return command

    return decorate


def filter_params(filters: Sequence[Filter]) -> list[inspect.Parameter]:
    params = []
    for f in filters:
        kind = Optional[list[str]] if f.many else Optional[str]
        option = typer.Option(
            f.flag,
            help=f.help,
            show_default=False,
            metavar=f.metavar,
            rich_help_panel="Filters",
        )
        params.append(
            inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[kind, option])
        )
    return params


def given_filters(filters: dict) -> dict[str, list[str]]:
    return {name: ([value] if isinstance(value, str) else list(value or [])) for name, value in filters.items()}


def help_text(text: str, examples: Sequence[str]) -> str:
    """A command's help: one line, more text, then examples kept as written."""
    if not examples:
        return text
    return text + "\n\n\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)


def build(
    app: typer.Typer,
    noun: Noun,
    *,
    examples: dict[str, Sequence[str]],
    commands: Sequence[str] = ("add", "list", "show", "edit", "remove", "import", "export"),
    ref_help: str | None = None,
    add_fields: Sequence[records.Field] = (),
) -> None:
    """Register the generic commands of `noun` on `app` (`add_fields`: options that
    `add` takes beyond the entity's fields)."""
    label = noun.label
    Ref = Annotated[
        str,
        typer.Argument(
            help=ref_help or f"The {label}: id, uid{' or ' + noun.entity.key_hint if noun.entity.key_hint else ''}.",
            metavar="REF",
        ),
    ]
    sections = noun.sections

    if "add" in commands:

        @common.field_options(noun.entity, extra=add_fields)
        def add(
            db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", values: dict = None
        ) -> None:
            fmt = common.format_name(fmt)
            common.prompt_missing(noun.entity, values)
            store = common.open_store(db)
            added = noun.add(store, values)
            for text in added.warnings:
                output.warning(text)
            if quiet:
                common.print_ids([added.id])
                return
            output.message(f"Added {label} {added.id}.")
            output.record(noun.get(store, added.id), fmt, sections=sections)

        add.__doc__ = help_text(f"Add {a(label)}.", examples.get("add", ()))
        app.command("add")(add)

    if "list" in commands:

        @with_options(filter_params(noun.filters), into="filters")
        def list_(
            search: SearchOption = None,
            sort: Sort = None,
            limit: LimitOption = None,
            fmt: FormatOption = "table",
            columns: ColumnsOption = None,
            db: DbOption = None,
            filters: dict = None,
        ) -> None:
            fmt = common.format_name(fmt)
            store = common.open_store(db, create=False)
            rows = noun.query(store, given_filters(filters), search=search, sort=sort, limit=limit)
            output.records(rows, fmt, columns=output.select_columns(noun.columns, columns))

        if not noun.search:
            list_.__signature__ = list_.__signature__.replace(  # type: ignore[attr-defined]
                parameters=[p for p in list_.__signature__.parameters.values() if p.name != "search"]  # type: ignore[attr-defined]
            )
        list_.__doc__ = help_text(f"List {label}s, filtered.", examples.get("list", ()))
        app.command("list")(list_)

    if "show" in commands:

        def show(ref: Ref, fmt: FormatOption = "table", db: DbOption = None) -> None:
            fmt = common.format_name(fmt)
            store = common.open_store(db, create=False)
            output.record(noun.get(store, ref), fmt, sections=sections)

        show.__doc__ = help_text(
            f"Show one {label}" + (f" with its {', '.join(sections)}." if sections else "."), examples.get("show", ())
        )
        app.command("show")(show)

    if "edit" in commands:

        @common.field_options(noun.entity, editing=True)
        def edit(ref: Ref, db: DbOption = None, values: dict = None) -> None:
            if not values:
                raise common.usage("nothing to change", hint="Give at least one field option (see --help).")
            store = common.open_store(db, create=False)
            record_id, changed, warnings = noun.edit(store, ref, values)
            for text in warnings:
                output.warning(text)
            output.message(
                f"Updated {label} {record_id}."
                if changed
                else f"{label.capitalize()} {record_id} already had these values; nothing changed."
            )

        edit.__doc__ = help_text(
            f"Change some fields of {a(label)}; the others stay as they are.", examples.get("edit", ())
        )
        app.command("edit")(edit)

    if "remove" in commands:

        def remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
            store = common.open_store(db, create=False)
            row = noun.find(store, ref)
            common.confirm(f"Remove {label} {row['id']}?", yes)
            noun.remove(store, row["id"])
            output.message(f"Removed {label} {row['id']}.")

        remove.__doc__ = help_text(f"Remove {a(label)} (asks first; --yes to skip).", examples.get("remove", ()))
        app.command("remove")(remove)

    if "import" in commands:

        def import_(
            file: ImportFile,
            input_format: InputFormatOption = None,
            encoding: EncodingOption = "utf-8",
            upsert: UpsertOption = False,
            dry_run: DryRunOption = False,
            quiet: QuietOption = False,
            db: DbOption = None,
        ) -> None:
            run_import(
                noun,
                file,
                input_format=input_format,
                encoding=encoding,
                upsert=upsert,
                dry_run=dry_run,
                quiet=quiet,
                db=db,
            )

        import_.__doc__ = help_text(
            f"Import {label}s from CSV, TSV, JSON or JSON lines: all rows or none.\n\n"
            "Headers are field names (or their French forms); every invalid row is reported with its line number.",
            examples.get("import", ()),
        )
        app.command("import")(import_)

    if "export" in commands:
        has_contacts = any(f.contact for f in noun.entity.fields)

        @with_options(filter_params(noun.filters), into="filters")
        def export(
            fmt: ExportFormat = "csv",
            out: OutputOption = None,
            redact: RedactOption = False,
            db: DbOption = None,
            filters: dict = None,
        ) -> None:
            fmt = common.format_name(fmt)
            store = common.open_store(db, create=False)
            rows = noun.exported(store, given_filters(filters))
            columns = noun.columns
            if redact:
                rows, columns = records.redact(noun.entity, rows, columns)
            with common.output_stream(out) as stream:
                output.records(rows, fmt, stream=stream, columns=columns)
            if out:
                output.message(f"Wrote {len(rows)} {label}(s) to {out}.")

        if not has_contacts:
            export.__signature__ = export.__signature__.replace(  # type: ignore[attr-defined]
                parameters=[p for p in export.__signature__.parameters.values() if p.name != "redact"]  # type: ignore[attr-defined]
            )
        export.__doc__ = help_text(
            f"Export {label}s with every field, in a form that `import` reads back.", examples.get("export", ())
        )
        app.command("export")(export)


def report_command(
    app: typer.Typer, noun: Noun, build_report: Callable, title: str, by: Any, doc: str, examples: Sequence[str]
) -> None:
    """Register `report` on a noun's app: `--by` (the `by` annotation), `--search`,
    the noun's list filters, every format and html; `build_report(store, by, filters,
    search=...)` returns (keys, rows, totals)."""

    @with_options(filter_params(noun.filters), into="filters")
    def report(
        by: by = None,
        search: SearchOption = None,
        fmt: ReportFormatOption = "table",
        columns: ColumnsOption = None,
        db: DbOption = None,
        filters: dict = None,
    ) -> None:
        fmt = common.format_name(fmt, allowed=output.REPORT_FORMATS)
        store = common.open_store(db, create=False)
        keys, rows, totals = build_report(store, by, given_filters(filters), search=search)
        print_report(title, keys, rows, totals, fmt, columns)

    report.__doc__ = help_text(doc, examples)
    app.command("report")(report)


def print_report(title: str, keys: list[str], rows: list[dict], totals: dict | None, fmt: str, columns) -> None:
    """Print a grouped report (`--columns` chosen among `keys`): an HTML page, or records
    with the total row in table formats."""
    shown = output.select_columns(keys, columns)
    if fmt == "html":
        from maliext_cli.render import html

        print(html.table_page(title, rows, shown, totals=totals))
        return
    output.records(rows, fmt, columns=shown, totals=totals)  # the total row is drawn in table formats only


def run_import(noun, file: str, *, input_format, encoding, upsert, dry_run, quiet, db) -> None:
    """Read FILE, import it with `noun.import_source` and report (shared by every noun)."""
    from maliext_cli.render.progress import bar
    from maliext_cli.services.importing import collector_paused, read

    data, name = common.read_input(file)
    with collector_paused():
        source = read(data, name=name, input_format=input_format, encoding=encoding)
        store = common.open_store(db)
        with bar(source.size_hint, "Checking rows") as progress:
            report = noun.import_source(store, source, upsert=upsert, dry_run=dry_run, progress=progress)
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
        f"{verb} {report.rows} row(s): {len(report.inserted)} new {noun.label}(s), {len(report.updated)} updated"
        + (f", {report.unchanged} unchanged" if report.unchanged else "")
        + (" (dry run: nothing was written)." if dry_run else ".")
    )
