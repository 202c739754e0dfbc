"""`maliext consultant ...`: the repertory of expatriate consultants."""

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
    RedactOption,
    SearchOption,
    SortOption,
    UpsertOption,
    YesOption,
    field_options,
    filter_options,
)
from maliext_cli.i18n import _
from maliext_cli.render import output
from maliext_cli.services import consultants as service
from maliext_cli.services import interests
from maliext_cli.services.records import Field

NOUN = service.NOUN
app = typer.Typer(help="The repertory of consultants: Malian experts abroad.", no_args_is_help=True)
availability_app = typer.Typer(help="Periods when a consultant can travel.", no_args_is_help=True)
app.add_typer(availability_app, name="availability")

Ref = Annotated[str, typer.Argument(help="The consultant: id, uid or its e-mail address.", metavar="REF")]
# The same argument, as the availability and conflict commands have always worded it.
OwnerRef = Annotated[str, typer.Argument(help="The consultant: id, uid or e-mail address.", metavar="REF")]
AVAILABILITY = Field(
    "availability",
    many=True,
    help="Periods when the consultant can travel, START/END (repeat, or separate with ';'), e.g. 2027-01-04/2027-03-31.",
)


@app.command("add")
@field_options(NOUN.entity, extra=[AVAILABILITY])  # `add` also takes availability periods, as imports do
def consultant_add(
    db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", *, values: dict
) -> None:
    """Add a consultant.

    \b
    Examples:
      maliext consultant add --family-name Traoré --given-names Aminata --country France \\
          --degree doctorat --discipline chimie --email a.traore@example.org \\
          --specialities "chimie organique;catalyse" --availability 2027-01-04/2027-03-31
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(NOUN.entity, values)
    store = common.open_store(db)
    crud.print_added(NOUN, store, NOUN.add(store, values), quiet=quiet, fmt=fmt)


@app.command("list")
@filter_options(NOUN.filters)
def consultant_list(
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
    """List consultants, filtered.

    \b
    Examples:
      maliext consultant list --country FR --degree doctorat --discipline 053
      maliext consultant list --search "ecole normale" -f json
      maliext consultant list --available-from 2027-02-01 --available-to 2027-02-21 --language bm
      maliext consultant list --sort name -c id,family_name,given_names,country
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    rows = NOUN.query(common.open_store(db, create=False), filters, search=search, sort=sort, limit=limit)
    crud.print_list(NOUN, rows, fmt, columns, out, title=_("Consultants"))


@app.command("show")
def consultant_show(
    ref: Ref, fmt: FormatOption = "table", columns: ColumnsOption = None, db: DbOption = None
) -> None:
    """Show one consultant with its availability, missions, conflicts.

    \b
    Examples:
      maliext consultant show a.traore@example.org -f json
    """
    fmt = common.format_name(fmt)
    crud.print_record(NOUN, NOUN.get(common.open_store(db, create=False), ref), fmt, columns)


@app.command("edit")
@field_options(NOUN.entity, editing=True)
def consultant_edit(ref: Ref, db: DbOption = None, *, values: dict) -> None:
    """Change some fields of a consultant; the others stay as they are.

    \b
    Examples:
      maliext consultant edit 12 --status inactive --phone "+223 76 12 34 56"
    """
    if not values:
        raise crud.nothing_to_change()
    crud.print_edited(NOUN.label, NOUN.edit(common.open_store(db, create=False), ref, values))


@app.command("remove")
def consultant_remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove a consultant (asks first; --yes to skip).

    \b
    Examples:
      maliext consultant remove 12 --yes
    """
    store = common.open_store(db, create=False)
    consultant_id = crud.confirm_removal(NOUN, store, ref, yes)
    NOUN.remove(store, consultant_id)
    crud.print_removed(NOUN.label, consultant_id)


@app.command("import")
def consultant_import(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import consultants from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names (or their French forms); every invalid row is reported with its line number.

    \b
    Examples:
      maliext consultant import repertoire.csv --dry-run
      maliext consultant export | maliext consultant import - --upsert --db bamako.db
    """
    with crud.import_source(file, input_format=input_format, encoding=encoding) as (source, progress):
        report = NOUN.import_source(common.open_store(db), source, upsert=upsert, dry_run=dry_run, progress=progress)
    crud.print_import_report(NOUN.label, report, quiet=quiet, dry_run=dry_run)


@app.command("export")
@filter_options(NOUN.filters)
def consultant_export(
    fmt: ExportFormatOption = "csv",
    out: OutputOption = None,
    redact: RedactOption = False,
    db: DbOption = None,
    *,
    filters: dict[str, list[str]],
) -> None:
    """Export consultants with every field, in a form that `import` reads back.

    \b
    Examples:
      maliext consultant export -o repertoire.csv
      maliext consultant export --redact --country SN -f json
    """
    fmt = common.format_name(fmt)
    rows = NOUN.exported(common.open_store(db, create=False), filters)
    crud.write_export(NOUN, rows, fmt, out, redact=redact)


# ----------------------------------------------------------------- availability
Start = Annotated[str, typer.Option("--start", help="First day (YYYY-MM-DD).")]
End = Annotated[str, typer.Option("--end", help="Last day (YYYY-MM-DD).")]


@availability_app.command("add")
def availability_add(ref: OwnerRef, start: Start, end: End, quiet: QuietOption = False, db: DbOption = None) -> None:
    """Add a period when the consultant can travel.

    \b
    Example:
      maliext consultant availability add 12 --start 2027-01-04 --end 2027-03-31
    """
    store = common.open_store(db, create=False)
    new_id = service.add_availability(store, ref, start, end)
    if quiet:
        common.print_ids([new_id])
    else:
        output.message(_("Added availability period {id}.").format(id=new_id))


@availability_app.command("list")
def availability_list(
    ref: OwnerRef,
    fmt: ListFormatOption = "table",
    columns: ColumnsOption = None,
    out: OutputOption = None,
    db: DbOption = None,
) -> None:
    """List a consultant's availability periods.

    \b
    Example:
      maliext consultant availability list 12 -f csv
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    store = common.open_store(db, create=False)
    rows = service.list_availability(store, ref)
    shown, brief = output.choose_columns(service.AVAILABILITY_COLUMNS, columns, fmt, brief=service.AVAILABILITY_BRIEF)
    crud.print_rows(rows, fmt, shown, out, title=_("Availability"), fit=brief)


@availability_app.command("remove")
def availability_remove(
    ref: OwnerRef,
    period: Annotated[str, typer.Argument(help="The period's id, or START/END.", metavar="PERIOD")],
    db: DbOption = None,
) -> None:
    """Remove one availability period.

    \b
    Example:
      maliext consultant availability remove 12 2027-01-04/2027-03-31
    """
    store = common.open_store(db, create=False)
    row = service.remove_availability(store, ref, period)
    output.message(_("Removed availability period {start}/{end}.").format(start=row["start"], end=row["end"]))


# ------------------------------------------------------- conflicts of interest
interests_app = typer.Typer(
    help="Declared conflicts of interest: institutions a consultant is not sent to.", no_args_is_help=True
)
app.add_typer(interests_app, name="conflict")
Institution = Annotated[str, typer.Option("--institution", help="The institution (id, uid or acronym).")]


@interests_app.command("add")
def conflict_of_interest_add(
    ref: OwnerRef,
    institution: Institution,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (kept for the record).", show_default=False)
    ] = None,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Declare a conflict of interest between a consultant and an institution.

    Matching never proposes that pair. (A consultant's own employer, when it is a
    registered institution, is a conflict without being declared.)

    \b
    Example:
      maliext consultant conflict add 12 --institution FSJP --reason "époux enseignant à la FSJP"
    """
    store = common.open_store(db, create=False)
    new_id = interests.declare_conflict_of_interest(store, ref, institution, reason)
    if quiet:
        common.print_ids([new_id])
    else:
        output.message(_("Declared conflict of interest {id}.").format(id=new_id))


@interests_app.command("list")
def conflict_of_interest_list(
    ref: OwnerRef,
    fmt: ListFormatOption = "table",
    columns: ColumnsOption = None,
    out: OutputOption = None,
    db: DbOption = None,
) -> None:
    """List a consultant's declared conflicts of interest.

    \b
    Example:
      maliext consultant conflict list 12 -f json
    """
    fmt = common.format_name(fmt, output.LIST_FORMATS)
    store = common.open_store(db, create=False)
    rows = interests.conflicts_of_interest(store, ref)
    shown, brief = output.choose_columns(
        interests.CONFLICT_OF_INTEREST_COLUMNS, columns, fmt, brief=interests.CONFLICT_OF_INTEREST_BRIEF
    )
    crud.print_rows(rows, fmt, shown, out, title=_("Conflicts of interest"), fit=brief)


@interests_app.command("remove")
def conflict_of_interest_remove(ref: OwnerRef, institution: Institution, db: DbOption = None) -> None:
    """Remove a declared conflict of interest.

    \b
    Example:
      maliext consultant conflict remove 12 --institution FSJP
    """
    store = common.open_store(db, create=False)
    row = interests.remove_conflict_of_interest(store, ref, institution)
    output.message(_("Removed conflict of interest {id}.").format(id=row["id"]))
