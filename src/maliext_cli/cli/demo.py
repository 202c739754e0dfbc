"""`maliext demo`: a fresh database built from the example files, and a short tour."""

from __future__ import annotations

import shlex
import sys

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption
from maliext_cli.errors import MaliextError
from maliext_cli.render import output
from maliext_cli.store import Store, paths

# Commands shown by the tour, each run for real against the demo database.
TOUR = (
    (
        "The repertory, filtered: consultants in Senegal holding an HDR or a doctorat",
        "consultant list --country Sénégal --degree hdr --degree doctorat --columns id,family_name,given_names,city,discipline,specialities --limit 8",
    ),
    (
        "Accent-insensitive search: 'chimie organique' finds 'Chimie organique' and 'chimie-organique'",
        "consultant list --search 'chimie organique' --columns id,family_name,given_names,country,degree --limit 5",
    ),
    (
        "Who can travel for three weeks in July 2027 and speaks Bambara",
        "consultant list --available-from 2027-07-12 --available-to 2027-08-01 --language bm --status active -c id,family_name,given_names,country,availability --limit 5",
    ),
    ("One consultant, with availability periods", "consultant show aminata.traore@example.org"),
    ("Vocabularies: ISCED-F 2013 fields of study", "ref disciplines --search chimie"),
    (
        "What funders ask for: missions by year, with new and returning consultants and costs in euros and FCFA",
        "mission report --by year -c year,missions,consultants,new_consultants,returning_consultants,person_days,cost_eur,cost_xof,mean_rating",
    ),
    ("The best consultants for a need, and what each criterion contributed", "match rank 30 --top 3 --explain"),
    (
        "The federation tree: each country's council under the High Council, with its subtree's members and co-development money",
        "association tree HCME --depth 1",
    ),
    (
        "Associations by country, and how much public money each euro of the diaspora's savings drew (leverage)",
        "association report --by country -c country,associations,members,projects,diaspora_contribution_eur,subsidy_eur,total_eur,leverage",
    ),
    (
        "The programme at a glance: the repertory, missions done, agreements signed out of negotiated, associations and co-development money",
        "report summary",
    ),
)


def demo(db: DbOption = None) -> None:
    """Build a fresh demo database from the example files and show a short tour.

    Without --db it writes demo.db beside the default database (replacing an earlier
    demo), never your own file.

    \b
    Examples:
      maliext demo
      maliext demo --db /tmp/essai.db
    """
    from typer.main import get_command

    from maliext_cli.services import demo as service

    db = db or common.State.db  # `maliext --db X demo` too
    target = db or paths.demo_path()
    own, _ = paths.resolve(None)
    if db is None and target.resolve() == own.resolve():
        raise MaliextError(
            f"{target} is your own database; the demo will not replace it", hint="Give the demo another file with --db."
        )
    if not service.replaceable(target):
        raise MaliextError(
            f"{target} holds data that the demo did not make; it was left untouched",
            hint="Give the demo another file with --db.",
        )
    service.remove_files(target)
    store = Store.open(target, command_line="maliext demo")
    counts = service.build(store, service.examples_dir())
    store.close()
    output.message(f"Built a demo database at {target}: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + ".")

    from maliext_cli.cli.app import app

    command = get_command(app)
    for title, line in TOUR:
        args = shlex.split(line)
        print(f"\n# {title}\n$ maliext {line}\n", flush=True)
        command.main([*args, "--db", str(target)], prog_name="maliext", standalone_mode=False)
        sys.stdout.flush()
    quoted = shlex.quote(str(target))
    print(
        f"\nThe demo database is {target}. Point any command at it with --db {quoted}, or for this shell:\n"
        f"    export MALIEXT_DB={quoted}\n"
        "Then try: maliext consultant list --help"
    )
