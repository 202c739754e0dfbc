"""`maliext evaluation ...`: the evaluations of missions by their host institutions and
their consultants (recorded with `maliext mission evaluate`, or added here)."""

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
from maliext_cli.services.evaluations import NOUN

app = typer.Typer(
    help="Evaluations of missions by their host institutions and consultants, at the end and a year after.",
    no_args_is_help=True,
)
Ref = Annotated[str, typer.Argument(help="The evaluation: id or uid.", metavar="REF")]


@app.command("add")
@field_options(NOUN.entity)
def evaluation_add(
    db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict
) -> None:
    """Add an evaluation of a mission, each criterion scored from 1 to 5 (`maliext mission evaluate` does the same).

    \b
    Examples:
      maliext evaluation add --mission 12 --by host --evaluated-on 2027-02-22 --relevance 5 --overall 4
    """
    fmt = common.format_name(fmt)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def evaluation_list(
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
    """List evaluations, filtered; `mean` is the mean of the criteria scored.

    \b
    Examples:
      maliext evaluation list --institution FAST --by host
      maliext evaluation list --kind followup --from 2027-01-01 -f json
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Evaluations"))


@app.command("show")
def evaluation_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one evaluation.

    \b
    Examples:
      maliext evaluation show 3
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def evaluation_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of an evaluation; its rules are checked again.

    \b
    Examples:
      maliext evaluation edit 3 --transfer 4 --comment "Cours repris par l'équipe locale"
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("remove")
def evaluation_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove an evaluation (asks first; --yes to skip).

    \b
    Examples:
      maliext evaluation remove 3 --yes
    """
    store = common.open_store(db, create=False)
    evaluation_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, evaluation_id)
    crud.print_removed(NOUN.label, evaluation_id)


@app.command("import")
def evaluation_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import evaluations from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); missions are named by uid (as
    `export` writes them) or id; every invalid row is reported with its line number.

    \b
    Examples:
      maliext evaluation import evaluations-2027.csv
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def evaluation_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export evaluations with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext evaluation export --from 2027-01-01 -o evaluations.csv
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out)
