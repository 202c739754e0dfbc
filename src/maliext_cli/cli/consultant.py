"""`maliext consultant ...`: the repertory of expatriate consultants."""

from __future__ import annotations

from typing import Annotated

import typer

from maliext_cli.cli import common, crud
from maliext_cli.cli.options import DbOption, FormatOption, QuietOption
from maliext_cli.render import output
from maliext_cli.services import consultants as service
from maliext_cli.services import interests
from maliext_cli.services.records import Field

app = typer.Typer(help="The repertory of consultants: Malian experts abroad.", no_args_is_help=True)
availability_app = typer.Typer(help="Periods when a consultant can travel.", no_args_is_help=True)
app.add_typer(availability_app, name="availability")

Ref = Annotated[str, typer.Argument(help="The consultant: id, uid or e-mail address.", metavar="REF")]
AVAILABILITY = Field(
    "availability",
    many=True,
    help="Periods when the consultant can travel, START/END (repeat, or separate with ';'), e.g. 2027-01-04/2027-03-31.",
)

crud.build(
    app,
    service.NOUN,
    examples={
        "add": [
            "maliext consultant add --family-name Traoré --given-names Aminata --country France \\",
            "    --degree doctorat --discipline chimie --email a.traore@example.org \\",
            '    --specialities "chimie organique;catalyse" --availability 2027-01-04/2027-03-31',
        ],
        "list": [
            "maliext consultant list --country FR --degree doctorat --discipline 053",
            'maliext consultant list --search "ecole normale" -f json',
            "maliext consultant list --available-from 2027-02-01 --available-to 2027-02-21 --language bm",
            "maliext consultant list --sort name -c id,family_name,given_names,country",
        ],
        "show": ["maliext consultant show a.traore@example.org -f json"],
        "edit": ['maliext consultant edit 12 --status inactive --phone "+223 76 12 34 56"'],
        "remove": ["maliext consultant remove 12 --yes"],
        "import": [
            "maliext consultant import repertoire.csv --dry-run",
            "maliext consultant export | maliext consultant import - --upsert --db bamako.db",
        ],
        "export": [
            "maliext consultant export -o repertoire.csv",
            "maliext consultant export --redact --country SN -f json",
        ],
    },
    add_fields=[AVAILABILITY],  # `add` also takes availability periods, as imports do
)


# ----------------------------------------------------------------- availability
Start = Annotated[str, typer.Option("--start", help="First day (YYYY-MM-DD).")]
End = Annotated[str, typer.Option("--end", help="Last day (YYYY-MM-DD).")]


@availability_app.command("add")
def availability_add(ref: Ref, start: Start, end: End, quiet: QuietOption = False, db: DbOption = None) -> None:
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
        output.message(f"Added availability period {new_id}.")


@availability_app.command("list")
def availability_list(ref: Ref, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """List a consultant's availability periods.

    \b
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

    \b
    Example:
      maliext consultant availability remove 12 2027-01-04/2027-03-31
    """
    store = common.open_store(db, create=False)
    row = service.remove_availability(store, ref, period)
    output.message(f"Removed availability period {row['start']}/{row['end']}.")


# ------------------------------------------------------- conflicts of interest
interests_app = typer.Typer(
    help="Declared conflicts of interest: institutions a consultant is not sent to.", no_args_is_help=True
)
app.add_typer(interests_app, name="conflict")
Institution = Annotated[str, typer.Option("--institution", help="The institution (id, uid or acronym).")]


@interests_app.command("add")
def conflict_of_interest_add(
    ref: Ref,
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
        output.message(f"Declared conflict {new_id}.")


@interests_app.command("list")
def conflict_of_interest_list(ref: Ref, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """List a consultant's declared conflicts of interest.

    \b
    Example:
      maliext consultant conflict list 12 -f json
    """
    fmt = common.format_name(fmt)
    store = common.open_store(db, create=False)
    output.records(interests.conflicts_of_interest(store, ref), fmt, columns=interests.CONFLICT_OF_INTEREST_COLUMNS)


@interests_app.command("remove")
def conflict_of_interest_remove(ref: Ref, institution: Institution, db: DbOption = None) -> None:
    """Remove a declared conflict of interest.

    \b
    Example:
      maliext consultant conflict remove 12 --institution FSJP
    """
    store = common.open_store(db, create=False)
    row = interests.remove_conflict_of_interest(store, ref, institution)
    output.message(f"Removed conflict {row['id']}.")
