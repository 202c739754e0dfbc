"""`maliext need ...`: what host institutions ask for."""

from typing import Annotated

import typer

from maliext_cli.cli import common, crud
from maliext_cli.cli.options import (
    ColumnsOption,
    DbOption,
    DryRunOption,
    EncodingOption,
    ExportFormatOption,
    FormatOption,
    ImportFile,
    InputFormatOption,
    LimitOption,
    ListFormatOption,
    OutputOption,
    QuietOption,
    SearchOption,
    SortOption,
    UpsertOption,
    YesOption,
    field_options,
    filter_options,
)
from maliext_cli.i18n import _
from maliext_cli.render import output
from maliext_cli.services.needs import NOUN

app = typer.Typer(
    help="Needs of host institutions: courses, supervision, workshops, training, support.", no_args_is_help=True
)
Ref = Annotated[str, typer.Argument(help="The need: id or uid.", metavar="REF")]


@app.command("add")
@field_options(NOUN.entity)
def need_add(db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict) -> None:
    """Add a need.

    \b
    Examples:
      maliext need add --institution FAST --title "DEA de chimie organique : cours et encadrement" \\
          --discipline chimie --type supervision --level dea --window-start 2027-01-10 \\
          --window-end 2027-03-31 --duration-days 21 --keywords "chimie organique;produits naturels"
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(NOUN.entity, values)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def need_list(
    search: SearchOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    fmt: ListFormatOption = "table",
    columns: ColumnsOption = None,
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """List needs, filtered.

    \b
    Examples:
      maliext need list --status open --priority 1
      maliext need list --institution ISFRA --from 2027-01-01 --to 2027-06-30 -f json
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Needs"))


@app.command("show")
def need_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one need with its missions.

    \b
    Examples:
      maliext need show 4
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def need_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of a need; the others stay as they are.

    \b
    Examples:
      maliext need edit 4 --seats 2 --priority 1
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("remove")
def need_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove a need (asks first; --yes to skip).

    \b
    Examples:
      maliext need remove 4 --yes
    """
    store = common.open_store(db, create=False)
    need_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, need_id)
    crud.print_removed(NOUN.label, need_id)


@app.command("import")
def need_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import needs from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext need import besoins.csv
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def need_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export needs with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext need export --status open -o besoins-ouverts.csv
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out)


@app.command("cancel")
def need_cancel(ref: Ref, db: DbOption = None) -> None:
    """Cancel a need (refused while planned or ongoing missions fill it).

    \b
    Example:
      maliext need cancel 4
    """
    store = common.open_store(db, create=False)
    need_id, changed = NOUN.cancel(store, ref)
    output.message((_("Cancelled need {id}.") if changed else _("Need {id} was already cancelled.")).format(id=need_id))
