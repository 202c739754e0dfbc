"""What a merge reports: one item per change, conflict, held record, likely duplicate
and rule warning (`maliext merge OTHER.db --changes` lists them), and their counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from maliext_cli.i18n import _
from maliext_cli.services.merge import notes
from maliext_cli.services.merge.conflicts import presence
from maliext_cli.services.merge.planning import Planner
from maliext_cli.services.merge.side import differing, label

ITEM_COLUMNS = ["action", "table", "uid", "name", "field", "mine", "theirs", "note"]


@dataclass
class MergeReport:
    peer: str
    dry_run: bool = False
    partial: bool = False
    items: list[dict] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    written: bool = False  # did the merge change anything in this file

    @property
    def problems(self) -> int:
        """What needs a decision, or breaks a rule once merged (exit code 4 of --dry-run)."""
        return self.counts["conflict"] + self.counts["held"] + self.counts["warning"]


def item(action: str, table: str, uid: str, name: str = "", field_: str | None = None, mine: Any = None,
         theirs: Any = None, note: str = "") -> dict:  # fmt: skip
    """One line of the report (ITEM_COLUMNS)."""
    return {
        "action": action,
        "table": table,
        "uid": uid,
        "name": name,
        "field": field_,
        "mine": mine,
        "theirs": theirs,
        "note": note,
    }


def describe(p: Planner, report: MergeReport) -> None:
    """Fill `report` with what the plan `p` does (the notes in the interface language)."""
    items, counts = report.items, report.counts
    for table, alias, target in p.joins:
        row = p.mine.rows[table][alias]
        note = _("joined into {table} {uid}").format(table=table, uid=target)
        items.append(item("join", table, alias, label(table, row), note=note))
        counts["joined"] += 1
    for (table, uid), action in sorted(p.decision.items(), key=lambda kv: (_rank(p, kv[0][0]), kv[0][1])):
        info = p.infos[table]
        mr, tr = p.my_rows[table].get(uid), p.their_rows[table].get(uid)
        settled = p.settled_by_prefer.get((table, uid))
        # Translators: {side} is mine or theirs, as --prefer takes them.
        note = _("conflict settled by --prefer ({side})").format(side=settled) if settled else ""
        if action == "insert":
            items.append(item("insert", table, uid, label(table, tr), note=note))
            counts["inserted"] += 1
        elif action == "delete":
            items.append(item("remove", table, uid, label(table, mr), note=note or _("removed there")))
            counts["removed"] += 1
        else:
            fields = differing(info, mr, tr) or ["updated_at"]
            for name in fields:
                items.append(item("update", table, uid, label(table, tr), name, mr.get(name), tr.get(name), note))
            counts["updated"] += 1
    for (table, uid), settled in sorted(p.settled_by_prefer.items()):
        if settled == "mine" and (table, uid) not in p.decision:
            mr = p.my_rows[table].get(uid)
            note = _("conflict settled by --prefer ({side})").format(side="mine")
            items.append(item("keep", table, uid, label(table, mr), note=note))
            counts["kept"] += 1
    for (table, uid), c in sorted(p.conflicts.items()):
        info = p.infos[table]
        name = label(table, c.mine or c.theirs)
        note = notes.conflict(c.kind, c.note)
        fields = differing(info, c.mine, c.theirs)
        if c.kind == "reference" or not fields:
            items.append(item("conflict", table, uid, name, None, presence(c.mine), presence(c.theirs), note))
        for name_ in fields:
            items.append(item("conflict", table, uid, name, name_, c.mine.get(name_), c.theirs.get(name_), note))
        counts["conflict"] += 1
    for (table, uid), (mine_uid, why) in sorted(p.held.items()):
        tr = p.their_rows[table][uid]
        # Translators: {reason} is e.g. "same email aminata@example.org as consultant 0190... here".
        note = _("not inserted: {reason}").format(reason=notes.duplicate_reason(why))
        items.append(item("held", table, uid, label(table, tr), None, mine_uid, None, note))
        counts["held"] += 1
    for table, mine_uid, their_uid, why in p.likely:
        tr = p.their_rows[table][their_uid]
        # Translators: {reason} is e.g. "same name and birth year".
        note = _("likely duplicate: {reason}").format(reason=notes.duplicate_reason(why))
        items.append(item("duplicate", table, their_uid, label(table, tr), None, mine_uid, None, note))
        counts["duplicate"] += 1
    report.warnings.extend(p.warnings)
    counts["settled"] = len(p.moot)


def _rank(p: Planner, table: str) -> int:
    return list(p.infos).index(table)
