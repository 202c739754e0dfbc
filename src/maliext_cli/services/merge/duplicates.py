"""Likely duplicates: records of different uids that are likely the same person or
association. A merge never joins them silently: it lists them (and holds a new record
whose unique key is taken here); `maliext merge link` joins two records for good (the
joined uid then means the kept one, here and at the other sites), `maliext merge
dismiss` keeps them apart."""

from __future__ import annotations

import json
from dataclasses import dataclass

from maliext_cli.errors import Conflict, Invalid, NotFound
from maliext_cli.i18n import _
from maliext_cli.services import nouns
from maliext_cli.services.merge import notes, runs
from maliext_cli.services.merge.runs import ACTIVE_RUN, OPEN
from maliext_cli.services.merge.side import TableInfo, label, table_infos
from maliext_cli.store import Store

DUPLICATE_COLUMNS = ["id", "table", "uid", "name", "other_uid", "other_name", "reason", "state", "peer", "at"]


def likely_key(table: str, row: dict) -> tuple | None:
    """What makes two records of different uids likely the same one (the noun's
    declared `likely_duplicate`), or None for a kind of record without one."""
    likely = nouns.ENTITIES[table].likely_duplicate
    return None if likely is None else likely.key(row)


def likely_reason(table: str) -> str:
    """The noun's reason, an English message id (kept as is, translated where shown)."""
    likely = nouns.ENTITIES[table].likely_duplicate
    return likely.reason if likely else ""


def _open_duplicates(store: Store) -> list[dict]:
    return store.rows(
        "SELECT d.*, r.at FROM merge_duplicate d JOIN merge_run r ON r.id = d.run_id "
        f"WHERE d.run_id IN {ACTIVE_RUN} AND (d.settled_by IS NULL OR d.settled_by NOT IN {ACTIVE_RUN}) ORDER BY d.id"
    )


def duplicates(store: Store) -> list[dict]:
    """Records of different uids that are likely the same: `held` when the other file's
    record could not be inserted (its e-mail, acronym or code is taken here)."""
    out = []
    for d in _open_duplicates(store):
        table = d["table_name"]
        a = store.row(f'SELECT * FROM "{table}" WHERE uid = ?', (d["uid_a"],))
        b = store.row(f'SELECT * FROM "{table}" WHERE uid = ?', (d["uid_b"],))
        if b is None and d["held"]:
            b = json.loads(d["held"])
        if a is None or b is None:  # one of them was removed since
            continue
        b_here = store.value(f'SELECT 1 FROM "{table}" WHERE uid = ?', (d["uid_b"],)) is not None
        out.append(
            {
                "id": d["id"],
                "table": table,
                "uid": d["uid_a"],
                "name": label(table, a),
                "other_uid": d["uid_b"],
                "other_name": label(table, b),
                "reason": notes.duplicate_reason(d["reason"]),
                "state": "both here" if b_here else "held",
                "peer": d["peer"],
                "at": d["at"],
            }
        )
    return out


@dataclass
class Linked:
    table: str
    kept: str
    joined: str
    name: str
    moved: int  # references moved from the joined record to the kept one
    removed: int  # records removed (the joined one, and references that became duplicates)


def _uid(text: str, what: str) -> str:
    from maliext_cli.services.records import UID_RE

    value = text.strip().lower()
    if not UID_RE.fullmatch(value):
        raise Invalid(
            _("{argument}: {value!r} is not a uid").format(argument=what, value=text[:40]),
            hint=_("`maliext merge duplicates` shows the uids."),
        )
    return value


def _table_of(store: Store, uid: str) -> str | None:
    for table in nouns.TABLES:
        if store.value(f'SELECT 1 FROM "{table}" WHERE uid = ?', (uid,)):
            return table
    return None


def link(store: Store, keep: str, other: str) -> Linked:
    """Join record `other` into record `keep`: every reference to `other` then refers to
    `keep`, `other` is removed, and its uid means `keep` in this and later merges (and,
    through them, at the other sites). `other` may be a record held by a merge (not
    inserted here because its key is taken): then only the link is recorded."""
    keep, other = _uid(keep, "UID_A"), _uid(other, "UID_B")
    if keep == other:
        raise Invalid(_("give two different records"))
    with store.transaction(kind="merge"):
        links = runs.links(store)
        for uid in (keep, other):
            if uid in links:
                raise Conflict(
                    _("{uid} is already joined into {target}").format(uid=uid, target=links[uid]),
                    hint=_("Use {target} instead.").format(target=links[uid]),
                )
        table = _table_of(store, keep)
        if table is None:
            held_here = store.value(
                f"SELECT 1 FROM merge_duplicate WHERE uid_b = ? AND held IS NOT NULL AND run_id IN {ACTIVE_RUN}",
                (keep,),
            )
            hint = _("Give the record to keep (here) first, then the other.") if held_here else None
            raise NotFound(_("no record {uid} here").format(uid=keep), hint=hint)
        other_table = _table_of(store, other)
        held = None
        if other_table is None:
            held = store.row(
                f"SELECT * FROM merge_duplicate WHERE uid_b = ? AND held IS NOT NULL AND {OPEN} ORDER BY id DESC",
                (other,),
            )
            if held is None:
                raise NotFound(
                    _("no record {uid} here, nor held by a merge").format(uid=other),
                    hint=_("`maliext merge duplicates` lists the records held by merges."),
                )
            other_table = held["table_name"]
        if other_table != table:
            raise Invalid(
                _("{uid} is in table {table} and {other} in table {other_table}: they cannot be joined").format(
                    uid=keep, table=table, other=other, other_table=other_table
                )
            )
        run_id = runs.new_run(store, "link", held["peer"] if held else None)
        moved = removed = 0
        if held is None:
            moved, removed = _join(store, table, keep, other)
        store.conn.execute(
            "INSERT INTO merge_link (run_id, table_name, alias_uid, target_uid) VALUES (?, ?, ?, ?)",
            (run_id, table, other, keep),
        )
        for d in _open_duplicates(store):
            if other in (d["uid_a"], d["uid_b"]):
                runs.settle(store, "merge_duplicate", d["id"], run_id, "linked")
        runs.close_run(store, run_id, {"kept": keep, "joined": other})
        name = label(table, store.row(f'SELECT * FROM "{table}" WHERE uid = ?', (keep,)))
    return Linked(table, keep, other, name, moved, removed)


def _join(store: Store, table: str, keep: str, other: str) -> tuple[int, int]:
    """Move every reference from `other` to `keep`, then remove `other`."""
    infos = table_infos(store.conn)
    keep_id = store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (keep,))
    other_id = store.value(f'SELECT id FROM "{table}" WHERE uid = ?', (other,))
    moved = removed = 0
    for child, info in infos.items():
        for column, target in info.refs.items():
            if target != table:
                continue
            for row in store.rows(f'SELECT * FROM "{child}" WHERE "{column}" = ? ORDER BY id', (other_id,)):
                if child == table and row["id"] == other_id:
                    continue
                changed = {**row, column: keep_id}
                if _clashes(store, info, changed):
                    # The same fact is already recorded for the kept record (a declared
                    # conflict of interest with the same institution): one is enough.
                    store.delete(child, row["id"])
                    removed += 1
                else:
                    store.update(child, row["id"], {column: keep_id})
                    moved += 1
    store.delete(table, other_id)
    return moved, removed + 1


def _clashes(store: Store, info: TableInfo, row: dict) -> bool:
    for columns, nocase in info.uniques:
        if any(row.get(c) is None for c in columns):
            continue
        where = " AND ".join(f'"{c}" = ?' + (" COLLATE NOCASE" if nocase else "") for c in columns)
        if store.value(
            f'SELECT 1 FROM "{info.name}" WHERE {where} AND id <> ?', (*[row[c] for c in columns], row["id"])
        ):
            return True
    return False


def dismiss(store: Store, first: str, second: str) -> dict:
    """Mark two records listed as likely duplicates as distinct: they are no longer listed."""
    one, other = _uid(first, "UID_A"), _uid(second, "UID_B")
    with store.transaction(kind="merge"):
        found = [d for d in _open_duplicates(store) if {d["uid_a"], d["uid_b"]} == {one, other}]
        if not found:
            raise NotFound(
                _("{uid} and {other} are not listed as likely duplicates").format(uid=one, other=other),
                hint=_("See `maliext merge duplicates`."),
            )
        held = [d for d in found if d["held"] and _table_of(store, d["uid_b"]) is None]
        if held:
            raise Conflict(
                _(
                    "{other} could not be inserted because its key is taken by {uid}: it cannot simply be kept apart"
                ).format(other=other, uid=one),
                hint=_("Link them (`maliext merge link`), or change the key here and merge again."),
            )
        run_id = runs.new_run(store, "dismiss", found[0]["peer"])
        for d in found:
            runs.settle(store, "merge_duplicate", d["id"], run_id, "distinct")
        runs.close_run(store, run_id, {"distinct": [one, other]})
    return found[0]
