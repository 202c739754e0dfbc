"""`maliext need ...`: what host institutions ask for."""

from __future__ import annotations

from typing import Annotated

import typer

from maliext_cli.cli import common, crud
from maliext_cli.cli.options import DbOption
from maliext_cli.render import output
from maliext_cli.services.needs import NOUN

app = typer.Typer(
    help="Needs of host institutions: courses, supervision, workshops, training, support.", no_args_is_help=True
)

crud.build(
    app,
    NOUN,
    commands=("add", "list", "show", "edit", "remove", "import", "export"),
    examples={
        "add": [
            'maliext need add --institution FAST --title "DEA de chimie organique : cours et encadrement" \\',
            "    --discipline chimie --type supervision --level dea --window-start 2027-01-10 \\",
            '    --window-end 2027-03-31 --duration-days 21 --keywords "chimie organique;produits naturels"',
        ],
        "list": [
            "maliext need list --status open --priority 1",
            "maliext need list --institution ISFRA --from 2027-01-01 --to 2027-06-30 -f json",
        ],
        "show": ["maliext need show 4"],
        "edit": ["maliext need edit 4 --seats 2 --priority 1"],
        "remove": ["maliext need remove 4 --yes"],
        "import": ["maliext need import besoins.csv"],
        "export": ["maliext need export --status open -o besoins-ouverts.csv"],
    },
    ref_help="The need: id or uid.",
)


@app.command("cancel")
def cancel(
    ref: Annotated[str, typer.Argument(help="The need: id or uid.", metavar="REF")], db: DbOption = None
) -> None:
    """Cancel a need (refused while planned or ongoing missions fill it).

    \b
    Example:
      maliext need cancel 4
    """
    store = common.open_store(db, create=False)
    need_id, changed = NOUN.cancel(store, ref)
    output.message(f"Cancelled need {need_id}." if changed else f"Need {need_id} was already cancelled.")
