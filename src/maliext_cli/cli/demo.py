"""`maliext demo`: a fresh database built from the example files, and a short tour."""

from __future__ import annotations

import shlex
import sys

from maliext_cli.cli import common
from maliext_cli.cli.options import DbOption
from maliext_cli.errors import MaliextError
from maliext_cli.i18n import N_, _, ngettext
from maliext_cli.render import output
from maliext_cli.store import Store, paths

# Commands shown by the tour, each run for real against the demo database: what it
# shows (translated where it is printed), and the command line (the same in every language).
TOUR = (
    (
        N_("The repertory, filtered: consultants in Senegal holding an HDR or a doctorat"),
        "consultant list --country Sénégal --degree hdr --degree doctorat --columns id,family_name,given_names,city,discipline,specialities --limit 8",
    ),
    (
        N_("Accent-insensitive search: 'chimie organique' finds 'Chimie organique' and 'chimie-organique'"),
        "consultant list --search 'chimie organique' --columns id,family_name,given_names,country,degree --limit 5",
    ),
    (
        N_("Who can travel for three weeks in July 2027 and speaks Bambara"),
        "consultant list --available-from 2027-07-12 --available-to 2027-08-01 --language bm --status active -c id,family_name,given_names,country,availability --limit 5",
    ),
    (N_("One consultant, with availability periods"), "consultant show aminata.traore@example.org"),
    (N_("Vocabularies: ISCED-F 2013 fields of study"), "ref disciplines --search chimie"),
    (
        N_("What funders ask for: missions by year, with new and returning consultants and costs in euros and FCFA"),
        "mission report --by year -c year,missions,consultants,new_consultants,returning_consultants,person_days,cost_eur,cost_xof,mean_rating",
    ),
    (N_("The best consultants for a need, and what each criterion contributed"), "match rank 30 --top 3 --explain"),
    (
        N_(
            "The federation tree: each country's council under the High Council, with its subtree's members and co-development money"
        ),
        "association tree HCME --depth 1",
    ),
    (
        N_("Associations by country, and how much public money each euro of the diaspora's savings drew (leverage)"),
        "association report --by country -c country,associations,members,projects,diaspora_contribution_eur,subsidy_eur,total_eur,leverage",
    ),
    (
        N_(
            "The programme at a glance: the repertory, missions done, agreements signed out of negotiated, associations and co-development money"
        ),
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
    own, _source = paths.resolve(None)
    if db is None and target.resolve() == own.resolve():
        raise MaliextError(
            _("{path} is your own database; the demo will not replace it").format(path=target),
            hint=_("Give the demo another file with --db."),
        )
    if not service.replaceable(target):
        raise MaliextError(
            _("{path} holds data that the demo did not make; it was left untouched").format(path=target),
            hint=_("Give the demo another file with --db."),
        )
    service.remove_files(target)
    store = Store.open(target, command_line="maliext demo")
    counts = service.build(store, service.examples_dir())
    store.close()
    built = ", ".join(_counted(kind, n) for kind, n in counts.items())
    output.message(_("Built a demo database at {path}: {counts}.").format(path=target, counts=built))

    from maliext_cli.cli.app import app

    command = get_command(app)
    for title, line in TOUR:
        args = shlex.split(line)
        print(f"\n# {_(title)}\n$ maliext {line}\n", flush=True)
        command.main([*args, "--db", str(target)], prog_name="maliext", standalone_mode=False)
        sys.stdout.flush()
    quoted = shlex.quote(str(target))
    print(
        "\n"
        + _(
            "The demo database is {path}. Point any command at it with --db {quoted}, or for this shell:\n"
            "    export MALIEXT_DB={quoted}\n"
            "Then try: maliext consultant list --help"
        ).format(path=target, quoted=quoted)
    )


def _counted(kind: str, n: int) -> str:
    """How many records of a kind the demo imported: "12 antennas" (kinds by example file)."""
    forms = {
        "antennas": ngettext("{n} antenna", "{n} antennas", n),
        "consultants": ngettext("{n} consultant", "{n} consultants", n),
        "associations": ngettext("{n} association", "{n} associations", n),
        "projects": ngettext("{n} project", "{n} projects", n),
        "institutions": ngettext("{n} institution", "{n} institutions", n),
        "programmes": ngettext("{n} programme", "{n} programmes", n),
        "needs": ngettext("{n} need", "{n} needs", n),
        "missions": ngettext("{n} mission", "{n} missions", n),
        "evaluations": ngettext("{n} evaluation", "{n} evaluations", n),
        "agreements": ngettext("{n} agreement", "{n} agreements", n),
    }
    return forms[kind].format(n=n)
