"""Merge conflicts: records changed on both sides since they last met, or whose other
version cannot be applied here (a reference to a record that is not here, a key taken
here, a removal of a record still referred to). A merge lists them and applies neither
version (planning.py); they stay open until `maliext merge resolve` or a later merge
with `--prefer` settles them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from maliext_cli.errors import Conflict, Invalid, NotFound
from maliext_cli.i18n import _, ngettext
from maliext_cli.services.merge import notes, runs
from maliext_cli.services.merge.runs import ACTIVE_RUN, canonical
from maliext_cli.services.merge.side import OWN_EDIT, TableInfo, differing, label, state, table_infos
from maliext_cli.store import Store, new_uid

CONFLICT_COLUMNS = ["id", "table", "uid", "name", "kind", "field", "mine", "theirs", "peer", "at", "note"]


@dataclass
class Pending:
    """A conflict found by this merge."""

    table: str
    uid: str
    kind: str
    mine: dict | None
    theirs: dict | None
    their_edits: frozenset[str]
    their_removed_at: str | None
    note: str = ""  # what the conflict is about, as notes.py keeps it


def same_conflict(row: dict | None, pending: Pending) -> bool:
    """Whether the open conflict `row` is already the conflict `pending` (then kept as it is)."""
    if row is None:
        return False
    return (
        row["kind"] == pending.kind
        and row["mine"] == (None if pending.mine is None else canonical(pending.mine))
        and row["theirs"] == (None if pending.theirs is None else canonical(pending.theirs))
    )


def presence(row: dict | None) -> str:
    """A version of a record shown whole: there or removed."""
    return "(removed)" if row is None else "(present)"


def _open_conflicts(store: Store) -> list[dict]:
    return store.rows(
        "SELECT m.*, r.at FROM merge_conflict m JOIN merge_run r ON r.id = m.run_id "
        f"WHERE m.run_id IN {ACTIVE_RUN} AND (m.settled_by IS NULL OR m.settled_by NOT IN {ACTIVE_RUN}) ORDER BY m.id"
    )


def conflicts(store: Store) -> list[dict]:
    """The open conflicts, one line per field that differs (one line for a removal)."""
    infos = table_infos(store.conn)
    out = []
    for c in _open_conflicts(store):
        info = infos[c["table_name"]]
        mine = json.loads(c["mine"]) if c["mine"] else None
        theirs = json.loads(c["theirs"]) if c["theirs"] else None
        name = label(info.name, mine or theirs)
        note = notes.conflict(c["kind"], c["note"])
        fields = differing(info, mine, theirs)
        base = {"id": c["id"], "table": info.name, "uid": c["uid"], "name": name, "kind": c["kind"],
                "peer": c["peer"], "at": c["at"], "note": note}  # fmt: skip
        if c["kind"] == "reference" or not fields:
            out.append({**base, "field": None, "mine": presence(mine), "theirs": presence(theirs)})
        for f in fields:
            out.append({**base, "field": f, "mine": mine.get(f), "theirs": theirs.get(f)})
    return [{k: r[k] for k in CONFLICT_COLUMNS} for r in out]


def _find_conflict(store: Store, ref: str) -> dict:
    text = ref.strip().lower()
    found = [c for c in _open_conflicts(store) if c["uid"] == text or str(c["id"]) == text]
    if not found:
        raise NotFound(
            _("no open merge conflict {ref!r}").format(ref=ref),
            hint=_("`maliext merge conflicts` lists them with their uid and id."),
        )
    return found[-1]


def _edits_of(store: Store, table: str, uid: str) -> frozenset[str]:
    own = store.conn.execute(
        "SELECT DISTINCT cmd.uid FROM change ch JOIN command cmd ON cmd.id = ch.command_id "
        f"WHERE ch.table_name = ? AND ch.uid = ? AND {OWN_EDIT}",
        (table, uid),
    ).fetchall()
    learnt = store.conn.execute(
        f"SELECT events FROM merge_event WHERE table_name = ? AND uid = ? AND run_id IN {ACTIVE_RUN}", (table, uid)
    ).fetchall()
    return frozenset([r[0] for r in own] + [e for (text,) in learnt for e in json.loads(text)])


def _current(store: Store, info: TableInfo, uid: str, links: dict[str, str]) -> dict | None:
    """The record as merge states it: references as (linked) uids, no id."""
    row = store.row(f'SELECT * FROM "{info.name}" WHERE uid = ?', (uid,))
    if row is None:
        return None
    out = {c: row[c] for c in info.columns if c != "id"}
    for column, target in info.refs.items():
        if row[column] is not None:
            ref = store.value(f'SELECT uid FROM "{target}" WHERE id = ?', (row[column],))
            seen = 0
            while ref in links and seen < 20:
                ref, seen = links[ref], seen + 1
            out[column] = ref
    return out


@dataclass
class Resolved:
    table: str
    uid: str
    name: str
    take: str
    action: str  # what was done here: kept, updated, inserted, removed


def resolve(store: Store, ref: str, take: str) -> Resolved:
    """Settle one open conflict by keeping this file's version or taking the other's."""
    if take not in ("mine", "theirs"):
        raise Invalid(_("--take: expected mine or theirs, got {value!r}").format(value=take))
    with store.transaction(kind="merge"):
        c = _find_conflict(store, ref)
        info = table_infos(store.conn)[c["table_name"]]
        links = runs.links(store)
        mine = json.loads(c["mine"]) if c["mine"] else None
        theirs = json.loads(c["theirs"]) if c["theirs"] else None
        current = _current(store, info, c["uid"], links)
        if (current is None) != (mine is None) or (current and state(info, current) != state(info, mine)):
            raise Conflict(
                _("{table} {uid} changed here since the merge that listed this conflict; nothing was changed").format(
                    table=info.name, uid=c["uid"]
                ),
                hint=_("Merge the other file again to see the conflict as it is now."),
            )
        run_id = runs.new_run(store, "resolve", c["peer"])
        action = "kept"
        if take == "theirs":
            action = _take_theirs(store, info, c["uid"], current, theirs, links)
        learnt = frozenset(json.loads(c["their_events"])) - _edits_of(store, info.name, c["uid"])
        if take == "mine":
            # Keeping mine is an edit of its own, after theirs: mine then wins everywhere
            # (even where both versions were made of the same edits).
            learnt |= {new_uid()}
        if learnt:
            store.conn.execute(
                "INSERT INTO merge_event (run_id, table_name, uid, events, removed_at) VALUES (?, ?, ?, ?, ?)",
                (run_id, info.name, c["uid"], canonical(sorted(learnt)), c["their_removed_at"]),
            )
        runs.settle(store, "merge_conflict", c["id"], run_id, take)
        runs.close_run(store, run_id, {"conflict": c["id"], "take": take})
    return Resolved(info.name, c["uid"], label(info.name, mine or theirs), take, action)


def _take_theirs(store: Store, info: TableInfo, uid: str, current: dict | None, theirs: dict | None, links) -> str:
    table = info.name
    if theirs is None:
        row_id = store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (uid,))
        users = _referring(store, table, row_id)
        if users:
            raise Conflict(
                ngettext(
                    "cannot remove {table} {uid}: {n} record here refers to it; nothing was changed",
                    "cannot remove {table} {uid}: {n} records here refer to it; nothing was changed",
                    len(users),
                ).format(table=table, uid=uid, n=len(users)),
                details=users[:10],
                hint=_("Remove or change those records first, or keep this one (--take mine)."),
            )
        store.delete(table, row_id)
        return "removed"
    values = {}
    for column in info.columns:
        if column == "id":
            values[column] = None if current is None else store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (uid,))
        elif column in info.refs and theirs.get(column) is not None:
            target = info.refs[column]
            ref = theirs[column]
            seen = 0
            while ref in links and seen < 20:
                ref, seen = links[ref], seen + 1
            found = store.value(f'SELECT id FROM "{target}" WHERE uid = ?', (ref,))
            if found is None:
                raise Conflict(
                    _(
                        "cannot take their version of {table} {uid}: its {field} ({target} {ref}) is not here; "
                        "nothing was changed"
                    ).format(table=table, uid=uid, field=column.removesuffix("_id"), target=target, ref=ref),
                    hint=_("Merge the other file again once that record is here, or link it to one of yours."),
                )
            values[column] = found
        else:
            values[column] = theirs.get(column)
    try:
        store.put(table, values)
    except sqlite3.IntegrityError as exc:
        raise Conflict(
            _("cannot take their version of {table} {uid}: {error}; nothing was changed").format(
                table=table, uid=uid, error=exc
            )
        ) from None
    return "inserted" if current is None else "updated"


def _referring(store: Store, table: str, row_id: int) -> list[str]:
    found = []
    for other, info in table_infos(store.conn).items():
        for column, target in info.refs.items():
            if target != table:
                continue
            for (uid,) in store.conn.execute(
                f'SELECT uid FROM "{other}" WHERE "{column}" = ? AND NOT ("{other}" = ? AND id = ?)',
                (row_id, table, row_id),
            ):
                found.append(f"{other} {uid}")
    return found
