"""Merging another site's maliext file into this one (`maliext merge`), and what waits
for a decision afterwards.

`merge()` reads the other file (reading.py: a database, or a bundle of bundles.py, of
this or an earlier schema, upgraded by upgrade.py), plans what to do with each of its
records (planning.py), reports it (report.py) and applies it (applying.py) in one
transaction of kind 'merge'. What a plan cannot settle by itself waits for a decision:
conflicts (conflicts.py) and likely duplicates (duplicates.py), kept with each merge's
bookkeeping (runs.py).

Merging the same file twice changes nothing the second time; two files merged both ways
end with the same records once no conflict is open. The bookkeeping counts only while
the merge's command is not undone, so `maliext undo` takes a merge back whole, as if it
had not happened: merging the file again brings the same changes back.
"""

from __future__ import annotations

import os

from maliext_cli.errors import Invalid
from maliext_cli.i18n import _
from maliext_cli.services.importer import DryRun
from maliext_cli.services.merge import applying, planning, reading, upgrade
from maliext_cli.services.merge.report import MergeReport, describe
from maliext_cli.services.merge.side import check_compatible, own_side
from maliext_cli.store import Store

PREFER = ("mine", "theirs", "newer")


def merge(
    store: Store,
    other: str | os.PathLike,
    *,
    dry_run: bool = False,
    prefer: str | None = None,
) -> MergeReport:
    """Merge every record of the maliext file or bundle `other` into `store`, in one
    transaction of kind 'merge' (or none with `dry_run`); what was done."""
    if prefer is not None and prefer not in PREFER:
        raise Invalid(_("--prefer: expected mine, theirs or newer, got {value!r}").format(value=prefer))
    theirs = upgrade.upgraded(reading.read_other(other, store))
    report = MergeReport(peer=theirs.name, dry_run=dry_run, partial=theirs.since is not None)
    try:
        with store.transaction(kind="merge"):
            mine = own_side(store)
            check_compatible(mine, theirs)
            planner = planning.Planner(mine, theirs, prefer, planning.known(store))
            planner.run()
            describe(planner, report)
            if planner.has_writes():
                applying.apply(store, planner, report)
            if dry_run:
                raise DryRun
    except DryRun:
        pass
    return report
