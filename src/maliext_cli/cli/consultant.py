"""`maliext consultant ...`: the repertory of expatriate consultants."""

from __future__ import annotations

from typing import Annotated, Optional

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
    SearchOption,
    UpsertOption,
    YesOption,
)
from maliext_cli.render import output
from maliext_cli.services import consultants as service
from maliext_cli.services import records
from maliext_cli.services.records import Field

app = typer.Typer(help="The repertory of consultants: Malian experts abroad.", no_args_is_help=True)
availability_app = typer.Typer(help="Periods when a consultant can travel.", no_args_is_help=True)
app.add_typer(availability_app, name="availability")

Ref = Annotated[str, typer.Argument(help="The consultant: id, uid or e-mail address.", metavar="REF")]
AVAILABILITY = Field(
    "availability",
    help="Periods when the consultant can travel, START/END (repeat, or separate with ';'), e.g. 2027-01-04/2027-03-31.",
    many=True,
)

# Filters shared by `list` and `export`.
Discipline = Annotated[
    Optional[list[str]],
    typer.Option(
        "--discipline",
        help="ISCED-F code or name; a broad or narrow code (05, 053) takes its whole field.",
        show_default=False,
    ),
]
Country = Annotated[
    Optional[list[str]], typer.Option("--country", help="Country of residence (code or name).", show_default=False)
]
Degree = Annotated[
    Optional[list[str]],
    typer.Option("--degree", help="licence, master, dea, dess, ingenieur, doctorat, hdr.", show_default=False),
]
Status = Annotated[
    Optional[list[str]], typer.Option("--status", help="candidate, active or inactive.", show_default=False)
]
Antenna = Annotated[Optional[list[str]], typer.Option("--antenna", help="Relay antenna code.", show_default=False)]
Language = Annotated[
    Optional[list[str]],
    typer.Option("--language", help="Speaks this language (ISO 639-1 code or name).", show_default=False),
]
AvailableFrom = Annotated[
    Optional[str], typer.Option("--available-from", help="Available on every day from this date...", show_default=False)
]
AvailableTo = Annotated[
    Optional[str],
    typer.Option("--available-to", help="...to this date (one availability period covers both).", show_default=False),
]
Sort = Annotated[
    Optional[str],
    typer.Option(
        "--sort",
        help="Fields to sort by, e.g. name or country,-birth_year (- for descending). Default: id.",
        show_default=False,
    ),
]


def _query(
    discipline, country, degree, status, antenna, language, available_from, available_to, search, sort, limit
) -> service.Query:
    return service.Query(
        discipline=discipline or (),
        country=country or (),
        degree=degree or (),
        status=status or (),
        antenna=antenna or (),
        language=language or (),
        available_from=available_from,
        available_to=available_to,
        search=search,
        sort=sort,
        limit=limit,
    )


@app.command("add")
@common.field_options(service.ENTITY, extra=[AVAILABILITY])
def add(db: DbOption = None, quiet: QuietOption = False, fmt: FormatOption = "table", values: dict = None) -> None:
    """Add a consultant to the repertory.

    Example:

        maliext consultant add --family-name Traoré --given-names Aminata --country France
        --degree doctorat --discipline chimie --email a.traore@example.org
        --specialities "chimie organique;catalyse" --availability 2027-01-04/2027-03-31
    """
    fmt = common.format_name(fmt)
    common.prompt_missing(service.ENTITY, values)
    store = common.open_store(db)
    added = service.add(store, values)
    for text in added.warnings:
        output.warning(text)
    if quiet:
        common.print_ids([added.id])
        return
    record = service.get(store, added.id)
    output.message(f"Added consultant {added.id} ({record['given_names']} {record['family_name']}).")
    output.record(record, fmt, sections=("availability", "missions", "conflicts"))


@app.command("list")
def list_(
    discipline: Discipline = None,
    country: Country = None,
    degree: Degree = None,
    status: Status = None,
    antenna: Antenna = None,
    language: Language = None,
    available_from: AvailableFrom = None,
    available_to: AvailableTo = None,
    search: SearchOption = None,
    sort: Sort = None,
    limit: LimitOption = None,
    fmt: FormatOption = "table",
    columns: ColumnsOption = None,
    db: DbOption = None,
) -> None:
    """List consultants, filtered.

    Examples:

        maliext consultant list --country FR --degree doctorat --discipline 053

        maliext consultant list --search "ecole normale" -f json

        maliext consultant list --available-from 2027-02-01 --available-to 2027-02-21 --language bm
    """
    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    rows = service.query(
        store,
        _query(
            discipline, country, degree, status, antenna, language, available_from, available_to, search, sort, limit
        ),
    )
    output.records(rows, fmt, columns=output.select_columns(service.COLUMNS, columns))


@app.command("show")
def show(ref: Ref, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """Show one consultant with availability, missions and declared conflicts.

    Example:

        maliext consultant show a.traore@example.org -f json
    """
    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    output.record(service.get(store, ref), fmt, sections=("availability", "missions", "conflicts"))


@app.command("edit")
@common.field_options(service.ENTITY, editing=True)
def edit(ref: Ref, db: DbOption = None, values: dict = None) -> None:
    """Change some fields of a consultant; the others stay as they are.

    Example:

        maliext consultant edit 12 --status inactive --phone "+223 76 12 34 56"
    """
    if not values:
        raise common.usage(
            "nothing to change", hint="Give at least one field option, e.g. --status inactive (see --help)."
        )
    store = common.open_store(db, create=False)
    consultant_id, changed = service.edit(store, ref, values)
    output.message(
        f"Updated consultant {consultant_id}."
        if changed
        else f"Consultant {consultant_id} already had these values; nothing changed."
    )


@app.command("remove")
def remove(ref: Ref, yes: YesOption = False, db: DbOption = None) -> None:
    """Remove a consultant (with their availability periods and declared conflicts).

    Refused while missions or agreements reference the consultant.

    Example:

        maliext consultant remove 12 --yes
    """
    store = common.open_store(db, create=False)
    record = service.get(store, ref)
    common.confirm(f"Remove consultant {record['id']} ({record['given_names']} {record['family_name']})?", yes)
    service.remove(store, record["id"])
    output.message(f"Removed consultant {record['id']}.")


@app.command("import")
def import_(
    file: ImportFile,
    input_format: InputFormatOption = None,
    encoding: EncodingOption = "utf-8",
    upsert: UpsertOption = False,
    dry_run: DryRunOption = False,
    quiet: QuietOption = False,
    db: DbOption = None,
) -> None:
    """Import consultants from CSV, TSV, JSON or JSON lines: all rows or none.

    Headers are field names or their French forms (nom, prénom, pays, courriel,
    diplôme, discipline, spécialités, langues, disponibilités...). Every invalid row is
    reported with its line number, and then nothing is written.

    Examples:

        maliext consultant import repertoire.csv

        maliext consultant export | maliext consultant import - --upsert --db bamako.db
    """
    from maliext_cli.render.progress import bar
    from maliext_cli.services.importing import read

    data, name = common.read_input(file)
    source = read(data, name=name, input_format=input_format, encoding=encoding)
    store = common.open_store(db)
    with bar(len(source.records), "Checking rows") as progress:
        report = service.import_source(store, source, upsert=upsert, dry_run=dry_run, progress=progress)
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
        f"{verb} {report.rows} row(s): {len(report.inserted)} new consultant(s), {len(report.updated)} updated"
        + (f", {report.unchanged} unchanged" if report.unchanged else "")
        + (" (dry run: nothing was written)." if dry_run else ".")
    )


@app.command("export")
def export(
    fmt: Annotated[
        str,
        typer.Option("-f", "--format", help="csv (default), tsv, json, jsonl, markdown, table or a tabulate format."),
    ] = "csv",
    out: OutputOption = None,
    redact: RedactOption = False,
    discipline: Discipline = None,
    country: Country = None,
    degree: Degree = None,
    status: Status = None,
    antenna: Antenna = None,
    language: Language = None,
    search: SearchOption = None,
    db: DbOption = None,
) -> None:
    """Export consultants with every field, in a form that `import` reads back.

    CSV cells that a spreadsheet would run as a formula are neutralised.

    Examples:

        maliext consultant export -o repertoire.csv

        maliext consultant export --redact --country SN -f json
    """
    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    rows = service.query(
        store, _query(discipline, country, degree, status, antenna, language, None, None, search, None, None)
    )
    columns = service.COLUMNS
    if redact:
        rows, columns = records.redact(service.ENTITY, rows, columns)
    with common.output_stream(out) as stream:
        output.records(rows, fmt, stream=stream, columns=columns)
    if out:
        output.message(f"Wrote {len(rows)} consultant(s) to {out}.")


# ----------------------------------------------------------------- availability
Start = Annotated[str, typer.Option("--start", help="First day (YYYY-MM-DD).")]
End = Annotated[str, typer.Option("--end", help="Last day (YYYY-MM-DD).")]


@availability_app.command("add")
def availability_add(ref: Ref, start: Start, end: End, quiet: QuietOption = False, db: DbOption = None) -> None:
    """Add a period when the consultant can travel.

    Example:

        maliext consultant availability add 12 --start 2027-01-04 --end 2027-03-31
    """
    store = common.open_store(db, create=False)
    new_id = service.add_availability(store, ref, start, end)
    if quiet:
        common.print_ids([new_id])
    else:
        output.message(f"Added availability period {new_id}.")


@availability_app.command("list")
def availability_list(ref: Ref, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """List a consultant's availability periods.

    Example:

        maliext consultant availability list 12 -f csv
    """
    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    output.records(service.list_availability(store, ref), fmt, columns=service.AVAILABILITY_COLUMNS)


@availability_app.command("remove")
def availability_remove(
    ref: Ref,
    period: Annotated[str, typer.Argument(help="The period's id, or START/END.", metavar="PERIOD")],
    db: DbOption = None,
) -> None:
    """Remove one availability period.

    Example:

        maliext consultant availability remove 12 2027-01-04/2027-03-31
    """
    store = common.open_store(db, create=False)
    row = service.remove_availability(store, ref, period)
    output.message(f"Removed availability period {row['start']}/{row['end']}.")
